/**
 * The second step of a sign-in: a code from an authenticator app, or a recovery code, without
 * JavaScript; or, with passkeys on, a passkey (./passkeys: the form the browser script shows).
 * The other methods are links to the same page.
 */
import { UNBRANDED, type Brand } from '../brand/brand';
import { secondFactorUrl } from '../flows/login';
import type { PasskeyPrompt } from '../flows/passkey-options';
import type { SecondFactorForm } from '../flows/second-factor-form';
import type { Translator } from '../i18n/messages';
import { html, type SafeHtml } from './html';
import { layout } from './layout';
import { formContext, type FormContext } from './pages';
import { passkeyForm } from './passkeys';
import { textOf } from './say';

const ERROR_ID = 'code-error';

export function secondFactorPage(
  view: SecondFactorForm,
  form: FormContext,
  t: Translator,
  brand: Brand = UNBRANDED,
): SafeHtml {
  if (view.method === 'passkey' && view.passkey)
    return passkeyStep(view, view.passkey, form, t, brand);
  const recovery = view.method === 'recovery';
  const described = view.error
    ? html`aria-describedby="${ERROR_ID}" ${view.invalidCode ? html`aria-invalid="true"` : ''}`
    : '';
  const other = `${secondFactorUrl(form.challenge)}${recovery ? '' : '&method=recovery'}`;
  const passkeyLink = view.passkey
    ? html` ·
        <a href="${secondFactorUrl(form.challenge)}&method=passkey"
          >${t.text('page.passkey.useInstead')}</a
        >`
    : '';
  return layout(
    t,
    t.text('page.secondFactor.title'),
    html`<h1>${t.text('page.secondFactor.heading')}</h1>
      <p>${t.text(recovery ? 'page.secondFactor.recoveryLead' : 'page.secondFactor.lead')}</p>
      ${view.error ? html`<div class="alert" role="alert" id="${ERROR_ID}">${textOf(t, view.error)}</div>` : ''}
      <form method="post" action="/login/second-factor">
        ${formContext(form)}
        <input type="hidden" name="method" value="${view.method}" />
        <label for="code"
          >${t.text(recovery ? 'page.secondFactor.recoveryCode' : 'page.secondFactor.code')}</label
        >
        <input
          id="code"
          name="code"
          type="text"
          dir="ltr"
          ${recovery ? html`autocomplete="off" autocapitalize="characters"` : html`autocomplete="one-time-code" inputmode="numeric" pattern="[0-9 ]*"`}
          spellcheck="false"
          required
          maxlength="${recovery ? 16 : 8}"
          ${described}
          autofocus
        />
        <div class="actions">
          <button type="submit" name="action" value="verify" class="primary">
            ${t.text('page.secondFactor.submit')}
          </button>
          <button type="submit" name="action" value="cancel" formnovalidate>
            ${t.text('page.secondFactor.cancel')}
          </button>
        </div>
      </form>
      <p class="links">
        <a href="${other}"
          >${t.text(recovery ? 'page.secondFactor.useTotp' : 'page.secondFactor.useRecovery')}</a
        >${passkeyLink}
      </p>`,
    brand,
  );
}

/** The second step by passkey: the form the script shows, and the code methods as links. */
function passkeyStep(
  view: SecondFactorForm,
  prompt: PasskeyPrompt,
  form: FormContext,
  t: Translator,
  brand: Brand,
): SafeHtml {
  const url = secondFactorUrl(form.challenge);
  return layout(
    t,
    t.text('page.secondFactor.title'),
    html`<h1>${t.text('page.passkey.use')}</h1>
      <p>${t.text('page.passkey.lead')}</p>
      ${view.error ? html`<div class="alert" role="alert">${textOf(t, view.error)}</div>` : ''}
      <noscript><p>${t.text('page.passkey.needsScript')}</p></noscript>
      ${passkeyForm(
        'get',
        '/login/second-factor/passkey',
        prompt,
        formContext(form),
        t.text('page.passkey.use'),
        t,
      )}
      <form method="post" action="/login/second-factor">
        ${formContext(form)}
        <div class="actions">
          <button type="submit" name="action" value="cancel" formnovalidate>
            ${t.text('page.secondFactor.cancel')}
          </button>
        </div>
      </form>
      <p class="links">
        <a href="${url}">${t.text('page.secondFactor.useTotp')}</a> ·
        <a href="${url}&method=recovery">${t.text('page.secondFactor.useRecovery')}</a>
      </p>`,
    brand,
  );
}
