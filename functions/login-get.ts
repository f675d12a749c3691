import { startLogin } from '../shared/flows/login';
import { route } from '../shared/http/pipeline';
import { respond } from '../shared/http/render';
import { challengeFrom } from '../shared/http/request';
import { startLoginDeps } from '../shared/services/start-login';
import { loginPage } from '../shared/views/pages';

/** GET /login?login_challenge=…: accept a remembered, still-active user, or show the form. */
export const handler = route('GET', async (request) => {
  const challenge = challengeFrom(request.query, 'login_challenge');
  const outcome = await startLogin(startLoginDeps(), challenge);
  return respond(request, outcome, 'login', challenge, (view, form) =>
    loginPage({ ...view, ...form }),
  );
});
