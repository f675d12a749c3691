import { requestRecovery, type RecoveryDeps } from '../shared/flows/recovery';
import type { RouteDeps } from '../shared/http/pipeline';
import { LOGIN_CHALLENGE, selfServiceRoute } from '../shared/http/self-service-route';
import { recoveryPage } from '../shared/views/self-service';
import { recoveryDeps, type Offered } from '../shared/wiring';

/** POST /recovery: "check your inbox", whether or not the address has an account. */
export const recoveryPost = (deps: RecoveryDeps & RouteDeps & Offered) =>
  selfServiceRoute(deps, {
    method: 'POST',
    purpose: 'recovery',
    binding: LOGIN_CHALLENGE,
    offered: (deps) => deps.offered,
    page: recoveryPage,
    handle: ({ bound, form, request, locale }, deps) =>
      requestRecovery(deps, {
        email: form.one('email') ?? '',
        loginChallenge: bound || undefined,
        sourceIp: request.sourceIp,
        locale,
      }),
  });

export const handler = recoveryPost(recoveryDeps());
