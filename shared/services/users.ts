import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../config';
import { DynamoThrottleCounters } from '../users/dynamo-counters';
import { createLoginThrottle, type LoginThrottle } from '../throttle/throttle';
import { createDocumentClient, DynamoUserStore } from '../users/dynamo-store';
import { DynamoLoginSessions, type LoginSessions } from '../users/login-sessions';
import { createPasswordHasher, type PasswordHasher } from '../users/password';
import type { UserStore } from '../users/types';

let hasher: PasswordHasher | undefined;
let store: UserStore | undefined;
let reader: Pick<UserStore, 'findById'> | undefined;
let throttle: LoginThrottle | undefined;
let sessions: LoginSessions | undefined;
let client: DynamoDBDocumentClient | undefined;

function documentClient(): DynamoDBDocumentClient {
  const { dynamodbEndpoint, awsRegion } = config();
  return (client ??= createDocumentClient({ endpoint: dynamodbEndpoint, region: awsRegion }));
}

export function passwordHasher(): PasswordHasher {
  const { argon2, passwordPepper } = config();
  return (hasher ??= createPasswordHasher(argon2, passwordPepper));
}

/** The DynamoDB user store of this process, made once (its client keeps connections alive). */
export function userStore(): UserStore {
  return (store ??= new DynamoUserStore({
    client: documentClient(),
    tableName: config().usersTable,
    hasher: passwordHasher(),
  }));
}

/**
 * Users by id, for the token hook: the same store and table, made without the password hasher,
 * so argon2 (a native module) is neither in that function's package nor loaded. It only reads.
 */
export function userReader(): Pick<UserStore, 'findById'> {
  return (reader ??= new DynamoUserStore({
    client: documentClient(),
    tableName: config().usersTable,
    hasher: READ_ONLY,
  }));
}

/** The hasher of a store that only reads: any password work is a bug, refused loudly. */
const READ_ONLY: PasswordHasher = {
  hash: () => Promise.reject(new Error('this user store only reads')),
  verify: () => Promise.resolve(false),
  verifyDummy: () => Promise.resolve(false),
  needsRehash: () => false,
};

export function loginThrottle(): LoginThrottle {
  return (throttle ??= createLoginThrottle(
    new DynamoThrottleCounters(documentClient(), config().usersTable),
    config().throttle,
  ));
}

/** When each remembered login session began (the remembered-login check). */
export function loginSessions(): LoginSessions {
  return (sessions ??= new DynamoLoginSessions(documentClient(), config().usersTable));
}
