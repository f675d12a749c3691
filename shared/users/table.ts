/**
 * The one definition of the users table. A single table with a string partition key `pk`:
 *   email#<email>   the user (id, email, enabled, passwordHash, timestamps, profile). Keyed by
 *                   the normalized identifier, so one conditional Put makes it unique atomically
 *                   and a sign-in needs a single read.
 *   user#<id>       { email }: finds a user by subject (Hydra's skip path, the CLI)
 *   throttle#<kind>#<window start>#…   sign-in throttle counters (see shared/throttle)
 *   login#<sid>     { subject, authenticatedAt }: when Hydra's remembered login session `sid`
 *                   was authenticated (see shared/users/login-sessions.ts)
 * Counters and login sessions carry `expiresAt` (epoch seconds): the code checks it, DynamoDB
 * TTL only cleans up.
 * (No transactions: dynalite, the embedded server of local runs and tests, has none.)
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export const PARTITION_KEY = 'pk';
export const TTL_ATTRIBUTE = 'expiresAt';

export const userKey = (id: string) => `user#${id}`;
export const emailKey = (normalizedEmail: string) => `email#${normalizedEmail}`;
export const EMAIL_KEY_PREFIX = 'email#';
export const loginSessionKey = (sid: string) => `login#${sid}`;

export type ThrottleCounterKind = 'source' | 'ip' | 'account' | 'device';
export const throttleCounterKey = (
  kind: ThrottleCounterKind,
  windowStart: number,
  ...parts: string[]
) => `throttle#${kind}#${windowStart}#${parts.join('#')}`;

/** The same table serverless.yml declares (its resource is the deployed truth). */
export function createTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: PARTITION_KEY, AttributeType: 'S' }],
    KeySchema: [{ AttributeName: PARTITION_KEY, KeyType: 'HASH' }],
  };
}
