/**
 * An embedded dynalite for integration tests: in memory, on a free 127.0.0.1 port, with a fresh
 * users table per test on request so counts and scans stay exact.
 */
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ensureTable, LOCAL_USERS_TABLE, startLocalDynamo } from '../../../scripts/local-dynamo';
import { createDocumentClient } from '../../../shared/users/dynamo-store';

export interface TestDynamo {
  endpoint: string;
  /** A document client on the test dynalite, for looking at raw items. */
  client: DynamoDBDocumentClient;
  /** The table `startLocalDynamo` creates (the CLI's default for a 127.0.0.1 endpoint). */
  defaultTable: string;
  /** Creates an empty users table with a new name and returns the name. */
  newTable(): Promise<string>;
  /** Every item of a table, pointers and throttle counters included. */
  items(tableName: string): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

export async function startTestDynamo(): Promise<TestDynamo> {
  const local = await startLocalDynamo({});
  const client = createDocumentClient({ endpoint: local.endpoint, region: 'us-east-1' });
  let tables = 0;
  return {
    endpoint: local.endpoint,
    client,
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
        const page = await client.send(
          new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey }),
        );
        found.push(...(page.Items ?? []));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return found;
    },
    async stop() {
      client.destroy();
      await local.stop();
    },
  };
}

/** pk values of a table's items, sorted. */
export function keysOf(items: Record<string, unknown>[]): string[] {
  return items.map((item) => String(item.pk)).sort();
}
