/**
 * The embedded DynamoDB of local runs and tests: dynalite in this process on 127.0.0.1, its data
 * in a folder (`npm start`: .data/dynalite) or in memory (tests), the users table created.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { loadArgon2Parameters } from '../shared/config';
import { createDocumentClient, DynamoUserStore } from '../shared/users/dynamo-store';
import { createPasswordHasher } from '../shared/users/password';
import { createTableInput } from '../shared/users/table';

export const LOCAL_USERS_TABLE = 'hydra-login-consent-users';
/** Where `npm start` says what it runs (a LocalStack), so the users CLI finds it. */
export const LOCAL_STACK_FILE = join(__dirname, '..', '.data', 'local-stack.json');
export const DEMO_EMAIL = 'demo@example.com';

/** What `npm start` writes to LOCAL_STACK_FILE while it runs (removed when it stops). */
export interface LocalStack {
  dynamodbEndpoint: string;
  usersTable: string;
  /** The stack's Hydra admin API (ours or yours), once it runs; never a token. */
  hydraAdminUrl?: string;
}

export function writeLocalStack(stack: LocalStack): void {
  writeFileSync(LOCAL_STACK_FILE, JSON.stringify(stack, null, 2));
}

/**
 * The running stack's description, if `npm start` left one (it may be stale: check it answers).
 * An unreadable file counts as none.
 */
export function readLocalStack(): LocalStack | undefined {
  if (!existsSync(LOCAL_STACK_FILE)) return undefined;
  try {
    return JSON.parse(readFileSync(LOCAL_STACK_FILE, 'utf8')) as LocalStack;
  } catch {
    return undefined;
  }
}
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

/** The demo user of `npm start`: created with a random password the first time (returned once). */
export async function ensureDemoUser(
  endpoint: string,
): Promise<{ email: string; password?: string }> {
  const store = new DynamoUserStore({
    client: createDocumentClient({ endpoint }),
    tableName: LOCAL_USERS_TABLE,
    hasher: createPasswordHasher(loadArgon2Parameters(process.env)),
  });
  if (await store.findByIdentifier(DEMO_EMAIL)) return { email: DEMO_EMAIL };
  const password = randomBytes(12).toString('base64url');
  await store.create({
    email: DEMO_EMAIL,
    password,
    profile: {
      name: 'Demo User',
      given_name: 'Demo',
      family_name: 'User',
      preferred_username: 'demo',
      email_verified: true,
      locale: 'en',
    },
  });
  return { email: DEMO_EMAIL, password };
}
