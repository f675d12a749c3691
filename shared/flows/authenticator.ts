/**
 * The account page's authenticator app (two-step sign-in): enrolling one (./enrolment: the QR
 * code and the secret, confirmed by the app's first code, then the recovery codes, shown once),
 * new recovery codes (the old ones stop working), and removing the app, which ends the user's
 * other sessions as a password change does.
 *
 * What each change asks for:
 *   - every one, a fresh sign-in: the account session authenticated in the last
 *     FRESH_SIGN_IN_SECONDS (a remembered sign-in of days ago is not enough; the HTTP side sends
 *     the browser through Hydra with `prompt=login` again, which for a user with an app runs the
 *     second step too);
 *   - the enrolment, the app's first code, counted like a second step's (per account and source);
 *   - new recovery codes and the removal, the current password, counted like a sign-in's. Not a
 *     current code: a user who lost the phone signs in with a recovery code and must then be able
 *     to remove the lost app and make new codes, and the fresh sign-in has just asked for the
 *     second factor anyway. The password is what every such user still has.
 */
import type { MessageKey } from '../i18n/messages';
import { audit, log } from '../log';
import type { KnownDevice, LoginThrottle, ThrottleKeys } from '../throttle/throttle';
import type { FactorKeyRing } from '../users/factor-keys';
import type { FactorStore } from '../users/factors';
import type { User } from '../users/types';
import {
  accountView,
  sessionAfterMark,
  type AccountDeps,
  type AccountNotice,
  type AccountSessionClaim,
  type AccountView,
} from './account';
import { checkCurrentPassword, type CurrentPassword } from './current-password';
import { enrolmentAgain, startEnrolment, submitEnrolment, type EnrolmentView } from './enrolment';
import { DEFAULT_TOTP_ISSUER, renewRecoveryCodes, resetFactors } from './factors';
import { tooManyAttemptsMessage } from './login';

/** How recent the account session's sign-in must be to change two-step sign-in (seconds). */
export const FRESH_SIGN_IN_SECONDS = 15 * 60;

/** Whether the account session's user authenticated recently enough for these changes. */
export function isFreshSignIn(session: AccountSessionClaim, nowSeconds: number): boolean {
  return nowSeconds - session.authTime <= FRESH_SIGN_IN_SECONDS;
}

export interface AuthenticatorDeps extends AccountDeps {
  factors: Pick<FactorStore, 'find' | 'enrol' | 'replaceRecoveryCodes' | 'reset'>;
  /** FACTOR_KEY (and FACTOR_PREVIOUS_KEYS); undefined when not configured. */
  factorKeys: FactorKeyRing | undefined;
  /** Counts the enrolment's codes, as the second step's (SECOND_FACTOR_COUNTERS). */
  codeThrottle: LoginThrottle;
  /** The name authenticator apps show beside the account (BRAND_NAME); undefined: a generic one. */
  issuer: string | undefined;
  now?: () => number;
}

export type AuthenticatorAction =
  | {
      action: 'enrol';
      /** The new secret, sealed for this user, as the scan page's form carries it. */
      sealed: string;
      code: string;
      sourceIp: string | undefined;
      device: KnownDevice | undefined;
    }
  | ({ action: 'recovery-codes' } & CurrentPassword)
  | ({ action: 'remove' } & CurrentPassword);

export type AuthenticatorResult =
  /** The enrolment's pages: the QR code (again, with what was wrong), or the recovery codes. */
  | { kind: 'enrolment'; view: EnrolmentView; refused?: 'wrong-code' }
  | { kind: 'enrolment'; view: EnrolmentView; refused: 'throttled'; retryAfterSeconds: number }
  /** The account page again, with what was wrong beside the section; nothing changed. */
  | { kind: 'refused'; view: AccountView }
  | { kind: 'throttled'; view: AccountView; retryAfterSeconds: number }
  /** Back to the account page, with a notice; `session`: this browser's, issued again. */
  | { kind: 'done'; notice?: AccountNotice; session?: AccountSessionClaim };

const enrolmentDeps = (deps: AuthenticatorDeps) => ({
  factors: deps.factors,
  factorKeys: deps.factorKeys,
  issuer: deps.issuer ?? DEFAULT_TOTP_ISSUER,
  now: deps.now,
});

/** GET /account/authenticator: the QR code of a new secret; an app enrolled already: back. */
export async function startAuthenticator(
  deps: AuthenticatorDeps,
  user: User,
): Promise<AuthenticatorResult> {
  if ((await deps.factors.find(user.id))?.totp) return { kind: 'done' };
  return { kind: 'enrolment', view: startEnrolment(enrolmentDeps(deps), user).view };
}

