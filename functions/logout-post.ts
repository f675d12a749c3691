import { submitLogout, type LogoutDeps } from '../shared/flows/logout';
import { route, type RouteDeps } from '../shared/http/pipeline';
import { checkForm, choice, respond } from '../shared/http/render';
import { challengeFrom } from '../shared/http/request';
import { logoutView } from '../shared/views/logout';
import { logoutDeps } from '../shared/wiring';

/** POST /logout: sign out, or stay signed in. */
export const logoutPost = (deps: LogoutDeps & RouteDeps) =>
  route('POST', deps, async (request, deps) => {
    const { form } = request;
    const challenge = challengeFrom(form, 'challenge');
    checkForm(request, deps.web, 'logout', challenge);
    const action = choice(form.one('action'), ['logout', 'stay']);
    const outcome = await submitLogout(deps, challenge, action);
    return respond(request, deps.web, outcome, 'logout', challenge, logoutView);
  });

export const handler = logoutPost(logoutDeps());
