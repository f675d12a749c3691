import { openReset } from '../shared/flows/recovery';
import type { RouteDeps } from '../shared/http/pipeline';
import type { EmailTokens } from '../shared/users/email-tokens';
import { LINK_TOKEN, selfServiceRoute } from '../shared/http/self-service-route';
import { resetPage } from '../shared/views/self-service';
import { linkPageDeps, type Offered } from '../shared/wiring';

/** GET /recovery/reset?token=…: the new-password form while the link works. Changes nothing. */
export const resetGet = (deps: { tokens: Pick<EmailTokens, 'find'> } & RouteDeps & Offered) =>
  selfServiceRoute(deps, {
    method: 'GET',
    purpose: 'reset',
    binding: LINK_TOKEN,
    offered: (deps) => deps.offered,
    page: resetPage,
    handle: ({ bound }, deps) => openReset(deps, bound),
  });

export const handler = resetGet(linkPageDeps());
