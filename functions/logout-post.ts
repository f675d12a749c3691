import { submitLogout } from '../shared/flows/logout';
import { route } from '../shared/http/pipeline';
import { checkForm, choice, respond } from '../shared/http/render';
import { challengeFrom } from '../shared/http/request';
import { hydraAdmin } from '../shared/services/hydra';
import { logoutView } from '../shared/views/logout';

/** POST /logout: sign out, or stay signed in. */
export const handler = route('POST', async (request) => {
  const { form } = request;
  const challenge = challengeFrom(form, 'challenge');
  checkForm(request, 'logout', challenge);
  const action = choice(form.one('action'), ['logout', 'stay']);
  const outcome = await submitLogout({ hydra: hydraAdmin() }, challenge, action);
  return respond(request, outcome, 'logout', challenge, logoutView);
});
