import { openSignUp } from '../shared/flows/signup';
import type { RouteDeps } from '../shared/http/pipeline';
import type { EmailTokens } from '../shared/users/email-tokens';
import { LINK_TOKEN, selfServiceRoute } from '../shared/http/self-service-route';
import { completeSignUpPage } from '../shared/views/self-service';
import { linkPageDeps, type Offered } from '../shared/wiring';

/** GET /signup/complete?token=…: a name and a password, while the link works. */
export const completeSignUpGet = (
  deps: { tokens: Pick<EmailTokens, 'find'> } & RouteDeps & Offered,
) =>
  selfServiceRoute(deps, {
    method: 'GET',
    purpose: 'signup-complete',
    binding: LINK_TOKEN,
    offered: (deps) => deps.offered,
    page: completeSignUpPage,
    handle: ({ bound }, deps) => openSignUp(deps, bound),
  });

export const handler = completeSignUpGet(
  linkPageDeps(undefined, (config) => config.signUp.mode !== 'off'),
);
