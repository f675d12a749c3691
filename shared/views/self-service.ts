/**
 * The self-service pages: forgot password, a new password, sign-up, email verification, and
 * what a mailed link that does not work says. Same document, stylesheet and escaping as the
 * sign-in page; each form carries what it is bound to (the login challenge, or the link's
 * token) and its CSRF token in hidden fields.
 */
import { UNBRANDED, type Brand } from '../brand/brand';
import type { LinkProblem } from '../flows/email-links';
import type { RecoveryView, ResetView } from '../flows/recovery';
import type { CompleteSignUpView, SignUpView } from '../flows/signup';
import { MAX_NAME_LENGTH } from '../flows/signup';
import type { SendVerificationView, VerifyView } from '../flows/verification';
import type { MessageKey, Text, Translator } from '../i18n/messages';
import { MAX_IDENTIFIER_LENGTH } from '../users/identifier';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../users/password-policy';
import { html, type SafeHtml } from './html';
import { layout } from './layout';
import { formContext, messagePage, type FormContext } from './pages';
import { isolatedHtml, named, say, textOf } from './say';

/** What a self-service form is bound to (a hidden field) and its CSRF token. */
export interface BoundForm {
  /** The hidden field's name: `challenge` (the login challenge, maybe empty) or `token`. */
  name: 'challenge' | 'token';
  value: string;
  csrfToken: string;
}

function hiddenFields(form: BoundForm): SafeHtml {
  return html`<input type="hidden" name="${form.name}" value="${form.value}" />
    <input type="hidden" name="csrf" value="${form.csrfToken}" />`;
}

/** Back to the sign-in the user came from (our page for that challenge), when there is one. */
function backToSignIn(t: Translator, form: BoundForm): SafeHtml {
  if (form.name !== 'challenge' || form.value === '') return html``;
  return html`<p class="links">
    <a href="/login?login_challenge=${encodeURIComponent(form.value)}"
      >${t.text('page.selfService.backToSignIn')}</a
    >
  </p>`;
}

/** Which addresses may sign up (SIGNUP=domains:…), the list isolated in the sentence. */
function domainsNote(t: Translator, domains: readonly string[]): SafeHtml {
  const list = isolatedHtml(domains.join(', '));
  return html`<p>${say(t, 'page.signUp.domains', { domains: list })}</p>`;
}

const ERROR_ID = 'form-error';

function alert(t: Translator, error: Text | undefined): SafeHtml {
  return error
    ? html`<div class="alert" role="alert" id="${ERROR_ID}">${textOf(t, error)}</div>`
    : html``;
}

function submit(label: string): SafeHtml {
  return html`<div class="actions">
    <button type="submit" class="primary">${label}</button>
  </div>`;
}

/** An email field; tied to the error when the error is about it. */
function emailField(t: Translator, value: string, error: Text | undefined, invalid: boolean) {
  return html`<label for="email">${t.text('page.selfService.email')}</label>
    <input
      id="email"
      name="email"
      type="email"
      dir="ltr"
      autocomplete="email"
      required
      maxlength="${MAX_IDENTIFIER_LENGTH}"
      value="${value}"
      ${error ? html`aria-describedby="${ERROR_ID}"` : ''}
      ${invalid ? html`aria-invalid="true"` : ''}
      autofocus
    />`;
}

const HINT_ID = 'password-hint';

function newPasswordField(t: Translator, error: Text | undefined): SafeHtml {
  return html`<label for="password">${t.text('page.password.new')}</label>
    <input
      id="password"
      name="password"
      type="password"
      autocomplete="new-password"
      required
      minlength="${MIN_PASSWORD_LENGTH}"
      maxlength="${MAX_PASSWORD_LENGTH}"
      aria-describedby="${error ? `${ERROR_ID} ${HINT_ID}` : HINT_ID}"
      ${error ? html`aria-invalid="true"` : ''}
      autofocus
    />
    <p class="links" id="${HINT_ID}">
      ${t.text('page.password.hint', { min: MIN_PASSWORD_LENGTH, max: MAX_PASSWORD_LENGTH })}
    </p>`;
}

/**
 * "No mail? Send it again": the same POST as the form that sent it (its CSRF token, what it is
 * bound to, its fields), so the same throttles and the same answer.
 */
function resendForm(t: Translator, action: string, fields: SafeHtml): SafeHtml {
  return html`<form method="post" action="${action}">
    ${fields}
    <p>${t.text('page.sent.resendHint')}</p>
    <div class="actions">
      <button type="submit">${t.text('page.sent.resend')}</button>
    </div>
  </form>`;
}

