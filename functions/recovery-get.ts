import { startRecovery } from '../shared/flows/recovery';
import type { RouteDeps } from '../shared/http/pipeline';
import { LOGIN_CHALLENGE, selfServiceRoute } from '../shared/http/self-service-route';
import { recoveryPage } from '../shared/views/self-service';
import { selfServiceFormDeps, type Offered } from '../shared/wiring';

/** GET /recovery?login_challenge=…: "forgot password?", the email form. Reads nothing. */
export const recoveryGet = (deps: RouteDeps & Offered) =>
  selfServiceRoute(deps, {
    method: 'GET',
    purpose: 'recovery',
    binding: LOGIN_CHALLENGE,
    offered: (deps) => deps.offered,
    page: recoveryPage,
    handle: () => Promise.resolve(startRecovery()),
  });

export const handler = recoveryGet(selfServiceFormDeps());
