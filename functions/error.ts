import { brandOf, route, type RouteDeps } from '../shared/http/pipeline';
import { pageTranslator } from '../shared/http/language';
import { pageResponse } from '../shared/http/response';
import { hydraErrorPage } from '../shared/views/hydra-error';
import { messagePage } from '../shared/views/pages';
import { pageDeps } from '../shared/wiring';

/**
 * GET /error: Hydra's error redirect. The page says our own fixed words for the `error` code, with
 * the status for it (see shared/views/hydra-error.ts); what the URL says, escaped, is only under
 * "Technical details".
 */
export const errorPage = (deps: RouteDeps) =>
  route('GET', deps, (request, deps) => {
    const { query } = request;
    const { status, view } = hydraErrorPage({
      error: query.one('error'),
      description: query.one('error_description'),
      hint: query.one('error_hint'),
    });
    const t = pageTranslator(request.headers);
    return pageResponse(status, messagePage(view, t, brandOf(deps)), t);
  });

export const handler = errorPage(pageDeps());
