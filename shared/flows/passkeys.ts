/**
 * Passkeys (WebAuthn, through @simplewebauthn/server): signing in with one instead of a
 * password, using one as the second step after a password (or to step a remembered session
 * up), and adding and removing them on the account page. Only the function of the passkey POSTs
 * (functions/passkey-post.ts) and the account's (functions/account-passkey-post.ts) import this
 * module: the library stays off every other cold start.
 *
 * An assertion is checked against the challenge derived from this sign-in's login challenge
 * (./passkey-options), the configured origins and RP ID, and the public key stored under the
 * credential id; the user is the credential's user handle (our user id: one read finds the
 * user's factors item). A user who is gone or disabled, a credential not (or no longer) stored,
 * a bad signature or a counter that went backwards are all refused with the same message. The
 * counter check is ours (the library is given 0): a counter that does not grow, where the
 * authenticator keeps one, means a cloned key, and is logged. A use is recorded only at the
 * counter it was read with (one conditional write): two uses of one assertion, one wins.
 * Assertions are not guessable, so they are not throttled as codes are.
 *
 * `amr` (RFC 8176): `hwk` for a key that cannot leave its authenticator (not backup eligible),
 * `swk` for a synced one (backup eligible: copies of it live in software we cannot vouch for);
 * `user` when the authenticator verified the user; `mfa` for two factors: a password and a
 * passkey, or a user-verified passkey alone (./acr says why that is the higher level).
 */
import {
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { PasskeySettings } from '../config';

import type { SigningKeys } from '../http/signature';
import type { Text } from '../i18n/messages';
import { audit, log } from '../log';
import type { KnownDevice } from '../throttle/throttle';
import type { FactorStore } from '../users/factors';
import {
  CREDENTIAL_ID,
  MAX_PASSKEY_NAME_LENGTH,
  type PasskeyStore,
  type PasskeyTransport,
  type StoredPasskey,
} from '../users/passkeys';
import type { IdentifierTags } from '../users/tags';
import type { User, UserStore } from '../users/types';
import { levelOf, neededLevel, reaches, SignInRequirementError } from './acr';
import { clientView, uiLocalesOf } from './client';
import { completeSignIn, type CompleteSignInDeps, type LoginOutcome } from './login';
import type { PendingSignIn } from './outcome';
import { refused } from './outcome';
import { isRegistrationChallenge, isSignInChallenge, signInPrompt } from './passkey-options';
import { acceptStepUp } from './second-factor';
import type { SecondFactorOutcome } from './second-factor-form';

export interface PasskeyDeps extends CompleteSignInDeps {
  users: Pick<UserStore, 'findById'>;
  factors: Pick<FactorStore, 'find'> & Pick<PasskeyStore, 'usePasskey'>;
  loginSessions: CompleteSignInDeps['loginSessions'] & {
    addMethods(sid: string, subject: string, amr: readonly string[]): Promise<void>;
  };
  passkeys: PasskeySettings;
  /** The cookie secret (and the previous one, during a rotation): the challenges' key. */
  keys: SigningKeys;
  tags: Pick<IdentifierTags, 'account'>;
}

/** One message for every passkey that cannot be used: no hint which check failed. */
export const PASSKEY_FAILED: Text = { key: 'page.passkey.failed' };

/** A response as the browser script posts it: JSON, of a size a real one has. */
const MAX_RESPONSE_LENGTH = 16 * 1024;

function parsed<T extends { id: string; response: object }>(text: string): T | undefined {
  if (text.length === 0 || text.length > MAX_RESPONSE_LENGTH) return undefined;
  try {
    const value = JSON.parse(text) as Partial<T> | null;
    if (
      typeof value !== 'object' ||
      value === null ||
      typeof value.id !== 'string' ||
      !CREDENTIAL_ID.test(value.id) ||
      typeof value.response !== 'object' ||
      value.response === null
    ) {
      return undefined;
    }
    return value as T;
  } catch {
    return undefined;
  }
}

/** Our user id from a user handle (base64url of its UTF-8 bytes). */
function subjectOf(response: AuthenticationResponseJSON): string | undefined {
  const handle = response.response.userHandle;
  if (typeof handle !== 'string' || !/^[A-Za-z0-9_-]{1,128}$/.test(handle)) return undefined;
  return Buffer.from(handle, 'base64url').toString('utf8');
}

/** What a checked assertion proved. */
interface Asserted {
  user: User;
  /** The passkey's methods (RFC 8176): `hwk` or `swk`, and `user` when the user was verified. */
  methods: string[];
  userVerified: boolean;
}

type Failure =
  | 'malformed'
  | 'unknown-user'
  | 'other-user'
  | 'unknown-credential'
  | 'not-verified'
  | 'counter-regressed'
  | 'raced';

/**
 * Checks an assertion for `loginChallenge`: the user it names (or `subject`'s, in a second
 * step), their stored credential, the signature, origin, RP ID and challenge, the counter; and
 * records the use.
 */
export async function checkAssertion(
  deps: Pick<PasskeyDeps, 'users' | 'factors' | 'passkeys' | 'keys' | 'now'>,
  loginChallenge: string,
  text: string,
  subject?: string,
): Promise<Asserted | { failure: Failure }> {
  const response = parsed<AuthenticationResponseJSON>(text);
  if (!response) return { failure: 'malformed' };
  const named = subjectOf(response);
  if (named === undefined) return { failure: 'malformed' };
  if (subject !== undefined && named !== subject) return { failure: 'other-user' };
  const [user, factors] = await Promise.all([deps.users.findById(named), deps.factors.find(named)]);
  if (!user?.enabled) return { failure: 'unknown-user' };
  const stored = factors?.passkeys?.[response.id];
  if (!stored) return { failure: 'unknown-credential' };
  let info;
  try {
    const verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: (given) => isSignInChallenge(deps.keys, loginChallenge, given),
      expectedOrigin: deps.passkeys.origins,
      expectedRPID: deps.passkeys.rpId,
      credential: {
        id: response.id,
        publicKey: new Uint8Array(Buffer.from(stored.publicKey, 'base64url')),
        counter: 0,
        transports: stored.transports,
      },
      requireUserVerification: false,
    });
    if (!verified.verified) return { failure: 'not-verified' };
    info = verified.authenticationInfo;
  } catch {
    // The library's messages can quote the challenge: never logged.
    return { failure: 'not-verified' };
  }
  if ((stored.counter > 0 || info.newCounter > 0) && info.newCounter <= stored.counter) {
    log.warn('a passkey counter did not grow: a cloned authenticator?', {
      subject: user.id,
      stored: stored.counter,
      given: info.newCounter,
    });
    return { failure: 'counter-regressed' };
  }
  const used = await deps.factors.usePasskey(user.id, response.id, {
    previousCounter: stored.counter,
    counter: info.newCounter,
    backedUp: info.credentialBackedUp,
    usedAt: new Date(deps.now?.() ?? Date.now()).toISOString(),
  });
  if (!used) return { failure: 'raced' };
  const methods = [stored.deviceType === 'multiDevice' ? 'swk' : 'hwk'];
  if (info.userVerified) methods.push('user');
  return { user, methods, userVerified: info.userVerified };
}

