import { startLogin, type StartLoginDeps } from '../shared/flows/login';
import { formRoute } from '../shared/http/form-route';
import { offeringPasskey } from '../shared/http/passkey-prompt';
import type { RouteDeps } from '../shared/http/pipeline';
import { readBrowserSessionWhenReady } from '../shared/http/session-cookie';
import { loginPage } from '../shared/views/pages';
import { startLoginDeps } from '../shared/wiring';

/** GET /login?login_challenge=…: accept a remembered, still-active user, or show the form. */
export const loginGet = (deps: StartLoginDeps & RouteDeps) =>
  formRoute(
    'GET',
    'login',
    deps,
    loginPage,
    offeringPasskey(({ challenge, request, ready }, deps) =>
      startLogin(
        deps,
        challenge,
        readBrowserSessionWhenReady(request, ready, () => deps.web),
      ),
    ),
  );

export const handler = loginGet(startLoginDeps());
