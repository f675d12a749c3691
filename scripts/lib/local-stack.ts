/**
 * What `npm start` leaves on this machine while it runs: the stack's description (so the users
 * CLI finds its table and Hydra), and the demo user it signs in with.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { localUserStore } from './dynamo';
import { DATA_DIR } from './paths';

/** Where `npm start` says what it runs (a LocalStack), so the users CLI finds it. */
export const LOCAL_STACK_FILE = join(DATA_DIR, 'local-stack.json');

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

export const DEMO_EMAIL = 'demo@example.com';

/** The demo user of `npm start`: created with a random password the first time (returned once). */
export async function ensureDemoUser(
  endpoint: string,
): Promise<{ email: string; password?: string }> {
  const store = localUserStore(endpoint);
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
