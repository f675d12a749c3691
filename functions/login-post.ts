import { submitLogin, type LoginDeps } from '../shared/flows/login';
import { withPasskeyPrompt } from '../shared/flows/passkey-options';
import { readDevice } from '../shared/http/device-cookie';
import { formRoute } from '../shared/http/form-route';
import type { RouteDeps } from '../shared/http/pipeline';
import { loginPage } from '../shared/views/pages';
import { loginDeps } from '../shared/wiring';

/** POST /login: the sign-in form (or its cancel button). */
export const loginPost = (deps: LoginDeps & RouteDeps) =>
  formRoute('POST', 'login', deps, loginPage, async ({ challenge, form, request, ready }, deps) =>
    withPasskeyPrompt(
      await submitLogin(deps, challenge, {
        action: form.choice('action', ['login', 'cancel'], 'login'),
        identifier: form.one('identifier') ?? '',
        password: form.one('password') ?? '',
        remember: form.one('remember') === '1',
        sourceIp: request.sourceIp,
        device: readDevice(request, deps.web),
      }),
      deps.passkeys,
      ready,
      () => deps.web.secret,
      challenge,
    ),
  );

export const handler = loginPost(loginDeps());
