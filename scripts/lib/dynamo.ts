/**
 * The embedded DynamoDB of local runs and tests: dynalite in this process on 127.0.0.1, its data
 * in a folder (`npm start`: .data/dynalite) or in memory (tests), the users table created.
 */
import { mkdirSync } from 'node:fs';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { loadArgon2Parameters } from '../../shared/config';
import { DynamoUserStore } from '../../shared/users/dynamo-store';
import { createPasswordHasher } from '../../shared/users/password';
import { createTableInput } from '../../shared/users/table';
import { createSdkDocumentClient } from './sdk-document-client';
import { listen } from './servers';

export const LOCAL_USERS_TABLE = 'hydra-login-consent-users';

export interface LocalDynamo {
  endpoint: string;
  stop: () => Promise<void>;
}

export async function ensureTable(endpoint: string, tableName = LOCAL_USERS_TABLE): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    await client.send(new CreateTableCommand(createTableInput(tableName)));
    await untilActive(client, tableName);
  } finally {
    client.destroy();
  }
}

/**
 * Waits until a new table is ACTIVE. dynalite (createTableMs: 0) answers CreateTable with the
 * table CREATING and makes it ACTIVE a moment later; an item written before that is refused
 * with ResourceNotFoundException (seen in the integration tests, now and then).
 */
async function untilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    if (Date.now() > deadline) throw new Error(`table ${tableName} is not ACTIVE after 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function startLocalDynamo(options: {
  dataDir?: string;
  port?: number;
}): Promise<LocalDynamo> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const server = dynalite({
    ...(options.dataDir ? { path: options.dataDir } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  const { url: endpoint, close: stop } = await listen(server, options.port);
  try {
    await ensureTable(endpoint);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, stop };
}

/**
 * The user store on a local table, hashing as the functions do: the argon2 parameters and the
 * pepper of this environment (ARGON2_*, PASSWORD_PEPPER), which serverless.yml and the local
 * adapter hand on to them.
 */
export function localUserStore(endpoint: string, tableName = LOCAL_USERS_TABLE): DynamoUserStore {
  return new DynamoUserStore({
    client: createSdkDocumentClient({ endpoint }),
    tableName,
    hasher: createPasswordHasher(
      loadArgon2Parameters(process.env),
      process.env.PASSWORD_PEPPER || undefined,
    ),
  });
}
