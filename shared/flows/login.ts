/**
 * The login decisions. Pure over their ports (Hydra admin, user store, password hasher), so the
 * tests drive them with in-memory fakes.
 */
import type { HydraAdmin } from '../hydra/admin';
import { audit, identifierHash, log } from '../log';
import { throttleKeys, type LoginThrottle } from '../throttle/throttle';
import { normalizeIdentifier } from '../users/identifier';
import type { PasswordHasher } from '../users/password';
import { isPasswordWithinLimits } from '../users/password-policy';
import type { User, UserStore } from '../users/types';
import type { ClientView } from '../views/pages';
import { loginContext } from './claims';
import { clientView } from './client';
import { redirect, show, type Outcome } from './outcome';

export interface LoginDeps {
  hydra: HydraAdmin;
  users: UserStore;
  passwords: PasswordHasher;
  throttle: LoginThrottle;
  rememberForSeconds: number;
  accessTokenClaims: readonly string[];
}

export interface LoginForm {
  client: ClientView;
  identifier: string;
  remember: boolean;
  error?: string;
}

export type LoginOutcome = Outcome<LoginForm>;

export const MAX_IDENTIFIER_LENGTH = 254;

/** One message for every credential failure: no hint whether the account exists. */
export const INVALID_CREDENTIALS = 'The email or password is incorrect.';

/** What GET /login needs: the form reads no user; only Hydra's `skip` re-checks one by id. */
export interface StartLoginDeps {
  hydra: HydraAdmin;
  users: Pick<UserStore, 'findById'>;
  accessTokenClaims: readonly string[];
}

/** GET /login: skip when Hydra remembers the user and the user is still allowed in, else the form. */
export async function startLogin(deps: StartLoginDeps, challenge: string): Promise<LoginOutcome> {
  const request = await deps.hydra.getLoginRequest(challenge);
  const client = request.client?.client_id;
  if (request.skip) {
    const user = await deps.users.findById(request.subject);
    if (user?.enabled) {
      audit('login.skip', { subject: user.id, client });
      return redirect(
        await deps.hydra.acceptLoginRequest(challenge, {
          subject: user.id,
          context: loginContext(user, deps.accessTokenClaims),
        }),
      );
    }
    audit('login.skip_rejected', {
      subject: request.subject,
      client,
      reason: user ? 'disabled' : 'deleted',
    });
    await deps.hydra
      .revokeSubjectSessions(request.subject)
      .catch((error: Error) =>
        log.warn('could not revoke sessions', { subject: request.subject, errorName: error.name }),
      );
    return redirect(
      await deps.hydra.rejectLoginRequest(challenge, {
        error: 'login_required',
        error_description: 'The account is no longer active. Sign in again.',
      }),
    );
  }
  const hint = request.oidc_context?.login_hint ?? '';
  return show({
    client: clientView(request.client),
    identifier: hint.length <= MAX_IDENTIFIER_LENGTH ? hint : '',
    remember: false,
  });
}

export interface LoginSubmission {
  action: 'login' | 'cancel';
  identifier: string;
  password: string;
  remember: boolean;
  /** API Gateway's `requestContext.http.sourceIp`: never a header the client controls. */
  sourceIp: string | undefined;
}

export function tooManyAttemptsMessage(retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}

/** POST /login: cancel rejects; valid credentials accept; anything else re-renders one message. */
export async function submitLogin(
  deps: LoginDeps,
  challenge: string,
  submission: LoginSubmission,
): Promise<LoginOutcome> {
  if (submission.action === 'cancel') {
    audit('login.cancelled');
    return redirect(
      await deps.hydra.rejectLoginRequest(challenge, {
        error: 'access_denied',
        error_description: 'The user cancelled the sign-in.',
      }),
    );
  }
  const identifier = normalizeIdentifier(submission.identifier.slice(0, MAX_IDENTIFIER_LENGTH * 4));
  const keys = throttleKeys(identifier, submission.sourceIp);
  // Logged as a hash of the normalized identifier: `Alice@Example.com ` and `alice@example.com`
  // are one account in the logs as they are in the store.
  const loggedIdentifier = identifierHash(identifier);
  // Before any password work: a throttled attempt costs us one counter update, not a hash.
  const decision = await deps.throttle.attempt(keys);
  if (!decision.allowed) {
    audit('login.throttled', {
      identifierHash: loggedIdentifier,
      limitedBy: decision.limitedBy,
    });
    const request = await deps.hydra.getLoginRequest(challenge);
    return show(
      {
        client: clientView(request.client),
        identifier: submission.identifier.slice(0, MAX_IDENTIFIER_LENGTH),
        remember: submission.remember,
        error: tooManyAttemptsMessage(decision.retryAfterSeconds),
      },
      429,
      { 'retry-after': String(decision.retryAfterSeconds) },
    );
  }
  const user = await authenticate(deps, submission.identifier, submission.password);
  if (!user) {
    audit('login.failure', { identifierHash: loggedIdentifier });
    // Read the request only now: it names the client on the page and proves the challenge.
    const request = await deps.hydra.getLoginRequest(challenge);
    return show(
      {
        client: clientView(request.client),
        identifier: submission.identifier.slice(0, MAX_IDENTIFIER_LENGTH),
        remember: submission.remember,
        error: INVALID_CREDENTIALS,
      },
      401,
    );
  }
  const to = await deps.hydra.acceptLoginRequest(challenge, {
    subject: user.id,
    remember: submission.remember,
    remember_for: submission.remember ? deps.rememberForSeconds : 0,
    amr: ['pwd'],
    context: loginContext(user, deps.accessTokenClaims),
  });
  audit('login.success', { subject: user.id, remember: submission.remember });
  await deps.throttle
    .succeeded(keys)
    .catch((error: Error) =>
      log.warn('could not reset the throttle counters', { errorName: error.name }),
    );
  return redirect(to);
}

/**
 * The user, if the identifier and password match an enabled account. Unknown users cost the
 * same password work as known ones (a dummy verify), and disabled users are verified in full
 * before being refused, so neither the answer nor its timing tells which case it was.
 */
async function authenticate(
  deps: LoginDeps,
  identifier: string,
  password: string,
): Promise<User | undefined> {
  const wellFormed =
    identifier.trim().length > 0 &&
    identifier.length <= MAX_IDENTIFIER_LENGTH &&
    isPasswordWithinLimits(password);
  const user = wellFormed ? await deps.users.findByIdentifier(identifier) : undefined;
  if (!user) {
    await deps.passwords.verifyDummy(wellFormed ? password : password.slice(0, 256));
    return undefined;
  }
  const verified = await deps.passwords.verify(user.passwordHash, password);
  if (!verified || !user.enabled) return undefined;
  if (deps.passwords.needsRehash(user.passwordHash)) await rehash(deps, user, password);
  return user;
}

async function rehash(deps: LoginDeps, user: User, password: string): Promise<void> {
  try {
    const replaced = await deps.users.replacePasswordHash(
      user.id,
      user.passwordHash,
      await deps.passwords.hash(password),
    );
    if (replaced) audit('password.rehashed', { subject: user.id });
  } catch (error) {
    // The sign-in stands; the next one tries again.
    log.warn('password rehash failed', { subject: user.id, errorName: (error as Error).name });
  }
}
