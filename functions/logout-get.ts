import { startLogout, type LogoutDeps } from '../shared/flows/logout';
import { route, type RouteDeps } from '../shared/http/pipeline';
import { respond } from '../shared/http/render';
import { challengeFrom } from '../shared/http/request';
import { logoutView } from '../shared/views/logout';
import { logoutDeps } from '../shared/wiring';

/** GET /logout?logout_challenge=…: ask before signing out (unless the client is trusted to skip). */
export const logoutGet = (deps: LogoutDeps & RouteDeps) =>
  route('GET', deps, async (request, deps) => {
    const challenge = challengeFrom(request.query, 'logout_challenge');
    const outcome = await startLogout(deps, challenge);
    return respond(request, deps.web, outcome, 'logout', challenge, logoutView);
  });

export const handler = logoutGet(logoutDeps());
