import { submitReset, type ResetDeps } from '../shared/flows/recovery';
import type { RouteDeps } from '../shared/http/pipeline';
import { LINK_TOKEN, selfServiceRoute } from '../shared/http/self-service-route';
import { resetPage } from '../shared/views/self-service';
import { resetDeps, type Offered } from '../shared/wiring';

/** POST /recovery/reset: uses the link up, sets the password, ends every session. */
export const resetPost = (deps: ResetDeps & RouteDeps & Offered) =>
  selfServiceRoute(deps, {
    method: 'POST',
    purpose: 'reset',
    binding: LINK_TOKEN,
    offered: (deps) => deps.offered,
    page: resetPage,
    handle: ({ bound, form, locale }, deps) =>
      submitReset(deps, bound, { password: form.one('password') ?? '', locale }),
  });

export const handler = resetPost(resetDeps());
