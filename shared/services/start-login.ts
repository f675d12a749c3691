import { config } from '../config';
import type { StartLoginDeps } from '../flows/login';
import type { LoginSessions } from '../users/login-sessions';
import type { UserStore } from '../users/types';
import { hydraAdmin } from './hydra';

/**
 * The user store and login sessions, loaded on first use: GET /login's form (the common case)
 * reads no user, so its cold start does without the AWS SDK (tens of milliseconds); only Hydra's
 * `skip` path loads it.
 */
const users: Pick<UserStore, 'findById'> = {
  findById: async (id) => (await import('./users')).userStore().findById(id),
};
const loginSessions: Pick<LoginSessions, 'find'> = {
  find: async (sid) => (await import('./users')).loginSessions().find(sid),
};

/** GET /login's dependencies. */
export function startLoginDeps(): StartLoginDeps {
  return {
    hydra: hydraAdmin(),
    users,
    loginSessions,
    accessTokenClaims: config().accessTokenClaims,
  };
}