export interface PasskeySubmission {
  /** The browser's answer (the script's JSON). */
  response: string;
  device: KnownDevice | undefined;
}

/** POST /login/passkey: a passkey instead of the password. */
export async function signInWithPasskey(
  deps: PasskeyDeps,
  challenge: string,
  submission: PasskeySubmission,
): Promise<LoginOutcome> {
  const request = await deps.hydra.getLoginRequest(challenge);
  const needed = neededLevel(request, deps.acrLevels);
  const client = request.client?.client_id;
  const checked = await checkAssertion(deps, challenge, submission.response);
  if ('failure' in checked) {
    audit('passkey.failure', { client, reason: checked.failure });
    return refused(
      { reason: 'wrong-credentials' },
      {
        client: clientView(request.client),
        ...uiLocalesOf(request),
        identifier: '',
        remember: false,
        error: PASSKEY_FAILED,
        passkey: signInPrompt(deps.passkeys, deps.keys.secret, challenge),
      },
    );
  }
  const { user } = checked;
  const amr = checked.userVerified ? [...checked.methods, 'mfa'] : checked.methods;
  if (!reaches(levelOf(amr), needed)) {
    // A passkey without user verification is one factor: the password form's second step is
    // the way to more.
    audit('login.second_factor_missing', { subject: user.id, client });
    throw new SignInRequirementError('no-second-factor');
  }
  audit('passkey.success', { subject: user.id, client, userVerified: checked.userVerified });
  return completeSignIn(deps, challenge, request, {
    user,
    amr,
    remember: false,
    device: submission.device,
    account: deps.tags.account(user.email),
  });
}

