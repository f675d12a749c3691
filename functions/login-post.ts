import { submitLogin, type LoginDeps } from '../shared/flows/login';
import { readDevice } from '../shared/http/device-cookie';
import { formRoute } from '../shared/http/form-route';
import { offeringPasskey } from '../shared/http/passkey-prompt';
import type { RouteDeps } from '../shared/http/pipeline';
import { loginPage } from '../shared/views/pages';
import { loginDeps } from '../shared/wiring';

/** POST /login: the sign-in form (or its cancel button). */
export const loginPost = (deps: LoginDeps & RouteDeps) =>
  formRoute(
    'POST',
    'login',
    deps,
    loginPage,
    offeringPasskey(({ challenge, form, request }, deps) =>
      submitLogin(deps, challenge, {
        action: form.choice('action', ['login', 'cancel'], 'login'),
        identifier: form.one('identifier') ?? '',
        password: form.one('password') ?? '',
        remember: form.one('remember') === '1',
        sourceIp: request.sourceIp,
        device: readDevice(request, deps.web),
      }),
    ),
  );

export const handler = loginPost(loginDeps());
