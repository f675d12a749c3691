import { submitLogin, type LoginDeps } from '../shared/flows/login';
import { route, type RouteDeps } from '../shared/http/pipeline';
import { checkForm, choice, knownDevice, respond } from '../shared/http/render';
import { challengeFrom } from '../shared/http/request';
import { loginPage } from '../shared/views/pages';
import { loginDeps } from '../shared/wiring';

/** POST /login: the sign-in form (or its cancel button). */
export const loginPost = (deps: LoginDeps & RouteDeps) =>
  route('POST', deps, async (request, deps) => {
    const { form } = request;
    const challenge = challengeFrom(form, 'challenge');
    checkForm(request, deps.web, 'login', challenge);
    const outcome = await submitLogin(deps, challenge, {
      action: choice(form.one('action') ?? 'login', ['login', 'cancel']),
      identifier: form.one('identifier') ?? '',
      password: form.one('password') ?? '',
      remember: form.one('remember') === '1',
      sourceIp: request.sourceIp,
      device: knownDevice(request, deps.web),
    });
    return respond(request, deps.web, outcome, 'login', challenge, (view, context) =>
      loginPage({ ...view, ...context }),
    );
  });

export const handler = loginPost(loginDeps());
