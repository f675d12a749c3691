import { brandOf, route, type RouteDeps } from '../shared/http/pipeline';
import { pageTranslator } from '../shared/http/language';
import { pageResponse } from '../shared/http/response';
import { signedOutPage } from '../shared/views/pages';
import { pageDeps } from '../shared/wiring';

/**
 * GET /signed-out: Hydra's default post-logout destination (`urls.post_logout_redirect`), where
 * a sign-out ends when the application named no `post_logout_redirect_uri`. Hydra sends nothing
 * with it, so the page reads nothing and calls nothing: it says the sign-out is done.
 */
export const signedOut = (deps: RouteDeps) =>
  route('GET', deps, (request, deps) => {
    const t = pageTranslator(request.headers);
    return pageResponse(200, signedOutPage(t, brandOf(deps)), t);
  });

export const handler = signedOut(pageDeps());