export async function submitAuthenticator(
  deps: AuthenticatorDeps,
  user: User,
  action: AuthenticatorAction,
): Promise<AuthenticatorResult> {
  const factors = await deps.factors.find(user.id);
  switch (action.action) {
    case 'enrol':
      // Another tab enrolled one meanwhile: this page's secret is not put over it.
      if (factors?.totp) return { kind: 'done' };
      return enrol(deps, user, action);
    case 'recovery-codes':
    case 'remove': {
      if (!factors?.totp) return refuse(deps, user, 'account.authenticator.none');
      const check = await checkCurrentPassword(deps, user, action);
      if (check.verdict === 'throttled') {
        audit('second_factor.password_throttled', { subject: user.id, limitedBy: check.limitedBy });
        return {
          kind: 'throttled',
          view: await accountView(deps, user, {
            error: { form: 'authenticator', text: tooManyAttemptsMessage(check.retryAfterSeconds) },
          }),
          retryAfterSeconds: check.retryAfterSeconds,
        };
      }
      if (check.verdict === 'wrong') {
        audit('second_factor.password_refused', { subject: user.id, change: action.action });
        return refuse(deps, user, 'account.password.wrongCurrent');
      }
      return action.action === 'remove' ? remove(deps, user) : renew(deps, user);
    }
  }
}

async function enrol(
  deps: AuthenticatorDeps,
  user: User,
  form: Extract<AuthenticatorAction, { action: 'enrol' }>,
): Promise<AuthenticatorResult> {
  const account = deps.tags.account(user.email);
  const keys: ThrottleKeys = {
    account,
    ip: form.sourceIp,
    knownDevice: form.device?.accounts.includes(account) ? form.device.id : undefined,
  };
  const decision = await deps.codeThrottle.attempt(keys);
  if (!decision.allowed) {
    audit('second_factor.enrol_throttled', { subject: user.id, limitedBy: decision.limitedBy });
    const error = tooManyAttemptsMessage(decision.retryAfterSeconds);
    return {
      kind: 'enrolment',
      view: enrolmentAgain(enrolmentDeps(deps), user, form.sealed, error),
      refused: 'throttled',
      retryAfterSeconds: decision.retryAfterSeconds,
    };
  }
  const outcome = await submitEnrolment(enrolmentDeps(deps), user, form);
  if (outcome.kind === 'refused') {
    audit('second_factor.enrol_refused', { subject: user.id });
    return { kind: 'enrolment', view: outcome.view, refused: 'wrong-code' };
  }
  if (outcome.kind === 'show' && outcome.view.page === 'done') {
    await deps.codeThrottle
      .succeeded(keys)
      .catch((error: Error) =>
        log.warn('could not reset the throttle counters', { errorName: error.name }),
      );
  }
  // The recovery codes; or, for a form whose secret does not open for this user, a new QR code.
  return { kind: 'enrolment', view: outcome.view };
}

async function renew(deps: AuthenticatorDeps, user: User): Promise<AuthenticatorResult> {
  if (!deps.factorKeys) return refuse(deps, user, 'account.authenticator.none');
  const recoveryCodes = await renewRecoveryCodes(
    { factors: deps.factors, keys: deps.factorKeys, now: deps.now },
    user,
  );
  // Removed meanwhile (another tab, an operator).
  if (!recoveryCodes) return refuse(deps, user, 'account.authenticator.none');
  audit('second_factor.recovery_codes_renewed', { subject: user.id });
  return { kind: 'enrolment', view: { page: 'done', recoveryCodes, renewed: true } };
}

async function remove(deps: AuthenticatorDeps, user: User): Promise<AuthenticatorResult> {
  const { sessions } = await resetFactors(deps, user);
  audit('second_factor.removed', { subject: user.id, method: 'totp' });
  if (sessions.status !== 'changed') return { kind: 'done', notice: 'authenticator-removed' };
  if (sessions.hydra === 'failed') {
    // The mark stands: the skip path and the token hook refuse every session before it.
    log.error('account: revoking at Hydra failed', { reason: sessions.error.message });
  }
  // Every other session ended; this browser's goes on (the password was just typed here).
  const session = sessionAfterMark(sessions.user);
  return { kind: 'done', notice: 'authenticator-removed', ...(session ? { session } : {}) };
}

async function refuse(
  deps: AuthenticatorDeps,
  user: User,
  key: MessageKey,
): Promise<AuthenticatorResult> {
  return {
    kind: 'refused',
    view: await accountView(deps, user, { error: { form: 'authenticator', text: { key } } }),
  };
}
