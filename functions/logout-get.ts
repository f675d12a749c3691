import { startLogout } from '../shared/flows/logout';
import { route } from '../shared/http/pipeline';
import { respond } from '../shared/http/render';
import { challengeFrom } from '../shared/http/request';
import { hydraAdmin } from '../shared/services/hydra';
import { logoutView } from '../shared/views/logout';

/** GET /logout?logout_challenge=…: ask before signing out (unless the client is trusted to skip). */
export const handler = route('GET', async (request) => {
  const challenge = challengeFrom(request.query, 'logout_challenge');
  const outcome = await startLogout({ hydra: hydraAdmin() }, challenge);
  return respond(request, outcome, 'logout', challenge, logoutView);
});
