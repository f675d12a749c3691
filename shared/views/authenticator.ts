/**
 * The account page's two-step verification section: what the user has (an authenticator app
 * since when, how many recovery codes are left), a link to set one up, or one form, asking for
 * the current password, with its two changes (new recovery codes, remove the app). Its forms post
 * to /account/authenticator (shared/http/authenticator.ts); it works without JavaScript.
 */
import type { AccountError } from '../flows/account';
import type { Translator } from '../i18n/messages';
import type { FactorSummary } from '../users/factors';
import { MAX_PASSWORD_LENGTH } from '../users/password-policy';
import { longDate } from './dates';
import { html, type SafeHtml } from './html';
import { textOf } from './say';

export const AUTHENTICATOR_PATH = '/account/authenticator';

export function authenticatorSection(
  t: Translator,
  factors: FactorSummary,
  email: string,
  csrf: SafeHtml,
  error: AccountError | undefined,
): SafeHtml {
  const refused = error?.form === 'authenticator' ? error : undefined;
  const alert = refused
    ? html`<div class="alert" role="alert" id="authenticator-error">
        ${textOf(t, refused.text)}
      </div>`
    : '';
  if (!factors.totp) {
    return html`<h2>${t.text('page.account.authenticator')}</h2>
      ${alert}
      <p>${t.text('page.account.authenticatorOff')}</p>
      <p><a href="${AUTHENTICATOR_PATH}">${t.text('page.account.authenticatorSetUp')}</a></p>`;
  }
  const date = longDate(t, factors.totp.createdAt) ?? '';
  return html`<h2>${t.text('page.account.authenticator')}</h2>
    ${alert}
    <p>${t.text('page.account.authenticatorOn', { date })}</p>
    <p>${t.text('page.account.recoveryCodesLeft', { count: String(factors.recoveryCodesLeft) })}</p>
    <form method="post" action="${AUTHENTICATOR_PATH}">
      ${csrf}
      <input type="hidden" name="username" value="${email}" autocomplete="username" />
      <label for="authenticator-current">${t.text('page.account.currentPassword')}</label>
      <input
        id="authenticator-current"
        name="current"
        type="password"
        autocomplete="current-password"
        required
        maxlength="${MAX_PASSWORD_LENGTH}"
        aria-describedby="authenticator-hint${refused ? ' authenticator-error' : ''}"
      />
      <p id="authenticator-hint"><small>${t.text('page.account.authenticatorHint')}</small></p>
      <div class="actions">
        <button type="submit" name="action" value="recovery-codes">
          ${t.text('page.account.newRecoveryCodes')}
        </button>
        <button type="submit" name="action" value="remove">
          ${t.text('page.account.removeAuthenticator')}
        </button>
      </div>
    </form>`;
}
