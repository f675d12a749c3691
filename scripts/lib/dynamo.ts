/**
 * The embedded DynamoDB of local runs and tests: dynalite in this process on 127.0.0.1, its data
 * in a folder (`npm start`: .data/dynalite) or in memory (tests), the users table created.
 */
import { mkdirSync } from 'node:fs';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { createTableInput } from '../../shared/users/table';

export const LOCAL_USERS_TABLE = 'hydra-login-consent-users';

export interface LocalDynamo {
  endpoint: string;
  stop(): Promise<void>;
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
  } finally {
    client.destroy();
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
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    });
  try {
    await ensureTable(endpoint);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, stop };
}
