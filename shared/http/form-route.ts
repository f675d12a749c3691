/**
 * Form routes: the challenge and CSRF by construction. Each login, consent and logout page is a
 * form about one Hydra challenge. A form route reads that challenge (a GET from its
 * `<purpose>_challenge` query parameter, a POST from the form) and, for a POST, refuses with 403
 * a form that did not come from our page in this browser, for this purpose and challenge, before
 * its handle runs: nothing reaches Hydra. The handle's outcome becomes Hydra's redirect or the
 * page, and the page carries the next CSRF token.
 */
import type { Brand } from '../brand/brand';
import type { Outcome } from '../flows/outcome';
import type { Translator } from '../i18n/messages';
import type { SafeHtml } from '../views/html';
import type { FormContext } from '../views/pages';
import type { WebSettings } from './cookies';
import { issueCsrf, verifyCsrf, type CsrfSettings, type FormPurpose } from './csrf';
import type { FormFields } from './form';
import { outcomeResponse } from './outcome-response';
import { brandOf, route, secretsReady, type RouteDeps } from './pipeline';
import { challengeFrom, type Method, type WebRequest } from './request';
import { pageTranslator } from './language';
import { pageResponse } from './response';

/** The query parameter a GET reads its challenge from: Hydra's, and the second step's is login's. */
const challengeParameter = (purpose: FormPurpose) =>
  purpose === 'second-factor' ? 'login_challenge' : `${purpose}_challenge`;

export function csrfSettings(web: WebSettings): CsrfSettings {
  return {
    secret: web.secret,
    previousSecret: web.previousSecret,
    secure: web.secure,
    ttlSeconds: web.csrfTtlSeconds,
  };
}

/** What a form route's handle is given. */
export interface FormRequest {
  /** The challenge the form is about, well-formed (its CSRF token verified, for a POST). */
  challenge: string;
  /** The posted fields; none on a GET. */
  form: FormFields;
  request: WebRequest;
  /**
   * Resolves once the secrets are read (`deps.web`'s secret is readable then): already on a POST;
   * on a GET, the handle asks Hydra meanwhile and awaits this only where it needs a secret.
   */
  ready: Promise<void>;
}

export type FormPage<View> = (
  view: View,
  form: FormContext,
  t: Translator,
  brand: Brand,
) => SafeHtml;

/**
 * What a view says about the page's language: the languages Hydra's request asked for
 * (`oidc_context.ui_locales`) and the signed-in user's `locale` claim, when it names them.
 */
function languageHintsOf(view: unknown): { uiLocales?: readonly string[]; userLocale?: string } {
  if (typeof view !== 'object' || view === null) return {};
  const hints: { uiLocales?: readonly string[]; userLocale?: string } = {};
  if ('uiLocales' in view && Array.isArray(view.uiLocales)) {
    hints.uiLocales = view.uiLocales.filter((tag): tag is string => typeof tag === 'string');
  }
  if ('userLocale' in view && typeof view.userLocale === 'string') {
    hints.userLocale = view.userLocale;
  }
  return hints;
}

export type FormHandler<Deps, View> = (form: FormRequest, deps: Deps) => Promise<Outcome<View>>;

export function formRoute<Deps extends RouteDeps, View>(
  method: Method,
  purpose: FormPurpose,
  deps: Deps,
  page: FormPage<View>,
  handle: FormHandler<Deps, View>,
) {
  return route(method, deps, async (request, deps) => {
    const challenge =
      method === 'GET'
        ? challengeFrom(request.query, challengeParameter(purpose))
        : challengeFrom(request.form, 'challenge');
    // The settings first: a misconfigured function answers 500 before anything is asked.
    const { web } = deps;
    // The secrets are read while a GET asks Hydra; a POST's CSRF check needs them first.
    const ready = secretsReady(deps);
    if (method === 'POST') {
      await ready;
      verifyCsrf(request, csrfSettings(web), purpose, challenge);
    }
    const outcome = await handle({ challenge, form: request.form, request, ready }, deps);
    await ready;
    const csrf = csrfSettings(web);
    return outcomeResponse(outcome, web, (view, status) => {
      const next = issueCsrf(request, csrf, purpose, challenge);
      const t = pageTranslator(request.headers, languageHintsOf(view));
      return pageResponse(
        status,
        page(view, { challenge, csrfToken: next.token }, t, brandOf(deps)),
        t,
        next.setCookie ? [next.setCookie] : [],
      );
    });
  });
}
