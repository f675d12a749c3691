/**
 * The device sign-in pages (RFC 8628): the code form and "you're signed in on your device". They
 * name no device and no client: Hydra tells the login app nothing about either before the user
 * has signed in (there is no admin GET for a device request).
 */
import { MAX_USER_CODE_LENGTH, type DeviceForm } from '../flows/device';
import { html, type SafeHtml } from './html';
import { layout } from './layout';
import { formContext, messagePage, type FormContext } from './pages';

export function devicePage(view: DeviceForm, form: FormContext): SafeHtml {
  const prefilled = view.userCode !== '' && !view.error;
  return layout(
    'Sign in on a device',
    html`<h1>Sign in on a device</h1>
      <p>
        ${prefilled ? 'Check that this is the code your device shows, then continue.' : 'Enter the code your device shows.'}
      </p>
      ${view.error ? html`<div class="alert" role="alert">${view.error}</div>` : ''}
      <form method="post" action="/device">
        ${formContext(form)}
        <label for="user_code">Code</label>
        <input
          id="user_code"
          name="user_code"
          type="text"
          autocomplete="off"
          autocapitalize="off"
          spellcheck="false"
          required
          maxlength="${MAX_USER_CODE_LENGTH}"
          value="${view.userCode}"
          autofocus
        />
        <p class="links">
          Only enter a code from a device in front of you. Someone who sends you a code or a link
          with one wants their device signed in to your account.
        </p>
        <div class="actions">
          <button type="submit" class="primary">Continue</button>
        </div>
      </form>`,
  );
}

/** Hydra's `urls.device.success`: the device now gets its tokens. */
export function deviceDonePage(): SafeHtml {
  return messagePage({
    title: "You're signed in on your device",
    message: "You're signed in on your device, you can close this page.",
  });
}
