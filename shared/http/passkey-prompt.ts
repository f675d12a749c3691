/**
 * The pages with a passkey form (the sign-in page, the second step): a form route's handle whose
 * page, when passkeys are on, carries the passkey request for its challenge (made under the
 * cookie secret, once the secrets are read). Light: no @simplewebauthn/server.
 */
import type { PasskeySettings } from '../config';
import type { PasskeyPrompt } from '../flows/passkey-options';
import { withPasskeyPrompt } from '../flows/passkey-options';
import type { FormHandler } from './form-route';
import type { RouteDeps } from './pipeline';

export function offeringPasskey<
  Deps extends RouteDeps & { passkeys?: PasskeySettings | undefined },
  View extends { passkey?: PasskeyPrompt },
>(handle: FormHandler<Deps, View>): FormHandler<Deps, View> {
  return async (form, deps) =>
    withPasskeyPrompt(
      await handle(form, deps),
      deps.passkeys,
      form.ready,
      () => deps.web.secret,
      form.challenge,
    );
}
