import { submitConsent } from '../shared/flows/consent';
import { route } from '../shared/http/pipeline';
import { checkForm, choice, respond } from '../shared/http/render';
import { challengeFrom } from '../shared/http/request';
import { consentDeps } from '../shared/services/consent';
import { consentPage } from '../shared/views/pages';

/** POST /consent: allow (with the scopes and audiences left ticked) or deny. */
export const handler = route('POST', async (request) => {
  const { form } = request;
  const challenge = challengeFrom(form, 'challenge');
  checkForm(request, 'consent', challenge);
  const outcome = await submitConsent(consentDeps(), challenge, {
    action: choice(form.one('action'), ['allow', 'deny']),
    scopes: form.all('scope'),
    audiences: form.all('audience'),
    remember: form.one('remember') === '1',
  });
  return respond(request, outcome, 'consent', challenge, (view, context) =>
    consentPage({ ...view, ...context }),
  );
});
