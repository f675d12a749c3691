/**
 * The one definition of the users table: its key, its prefixes, its TTL attribute, and the
 * builders of every key and item. Nothing else spells a key or a prefix. A single table with a
 * string partition key `pk`:
 *   email#<email>   the user (id, email, enabled, passwordHash, timestamps, profile). Keyed by
 *                   the normalized identifier, so one conditional Put makes it unique atomically
 *                   and a sign-in needs a single read.
 *   user#<id>       { email }: finds a user by subject (Hydra's skip path, the CLI)
 *   throttle#<kind>#<window start>#…   sign-in throttle counters (./dynamo-counters)
 *   login#<sid>     { subject, authenticatedAt }: when Hydra's remembered login session `sid`
 *                   was authenticated (./login-sessions)
 * Counters and login sessions carry `expiresAt` (epoch seconds): the code checks it, DynamoDB
 * TTL only cleans up.
 * (No transactions: dynalite, the embedded server of local runs and tests, has none.)
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { User } from './types';

export const PARTITION_KEY = 'pk';
export const TTL_ATTRIBUTE = 'expiresAt';

export const KEY_PREFIX = {
  email: 'email#',
  user: 'user#',
  loginSession: 'login#',
  throttle: 'throttle#',
} as const;

/** An item as the document client reads and writes it. */
export type Item = Record<string, unknown>;

export const emailKey = (normalizedEmail: string) => `${KEY_PREFIX.email}${normalizedEmail}`;
export const userKey = (id: string) => `${KEY_PREFIX.user}${id}`;
export const loginSessionKey = (sid: string) => `${KEY_PREFIX.loginSession}${sid}`;

export type ThrottleCounterKind = 'source' | 'ip' | 'account' | 'device';
/** Where the keys of one kind of counter begin. */
export const throttleCounterPrefix = (kind: ThrottleCounterKind) =>
  `${KEY_PREFIX.throttle}${kind}#`;
export const throttleCounterKey = (
  kind: ThrottleCounterKind,
  windowStart: number,
  ...parts: string[]
) => `${throttleCounterPrefix(kind)}${windowStart}#${parts.join('#')}`;

/** The `Key` of a command for the item under `key`. */
export const keyOf = (key: string): Item => ({ [PARTITION_KEY]: key });

/** The partition key of an item, if it has one. */
export function partitionKeyOf(item: Item | undefined): string | undefined {
  const key = item?.[PARTITION_KEY];
  return typeof key === 'string' ? key : undefined;
}

/** A condition that holds only while there is no item under the key. */
export const IS_NEW = `attribute_not_exists(${PARTITION_KEY})`;

/** The items a new user is written as, in the order they are written. */
export function userItems(user: User): [Item, Item] {
  return [
    { ...keyOf(emailKey(user.email)), ...user },
    { ...keyOf(userKey(user.id)), email: user.email },
  ];
}

/** The user an item holds (without the table's own attributes); undefined for any other item. */
export function userOf(item: Item | undefined): User | undefined {
  if (!item || typeof item.id !== 'string') return undefined;
  const { [PARTITION_KEY]: _key, ...user } = item as unknown as User & Item;
  return { ...user, profile: user.profile ?? {} };
}

/**
 * Thrown by every adapter of the table (users, login sessions, throttle counters) when it cannot
 * answer: unreachable, throttled after the SDK's retries, a missing table. Sign-in fails closed.
 */
export class TableUnavailableError extends Error {
  constructor(cause: unknown) {
    super('the users table is unavailable', { cause });
    this.name = 'TableUnavailableError';
  }
}

/** The same table serverless.yml declares (its resource is the deployed truth). */
export function createTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: PARTITION_KEY, AttributeType: 'S' }],
    KeySchema: [{ AttributeName: PARTITION_KEY, KeyType: 'HASH' }],
  };
}
