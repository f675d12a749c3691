import { confirmVerification, type VerifyDeps } from '../shared/flows/verification';
import type { RouteDeps } from '../shared/http/pipeline';
import { LINK_TOKEN, selfServiceRoute } from '../shared/http/self-service-route';
import { verifyPage } from '../shared/views/self-service';
import { verifyDeps, type Offered } from '../shared/wiring';

/** POST /verify: uses the link up and marks the address verified (or, an email change's, moves the account to it). */
export const verifyPost = (deps: VerifyDeps & RouteDeps & Offered) =>
  selfServiceRoute(deps, {
    method: 'POST',
    purpose: 'verify',
    binding: LINK_TOKEN,
    offered: (deps) => deps.offered,
    page: verifyPage,
    handle: ({ bound, locale }, deps) => confirmVerification(deps, bound, locale),
  });

export const handler = verifyPost(verifyDeps());
