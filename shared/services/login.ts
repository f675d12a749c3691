import { config } from '../config';
import type { LoginDeps } from '../flows/login';
import { createIdentifierTags, type IdentifierTags } from '../users/tags';
import { hydraAdmin } from './hydra';
import { loginSessions, loginThrottle, passwordHasher, userStore } from './users';

let tags: IdentifierTags | undefined;

/** Keyed tags of identifiers (throttle keys, device cookies, logs), from the cookie secret. */
export function identifierTags(): IdentifierTags {
  return (tags ??= createIdentifierTags(config().cookieSecret));
}

export function loginDeps(): LoginDeps {
  const { loginRememberForSeconds, accessTokenClaims } = config();
  return {
    hydra: hydraAdmin(),
    users: userStore(),
    passwords: passwordHasher(),
    throttle: loginThrottle(),
    loginSessions: loginSessions(),
    tags: identifierTags(),
    rememberForSeconds: loginRememberForSeconds,
    accessTokenClaims,
  };
}
