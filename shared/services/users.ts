import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../config';
import { DynamoThrottleCounters } from '../throttle/dynamo-counters';
import { createLoginThrottle, type LoginThrottle } from '../throttle/throttle';
import { createDocumentClient, DynamoUserStore } from '../users/dynamo-store';
import { DynamoLoginSessions, type LoginSessions } from '../users/login-sessions';
import { createPasswordHasher, type PasswordHasher } from '../users/password';
import type { UserStore } from '../users/types';

let hasher: PasswordHasher | undefined;
let store: UserStore | undefined;
let throttle: LoginThrottle | undefined;
let sessions: LoginSessions | undefined;
let client: DynamoDBDocumentClient | undefined;

function documentClient(): DynamoDBDocumentClient {
  return (client ??= createDocumentClient({ endpoint: config().dynamodbEndpoint }));
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
