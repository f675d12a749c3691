import { route } from '../shared/http/pipeline';
import { pageResponse } from '../shared/http/response';
import { hydraErrorView } from '../shared/views/hydra-error';
import { messagePage } from '../shared/views/pages';

/** GET /error: Hydra's error redirect, shown in plain words; everything in it is escaped. */
export const handler = route('GET', async (request) => {
  const { query } = request;
  const view = hydraErrorView({
    error: query.one('error'),
    description: query.one('error_description'),
    hint: query.one('error_hint'),
  });
  return pageResponse(200, messagePage(view));
});
