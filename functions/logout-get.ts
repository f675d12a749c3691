import { startLogout, type StartLogoutDeps } from '../shared/flows/logout';
import { formRoute } from '../shared/http/form-route';
import type { RouteDeps } from '../shared/http/pipeline';
import { logoutPage } from '../shared/views/pages';
import { logoutQuestionDeps } from '../shared/wiring';

/**
 * GET /logout?logout_challenge=…: ask before signing out, naming the account (unless the client is
 * trusted to skip).
 */
export const logoutGet = (deps: StartLogoutDeps & RouteDeps) =>
  formRoute('GET', 'logout', deps, logoutPage, ({ challenge }, deps) =>
    startLogout(deps, challenge),
  );

export const handler = logoutGet(logoutQuestionDeps());
