/**
 * The second step of a sign-in: after the password (or a remembered session a client needs more
 * than), a code from the user's authenticator app or one of its recovery codes. It goes on only
 * from a pending sign-in the browser carries for this very challenge (shared/http/pending-sign-in.ts)
 * and, like every form, with a CSRF token for it. Codes are counted like passwords, per account
 * and source (their own counters, shared/throttle), before they are checked; a code is taken once:
 * an authenticator code only for a time step after the last one used, a recovery code only while
 * its tag is in the set, each by one conditional write.
 */
import type { HydraAdmin, OAuth2LoginRequest } from '../hydra/admin';
import { audit, log } from '../log';
import type { KnownDevice, LoginThrottle, ThrottleKeys } from '../throttle/throttle';
import { ConfigError, type PasskeySettings } from '../config';
import { open, recoveryTag, seal, type FactorKeyRing } from '../users/factor-keys';
import type { Factors, FactorStore } from '../users/factors';
import type { LoginSessions } from '../users/login-sessions';
import { normalizeRecoveryCode } from '../users/recovery-codes';
import type { IdentifierTags } from '../users/tags';
import { normalizeTotpCode, totpStep } from '../users/totp';
import type { User, UserStore } from '../users/types';
import { acrOf, PASSWORD_AND_OTP, SignInRequirementError } from './acr';
import { loginContext } from './claims';
import { clientView, uiLocalesOf } from './client';
import { completeSignIn, tooManyAttemptsMessage, type CompleteSignInDeps } from './login';
import {
  WRONG_CODE,
  type SecondFactorMethod,
  type SecondFactorOutcome,
} from './second-factor-form';
import { redirect, refused, type PendingSignIn, type Refusal } from './outcome';

export interface SecondFactorDeps extends CompleteSignInDeps {
  /** PASSKEYS: the form again offers a passkey (undefined: off). */
  passkeys?: PasskeySettings | undefined;
  hydra: HydraAdmin;
  users: Pick<UserStore, 'findById'>;
  factors: Pick<FactorStore, 'find' | 'useTotpStep' | 'useRecoveryCode'>;
  loginSessions: Pick<LoginSessions, 'record' | 'find' | 'addMethods'>;
  /** FACTOR_KEY (and FACTOR_PREVIOUS_KEYS); undefined when not configured. */
  factorKeys: FactorKeyRing | undefined;
  /** Counts codes, apart from passwords (SECOND_FACTOR_COUNTERS). */
  throttle: LoginThrottle;
  tags: IdentifierTags;
}

export interface SecondFactorSubmission {
  action: 'verify' | 'cancel';
  method: SecondFactorMethod;
  code: string;
  /** The browser's pending sign-in for this challenge, when it has a valid one. */
  pending: PendingSignIn | undefined;
  sourceIp: string | undefined;
  device: KnownDevice | undefined;
}

/** POST /login/second-factor: cancel rejects; otherwise count the code, check it, and accept. */
export async function submitSecondFactor(
  deps: SecondFactorDeps,
  challenge: string,
  submission: SecondFactorSubmission,
): Promise<SecondFactorOutcome> {
  if (submission.action === 'cancel') {
    audit('login.cancelled');
    const to = await deps.hydra.rejectLoginRequest(challenge, {
      error: 'access_denied',
      error_description: 'The user cancelled the sign-in.',
    });
    return { ...redirect(to), endPendingSignIn: true };
  }
  const { pending } = submission;
  if (!pending) throw new SignInRequirementError('second-step-expired');
  const request = await deps.hydra.getLoginRequest(challenge);
  // A step-up is for the session Hydra remembers, a first sign-in for none: never the other.
  if (request.skip !== pending.stepUp || (request.skip && request.subject !== pending.subject)) {
    throw new SignInRequirementError('second-step-expired');
  }
  const user = await deps.users.findById(pending.subject);
  if (!user?.enabled) {
    throw new SignInRequirementError('second-step-expired');
  }
  const keys: ThrottleKeys = {
    account: deps.tags.account(user.email),
    ip: submission.sourceIp,
    knownDevice: submission.device?.accounts.includes(deps.tags.account(user.email))
      ? submission.device.id
      : undefined,
  };
  const logged = { subject: user.id, client: request.client?.client_id, method: submission.method };
  const decision = await deps.throttle.attempt(keys);
  if (!decision.allowed) {
    audit('second_factor.throttled', { ...logged, limitedBy: decision.limitedBy });
    return formAgain(request, submission.method, {
      reason: 'throttled',
      retryAfterSeconds: decision.retryAfterSeconds,
    });
  }
  if (!(await codeAccepted(deps, user, submission))) {
    audit('second_factor.failure', logged);
    return formAgain(request, submission.method, { reason: 'wrong-code' });
  }
  audit('second_factor.success', logged);
  await deps.throttle
    .succeeded(keys)
    .catch((error: Error) =>
      log.warn('could not reset the throttle counters', { errorName: error.name }),
    );
  const done = pending.stepUp
    ? await acceptStepUp(deps, challenge, request, user, PASSWORD_AND_OTP)
    : await completeSignIn(deps, challenge, request, {
        user,
        amr: PASSWORD_AND_OTP,
        remember: pending.remember,
        device: submission.device,
        account: keys.account,
      });
  return { ...done, endPendingSignIn: true };
}

