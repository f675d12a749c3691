/**
 * The one script our pages carry (only when passkeys are on): it makes a passkey form work.
 * Each form marked `data-passkey="get"` (sign in, or the second step) or `"create"` (the account
 * page) is hidden until this script shows it, in a browser that has WebAuthn; pages without
 * JavaScript keep their password and code forms. On submit it asks the browser for the passkey
 * with the options the page carries (`data-options`, made by the server), puts the answer in the
 * form's `response` field and posts the form as usual (CSRF token and all). If the browser or the
 * user gives up, the form's own message (`[data-passkey-error]`) is shown and nothing is posted.
 *
 * Built by `npm run build:passkey-script` (esbuild) into browser/passkey.js, which is committed:
 * the pages read it at run time (shared/views/passkey-script.ts) and allow it by its hash.
 */
import {
  browserSupportsWebAuthn,
  startAuthentication,
  startRegistration,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';

async function answer(form: HTMLFormElement): Promise<string> {
  // The server's options (shared/flows/passkey-options.ts).
  const options: unknown = JSON.parse(form.dataset.options ?? '{}');
  const result =
    form.dataset.passkey === 'create'
      ? await startRegistration({
          optionsJSON: options as PublicKeyCredentialCreationOptionsJSON,
        })
      : await startAuthentication({
          optionsJSON: options as PublicKeyCredentialRequestOptionsJSON,
        });
  return JSON.stringify(result);
}

function wire(form: HTMLFormElement): void {
  const error = form.querySelector<HTMLElement>('[data-passkey-error]');
  const field = form.querySelector<HTMLInputElement>('input[name="response"]');
  if (!field) return;
  let busy = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) return;
    busy = true;
    if (error) error.hidden = true;
    answer(form)
      .then((response) => {
        field.value = response;
        form.submit();
      })
      .catch(() => {
        busy = false;
        if (error) error.hidden = false;
      });
  });
  form.hidden = false;
}

if (browserSupportsWebAuthn()) {
  document.querySelectorAll<HTMLFormElement>('form[data-passkey]').forEach(wire);
}
