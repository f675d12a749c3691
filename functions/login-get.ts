import { startLogin, type StartLoginDeps } from '../shared/flows/login';
import { withPasskeyPrompt } from '../shared/flows/passkey-options';
import { formRoute } from '../shared/http/form-route';
import type { RouteDeps } from '../shared/http/pipeline';
import { readBrowserSessionWhenReady } from '../shared/http/session-cookie';
import { loginPage } from '../shared/views/pages';
import { startLoginDeps } from '../shared/wiring';

/** GET /login?login_challenge=…: accept a remembered, still-active user, or show the form. */
export const loginGet = (deps: StartLoginDeps & RouteDeps) =>
  formRoute('GET', 'login', deps, loginPage, async ({ challenge, request, ready }, deps) =>
    withPasskeyPrompt(
      await startLogin(
        deps,
        challenge,
        readBrowserSessionWhenReady(request, ready, () => deps.web),
      ),
      deps.passkeys,
      ready,
      () => deps.web.secret,
      challenge,
    ),
  );

export const handler = loginGet(startLoginDeps());
