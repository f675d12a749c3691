import { openVerification } from '../shared/flows/verification';
import type { RouteDeps } from '../shared/http/pipeline';
import type { EmailTokens } from '../shared/users/email-tokens';
import { LINK_TOKEN, selfServiceRoute } from '../shared/http/self-service-route';
import { verifyPage } from '../shared/views/self-service';
import { linkPageDeps, type Offered } from '../shared/wiring';

/** GET /verify?token=…: "confirm that this is your address" (a button: scanners open links). */
export const verifyGet = (deps: { tokens: Pick<EmailTokens, 'find'> } & RouteDeps & Offered) =>
  selfServiceRoute(deps, {
    method: 'GET',
    purpose: 'verify',
    binding: LINK_TOKEN,
    offered: (deps) => deps.offered,
    page: verifyPage,
    handle: ({ bound }, deps) => openVerification(deps, bound),
  });

export const handler = verifyGet(linkPageDeps());
