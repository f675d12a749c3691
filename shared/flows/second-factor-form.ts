/**
 * The second step's form (GET /login/second-factor): what it shows, and who may see it. Apart
 * from ./second-factor, which checks codes: this function's bundle has no `otpauth`, no AWS SDK.
 */
import type { PasskeySettings } from '../config';
import type { HydraAdmin } from '../hydra/admin';
import type { Text } from '../i18n/messages';
import { SignInRequirementError } from './acr';
import { clientView, uiLocalesOf, type ClientView } from './client';
import { show, type Outcome, type PendingSignIn } from './outcome';
import type { PasskeyPrompt } from './passkey-options';

export type SecondFactorMethod = 'totp' | 'recovery' | 'passkey';

export interface SecondFactorForm {
  client: ClientView;
  method: SecondFactorMethod;
  error?: Text;
  /** The error is about the code typed. */
  invalidCode?: boolean;
  uiLocales?: readonly string[];
  /** Passkeys are on: the passkey form's request (shown by the browser script). */
  passkey?: PasskeyPrompt;
}

export type SecondFactorOutcome = Outcome<SecondFactorForm>;

export interface StartSecondFactorDeps {
  /** PASSKEYS: the pages offer a passkey (undefined: off). */
  passkeys?: PasskeySettings | undefined;
  hydra: HydraAdmin;
}

export const WRONG_CODE: Text = { key: 'page.secondFactor.wrongCode' };

/** GET /login/second-factor: the code form, for a browser with a pending sign-in for it. */
export async function startSecondFactor(
  deps: StartSecondFactorDeps,
  challenge: string,
  pending: PendingSignIn | undefined,
  method: SecondFactorMethod,
): Promise<SecondFactorOutcome> {
  if (!pending) throw new SignInRequirementError('second-step-expired');
  const request = await deps.hydra.getLoginRequest(challenge);
  return show({ client: clientView(request.client), method, ...uiLocalesOf(request) });
}
