import { config } from '../config';
import type { TokenHookDeps } from '../flows/token-hook';
import { userReader } from './users';

/** POST /token-hook's dependencies: every call reads its user, so the store is made at once. */
export function tokenHookDeps(): TokenHookDeps {
  return { users: userReader(), accessTokenClaims: config().accessTokenClaims };
}
