import { startLogin, type StartLoginDeps } from '../shared/flows/login';
import { route, type RouteDeps } from '../shared/http/pipeline';
import { respond } from '../shared/http/render';
import { challengeFrom } from '../shared/http/request';
import { loginPage } from '../shared/views/pages';
import { startLoginDeps } from '../shared/wiring';

/** GET /login?login_challenge=…: accept a remembered, still-active user, or show the form. */
export const loginGet = (deps: StartLoginDeps & RouteDeps) =>
  route('GET', deps, async (request, deps) => {
    const challenge = challengeFrom(request.query, 'login_challenge');
    const outcome = await startLogin(deps, challenge);
    return respond(request, deps.web, outcome, 'login', challenge, (view, form) =>
      loginPage({ ...view, ...form }),
    );
  });

export const handler = loginGet(startLoginDeps());