/** "Check your inbox": the same words whether or not the address has an account. */
function sentPage(
  t: Translator,
  message: MessageKey,
  view: { email: string; validMinutes: number },
  action: string,
  form: BoundForm,
  brand: Brand,
) {
  const title = t.text('page.sent.title');
  return layout(
    t,
    title,
    html`<h1>${title}</h1>
      <p>${t.text(message)} ${t.text('page.sent.validFor', { count: view.validMinutes })}</p>
      ${resendForm(
        t,
        action,
        html`${hiddenFields(form)} <input type="hidden" name="email" value="${view.email}" />`,
      )}
      ${backToSignIn(t, form)}`,
    brand,
  );
}

const LINK_PAGES: Record<LinkProblem, { title: MessageKey; message: MessageKey }> = {
  used: { title: 'page.link.used.title', message: 'page.link.used.message' },
  expired: { title: 'page.link.expired.title', message: 'page.link.expired.message' },
  invalid: { title: 'page.link.invalid.title', message: 'page.link.invalid.message' },
};

function linkPage(
  t: Translator,
  problem: LinkProblem,
  again: string | undefined,
  brand: Brand,
): SafeHtml {
  const { title, message } = LINK_PAGES[problem];
  return messagePage(
    {
      title: { key: title },
      message: { key: message },
      back: again ? { href: again, text: t.text('page.link.again') } : undefined,
    },
    t,
    brand,
  );
}

/** A finished step: what happened, and the way back to the sign-in or what to do instead. */
function donePage(
  t: Translator,
  title: MessageKey,
  message: Text,
  continueUrl: string | undefined,
  noBack: MessageKey,
  brand: Brand,
): SafeHtml {
  return messagePage(
    {
      title: { key: title },
      message,
      next: continueUrl ? undefined : { key: noBack },
      back: continueUrl
        ? { href: continueUrl, text: t.text('page.selfService.continue') }
        : undefined,
    },
    t,
    brand,
  );
}

export function recoveryPage(
  view: RecoveryView,
  form: BoundForm,
  t: Translator,
  brand: Brand = UNBRANDED,
): SafeHtml {
  if (view.page === 'sent') {
    return sentPage(t, 'page.sent.recovery', view, '/recovery', form, brand);
  }
  return layout(
    t,
    t.text('page.recovery.title'),
    html`<h1>${t.text('page.recovery.heading')}</h1>
      <p>${t.text('page.recovery.lead')}</p>
      ${alert(t, view.error)}
      <form method="post" action="/recovery">
        ${hiddenFields(form)} ${emailField(t, view.email, view.error, view.invalidEmail === true)}
        ${submit(t.text('page.recovery.submit'))}
      </form>
      ${backToSignIn(t, form)}`,
    brand,
  );
}

export function resetPage(
  view: ResetView,
  form: BoundForm,
  t: Translator,
  brand: Brand = UNBRANDED,
): SafeHtml {
  if (view.page === 'link') return linkPage(t, view.problem, view.again, brand);
  if (view.page === 'done') {
    return donePage(
      t,
      'page.reset.done.title',
      { key: 'page.reset.done.message' },
      view.continueUrl,
      'page.reset.done.noBack',
      brand,
    );
  }
  return layout(
    t,
    t.text('page.reset.title'),
    html`<h1>${t.text('page.reset.heading')}</h1>
      <p>${say(t, 'page.reset.lead', { email: named(view.email) })}</p>
      ${alert(t, view.error)}
      <form method="post" action="/recovery/reset">
        ${hiddenFields(form)}
        <input type="hidden" name="username" value="${view.email}" autocomplete="username" />
        ${newPasswordField(t, view.error)} ${submit(t.text('page.reset.submit'))}
      </form>`,
    brand,
  );
}

export function signUpPage(
  view: SignUpView,
  form: BoundForm,
  t: Translator,
  brand: Brand = UNBRANDED,
): SafeHtml {
  if (view.page === 'sent') return sentPage(t, 'page.sent.signUp', view, '/signup', form, brand);
  return layout(
    t,
    t.text('page.signUp.title'),
    html`<h1>${t.text('page.signUp.heading')}</h1>
      <p>${t.text('page.signUp.lead')}</p>
      ${view.domains && !view.error ? domainsNote(t, view.domains) : ''} ${alert(t, view.error)}
      <form method="post" action="/signup">
        ${hiddenFields(form)} ${emailField(t, view.email, view.error, view.invalidEmail === true)}
        ${submit(t.text('page.signUp.submit'))}
      </form>
      ${backToSignIn(t, form)}`,
    brand,
  );
}