/** POST /login/second-factor/passkey: a passkey as the second step of the pending sign-in. */
export async function passkeySecondFactor(
  deps: PasskeyDeps,
  challenge: string,
  submission: PasskeySubmission & { pending: PendingSignIn | undefined },
): Promise<SecondFactorOutcome> {
  const { pending } = submission;
  if (!pending) throw new SignInRequirementError('second-step-expired');
  const request = await deps.hydra.getLoginRequest(challenge);
  if (request.skip !== pending.stepUp || (request.skip && request.subject !== pending.subject)) {
    throw new SignInRequirementError('second-step-expired');
  }
  const client = request.client?.client_id;
  const checked = await checkAssertion(deps, challenge, submission.response, pending.subject);
  if ('failure' in checked) {
    audit('second_factor.failure', {
      subject: pending.subject,
      client,
      method: 'passkey',
      reason: checked.failure,
    });
    return {
      ...refused(
        { reason: 'wrong-code' },
        {
          client: clientView(request.client),
          method: 'passkey',
          ...uiLocalesOf(request),
          error: PASSKEY_FAILED,
          passkey: signInPrompt(deps.passkeys, deps.keys.secret, challenge),
        },
      ),
    };
  }
  const { user } = checked;
  const amr = ['pwd', ...checked.methods, 'mfa'];
  audit('second_factor.success', { subject: user.id, client, method: 'passkey' });
  const done = pending.stepUp
    ? await acceptStepUp(deps, challenge, request, user, amr)
    : await completeSignIn(deps, challenge, request, {
        user,
        amr,
        remember: pending.remember,
        device: submission.device,
        account: deps.tags.account(user.email),
      });
  return { ...done, endPendingSignIn: true };
}

/** What the account page's passkey forms need. */
export interface PasskeyAccountDeps {
  factors: Pick<FactorStore, 'find'> & Pick<PasskeyStore, 'addPasskey' | 'removePasskey'>;
  passkeys: PasskeySettings;
  keys: SigningKeys;
  now?: () => number;
}

export type PasskeyAccountAction =
  | { action: 'add'; name: string; issued: number; response: string }
  | { action: 'remove'; id: string };

export type PasskeyAccountResult =
  | { kind: 'done'; notice: 'passkey-added' | 'passkey-removed' }
  /** Nothing changed: the account page again, saying this. */
  | { kind: 'refused'; text: Text };

const TRANSPORTS: readonly PasskeyTransport[] = [
  'ble',
  'cable',
  'hybrid',
  'internal',
  'nfc',
  'smart-card',
  'usb',
];

/** The account page's "Add a passkey" and "Remove". */
export async function changePasskeys(
  deps: PasskeyAccountDeps,
  user: User,
  action: PasskeyAccountAction,
): Promise<PasskeyAccountResult> {
  if (action.action === 'remove') {
    const removed = await deps.factors.removePasskey(user.id, action.id);
    if (!removed) return { kind: 'refused', text: { key: 'account.passkeys.notFound' } };
    audit('account.passkey_removed', { subject: user.id });
    return { kind: 'done', notice: 'passkey-removed' };
  }
  const name = action.name.trim();
  if (name.length === 0 || name.length > MAX_PASSKEY_NAME_LENGTH) {
    return { kind: 'refused', text: { key: 'account.passkeys.badName' } };
  }
  const response = parsed<RegistrationResponseJSON>(action.response);
  const nowMs = deps.now?.() ?? Date.now();
  const nowSeconds = Math.floor(nowMs / 1000);
  if (!response) return { kind: 'refused', text: { key: 'account.passkeys.failed' } };
  let info;
  try {
    const verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: (given) =>
        isRegistrationChallenge(deps.keys, user.id, action.issued, given, nowSeconds),
      expectedOrigin: deps.passkeys.origins,
      expectedRPID: deps.passkeys.rpId,
      requireUserVerification: false,
    });
    if (!verified.verified) return { kind: 'refused', text: { key: 'account.passkeys.failed' } };
    info = verified.registrationInfo;
  } catch {
    audit('account.passkey_refused', { subject: user.id });
    return { kind: 'refused', text: { key: 'account.passkeys.failed' } };
  }
  const passkey: StoredPasskey = {
    publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
    counter: info.credential.counter,
    name,
    transports: (info.credential.transports ?? []).filter((t): t is PasskeyTransport =>
      TRANSPORTS.includes(t as PasskeyTransport),
    ),
    deviceType: info.credentialDeviceType,
    backedUp: info.credentialBackedUp,
    createdAt: new Date(nowMs).toISOString(),
  };
  const added = await deps.factors.addPasskey(user.id, info.credential.id, passkey);
  if (!added) return { kind: 'refused', text: { key: 'account.passkeys.notAdded' } };
  audit('account.passkey_added', {
    subject: user.id,
    synced: passkey.deviceType === 'multiDevice',
  });
  return { kind: 'done', notice: 'passkey-added' };
}
