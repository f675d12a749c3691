/**
 * The device sign-in pages (RFC 8628): the code form and "you're signed in on your device". They
 * name no device and no client: Hydra tells the login app nothing about either before the user
 * has signed in (there is no admin GET for a device request).
 */
import { MAX_USER_CODE_LENGTH, type DeviceForm } from '../flows/device';
import { UNBRANDED, type Brand } from '../brand/brand';
import type { Translator } from '../i18n/messages';
import { html, type SafeHtml } from './html';
import { layout } from './layout';
import { formContext, messagePage, type FormContext } from './pages';
import { textOf } from './say';

export function devicePage(
  view: DeviceForm,
  form: FormContext,
  t: Translator,
  brand: Brand = UNBRANDED,
): SafeHtml {
  const prefilled = view.userCode !== '' && !view.error;
  return layout(
    t,
    t.text('page.device.title'),
    html`<h1>${t.text('page.device.heading')}</h1>
      <p>${t.text(prefilled ? 'page.device.check' : 'page.device.enter')}</p>
      ${view.error ? html`<div class="alert" role="alert">${textOf(t, view.error)}</div>` : ''}
      <form method="post" action="/device">
        ${formContext(form)}
        <label for="user_code">${t.text('page.device.code')}</label>
        <input
          id="user_code"
          name="user_code"
          type="text"
          dir="ltr"
          autocomplete="off"
          autocapitalize="off"
          spellcheck="false"
          required
          maxlength="${MAX_USER_CODE_LENGTH}"
          value="${view.userCode}"
          autofocus
        />
        <p class="links">${t.text('page.device.warning')}</p>
        <div class="actions">
          <button type="submit" class="primary">${t.text('page.device.continue')}</button>
        </div>
      </form>`,
    brand,
  );
}

/** Hydra's `urls.device.success`: the device now gets its tokens. */
export function deviceDonePage(t: Translator, brand: Brand = UNBRANDED): SafeHtml {
  return messagePage(
    {
      title: { key: 'page.deviceDone.title' },
      message: { key: 'page.deviceDone.message' },
      notice: true,
    },
    t,
    brand,
  );
}
