import { startLogout, type LogoutDeps } from '../shared/flows/logout';
import { formRoute } from '../shared/http/form-route';
import type { RouteDeps } from '../shared/http/pipeline';
import { logoutPage } from '../shared/views/pages';
import { logoutDeps } from '../shared/wiring';

/** GET /logout?logout_challenge=…: ask before signing out (unless the client is trusted to skip). */
export const logoutGet = (deps: LogoutDeps & RouteDeps) =>
  formRoute('GET', 'logout', deps, logoutPage, ({ challenge }, deps) =>
    startLogout(deps, challenge),
  );

export const handler = logoutGet(logoutDeps());
