import { startConsent, type ConsentDeps } from '../shared/flows/consent';
import { formRoute } from '../shared/http/form-route';
import type { RouteDeps } from '../shared/http/pipeline';
import { consentPage } from '../shared/views/pages';
import { consentDeps } from '../shared/wiring';

/** GET /consent?consent_challenge=…: accept remembered or first-party consent, or ask. */
export const consentGet = (deps: ConsentDeps & RouteDeps) =>
  formRoute('GET', 'consent', deps, consentPage, ({ challenge }, deps) =>
    startConsent(deps, challenge),
  );

export const handler = consentGet(consentDeps());
