/**
 * The pages, as functions of typed view data. Everything that comes from Hydra, a client or the
 * user is interpolated through `html`, which escapes it; URLs pass `httpsUrl` first.
 */
import { brandText, UNBRANDED, type Brand } from '../brand/brand';
import type { ClientView } from '../flows/client';
import type { ConsentForm } from '../flows/consent';
import type { LoginForm } from '../flows/login';
import type { LogoutAccount, LogoutView } from '../flows/logout';
import type { Text, Translator } from '../i18n/messages';
import { MAX_IDENTIFIER_LENGTH } from '../users/identifier';
import { MAX_PASSWORD_LENGTH } from '../users/password-policy';
import { html, httpsUrl, type HtmlValue, type SafeHtml } from './html';
import { layout } from './layout';
import { passkeyForm } from './passkeys';
import { isolated, isolatedHtml, named, say, sayText, textOf } from './say';
import { verificationStepPage } from './self-service';

/**
 * The client's logo, decorative (the heading names the client). No script may run (CSP), so a
 * logo that fails to load is covered by the stylesheet (`.client img::after`, which browsers
 * draw only over a broken image) with the client's initial from `data-initial`: no broken box.
 */
export function clientLogo(client: ClientView): SafeHtml {
  const logo = httpsUrl(client.logoUri);
  if (!logo) return html``;
  const initial = Array.from(client.name.trim())[0]?.toUpperCase() ?? '';
  return html`<img
    src="${logo}"
    alt=""
    width="48"
    height="48"
    data-initial="${initial}"
    referrerpolicy="no-referrer"
  />`;
}

function clientHeader(client: ClientView, heading: string, lead: HtmlValue): SafeHtml {
  return html`<div class="client">
      ${clientLogo(client)}
      <div><h1>${heading}</h1></div>
    </div>
    <p>${lead}</p>`;
}

function clientLinks(t: Translator, client: ClientView): SafeHtml {
  const links = [
    { href: httpsUrl(client.clientUri), text: t.text('client.about') },
    { href: httpsUrl(client.policyUri), text: t.text('client.privacy') },
    { href: httpsUrl(client.tosUri), text: t.text('client.terms') },
  ].filter((link) => link.href !== undefined);
  if (links.length === 0) return html``;
  return html`<p class="links">
    ${links.map(
      (link, index) =>
        html`${index > 0 ? ' · ' : ''}<a
            href="${link.href}"
            rel="noopener noreferrer"
            target="_blank"
            >${link.text}</a
          >`,
    )}
  </p>`;
}

interface Action {
  value: string;
  label: string;
}

/**
 * A form's two buttons. The primary one comes first in the markup: pressing Enter submits a form
 * with its first submit button (HTML's "default button"), so Enter means "Sign in", never
 * "Cancel". The stylesheet lays `.actions` out in reverse, the primary button on the right.
 */
function actions(primary: Action, secondary: Action): SafeHtml {
  return html`<div class="actions">
    <button type="submit" name="action" value="${primary.value}" class="primary">
      ${primary.label}
    </button>
    <button type="submit" name="action" value="${secondary.value}" formnovalidate>
      ${secondary.label}
    </button>
  </div>`;
}

/** What every form page carries in hidden fields: the challenge it is about and its CSRF token. */
export interface FormContext {
  challenge: string;
  csrfToken: string;
}

export function hidden(name: string, value: string): SafeHtml {
  return html`<input type="hidden" name="${name}" value="${value}" />`;
}

export function formContext(form: FormContext): SafeHtml {
  return html`${hidden('challenge', form.challenge)} ${hidden('csrf', form.csrfToken)}`;
}

/** The error tied to the fields it is about: read with them, and marked invalid when it is theirs. */
const LOGIN_ERROR_ID = 'login-error';

