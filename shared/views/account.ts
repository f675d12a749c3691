/**
 * The account page: the profile (the email changed through a link to the new address), the password, the apps the user has
 * authorised (named as on the consent page: the client's name, its logo only over https) and
 * signing out. One form per section, each with its CSRF token; works without JavaScript.
 */
import type { Brand } from '../brand/brand';
import {
  MAX_LOCALE_LENGTH,
  MAX_NAME_LENGTH,
  type AccountError,
  type AccountView,
  type AuthorisedApp,
} from '../flows/account';
import type { MessageKey, Translator } from '../i18n/messages';
import { MAX_IDENTIFIER_LENGTH } from '../users/identifier';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../users/password-policy';
import { authenticatorSection } from './authenticator';
import { longDate } from './dates';
import { html, type SafeHtml } from './html';
import { layout } from './layout';
import { clientLogo, hidden, messagePage } from './pages';
import { passkeysSection } from './passkeys';
import { isolated, named, say, textOf } from './say';

const NOTICES: Record<NonNullable<AccountView['notice']>, MessageKey> = {
  profile: 'account.notice.profile',
  password: 'account.notice.password',
  removed: 'account.notice.removed',
  'email-sent': 'account.notice.emailSent',
  'passkey-added': 'account.notice.passkeyAdded',
  'passkey-removed': 'account.notice.passkeyRemoved',
  'authenticator-removed': 'account.notice.authenticatorRemoved',
};

function errorFor(t: Translator, error: AccountError | undefined, form: AccountError['form']) {
  if (error?.form !== form) return '';
  return html`<div class="alert" role="alert" id="${form}-error">${textOf(t, error.text)}</div>`;
}

/** The date of a grant in the page's language. */
function grantedOn(t: Translator, iso: string | undefined): SafeHtml | '' {
  const date = longDate(t, iso);
  if (date === undefined) return '';
  return html`<p><small>${t.text('page.account.appGranted', { date })}</small></p>`;
}

function app(t: Translator, csrf: SafeHtml, item: AuthorisedApp): SafeHtml {
  return html`<li>
    <div class="client">
      ${clientLogo(item.client)}
      <div><strong>${item.client.name}</strong></div>
    </div>
    ${grantedOn(t, item.grantedAt)}
    ${
      item.scopes.length > 0
        ? html`<p>${t.text('page.account.appCan')}</p>
            <ul>
              ${item.scopes.map(
                (scope) =>
                  html`<li>
                    ${scope.description ? t.text(scope.description) : html`<code>${scope.name}</code>`}
                  </li>`,
              )}
            </ul>`
        : ''
    }
    <form method="post" action="/account">
      ${csrf} ${hidden('client', item.clientId)}
      <div class="actions">
        <button
          type="submit"
          name="action"
          value="remove-app"
          aria-label="${t.text('page.account.removeAppFor', { client: isolated(item.client.name) })}"
        >
          ${t.text('page.account.removeApp')}
        </button>
      </div>
    </form>
  </li>`;
}

/** The new address and the current password; the address changes when the mailed link is used. */
function emailChangeForm(t: Translator, csrf: SafeHtml, view: AccountView): SafeHtml {
  const failed = view.error?.form === 'email';
  return html`${errorFor(t, view.error, 'email')}
    <form method="post" action="/account">
      ${csrf}
      <input type="hidden" name="username" value="${view.email}" autocomplete="username" />
      <label for="new-email">${t.text('page.account.newEmail')}</label>
      <input
        id="new-email"
        name="email"
        type="email"
        autocomplete="email"
        required
        maxlength="${MAX_IDENTIFIER_LENGTH}"
        dir="ltr"
        value="${view.newEmail ?? ''}"
        ${failed ? html`aria-describedby="email-error" aria-invalid="true"` : ''}
      />
      <label for="email-current">${t.text('page.account.currentPassword')}</label>
      <input
        id="email-current"
        name="password"
        type="password"
        autocomplete="current-password"
        required
        maxlength="${MAX_PASSWORD_LENGTH}"
      />
      <div class="actions">
        <button type="submit" name="action" value="email">
          ${t.text('page.account.changeEmail')}
        </button>
      </div>
    </form>`;
}

