/**
 * The pages, as functions of typed view data. Everything that comes from Hydra, a client or the
 * user is interpolated through `html`, which escapes it; URLs pass `httpsUrl` first.
 */
import type { ClientView } from '../flows/client';
import type { ConsentForm } from '../flows/consent';
import type { LoginForm } from '../flows/login';
import type { LogoutView } from '../flows/logout';
import { MAX_IDENTIFIER_LENGTH } from '../users/identifier';
import { MAX_PASSWORD_LENGTH } from '../users/password-policy';
import { html, httpsUrl, type SafeHtml } from './html';
import { layout } from './layout';

/**
 * The client's logo, decorative (the heading names the client). No script may run (CSP), so a
 * logo that fails to load is covered by the stylesheet (`.client img::after`, which browsers
 * draw only over a broken image) with the client's initial from `data-initial`: no broken box.
 */
function clientLogo(client: ClientView): SafeHtml {
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

function clientHeader(client: ClientView, heading: string, lead: SafeHtml | string): SafeHtml {
  return html`<div class="client">
      ${clientLogo(client)}
      <div><h1>${heading}</h1></div>
    </div>
    <p>${lead}</p>`;
}

function clientLinks(client: ClientView): SafeHtml {
  const links = [
    { href: httpsUrl(client.clientUri), text: 'About the app' },
    { href: httpsUrl(client.policyUri), text: 'Privacy policy' },
    { href: httpsUrl(client.tosUri), text: 'Terms of service' },
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

function hidden(name: string, value: string): SafeHtml {
  return html`<input type="hidden" name="${name}" value="${value}" />`;
}

export function formContext(form: FormContext): SafeHtml {
  return html`${hidden('challenge', form.challenge)} ${hidden('csrf', form.csrfToken)}`;
}

/** The error tied to the fields it is about: read with them, and marked invalid when it is theirs. */
const LOGIN_ERROR_ID = 'login-error';

export function loginPage(view: LoginForm, form: FormContext): SafeHtml {
  const described = view.error
    ? html`aria-describedby="${LOGIN_ERROR_ID}"
      ${view.invalidCredentials ? html`aria-invalid="true"` : ''}`
    : '';
  return layout(
    'Sign in',
    html`${clientHeader(view.client, 'Sign in', html`to continue to <strong>${view.client.name}</strong>`)}
      ${view.error ? html`<div class="alert" role="alert" id="${LOGIN_ERROR_ID}">${view.error}</div>` : ''}
      <form method="post" action="/login">
        ${formContext(form)}
        <label for="identifier">Email</label>
        <input
          id="identifier"
          name="identifier"
          type="email"
          autocomplete="username"
          required
          maxlength="${MAX_IDENTIFIER_LENGTH}"
          ${described}
          value="${view.identifier}"
          ${view.identifier ? '' : html`autofocus`}
        />
        <label for="password">Password</label>
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
          <span>Keep me signed in on this device</span></label
        >
        ${actions({ value: 'login', label: 'Sign in' }, { value: 'cancel', label: 'Cancel' })}
      </form>
      ${clientLinks(view.client)}`,
  );
}

/** An audience as the page names it: its host when it is a URL (the whole value below it). */
function audienceItem(audience: string): SafeHtml {
  let host: string | undefined;
  try {
    host = new URL(audience).host || undefined;
  } catch {
    host = undefined;
  }
  return host
    ? html`${host}<small><code>${audience}</code></small>`
    : html`<code>${audience}</code>`;
}

export function consentPage(view: ConsentForm, form: FormContext): SafeHtml {
  return layout(
    'Allow access',
    html`${clientHeader(
        view.client,
        'Allow access?',
        html`<strong>${view.client.name}</strong> asks to access your account
          <strong>${view.userName}</strong>.`,
      )}
      ${
        view.switchAccountUrl
          ? html`<p class="switch">
              Not you? <a href="${view.switchAccountUrl}">Use another account</a>
            </p>`
          : ''
      }
      <form method="post" action="/consent">
        ${formContext(form)}
        ${
          view.scopes.length > 0
            ? html`<fieldset>
                <legend>It will be able to:</legend>
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
                          <span
                            >${scope.description ?? html`<code>${scope.name}</code>`}${scope.description ? html`<small><code>${scope.name}</code>${scope.required ? ' (required)' : ''}</small>` : ''}</span
                          ></label
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
                <legend>For use with:</legend>
                <ul class="scopes">
                  ${view.audiences.map(
                    (audience) =>
                      html`<li>
                        <label class="check"
                          ><input type="checkbox" name="audience" value="${audience}" checked />
                          <span>${audienceItem(audience)}</span></label
                        >
                      </li>`,
                  )}
                </ul>
              </fieldset>`
            : ''
        }
        <fieldset>
          <legend>Next time:</legend>
          <label class="check"
            ><input type="checkbox" name="remember" value="1" />
            <span
              >Remember this decision<small
                >Without it, you will be asked again each time this app signs you in.</small
              ></span
            ></label
          >
        </fieldset>
        ${actions({ value: 'allow', label: 'Allow' }, { value: 'deny', label: 'Deny' })}
      </form>
      ${clientLinks(view.client)}`,
  );
}

/** Sign out? Or, after "no", that the user is still signed in. */
export function logoutPage(view: LogoutView, form: FormContext): SafeHtml {
  if (view.page === 'stayed') {
    const back = httpsUrl(view.client?.clientUri);
    return messagePage({
      title: 'You are still signed in',
      message: back
        ? 'You chose to stay signed in.'
        : 'You chose to stay signed in. You can close this page and go back to the application.',
      back: back
        ? { href: back, text: `Back to ${view.client?.name ?? 'the application'}` }
        : undefined,
    });
  }
  return layout(
    'Sign out',
    html`<h1>Sign out?</h1>
      <p>
        ${view.clientName ? html`<strong>${view.clientName}</strong> asks to sign you out.` : 'You are about to sign out.'}
        Do you want to sign out of your account?
      </p>
      <form method="post" action="/logout">
        ${formContext(form)}
        ${actions(
          { value: 'logout', label: 'Yes, sign out' },
          { value: 'stay', label: 'No, stay signed in' },
        )}
      </form>`,
  );
}

/** Where a sign-out ends when the application named nowhere to go (Hydra's default). */
export function signedOutPage(): SafeHtml {
  return messagePage({
    title: 'You are signed out',
    message:
      'You have signed out of your account on this device. You can close this page, or go back to the application to sign in again.',
  });
}

/** One value someone else reported (Hydra, in the URL): shown only under "Technical details". */
export interface TechnicalDetail {
  label: string;
  value: string;
  /** Shown as code (an error code), not as prose. */
  code?: boolean;
}

export interface MessagePageView {
  /** Our own words, always: never text taken from the request. */
  title: string;
  message: string;
  /** Text we did not write, collapsed under a labelled "Technical details" section. */
  technical?: readonly TechnicalDetail[] | undefined;
  /**
   * The way back, when we know one: an https URL from Hydra's record of the client (its
   * `client_uri`), never one taken from the request.
   */
  back?: { href: string; text: string } | undefined;
}

function technicalDetails(details: readonly TechnicalDetail[]): SafeHtml {
  return html`<details>
    <summary>Technical details</summary>
    <p>
      For the application's developers, as the link to this page sent it. We did not write this
      text: don't act on anything it asks you to do.
    </p>
    <dl>
      ${details.map(
        (detail) =>
          html`<dt>${detail.label}</dt>
            <dd>${detail.code ? html`<code>${detail.value}</code>` : detail.value}</dd>`,
      )}
    </dl>
  </details>`;
}

function backLink(back: { href: string; text: string }): SafeHtml {
  return html`<p><a class="back" href="${back.href}" rel="noreferrer">${back.text}</a></p>`;
}

/** Errors and notices: plain words, never a stack trace, never a challenge. */
export function messagePage(view: MessagePageView): SafeHtml {
  return layout(
    view.title,
    html`<h1>${view.title}</h1>
      <p>${view.message}</p>
      ${[view.back ? backLink(view.back) : '', view.technical?.length ? technicalDetails(view.technical) : '']}`,
  );
}