/** "Sign in with a passkey" (PASSKEYS on): the form the browser script shows. */
function passkeySignIn(t: Translator, view: LoginForm, form: FormContext): SafeHtml | '' {
  if (!view.passkey) return '';
  return passkeyForm(
    'get',
    '/login/passkey',
    view.passkey,
    html`<p>${t.text('page.passkey.or')}</p>
      ${formContext(form)}`,
    t.text('page.passkey.signIn'),
    t,
    'other way',
  );
}

/** "Forgot password?" and "Create account", keeping the sign-in's challenge. */
function selfServiceLinks(t: Translator, view: LoginForm, form: FormContext): SafeHtml {
  const challenge = encodeURIComponent(form.challenge);
  const links = [
    view.links?.recovery
      ? { href: `/recovery?login_challenge=${challenge}`, text: t.text('page.signIn.forgot') }
      : undefined,
    view.links?.signUp
      ? { href: `/signup?login_challenge=${challenge}`, text: t.text('page.signIn.signUp') }
      : undefined,
  ].filter((link) => link !== undefined);
  if (links.length === 0) return html``;
  return html`<p class="links">
    ${links.map((link, index) => html`${index > 0 ? ' · ' : ''}<a href="${link.href}">${link.text}</a>`)}
  </p>`;
}

export function loginPage(
  view: LoginForm,
  form: FormContext,
  t: Translator,
  brand: Brand = UNBRANDED,
): SafeHtml {
  if (view.verifyStep) return verificationStepPage(view.verifyStep, form, t, brand);
  const described = view.error
    ? html`aria-describedby="${LOGIN_ERROR_ID}"
      ${view.invalidCredentials ? html`aria-invalid="true"` : ''}`
    : '';
  return layout(
    t,
    t.text('page.signIn.title'),
    html`${clientHeader(
        view.client,
        t.text('page.signIn.heading'),
        say(t, 'page.signIn.lead', { client: named(view.client.name) }),
      )}
      ${view.error ? html`<div class="alert" role="alert" id="${LOGIN_ERROR_ID}">${textOf(t, view.error)}</div>` : ''}
      <form method="post" action="/login">
        ${formContext(form)}
        <label for="identifier">${t.text('page.signIn.email')}</label>
        <input
          id="identifier"
          name="identifier"
          type="email"
          dir="ltr"
          autocomplete="username"
          required
          maxlength="${MAX_IDENTIFIER_LENGTH}"
          ${described}
          value="${view.identifier}"
          ${view.identifier ? '' : html`autofocus`}
        />
        <label for="password">${t.text('page.signIn.password')}</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          maxlength="${MAX_PASSWORD_LENGTH}"
          ${described}
          ${view.identifier ? html`autofocus` : ''}
        />
        <label class="check"
          ><input type="checkbox" name="remember" value="1" ${view.remember ? html`checked` : ''} />
          <span>${t.text('page.signIn.remember')}</span></label
        >
        ${actions(
          { value: 'login', label: t.text('page.signIn.submit') },
          { value: 'cancel', label: t.text('page.signIn.cancel') },
        )}
      </form>
      ${[passkeySignIn(t, view, form), selfServiceLinks(t, view, form), clientLinks(t, view.client)]}`,
    brand,
    view.client.colour ?? brand.colour,
  );
}

/**
 * An audience as the page names it: the operator's name for it (BRAND_FILE), else its host when
 * it is a URL; the whole value below it.
 */
function audienceItem(audience: string, t: Translator, brand: Brand): SafeHtml {
  let host: string | undefined;
  try {
    host = new URL(audience).host || undefined;
  } catch {
    host = undefined;
  }
  const shown = brandText(brand.audiences, audience, t.locale) ?? host;
  return shown
    ? html`${shown}<small><code dir="ltr">${audience}</code></small>`
    : html`<code dir="ltr">${audience}</code>`;
}

/** A scope as the page says it: the operator's words (BRAND_FILE), ours, or its bare name. */
function scopeItem(scope: ConsentForm['scopes'][number], t: Translator, brand: Brand): SafeHtml {
  const description =
    brandText(brand.scopes, scope.name, t.locale) ??
    (scope.description ? t.text(scope.description) : undefined);
  if (description === undefined) return html`<code>${scope.name}</code>`;
  const required = scope.required ? t.text('page.consent.required') : '';
  return html`${description}<small><code>${scope.name}</code>${required}</small>`;
}