export function completeSignUpPage(
  view: CompleteSignUpView,
  form: BoundForm,
  t: Translator,
  brand: Brand = UNBRANDED,
): SafeHtml {
  if (view.page === 'link') return linkPage(t, view.problem, view.again, brand);
  if (view.page === 'done') {
    return donePage(
      t,
      'page.signUpDone.title',
      { key: 'page.signUpDone.message', params: { email: view.email } },
      view.continueUrl,
      'page.signUpDone.noBack',
      brand,
    );
  }
  if (view.page === 'exists') {
    return donePage(
      t,
      'page.signUpExists.title',
      { key: 'page.signUpExists.message' },
      view.continueUrl,
      'page.signUpDone.noBack',
      brand,
    );
  }
  return layout(
    t,
    t.text('page.signUpComplete.title'),
    html`<h1>${t.text('page.signUpComplete.heading')}</h1>
      <p>${say(t, 'page.signUpComplete.lead', { email: named(view.email) })}</p>
      ${alert(t, view.error)}
      <form method="post" action="/signup/complete">
        ${hiddenFields(form)}
        <input type="hidden" name="username" value="${view.email}" autocomplete="username" />
        <label for="name">${t.text('page.signUpComplete.name')}</label>
        <input
          id="name"
          name="name"
          type="text"
          autocomplete="name"
          maxlength="${MAX_NAME_LENGTH}"
          value="${view.name}"
        />
        ${newPasswordField(t, view.error)} ${submit(t.text('page.signUpComplete.submit'))}
      </form>`,
    brand,
  );
}

export function verifyPage(
  view: VerifyView,
  form: BoundForm,
  t: Translator,
  brand: Brand = UNBRANDED,
): SafeHtml {
  if (view.page === 'link') return linkPage(t, view.problem, view.again, brand);
  if (view.page === 'done') {
    return donePage(
      t,
      'page.verifyDone.title',
      { key: 'page.verifyDone.message', params: { email: view.email } },
      view.continueUrl,
      'page.verifyDone.noBack',
      brand,
    );
  }
  if (view.page === 'changed' || view.page === 'taken') return emailChangedPage(view, t, brand);
  const change = view.page === 'change-form';
  return layout(
    t,
    t.text(change ? 'page.emailChange.title' : 'page.verify.title'),
    html`<h1>${t.text(change ? 'page.emailChange.heading' : 'page.verify.heading')}</h1>
      <p>
        ${say(t, change ? 'page.emailChange.lead' : 'page.verify.lead', {
          email: named(view.email),
        })}
      </p>
      <form method="post" action="/verify">
        ${hiddenFields(form)}
        ${submit(t.text(change ? 'page.emailChange.submit' : 'page.verify.submit'))}
      </form>`,
    brand,
  );
}

/** An email change's end: the new address, or why it is not (another account has it). */
function emailChangedPage(
  view: Extract<VerifyView, { page: 'changed' | 'taken' }>,
  t: Translator,
  brand: Brand,
): SafeHtml {
  const changed = view.page === 'changed';
  return messagePage(
    {
      title: { key: changed ? 'page.emailChange.done.title' : 'page.emailChange.taken.title' },
      message: {
        key: changed ? 'page.emailChange.done.message' : 'page.emailChange.taken.message',
        params: { email: view.email },
      },
      back: { href: '/account', text: t.text('page.account.open') },
    },
    t,
    brand,
  );
}

/**
 * After a sign-in with the right password, for an unverified address (REQUIRE_VERIFIED_EMAIL):
 * "send me a link", a form of the sign-in (its challenge and CSRF token) with the signed step.
 */
export function verificationStepPage(
  view: { email: string; step: string },
  form: FormContext,
  t: Translator,
  brand: Brand = UNBRANDED,
): SafeHtml {
  return layout(
    t,
    t.text('page.verify.title'),
    html`<h1>${t.text('page.verify.heading')}</h1>
      <p>${say(t, 'page.verify.needed', { email: named(view.email) })}</p>
      <form method="post" action="/verify/send">
        ${formContext(form)}
        <input type="hidden" name="step" value="${view.step}" />
        ${submit(t.text('page.verify.send'))}
      </form>`,
    brand,
  );
}

/** POST /verify/send: the link was mailed; "continue signing in" once it is confirmed. */
export function verificationSentPage(
  view: SendVerificationView,
  form: BoundForm,
  t: Translator,
  brand: Brand = UNBRANDED,
): SafeHtml {
  if (view.page === 'invalid') {
    return messagePage(
      {
        title: { key: 'error.badRequest.title' },
        message: { key: 'error.csrf' },
        back: { href: view.continueUrl, text: t.text('page.selfService.backToSignIn') },
      },
      t,
      brand,
    );
  }
  const title = t.text('page.sent.title');
  return layout(
    t,
    title,
    html`<h1>${title}</h1>
      <p>
        ${say(t, 'page.sent.verify', { email: named(view.email) })}
        ${t.text('page.sent.validFor', { count: view.validMinutes })}
      </p>
      <p><a class="back" href="${view.continueUrl}">${t.text('page.selfService.continue')}</a></p>
      ${resendForm(
        t,
        '/verify/send',
        html`${hiddenFields(form)} <input type="hidden" name="step" value="${view.step}" />`,
      )}`,
    brand,
  );
}
