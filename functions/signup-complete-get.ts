import { openSignUp, type CompleteSignUpDeps } from '../shared/flows/signup';
import type { RouteDeps } from '../shared/http/pipeline';
import { LINK_TOKEN, selfServiceRoute } from '../shared/http/self-service-route';
import { completeSignUpPage } from '../shared/views/self-service';
import { completeSignUpDeps, type Offered } from '../shared/wiring';

/** GET /signup/complete?token=…: a name and a password, while the link works. */
export const completeSignUpGet = (deps: CompleteSignUpDeps & RouteDeps & Offered) =>
  selfServiceRoute(deps, {
    method: 'GET',
    purpose: 'signup-complete',
    binding: LINK_TOKEN,
    offered: (deps) => deps.offered,
    page: completeSignUpPage,
    handle: ({ bound }, deps) => openSignUp(deps, bound),
  });

export const handler = completeSignUpGet(completeSignUpDeps());