const link = (href: string, text: string) => html`<a href="${href}">${text}</a>`;

export function consentPage(
  view: ConsentForm,
  form: FormContext,
  t: Translator,
  brand: Brand = UNBRANDED,
): SafeHtml {
  return layout(
    t,
    t.text('page.consent.title'),
    html`${clientHeader(
        view.client,
        t.text('page.consent.heading'),
        say(t, 'page.consent.lead', {
          client: named(view.client.name),
          user: named(view.userName),
        }),
      )}
      ${
        view.switchAccountUrl
          ? html`<p class="switch">
              ${say(t, 'page.consent.notYou', {
                link: link(view.switchAccountUrl, t.text('page.consent.switchAccount')),
              })}
            </p>`
          : ''
      }
      <form method="post" action="/consent">
        ${formContext(form)}
        ${
          view.scopes.length > 0
            ? html`<fieldset>
                <legend>${t.text('page.consent.scopes')}</legend>
                <ul class="scopes">
                  ${view.scopes.map(
                    (scope) =>
                      html`<li>
                        <label class="check"
                          ><input
                            type="checkbox"
                            name="scope"
                            value="${scope.name}"
                            checked
                            ${scope.required ? html`disabled` : ''}
                          />
                          <span>${scopeItem(scope, t, brand)}</span></label
                        >
                      </li>`,
                  )}
                </ul>
              </fieldset>`
            : ''
        }
        ${
          view.audiences.length > 0
            ? html`<fieldset>
                <legend>${t.text('page.consent.audiences')}</legend>
                <ul class="scopes">
                  ${view.audiences.map(
                    (audience) =>
                      html`<li>
                        <label class="check"
                          ><input type="checkbox" name="audience" value="${audience}" checked />
                          <span>${audienceItem(audience, t, brand)}</span></label
                        >
                      </li>`,
                  )}
                </ul>
              </fieldset>`
            : ''
        }
        <fieldset>
          <legend>${t.text('page.consent.nextTime')}</legend>
          <label class="check"
            ><input type="checkbox" name="remember" value="1" />
            <span
              >${t.text('page.consent.remember')}<small
                >${t.text('page.consent.rememberHint')}</small
              ></span
            ></label
          >
        </fieldset>
        ${actions(
          { value: 'allow', label: t.text('page.consent.allow') },
          { value: 'deny', label: t.text('page.consent.deny') },
        )}
      </form>
      ${clientLinks(t, view.client)}`,
    brand,
    view.client.colour ?? brand.colour,
  );
}

function backText(t: Translator, client: string | undefined): string {
  return client === undefined
    ? t.text('page.stayed.backToApp')
    : t.text('page.stayed.backTo', { client: isolated(client) });
}

/** The account a sign-out ends: its name and email, each isolated from the sentence's direction. */
function accountName(account: LogoutAccount): SafeHtml {
  const email = isolatedHtml(account.email);
  return account.name ? html`${named(account.name)} (${email})` : named(account.email);
}

/** Sign out? Or, after "no", that the user is still signed in. */

export function logoutPage(
  view: LogoutView,
  form: FormContext,
  t: Translator,
  brand: Brand = UNBRANDED,
): SafeHtml {
  if (view.page === 'stayed') {
    const back = httpsUrl(view.client?.clientUri);
    return messagePage(
      {
        title: { key: 'page.stayed.title' },
        message: { key: back ? 'page.stayed.message' : 'page.stayed.messageNoBack' },
        back: back ? { href: back, text: backText(t, view.client?.name) } : undefined,
      },
      t,
      brand,
    );
  }
  return layout(
    t,
    t.text('page.logout.title'),
    html`<h1>${t.text('page.logout.heading')}</h1>
      <p>
        ${view.clientName ? say(t, 'page.logout.clientAsks', { client: named(view.clientName) }) : t.text('page.logout.aboutTo')}
        ${t.text('page.logout.question')}
      </p>
      ${view.account ? html`<p>${say(t, 'page.logout.signedInAs', { account: accountName(view.account) })}</p>` : ''}
      <form method="post" action="/logout">
        ${formContext(form)}
        ${actions(
          { value: 'logout', label: t.text('page.logout.confirm') },
          { value: 'stay', label: t.text('page.logout.stay') },
        )}
      </form>`,
    brand,
  );
}

