import { submitConsent, type ConsentDeps } from '../shared/flows/consent';
import { route, type RouteDeps } from '../shared/http/pipeline';
import { checkForm, choice, respond } from '../shared/http/render';
import { challengeFrom } from '../shared/http/request';
import { consentPage } from '../shared/views/pages';
import { consentDeps } from '../shared/wiring';

/** POST /consent: allow (with the scopes and audiences left ticked) or deny. */
export const consentPost = (deps: ConsentDeps & RouteDeps) =>
  route('POST', deps, async (request, deps) => {
    const { form } = request;
    const challenge = challengeFrom(form, 'challenge');
    checkForm(request, deps.web, 'consent', challenge);
    const outcome = await submitConsent(deps, challenge, {
      action: choice(form.one('action'), ['allow', 'deny']),
      scopes: form.all('scope'),
      audiences: form.all('audience'),
      remember: form.one('remember') === '1',
    });
    return respond(request, deps.web, outcome, 'consent', challenge, (view, context) =>
      consentPage({ ...view, ...context }),
    );
  });

export const handler = consentPost(consentDeps());
