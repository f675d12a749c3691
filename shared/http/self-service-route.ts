/**
 * Self-service form routes (forgot password, sign-up, verification): like the form routes of
 * ./form-route, the CSRF check by construction, but a form here is bound to what it is about
 * without a Hydra challenge of its own: the login challenge the user came from (optional: the
 * form also works without one) or the mailed link's token (the page that link opens). A POST
 * whose token is not for this purpose and this binding, in this browser, is refused with 403
 * before its handle runs. A route whose feature the configuration leaves off answers 404.
 */
import type { Brand } from '../brand/brand';
import type { Outcome } from '../flows/outcome';
import type { Locale, Translator } from '../i18n/messages';
import type { SafeHtml } from '../views/html';
import type { BoundForm } from '../views/self-service';
import { issueCsrf, verifyCsrf, type FormPurpose } from './csrf';
import { HttpError } from './errors';
import type { FormFields } from './form';
import { csrfSettings } from './form-route';
import { pageTranslator } from './language';
import { outcomeResponse } from './outcome-response';
import { brandOf, route, secretsReady, type RouteDeps } from './pipeline';
import { challengeFrom, type Method, type WebRequest } from './request';
import { pageResponse } from './response';

/** What a form is bound to: its query parameter (GET) and its hidden field (POST). */
export interface Binding {
  query: string;
  field: BoundForm['name'];
  read(fields: FormFields, name: string): string;
}

/** The login challenge the user came from, if any: well-formed when present. */
export const LOGIN_CHALLENGE: Binding = {
  query: 'login_challenge',
  field: 'challenge',
  read: (fields, name) => ((fields.one(name) ?? '') === '' ? '' : challengeFrom(fields, name)),
};

/** The mailed link's token, as given (its flow tells a malformed one from ours). */
export const LINK_TOKEN: Binding = {
  query: 'token',
  field: 'token',
  read: (fields, name) => (fields.one(name) ?? '').slice(0, 128),
};

export const NOT_OFFERED = new HttpError(404, {
  title: { key: 'error.notOffered.title' },
  message: { key: 'error.notOffered.message' },
});

export interface SelfServiceRequest {
  /** What the form is bound to: the login challenge ('' for none) or the link's token. */
  bound: string;
  form: FormFields;
  request: WebRequest;
  /** The page's language, which a mail sent from here is written in too. */
  locale: Locale;
}

export interface SelfServiceRoute<Deps, View> {
  method: Method;
  purpose: FormPurpose;
  binding: Binding;
  /** Whether the configuration offers this at all (else 404, nothing read). */
  offered: (deps: Deps) => boolean;
  page: (view: View, form: BoundForm, t: Translator, brand: Brand) => SafeHtml;
  handle: (request: SelfServiceRequest, deps: Deps) => Promise<Outcome<View>>;
}

export function selfServiceRoute<Deps extends RouteDeps, View>(
  deps: Deps,
  spec: SelfServiceRoute<Deps, View>,
) {
  return route(spec.method, deps, async (request, deps) => {
    if (!spec.offered(deps)) throw NOT_OFFERED;
    const { binding } = spec;
    const bound =
      spec.method === 'GET'
        ? binding.read(request.query, binding.query)
        : binding.read(request.form, binding.field);
    // The CSRF key is the secret's: read (once per cold start, then cached) before it is used.
    await secretsReady(deps);
    const csrf = csrfSettings(deps.web);
    if (spec.method === 'POST') verifyCsrf(request, csrf, spec.purpose, bound);
    const t = pageTranslator(request.headers);
    const outcome = await spec.handle(
      { bound, form: request.form, request, locale: t.locale },
      deps,
    );
    return outcomeResponse(outcome, deps.web, (view, status) => {
      const next = issueCsrf(request, csrf, spec.purpose, bound);
      const form: BoundForm = { name: binding.field, value: bound, csrfToken: next.token };
      return pageResponse(
        status,
        spec.page(view, form, t, brandOf(deps)),
        t,
        next.setCookie ? [next.setCookie] : [],
      );
    });
  });
}
