import { startConsent } from '../shared/flows/consent';
import { route } from '../shared/http/pipeline';
import { respond } from '../shared/http/render';
import { challengeFrom } from '../shared/http/request';
import { consentDeps } from '../shared/services/consent';
import { consentPage } from '../shared/views/pages';

/** GET /consent?consent_challenge=…: accept remembered or first-party consent, or ask. */
export const handler = route('GET', async (request) => {
  const challenge = challengeFrom(request.query, 'consent_challenge');
  const outcome = await startConsent(consentDeps(), challenge);
  return respond(request, outcome, 'consent', challenge, (view, form) =>
    consentPage({ ...view, ...form }),
  );
});
