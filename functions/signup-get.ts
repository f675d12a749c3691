import { startSignUp, type SignUpDeps } from '../shared/flows/signup';
import type { RouteDeps } from '../shared/http/pipeline';
import { LOGIN_CHALLENGE, selfServiceRoute } from '../shared/http/self-service-route';
import { signUpPage } from '../shared/views/self-service';
import { selfServiceFormDeps, type Offered } from '../shared/wiring';

/** GET /signup?login_challenge=…: "create an account", the email form (404 while SIGNUP is off). */
export const signUpGet = (deps: Pick<SignUpDeps, 'policy'> & RouteDeps & Offered) =>
  selfServiceRoute(deps, {
    method: 'GET',
    purpose: 'signup',
    binding: LOGIN_CHALLENGE,
    offered: (deps) => deps.policy.mode !== 'off',
    page: signUpPage,
    handle: (_, deps) => Promise.resolve(startSignUp(deps)),
  });

export const handler = signUpGet(selfServiceFormDeps());
