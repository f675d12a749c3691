import { completeSignUp, type CompleteSignUpDeps } from '../shared/flows/signup';
import type { RouteDeps } from '../shared/http/pipeline';
import { LINK_TOKEN, selfServiceRoute } from '../shared/http/self-service-route';
import { completeSignUpPage } from '../shared/views/self-service';
import { completeSignUpDeps, type Offered } from '../shared/wiring';

/** POST /signup/complete: uses the link up and creates the account, its email verified. */
export const completeSignUpPost = (deps: CompleteSignUpDeps & RouteDeps & Offered) =>
  selfServiceRoute(deps, {
    method: 'POST',
    purpose: 'signup-complete',
    binding: LINK_TOKEN,
    offered: (deps) => deps.offered,
    page: completeSignUpPage,
    handle: ({ bound, form }, deps) =>
      completeSignUp(deps, bound, {
        password: form.one('password') ?? '',
        name: form.one('name') ?? '',
      }),
  });

export const handler = completeSignUpPost(completeSignUpDeps());
