import { submitConsent, type ConsentDeps } from '../shared/flows/consent';
import { formRoute } from '../shared/http/form-route';
import type { RouteDeps } from '../shared/http/pipeline';
import { consentPage } from '../shared/views/pages';
import { consentDeps } from '../shared/wiring';

/** POST /consent: allow (with the scopes and audiences left ticked) or deny. */
export const consentPost = (deps: ConsentDeps & RouteDeps) =>
  formRoute('POST', 'consent', deps, consentPage, ({ challenge, form }, deps) =>
    submitConsent(deps, challenge, {
      action: form.choice('action', ['allow', 'deny']),
      scopes: form.all('scope'),
      audiences: form.all('audience'),
      remember: form.one('remember') === '1',
    }),
  );

export const handler = consentPost(consentDeps());
