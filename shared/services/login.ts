import { config } from '../config';
import type { LoginDeps } from '../flows/login';
import { hydraAdmin } from './hydra';
import { loginThrottle, passwordHasher, userStore } from './users';

export function loginDeps(): LoginDeps {
  const { loginRememberForSeconds, accessTokenClaims } = config();
  return {
    hydra: hydraAdmin(),
    users: userStore(),
    passwords: passwordHasher(),
    throttle: loginThrottle(),
    rememberForSeconds: loginRememberForSeconds,
    accessTokenClaims,
  };
}
