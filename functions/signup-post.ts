import { requestSignUp, type SignUpDeps } from '../shared/flows/signup';
import type { RouteDeps } from '../shared/http/pipeline';
import { LOGIN_CHALLENGE, selfServiceRoute } from '../shared/http/self-service-route';
import { signUpPage } from '../shared/views/self-service';
import { signUpDeps, type Offered } from '../shared/wiring';

/** POST /signup: "check your inbox", for a new address and one that has an account alike. */
export const signUpPost = (deps: SignUpDeps & RouteDeps & Offered) =>
  selfServiceRoute(deps, {
    method: 'POST',
    purpose: 'signup',
    binding: LOGIN_CHALLENGE,
    offered: (deps) => deps.offered,
    page: signUpPage,
    handle: ({ bound, form, request, locale }, deps) =>
      requestSignUp(deps, {
        email: form.one('email') ?? '',
        loginChallenge: bound || undefined,
        sourceIp: request.sourceIp,
        locale,
      }),
  });

export const handler = signUpPost(signUpDeps());
