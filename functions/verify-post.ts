import { confirmVerification, type VerifyDeps } from '../shared/flows/verification';
import type { RouteDeps } from '../shared/http/pipeline';
import { LINK_TOKEN, selfServiceRoute } from '../shared/http/self-service-route';
import { verifyPage } from '../shared/views/self-service';
import { verifyDeps, type Offered } from '../shared/wiring';

/** POST /verify: uses the link up and marks the address verified. */
export const verifyPost = (deps: VerifyDeps & RouteDeps & Offered) =>
  selfServiceRoute(deps, {
    method: 'POST',
    purpose: 'verify',
    binding: LINK_TOKEN,
    offered: (deps) => deps.offered,
    page: verifyPage,
    handle: ({ bound }, deps) => confirmVerification(deps, bound),
  });

export const handler = verifyPost(verifyDeps());
