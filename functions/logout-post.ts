import { submitLogout, type LogoutDeps } from '../shared/flows/logout';
import { formRoute } from '../shared/http/form-route';
import type { RouteDeps } from '../shared/http/pipeline';
import { logoutPage } from '../shared/views/pages';
import { logoutDeps } from '../shared/wiring';

/** POST /logout: sign out, or stay signed in. */
export const logoutPost = (deps: LogoutDeps & RouteDeps) =>
  formRoute('POST', 'logout', deps, logoutPage, ({ challenge, form }, deps) =>
    submitLogout(deps, challenge, form.choice('action', ['logout', 'stay'])),
  );

export const handler = logoutPost(logoutDeps());