/**
 * Hydra remembers the sign-in (`skip`) and the user has now shown a second factor: accepted with
 * both methods (`amr`), and the session's record says so, so that it keeps counting at that level.
 */
export async function acceptStepUp(
  deps: Pick<SecondFactorDeps, 'hydra' | 'loginSessions' | 'acrLevels' | 'accessTokenClaims'>,
  challenge: string,
  request: OAuth2LoginRequest,
  user: User,
  amr: readonly string[],
) {
  const sid = request.session_id;
  if (sid) await deps.loginSessions.addMethods(sid, user.id, amr);
  audit('login.stepped_up', { subject: user.id, client: request.client?.client_id });
  return redirect(
    await deps.hydra.acceptLoginRequest(challenge, {
      subject: user.id,
      remember: true,
      amr: [...amr],
      acr: acrOf(amr, deps.acrLevels),
      context: loginContext(user, deps.accessTokenClaims),
    }),
  );
}

function keyRing(deps: SecondFactorDeps): FactorKeyRing {
  if (!deps.factorKeys)
    throw new ConfigError('FACTOR_KEY', 'is required: users have second factors');
  return deps.factorKeys;
}

/** Whether the code is one the user may use now; if it is, it is used up by the same write. */
async function codeAccepted(
  deps: SecondFactorDeps,
  user: User,
  submission: SecondFactorSubmission,
): Promise<boolean> {
  const factors: Factors | undefined = await deps.factors.find(user.id);
  const ring = keyRing(deps);
  if (submission.method === 'recovery') {
    const code = normalizeRecoveryCode(submission.code);
    const codes = factors?.recoveryCodes;
    if (!code || !codes) return false;
    const tag = recoveryTag(ring, codes.keyId, user.id, code);
    return tag !== undefined && (await deps.factors.useRecoveryCode(user.id, tag));
  }
  const code = normalizeTotpCode(submission.code);
  const totp = factors?.totp;
  if (!code || !totp) return false;
  const secret = open(ring, user.id, totp.secret);
  if (!secret) {
    log.error('a TOTP secret does not open with FACTOR_KEY or FACTOR_PREVIOUS_KEYS', {
      subject: user.id,
    });
    return false;
  }
  const step = totpStep(secret.plaintext, code, deps.now?.() ?? Date.now());
  if (step === undefined || step <= totp.lastStep) return false;
  const resealed = secret.stale ? seal(ring, user.id, secret.plaintext) : undefined;
  return deps.factors.useTotpStep(user.id, step, resealed);
}

function formAgain(
  request: OAuth2LoginRequest,
  method: SecondFactorMethod,
  refusal: Refusal,
): SecondFactorOutcome {
  return refused(refusal, {
    client: clientView(request.client),
    method,
    ...uiLocalesOf(request),
    error:
      refusal.reason === 'throttled'
        ? tooManyAttemptsMessage(refusal.retryAfterSeconds)
        : WRONG_CODE,
    invalidCode: refusal.reason === 'wrong-code',
  });
}
