import { startConsent, type ConsentDeps } from '../shared/flows/consent';
import { route, type RouteDeps } from '../shared/http/pipeline';
import { respond } from '../shared/http/render';
import { challengeFrom } from '../shared/http/request';
import { consentPage } from '../shared/views/pages';
import { consentDeps } from '../shared/wiring';

/** GET /consent?consent_challenge=…: accept remembered or first-party consent, or ask. */
export const consentGet = (deps: ConsentDeps & RouteDeps) =>
  route('GET', deps, async (request, deps) => {
    const challenge = challengeFrom(request.query, 'consent_challenge');
    const outcome = await startConsent(deps, challenge);
    return respond(request, deps.web, outcome, 'consent', challenge, (view, form) =>
      consentPage({ ...view, ...form }),
    );
  });

export const handler = consentGet(consentDeps());
