/**
 * An embedded dynalite for integration tests: in memory, on a free 127.0.0.1 port, with a fresh
 * users table per test on request so counts and scans stay exact.
 */
import { ensureTable, LOCAL_USERS_TABLE, startLocalDynamo } from '../../../scripts/lib/dynamo';
import {
  createSdkDocumentClient,
  type SdkDocumentClient,
} from '../../../scripts/lib/sdk-document-client';
import { startStubServer } from '../../../scripts/lib/servers';
import { operationOf, pkOf, THROTTLED } from '../../../scripts/lib/stubs/dynamo';
import type { DocumentClient } from '../../../shared/aws/dynamodb';
import { createDocumentClient } from '../../../shared/users/dynamo-store';

export interface TestDynamo {
  endpoint: string;
  /** Our own document client (shared/aws/dynamodb), the functions': the stores under test use it. */
  client: DocumentClient;
  /**
   * The AWS SDK's document client on the same dynalite, for looking at (and planting) raw items:
   * what the stores wrote through ours is read back by another implementation of the protocol.
   */
  sdk: SdkDocumentClient;
  /** The table `startLocalDynamo` creates (the CLI's default for a 127.0.0.1 endpoint). */
  defaultTable: string;
  /** Creates an empty users table with a new name and returns the name. */
  newTable(): Promise<string>;
  /** Every item of a table, pointers and throttle counters included. */
  items(tableName: string): Promise<Record<string, unknown>[]>;
  stop: () => Promise<void>;
}

export async function startTestDynamo(): Promise<TestDynamo> {
  const local = await startLocalDynamo({});
  const client = createDocumentClient({ endpoint: local.endpoint, region: 'us-east-1' });
  const sdk = createSdkDocumentClient({ endpoint: local.endpoint, region: 'us-east-1' });
  let tables = 0;
  return {
    endpoint: local.endpoint,
    client,
    sdk,
    defaultTable: LOCAL_USERS_TABLE,
    async newTable() {
      tables += 1;
      const name = `users-test-${tables}`;
      await ensureTable(local.endpoint, name);
      return name;
    },
    async items(tableName) {
      const found: Record<string, unknown>[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await sdk.scan({ TableName: tableName, ExclusiveStartKey: startKey });
        found.push(...(page.Items ?? []));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return found;
    },
    async stop() {
      sdk.destroy();
      await local.stop();
    },
  };
}

/** pk values of a table's items, sorted. */
export function keysOf(items: Record<string, unknown>[]): string[] {
  return items.map((item) => String(item.pk)).sort();
}

export interface DynamoProxy {
  endpoint: string;
  /** The operations refused, as `PutItem user#…`, `DeleteItem email#…`. */
  refused: string[];
  close: () => Promise<void>;
}

/**
 * A DynamoDB endpoint in front of `target` that answers the requests `refuse` picks (by
 * operation and the `pk` of the item or key) the way DynamoDB throttles, and forwards the rest.
 */
export async function startFailingProxy(
  target: string,
  refuse: (operation: string, pk: string) => boolean,
): Promise<DynamoProxy> {
  const refused: string[] = [];
  const server = await startStubServer(async ({ method, path, headers, body }) => {
    const operation = operationOf(headers['x-amz-target']);
    const pk = pkOf(body);
    if (refuse(operation, pk)) {
      refused.push(`${operation} ${pk}`);
      return THROTTLED;
    }
    const { host: _host, 'content-length': _length, ...forwarded } = headers;
    const answer = await fetch(`${target}${path}`, { method, headers: forwarded, body });
    return {
      status: answer.status,
      headers: Object.fromEntries(answer.headers),
      body: await answer.text(),
    };
  });
  return { endpoint: server.url, refused, close: server.close };
}
