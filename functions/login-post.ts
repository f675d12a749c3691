import { submitLogin } from '../shared/flows/login';
import { route } from '../shared/http/pipeline';
import { checkForm, choice, knownDevice, respond } from '../shared/http/render';
import { challengeFrom } from '../shared/http/request';
import { loginDeps } from '../shared/services/login';
import { loginPage } from '../shared/views/pages';

/** POST /login: the sign-in form (or its cancel button). */
export const handler = route('POST', async (request) => {
  const { form } = request;
  const challenge = challengeFrom(form, 'challenge');
  checkForm(request, 'login', challenge);
  const outcome = await submitLogin(loginDeps(), challenge, {
    action: choice(form.one('action') ?? 'login', ['login', 'cancel']),
    identifier: form.one('identifier') ?? '',
    password: form.one('password') ?? '',
    remember: form.one('remember') === '1',
    sourceIp: request.sourceIp,
    device: knownDevice(request),
  });
  return respond(request, outcome, 'login', challenge, (view, context) =>
    loginPage({ ...view, ...context }),
  );
});