/** Where a sign-out ends when the application named nowhere to go (Hydra's default). */
export function signedOutPage(t: Translator, brand: Brand = UNBRANDED): SafeHtml {
  return messagePage(
    {
      title: { key: 'page.signedOut.title' },
      message: { key: 'page.signedOut.message' },
      notice: true,
    },
    t,
    brand,
  );
}

/** One value someone else reported (Hydra, in the URL): shown only under "Technical details". */
export interface TechnicalDetail {
  label: string;
  value: string;
  /** Shown as code (an error code), not as prose. */
  code?: boolean;
}

export interface MessagePageView {
  /** Our own words from the catalogs, always: never text taken from the request. */
  title: Text;
  message: Text;
  /** What to do next, said after the message in the same paragraph. */
  next?: Text | undefined;
  /**
   * Text we did not write (Hydra's, in English: shown left to right), collapsed under a labelled
   * "Technical details" section.
   */
  technical?: readonly TechnicalDetail[] | undefined;
  /**
   * The way back, when we know one: an https URL from Hydra's record of the client (its
   * `client_uri`), never one taken from the request. Without one, the operator's home page
   * (BRAND_HOME_URL) when it is configured.
   */
  back?: { href: string; text: string } | undefined;
  /** A notice that something is done (signed out), not a dead end: no support contact. */
  notice?: boolean;
}

function technicalDetails(t: Translator, details: readonly TechnicalDetail[]): SafeHtml {
  return html`<details>
    <summary>${t.text('page.technical.summary')}</summary>
    <p>${t.text('page.technical.note')}</p>
    <dl>
      ${details.map(
        (detail) =>
          html`<dt>${detail.label}</dt>
            <dd dir="ltr">${detail.code ? html`<code>${detail.value}</code>` : detail.value}</dd>`,
      )}
    </dl>
  </details>`;
}

function backLink(back: { href: string; text: string }): SafeHtml {
  return html`<p><a class="back" href="${back.href}" rel="noreferrer">${back.text}</a></p>`;
}

/** The page's own way back, else the operator's home page, else none. */
function wayBack(view: MessagePageView, t: Translator, brand: Brand): SafeHtml | '' {
  if (view.back) return backLink(view.back);
  if (!brand.home) return '';
  const text = brand.name
    ? t.text('page.backToBrand', { brand: brand.name })
    : t.text('page.backToHomePage');
  return backLink({ href: brand.home, text });
}

/** The operator's support contact (SUPPORT_URL or SUPPORT_EMAIL), where a page is a dead end. */
function supportLink(t: Translator, brand: Brand): SafeHtml {
  if (!brand.support) return html``;
  return html`<p class="links">
    <a class="support" href="${brand.support.href}" rel="noreferrer"
      >${t.text('page.contactSupport')}</a
    >
  </p>`;
}

/** Errors and notices: plain words, never a stack trace, never a challenge. */
export function messagePage(
  view: MessagePageView,
  t: Translator,
  brand: Brand = UNBRANDED,
): SafeHtml {
  const title = textOf(t, view.title);
  return layout(
    t,
    title,
    html`<h1>${title}</h1>
      <p>${[sayText(t, view.message), view.next ? [' ', sayText(t, view.next)] : '']}</p>
      ${[wayBack(view, t, brand), view.technical?.length ? technicalDetails(t, view.technical) : '', view.notice ? '' : supportLink(t, brand)]}`,
    brand,
  );
}
