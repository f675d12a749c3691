/**
 * The passkey parts of the pages: the "Sign in with a passkey" form (sign-in page), the passkey
 * form of the second step, and the account page's Passkeys section. Each passkey form is hidden
 * until the browser script (./passkey-script) shows it in a browser that has WebAuthn, and posts
 * as any form does (CSRF token, 303): without JavaScript the page is the password and code page
 * it always was.
 */
import type { PasskeyPrompt, PasskeysSection } from '../flows/passkey-options';
import type { MessageKey, Translator } from '../i18n/messages';
import { MAX_PASSKEY_NAME_LENGTH, MAX_PASSKEYS, type PasskeyListing } from '../users/passkeys';
import { html, type HtmlValue, type SafeHtml } from './html';
import { passkeyScript } from './passkey-script';

/** The message the script shows when the browser or the user gives up. */
function cancelled(t: Translator, key: MessageKey = 'page.passkey.cancelled'): SafeHtml {
  return html`<div class="alert" role="alert" data-passkey-error hidden>${t.text(key)}</div>`;
}

/**
 * A form that asks the browser for a passkey (`get`: an assertion, `create`: a new one), then
 * posts its answer to `action`. Its button is the page's main one unless `emphasis` says it is
 * the other way (the sign-in page, where the password is the main way).
 */
export function passkeyForm(
  kind: 'get' | 'create',
  action: string,
  prompt: PasskeyPrompt,
  fields: HtmlValue,
  button: string,
  t: Translator,
  emphasis: 'main' | 'other way' = 'main',
): SafeHtml {
  return html`<form
      method="post"
      action="${action}"
      class="passkey"
      data-passkey="${kind}"
      data-options="${prompt.options}"
      hidden
    >
      ${fields}
      <input type="hidden" name="response" value="" />
      ${cancelled(t, kind === 'create' ? 'account.passkeys.failed' : 'page.passkey.cancelled')}
      <div class="actions">
        ${
          emphasis === 'main'
            ? html`<button type="submit" class="primary">${button}</button>`
            : html`<button type="submit">${button}</button>`
        }
      </div>
    </form>
    ${passkeyScript()}`;
}

/** One date format per language, made once (making one costs far more than using it). */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateOf(t: Translator, iso: string | undefined): string | undefined {
  const when = iso === undefined ? NaN : Date.parse(iso);
  if (!Number.isFinite(when)) return undefined;
  let format = dateFormats.get(t.locale);
  if (!format) {
    format = new Intl.DateTimeFormat(t.locale, { dateStyle: 'long', timeZone: 'UTC' });
    dateFormats.set(t.locale, format);
  }
  return format.format(when);
}

export function passkeysSection(
  section: PasskeysSection,
  csrf: SafeHtml,
  t: Translator,
  error: HtmlValue,
): SafeHtml {
  const item = (passkey: PasskeyListing) => {
    const added = dateOf(t, passkey.createdAt);
    const used = dateOf(t, passkey.lastUsedAt);
    return html`<li>
      <strong>${passkey.name}</strong>
      ${added ? html`<p><small>${t.text('page.account.passkeyAdded', { date: added })}</small></p>` : ''}
      ${used ? html`<p><small>${t.text('page.account.passkeyUsed', { date: used })}</small></p>` : ''}
      <form method="post" action="/account/passkeys">
        ${csrf}
        <input type="hidden" name="id" value="${passkey.id}" />
        <div class="actions">
          <button
            type="submit"
            name="action"
            value="remove"
            aria-label="${t.text('page.account.removePasskeyFor', { name: passkey.name })}"
          >
            ${t.text('page.account.removePasskey')}
          </button>
        </div>
      </form>
    </li>`;
  };
  const add = section.prompt
    ? passkeyForm(
        'create',
        '/account/passkeys',
        section.prompt,
        html`${csrf}
          <input type="hidden" name="action" value="add" />
          <input type="hidden" name="issued" value="${String(section.prompt.issued)}" />
          <label for="passkey-name">${t.text('page.account.passkeyName')}</label>
          <input
            id="passkey-name"
            name="name"
            type="text"
            required
            maxlength="${MAX_PASSKEY_NAME_LENGTH}"
            aria-describedby="passkey-name-hint"
          />
          <p id="passkey-name-hint"><small>${t.text('page.account.passkeyNameHint')}</small></p>`,
        t.text('page.account.addPasskey'),
        t,
      )
    : html`<p>${t.text('page.account.passkeysFull', { count: MAX_PASSKEYS })}</p>`;
  return html`<h2>${t.text('page.account.passkeys')}</h2>
    <p>${t.text('page.account.passkeysLead')}</p>
    ${error}
    ${
      section.list.length > 0
        ? html`<ul class="scopes">
            ${section.list.map(item)}
          </ul>`
        : html`<p>${t.text('page.account.passkeysNone')}</p>`
    }
    ${add}
    <noscript><p>${t.text('page.account.passkeysNeedScript')}</p></noscript>`;
}
