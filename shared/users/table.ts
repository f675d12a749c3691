/**
 * The one definition of the users table: its key, its prefixes, its attributes of its own, and
 * the builders of every key and item. Nothing else spells a key or a prefix. A single table with
 * a string partition key `pk`:
 *   email#<email>   the user (id, email, enabled, passwordHash, timestamps, profile) and its
 *                   `revision`. Keyed by the normalized identifier, so one conditional Put makes
 *                   it unique atomically and a sign-in needs a single read.
 *   user#<id>       the same user, a copy: finds a user by subject (Hydra's skip path, the token
 *                   hook, the CLI) in a single read.
 *   throttle#<kind>#<window start>#…   sign-in and device code throttle counters (./dynamo-counters)
 *   login#<sid>     { subject, authenticatedAt }: when Hydra's remembered login session `sid`
 *                   was authenticated (./login-sessions)
 *   token#<sha256 of the token>   a link mailed to a user (reset, verify, signup): its purpose,
 *                   email, subject, validUntil (checked in code), usedAt once consumed
 *                   (./email-tokens). The token itself is never stored.
 *   factors#<id>    the user's second factors, one attribute per credential (`totp`, the
 *                   `recoveryCodes` set; passkeys to come as a map of credentials), each changed
 *                   by its own conditional update: one read tells a sign-in all of them (./factors)
 * Counters and login sessions carry `expiresAt` (epoch seconds): the code checks it, DynamoDB
 * TTL only cleans up.
 *
 * The two items of a user (no transactions: dynalite, the embedded server of local runs and
 * tests, has none), in a fixed order, so that a copy under the id exists only while the user's
 * email item does:
 *   - create writes the email item (the uniqueness claim), then the id item;
 *   - a change goes to the id item first (the one place changes are ordered: `revision` + 1),
 *     then the whole user at that revision over the email item, if that one is older;
 *   - delete removes the id item, then the email item.
 * Stopped half-way, the user is found by email and not by id, or its email item is behind its
 * id item: `users repair <email>` (or the same change again) makes them one again.
 * Tables from before the copies hold `user#<id>` → { email } (a pointer): it is followed (a
 * second read) and replaced by the copy on the way (./dynamo-store).
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { User } from './types';

export const PARTITION_KEY = 'pk';
export const TTL_ATTRIBUTE = 'expiresAt';
/** The number of changes a user's items have seen (0 on items from before it was kept). */
export const REVISION_ATTRIBUTE = 'revision';

export const KEY_PREFIX = {
  email: 'email#',
  user: 'user#',
  loginSession: 'login#',
  factors: 'factors#',
  throttle: 'throttle#',
  health: 'health#',
  emailToken: 'token#',
} as const;

/** The key GET /health reads (an item that need not exist): its IAM grant names only this key. */
export const HEALTH_PROBE_KEY = `${KEY_PREFIX.health}probe`;

/** An item as the document client reads and writes it. */
export type Item = Record<string, unknown>;

export const emailKey = (normalizedEmail: string) => `${KEY_PREFIX.email}${normalizedEmail}`;
export const userKey = (id: string) => `${KEY_PREFIX.user}${id}`;
export const loginSessionKey = (sid: string) => `${KEY_PREFIX.loginSession}${sid}`;
/** `hash`: the SHA-256 of a mailed token (base64url); never the token. */
export const emailTokenKey = (hash: string) => `${KEY_PREFIX.emailToken}${hash}`;
export const factorsKey = (userId: string) => `${KEY_PREFIX.factors}${userId}`;

export type ThrottleCounterKind =
  | 'source'
  | 'ip'
  | 'account'
  | 'device'
  /** Second-factor codes (TOTP, recovery): the same four counters as passwords, apart. */
  | 'factor-source'
  | 'factor-ip'
  | 'factor-account'
  | 'factor-device'
  /** Device user codes tried from one source IP (shared/throttle/user-codes.ts). */
  | 'code-ip'
  /** Device user codes tried for one device challenge (a digest of it, never the challenge). */
  | 'code-challenge'
  /** Mails asked for to one address (a keyed tag of it), whether or not it has an account. */
  | 'mail-address'
  /** Mails asked for from one source IP. */
  | 'mail-ip';
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

/** A user's attributes at a revision, as both of its items hold them. */
export function userAttributes(user: User, revision: number): Item {
  return { ...user, [REVISION_ATTRIBUTE]: revision };
}

/** The items a user is written as, in the order they are written: its email item, its id item. */
export function userItems(user: User, revision = 1): [Item, Item] {
  return [
    { ...keyOf(emailKey(user.email)), ...userAttributes(user, revision) },
    { ...keyOf(userKey(user.id)), ...userAttributes(user, revision) },
  ];
}

/** The user an item holds (without the table's own attributes); undefined for any other item. */
export function userOf(item: Item | undefined): User | undefined {
  if (!item || typeof item.id !== 'string') return undefined;
  const {
    [PARTITION_KEY]: _key,
    [REVISION_ATTRIBUTE]: _revision,
    ...user
  } = item as unknown as User & Item;
  return { ...user, profile: user.profile ?? {} };
}

export function revisionOf(item: Item | undefined): number {
  const revision = item?.[REVISION_ATTRIBUTE];
  return typeof revision === 'number' ? revision : 0;
}

/** The email an id item from before the copies points to (`{ email }`, no user); else undefined. */
export function pointerOf(item: Item | undefined): string | undefined {
  if (!item || item.id !== undefined || typeof item.email !== 'string') return undefined;
  return item.email;
}

/** An id item as tables from before the copies hold it. */
export function pointerItem(user: Pick<User, 'id' | 'email'>): Item {
  return { ...keyOf(userKey(user.id)), email: user.email };
}

/**
 * Thrown by every adapter of the table (users, login sessions, throttle counters) when it cannot
 * answer: unreachable, throttled after the client's retries, a missing table. Sign-in fails closed.
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