export function accountPage(
  view: AccountView,
  csrfToken: string,
  t: Translator,
  brand: Brand,
): SafeHtml {
  const csrf = hidden('csrf', csrfToken);
  const profileError = view.error?.form === 'profile';
  const passwordError = view.error?.form === 'password';
  const passkeys = view.passkeys
    ? passkeysSection(view.passkeys, csrf, t, errorFor(t, view.error, 'passkeys'))
    : '';
  return layout(
    t,
    t.text('page.account.title'),
    html`<h1>${t.text('page.account.heading')}</h1>
      <p>${say(t, 'page.account.lead', { email: named(view.email) })}</p>
      ${view.notice ? html`<p role="status"><strong>${t.text(NOTICES[view.notice])}</strong></p>` : ''}

      <h2>${t.text('page.account.profile')}</h2>
      ${errorFor(t, view.error, 'profile')}
      <form method="post" action="/account">
        ${csrf}
        <label for="email">${t.text('page.account.email')}</label>
        <input
          id="email"
          type="email"
          dir="ltr"
          value="${view.email}"
          readonly
          aria-describedby="email-hint"
        />
        <p id="email-hint">
          <small
            >${t.text(view.emailVerified ? 'page.account.emailVerified' : 'page.account.emailUnverified')}.
            ${t.text(view.canChangeEmail ? 'page.account.emailChangeable' : 'page.account.emailReadOnly')}</small
          >
        </p>
        <label for="name">${t.text('page.account.name')}</label>
        <input
          id="name"
          name="name"
          type="text"
          autocomplete="name"
          maxlength="${MAX_NAME_LENGTH}"
          value="${view.name}"
          ${profileError ? html`aria-describedby="profile-error"` : ''}
        />
        <label for="locale">${t.text('page.account.locale')}</label>
        <input
          id="locale"
          name="locale"
          type="text"
          dir="ltr"
          autocomplete="language"
          maxlength="${MAX_LOCALE_LENGTH}"
          value="${view.locale}"
          aria-describedby="locale-hint${profileError ? ' profile-error' : ''}"
        />
        <p id="locale-hint"><small>${t.text('page.account.localeHint')}</small></p>
        <div class="actions">
          <button type="submit" name="action" value="profile" class="primary">
            ${t.text('page.account.saveProfile')}
          </button>
        </div>
      </form>
      ${view.canChangeEmail ? emailChangeForm(t, csrf, view) : ''}

      <h2>${t.text('page.account.password')}</h2>
      ${errorFor(t, view.error, 'password')}
      <form method="post" action="/account">
        ${csrf}
        <input type="hidden" name="username" value="${view.email}" autocomplete="username" />
        <label for="current">${t.text('page.account.currentPassword')}</label>
        <input
          id="current"
          name="current"
          type="password"
          autocomplete="current-password"
          required
          maxlength="${MAX_PASSWORD_LENGTH}"
          ${passwordError ? html`aria-describedby="password-error"` : ''}
        />
        <label for="next">${t.text('page.account.newPassword')}</label>
        <input
          id="next"
          name="next"
          type="password"
          autocomplete="new-password"
          required
          minlength="${MIN_PASSWORD_LENGTH}"
          maxlength="${MAX_PASSWORD_LENGTH}"
          aria-describedby="password-hint"
        />
        <label for="confirm">${t.text('page.account.confirmPassword')}</label>
        <input
          id="confirm"
          name="confirm"
          type="password"
          autocomplete="new-password"
          required
          minlength="${MIN_PASSWORD_LENGTH}"
          maxlength="${MAX_PASSWORD_LENGTH}"
        />
        <p id="password-hint"><small>${t.text('page.account.passwordHint')}</small></p>
        <div class="actions">
          <button type="submit" name="action" value="password" class="primary">
            ${t.text('page.account.changePassword')}
          </button>
        </div>
      </form>

      ${authenticatorSection(t, view.secondFactors, view.email, csrf, view.error)}

      <h2>${t.text('page.account.apps')}</h2>
      ${errorFor(t, view.error, 'apps')}
      ${[
        view.apps.length > 0
          ? html`<ul class="scopes">
              ${view.apps.map((item) => app(t, csrf, item))}
            </ul>`
          : html`<p>${t.text('page.account.appsNone')}</p>`,
        passkeys,
      ]}

      <h2>${t.text('page.account.signOutHeading')}</h2>
      <p>${t.text('page.account.signOutEverywhereHint')}</p>
      <form method="post" action="/account">
        ${csrf}
        <div class="actions">
          <button type="submit" name="action" value="sign-out-everywhere">
            ${t.text('page.account.signOutEverywhere')}
          </button>
          <button type="submit" name="action" value="sign-out">
            ${t.text('page.account.signOut')}
          </button>
        </div>
      </form>`,
    brand,
  );
}

/** What an account notice page says (a sign-in that did not work, a session that ended). */
export interface AccountNoticeView {
  title: MessageKey;
  message: MessageKey;
}

/** A page with a way back to the account page (which signs the user in again). */
export function accountNoticePage(view: AccountNoticeView, t: Translator, brand: Brand): SafeHtml {
  return messagePage(
    {
      title: { key: view.title },
      message: { key: view.message },
      back: { href: '/account', text: t.text('page.account.open') },
    },
    t,
    brand,
  );
}
