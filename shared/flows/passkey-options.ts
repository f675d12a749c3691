/**
 * What a page needs to ask the browser for a passkey, and the challenges those requests carry.
 * Light on purpose (no @simplewebauthn/server: the sign-in page, the second step and the account
 * page import it); the checks are ./passkeys.
 *
 * The challenges are stateless, each an HMAC under the cookie secret:
 *   - a sign-in's (or a second step's) is derived from Hydra's login challenge. Hydra takes a
 *     login challenge once (accepted, it is used up), so an assertion made for one sign-in cannot
 *     be replayed into another, and none can be made ahead of a sign-in without the secret;
 *   - a registration's covers the user id and when the form was made (`issued`, carried in the
 *     form): it is good for REGISTRATION_SECONDS, for that user only. A replayed registration
 *     response can only add the same credential again, which its id refuses.
 */
import { signature, signedBy, type SigningKeys } from '../http/signature';
import type { PasskeySettings } from '../config';
import type { Factors } from '../users/factors';
import { MAX_PASSKEYS, passkeyListings, type PasskeyListing } from '../users/passkeys';
import type { User } from '../users/types';
import type { Outcome } from './outcome';

/** How long the account page's "Add a passkey" form is good for. */
export const REGISTRATION_SECONDS = 5 * 60;
/** How long the browser waits for the user (milliseconds). */
const TIMEOUT_MS = 120_000;

const SIGN_IN = 'hlc-passkey-sign-in-v1';
const REGISTRATION = 'hlc-passkey-registration-v1';

export function signInChallenge(secret: string, loginChallenge: string): string {
  return signature(secret, SIGN_IN, loginChallenge);
}

export function isSignInChallenge(keys: SigningKeys, loginChallenge: string, given: string) {
  return signedBy(keys, given, SIGN_IN, loginChallenge);
}

export function registrationChallenge(secret: string, userId: string, issued: number): string {
  return signature(secret, REGISTRATION, userId, issued);
}

export function isRegistrationChallenge(
  keys: SigningKeys,
  userId: string,
  issued: number,
  given: string,
  nowSeconds: number,
): boolean {
  if (!(issued <= nowSeconds && nowSeconds - issued <= REGISTRATION_SECONDS)) return false;
  return signedBy(keys, given, REGISTRATION, userId, issued);
}

/** The user handle of our passkeys: the user id's UTF-8 bytes, base64url. */
export const userHandleOf = (userId: string) => Buffer.from(userId, 'utf8').toString('base64url');

/** A passkey form's request to the browser: the options, as the browser script takes them. */
export interface PasskeyPrompt {
  /** JSON of WebAuthn's options (PublicKeyCredential{Request,Creation}OptionsJSON). */
  options: string;
}

/**
 * For a sign-in or a second step: any of the user's passkeys (discoverable credentials, so no
 * list of ids: the page knows no user), user verification preferred (it is what makes a passkey
 * two factors by itself).
 */
export function signInPrompt(
  settings: PasskeySettings,
  secret: string,
  loginChallenge: string,
): PasskeyPrompt {
  return {
    options: JSON.stringify({
      challenge: signInChallenge(secret, loginChallenge),
      rpId: settings.rpId,
      timeout: TIMEOUT_MS,
      userVerification: 'preferred',
      allowCredentials: [],
    }),
  };
}

/** A registration prompt, and the `issued` time its form carries back. */
export interface RegistrationPrompt extends PasskeyPrompt {
  issued: number;
}

/**
 * For the account page: a discoverable credential (resident key) bound to the user id, not one
 * the user has already (`exclude`); no attestation (we trust no authenticator list: a passkey is
 * as good as the user's device); Ed25519, P-256 or RSA keys.
 */
export function registrationPrompt(
  settings: PasskeySettings,
  secret: string,
  user: Pick<User, 'id' | 'email' | 'profile'>,
  exclude: readonly string[],
  nowSeconds: number,
): RegistrationPrompt {
  return {
    issued: nowSeconds,
    options: JSON.stringify({
      challenge: registrationChallenge(secret, user.id, nowSeconds),
      rp: { id: settings.rpId, name: settings.rpName },
      user: {
        id: userHandleOf(user.id),
        name: user.email,
        displayName: user.profile.name ?? user.email,
      },
      pubKeyCredParams: [-8, -7, -257].map((alg) => ({ alg, type: 'public-key' })),
      timeout: TIMEOUT_MS,
      attestation: 'none',
      excludeCredentials: exclude.map((id) => ({ id, type: 'public-key' })),
      authenticatorSelection: {
        residentKey: 'required',
        requireResidentKey: true,
        userVerification: 'preferred',
      },
      extensions: { credProps: true },
    }),
  };
}

/**
 * The page of `outcome` with a passkey form, when passkeys are on (the sign-in page, the second
 * step). `ready`: the secrets are read (the challenge is made under the cookie secret).
 */
export async function withPasskeyPrompt<View extends { passkey?: PasskeyPrompt }>(
  outcome: Outcome<View>,
  settings: PasskeySettings | undefined,
  ready: Promise<void>,
  secret: () => string,
  loginChallenge: string,
): Promise<Outcome<View>> {
  if (!settings || outcome.kind === 'redirect') return outcome;
  await ready;
  return {
    ...outcome,
    view: { ...outcome.view, passkey: signInPrompt(settings, secret(), loginChallenge) },
  };
}

/** The account page's Passkeys section. */
export interface PasskeysSection {
  list: PasskeyListing[];
  /** The "Add a passkey" form's request; none when the user has MAX_PASSKEYS. */
  prompt: RegistrationPrompt | undefined;
}

/** What the account page needs for its Passkeys section (PASSKEYS on). */
export interface PasskeyPage {
  settings: PasskeySettings;
  /** The cookie secret: readable once the route has read the secrets. */
  secret(): string;
  now?: () => number;
}

/** The account page's passkeys: the user's (from the factors the page has read) and a prompt. */
export function passkeysSection(
  page: PasskeyPage,
  user: User,
  factors: Factors | undefined,
): PasskeysSection {
  const list = passkeyListings(factors?.passkeys);
  const nowSeconds = Math.floor((page.now?.() ?? Date.now()) / 1000);
  return {
    list,
    prompt:
      list.length < MAX_PASSKEYS
        ? registrationPrompt(
            page.settings,
            page.secret(),
            user,
            list.map((passkey) => passkey.id),
            nowSeconds,
          )
        : undefined,
  };
}
