/**
 * The login decisions. Pure over their ports (Hydra admin, user store, password hasher), so the
 * tests drive them with in-memory fakes.
 */
import type { PasskeySettings } from '../config';
import type { HydraAdmin, OAuth2LoginRequest } from '../hydra/admin';
import type { Text } from '../i18n/messages';
import { audit, log } from '../log';
import {
  withAccount,
  type KnownDevice,
  type LoginThrottle,
  type ThrottleKeys,
} from '../throttle/throttle';
import { MAX_IDENTIFIER_LENGTH, normalizeIdentifier } from '../users/identifier';
import type { LoginSession, LoginSessions } from '../users/login-sessions';
import type { PasswordHasher } from '../users/password';
import { isPasswordWithinLimits } from '../users/password-policy';
import { sessionVerdict, type SessionVerdict } from '../users/sessions';
import type { IdentifierTags } from '../users/tags';
import type { User, UserStore } from '../users/types';
import { hasSecondFactor, type Factors, type FactorStore } from '../users/factors';
import {
  acrOf,
  levelOf,
  neededLevel,
  reaches,
  SignInRequirementError,
  type AcrLevels,
} from './acr';
import { loginContext } from './claims';
import { clientView, uiLocalesOf, type ClientView } from './client';
import { freshSignInUrl } from './fresh-sign-in';
import { redirect, refused, show, type Outcome, type Redirect, type Refusal } from './outcome';
import type { PasskeyPrompt } from './passkey-options';
import { signVerificationStep } from './verification';

/** Which self-service links the sign-in page shows (mail configured; SIGNUP not off). */
export interface SelfServiceLinks {
  recovery: boolean;
  signUp: boolean;
}

/**
 * REQUIRE_VERIFIED_EMAIL: a user with an unverified email is asked to verify it instead of being
 * let in. The step's form (POST /verify/send, which has the mail client; this function does not)
 * carries a value signed under `secret` that names the user and this sign-in.
 */
export interface VerificationStep {
  required: boolean;
  secret: string;
  /** How long the step's form is good for (CSRF_TTL_SECONDS). */
  ttlSeconds: number;
}

export interface LoginDeps {
  /** PASSKEYS: the pages offer a passkey (undefined: off). */
  passkeys?: PasskeySettings | undefined;
  hydra: HydraAdmin;
  users: Pick<UserStore, 'findById' | 'findByIdentifier' | 'replacePasswordHash'>;
  passwords: PasswordHasher;
  throttle: LoginThrottle;
  loginSessions: LoginSessions;
  /** The users' second factors: one read after a right password. */
  factors: Pick<FactorStore, 'find'>;
  tags: IdentifierTags;
  /** LOGIN_REMEMBER_FOR: how long a sign-in with "keep me signed in" lasts. */
  rememberForSeconds: number;
  /** LOGIN_BROWSER_SESSION_MAX: the longest a sign-in without it lasts, browser open. */
  browserSessionMaxSeconds: number;
  acrLevels: AcrLevels;
  accessTokenClaims: readonly string[];
  now?: () => number;
  selfService?: SelfServiceLinks;
  verification?: VerificationStep;
}

export interface LoginForm {
  client: ClientView;
  identifier: string;
  remember: boolean;
  error?: Text;
  /** The languages the application asked for (Hydra's `oidc_context.ui_locales`). */
  uiLocales?: readonly string[];
  /** The error is about what was typed (the email and password do not match): both fields. */
  invalidCredentials?: boolean;
  /** "Forgot password?" and "Create account", when offered. */
  links?: SelfServiceLinks;
  /** The right password, an unverified email (REQUIRE_VERIFIED_EMAIL): "send me a link". */
  verifyStep?: { email: string; step: string };
  /** Passkeys are on: "Sign in with a passkey"'s request (shown by the browser script). */
  passkey?: PasskeyPrompt;
}

export type LoginOutcome = Outcome<LoginForm>;

/** One message for every credential failure: no hint whether the account exists. */
export const INVALID_CREDENTIALS: Text = { key: 'page.signIn.invalidCredentials' };

/** What GET /login needs: the form reads no user; only Hydra's `skip` re-checks one by id. */
export interface StartLoginDeps {
  /** PASSKEYS: the pages offer a passkey (undefined: off). */
  passkeys?: PasskeySettings | undefined;
  hydra: HydraAdmin;
  users: Pick<UserStore, 'findById'>;
  loginSessions: Pick<LoginSessions, 'find'>;
  /** Read only when a remembered session is to be stepped up. */
  factors: Pick<FactorStore, 'find'>;
  acrLevels: AcrLevels;
  accessTokenClaims: readonly string[];
  selfService?: SelfServiceLinks;
}

/** Where the second step of the sign-in for `challenge` is (functions/second-factor-*.ts). */
export function secondFactorUrl(challenge: string): string {
  return `/login/second-factor?login_challenge=${encodeURIComponent(challenge)}`;
}

/** The second step's page for the user's factors: the passkey form when there is no app. */
function secondStepUrl(challenge: string, factors: Factors | undefined): string {
  return `${secondFactorUrl(challenge)}${factors?.totp ? '' : '&method=passkey'}`;
}

/** Which of Hydra's sessions the browser holds our session cookie for (shared/http). */
export interface BrowserSession {
  holds(sid: string): boolean | Promise<boolean>;
}

/** GET /login: skip when Hydra remembers the user and the session still counts, else the form. */
export async function startLogin(
  deps: StartLoginDeps,
  challenge: string,
  browser: BrowserSession,
): Promise<LoginOutcome> {
  const request = await deps.hydra.getLoginRequest(challenge);
  // A client whose required_acr names no level of ours is refused before anything else.
  neededLevel(request, deps.acrLevels);
  if (request.skip) return resumeRememberedLogin(deps, challenge, request, browser);
  const hint = request.oidc_context?.login_hint ?? '';
  return show({
    client: clientView(request.client),
    identifier: hint.length <= MAX_IDENTIFIER_LENGTH ? hint : '',
    remember: false,
    ...uiLocalesOf(request),
    ...(deps.selfService ? { links: deps.selfService } : {}),
  });
}

/** Why a session Hydra remembers no longer counts, or that it does. */
type SkipVerdict = SessionVerdict | 'unrecorded' | 'browser-closed';

/**
 * Hydra remembers the browser's sign-in (`skip`): accept it, with the methods it was established
 * by, only while the user exists, is enabled, and the session began after the user's sessions
 * were last ended (a password change, disabling, a revocation); a session bound to the browser
 * session ("keep me signed in" unticked) counts only while the browser still holds our session
 * cookie for it. A session we hold no record of (expired, of another subject, or from before
 * sessions were recorded) never counts: how it was established is unknown.
 */
async function resumeRememberedLogin(
  deps: StartLoginDeps,
  challenge: string,
  request: OAuth2LoginRequest,
  browser: BrowserSession,
): Promise<LoginOutcome> {
  const client = request.client?.client_id;
  const sid = request.session_id;
  const [user, found] = await Promise.all([
    deps.users.findById(request.subject),
    sid ? deps.loginSessions.find(sid) : undefined,
  ]);
  const session = found?.subject === request.subject ? found : undefined;
  const verdict = skipVerdict(user, session, sid ? await browser.holds(sid) : false);
  if (user && session && verdict === 'current') {
    if (!reaches(levelOf(session.amr), neededLevel(request, deps.acrLevels))) {
      return stepUp(deps, challenge, user);
    }
    audit('login.skip', { subject: user.id, client });
    return redirect(
      await deps.hydra.acceptLoginRequest(challenge, {
        subject: user.id,
        // Hydra only accepts a remembered login as remembered.
        remember: true,
        amr: [...session.amr],
        acr: acrOf(session.amr, deps.acrLevels),
        context: loginContext(user, deps.accessTokenClaims),
      }),
    );
  }
  audit('login.skip_rejected', { subject: request.subject, client, reason: verdict });
  const restart = freshSignInUrl(request.request_url);
  if (restart) return redirect(restart);
  return redirect(
    await deps.hydra.rejectLoginRequest(challenge, {
      error: 'login_required',
      error_description: 'The previous sign-in is no longer valid. Sign in again.',
    }),
  );
}

/**
 * Hydra remembers a sign-in by password alone, and the client needs more: the second step, for a
 * user who has a second factor; a page saying so for one who has none.
 */
async function stepUp(deps: StartLoginDeps, challenge: string, user: User): Promise<LoginOutcome> {
  const factors = await deps.factors.find(user.id);
  if (!hasSecondFactor(factors)) {
    audit('login.second_factor_missing', { subject: user.id });
    throw new SignInRequirementError('no-second-factor');
  }
  audit('login.step_up', { subject: user.id });
  return {
    ...redirect(secondStepUrl(challenge, factors)),
    pendingSignIn: { challenge, subject: user.id, remember: true, stepUp: true },
  };
}

function skipVerdict(
  user: User | undefined,
  session: LoginSession | undefined,
  heldByBrowser: boolean,
): SkipVerdict {
  const verdict = sessionVerdict(user, session?.authenticatedAtSeconds ?? -Infinity);
  if (verdict !== 'current') return verdict;
  if (!session) return 'unrecorded';
  return session.browserBound && !heldByBrowser ? 'browser-closed' : 'current';
}

export interface LoginSubmission {
  action: 'login' | 'cancel';
  identifier: string;
  password: string;
  remember: boolean;
  /** API Gateway's `requestContext.http.sourceIp`: never a header the client controls. */
  sourceIp: string | undefined;
  /** The browser's device cookie, when it has a valid one. */
  device: KnownDevice | undefined;
}

export function tooManyAttemptsMessage(retryAfterSeconds: number): Text {
  return { key: 'page.signIn.throttled', count: Math.ceil(retryAfterSeconds / 60) };
}

/**
 * POST /login: cancel rejects; otherwise confirm the challenge, count the attempt, check the
 * password, and accept, or show the form again saying why not.
 */
export async function submitLogin(
  deps: LoginDeps,
  challenge: string,
  submission: LoginSubmission,
): Promise<LoginOutcome> {
  if (submission.action === 'cancel') return cancelLogin(deps, challenge);
  // First: a challenge Hydra no longer knows (expired, used, made up) ends here, at the cost of
  // one read, before any counter moves. The request also names the client on the page and in
  // the audit lines.
  const request = await deps.hydra.getLoginRequest(challenge);
  const needed = neededLevel(request, deps.acrLevels);
  const attempt = loginAttempt(deps, request, submission);
  const checked = await checkAttempt(deps, attempt, submission);
  if ('refusal' in checked) return formAgain(deps, request, submission, checked.refusal);
  const { user } = checked;
  if (deps.verification?.required && user.profile.email_verified !== true) {
    return verificationStep(deps, deps.verification, challenge, request, attempt, submission, user);
  }
  const factors = await deps.factors.find(user.id);
  if (hasSecondFactor(factors)) {
    return passwordDone(deps, challenge, attempt, submission, user, factors);
  }
  if (!reaches('password', needed)) {
    audit('login.second_factor_missing', { subject: user.id, client: attempt.logged.client });
    throw new SignInRequirementError('no-second-factor');
  }
  return acceptLogin(deps, challenge, request, attempt, submission, user);
}

/**
 * The right password, but the email is not verified and the operator requires it: offer to mail
 * a link (it leads back to this sign-in); Hydra is not told anything, so the same sign-in goes
 * on once the address is confirmed. The attempt was no failure: the throttle gets it back.
 */
async function verificationStep(
  deps: LoginDeps,
  verification: VerificationStep,
  challenge: string,
  request: OAuth2LoginRequest,
  attempt: LoginAttempt,
  submission: LoginSubmission,
  user: User,
): Promise<LoginOutcome> {
  await deps.throttle
    .succeeded(attempt.keys)
    .catch((error: Error) =>
      log.warn('could not reset the throttle counters', { errorName: error.name }),
    );
  audit('login.unverified', { subject: user.id, client: attempt.logged.client });
  const nowSeconds = Math.floor((deps.now?.() ?? Date.now()) / 1000);
  return show({
    client: clientView(request.client),
    ...uiLocalesOf(request),
    identifier: user.email,
    remember: submission.remember,
    verifyStep: {
      email: user.email,
      step: signVerificationStep(verification.secret, {
        subject: user.id,
        challenge,
        expiresAtSeconds: nowSeconds + verification.ttlSeconds,
      }),
    },
  });
}

async function cancelLogin(deps: LoginDeps, challenge: string): Promise<LoginOutcome> {
  audit('login.cancelled');
  return redirect(
    await deps.hydra.rejectLoginRequest(challenge, {
      error: 'access_denied',
      error_description: 'The user cancelled the sign-in.',
    }),
  );
}

/** Who is signing in, as the throttle and the audit lines name them. */
interface LoginAttempt {
  /** The identifier as typed, normalized once (trim → NFKC → lower-case). */
  identifier: string;
  /** The keyed tag of the normalized identifier (throttle keys, the device cookie). */
  account: string;
  keys: ThrottleKeys;
  logged: { identifierTag: string; client: string | undefined };
}

function loginAttempt(
  deps: LoginDeps,
  request: OAuth2LoginRequest,
  submission: LoginSubmission,
): LoginAttempt {
  const identifier = normalizeIdentifier(submission.identifier.slice(0, MAX_IDENTIFIER_LENGTH * 4));
  const account = deps.tags.account(identifier);
  const { device } = submission;
  return {
    identifier,
    account,
    keys: {
      account,
      ip: submission.sourceIp,
      knownDevice: device?.accounts.includes(account) ? device.id : undefined,
    },
    logged: { identifierTag: deps.tags.log(identifier), client: request.client?.client_id },
  };
}

/**
 * Counts the attempt, then checks the password: the user, or why the attempt is refused. The
 * count comes first: a throttled attempt costs us counter updates, not a hash.
 */
async function checkAttempt(
  deps: LoginDeps,
  attempt: LoginAttempt,
  submission: LoginSubmission,
): Promise<{ user: User } | { refusal: Refusal }> {
  const decision = await deps.throttle.attempt(attempt.keys);
  if (!decision.allowed) {
    audit('login.throttled', { ...attempt.logged, limitedBy: decision.limitedBy });
    return { refusal: { reason: 'throttled', retryAfterSeconds: decision.retryAfterSeconds } };
  }
  const user = await authenticate(deps, attempt.identifier, submission.password);
  if (!user) {
    audit('login.failure', attempt.logged);
    return { refusal: { reason: 'wrong-credentials' } };
  }
  return { user };
}

/** The form again, as it was filled in, with one message for why it was refused. */
function formAgain(
  deps: LoginDeps,
  request: OAuth2LoginRequest,
  submission: LoginSubmission,
  refusal: Refusal,
): LoginOutcome {
  return refused(refusal, {
    client: clientView(request.client),
    ...uiLocalesOf(request),
    ...(deps.selfService ? { links: deps.selfService } : {}),
    identifier: submission.identifier.slice(0, MAX_IDENTIFIER_LENGTH),
    remember: submission.remember,
    error:
      refusal.reason === 'throttled'
        ? tooManyAttemptsMessage(refusal.retryAfterSeconds)
        : INVALID_CREDENTIALS,
    invalidCredentials: refusal.reason === 'wrong-credentials',
  });
}

/**
 * POST /login with the right password: the user is signed in, and the attempt is given back to
 * the throttle.
 */
async function acceptLogin(
  deps: LoginDeps,
  challenge: string,
  request: OAuth2LoginRequest,
  attempt: LoginAttempt,
  submission: LoginSubmission,
  user: User,
): Promise<LoginOutcome> {
  const signedIn = await completeSignIn(deps, challenge, request, {
    user,
    amr: ['pwd'],
    remember: submission.remember,
    device: submission.device,
    account: attempt.account,
  });
  await deps.throttle
    .succeeded(attempt.keys)
    .catch((error: Error) =>
      log.warn('could not reset the throttle counters', { errorName: error.name }),
    );
  return signedIn;
}

/**
 * The password was right and the user has a second factor: on to the second step, which the
 * browser carries the first one to. The password's attempt is given back to its throttle (the
 * codes have counters of their own); the device is remembered only once the sign-in is done.
 */
async function passwordDone(
  deps: LoginDeps,
  challenge: string,
  attempt: LoginAttempt,
  submission: LoginSubmission,
  user: User,
  factors: Factors | undefined,
): Promise<LoginOutcome> {
  audit('login.password_verified', { subject: user.id, client: attempt.logged.client });
  await deps.throttle
    .succeeded(attempt.keys)
    .catch((error: Error) =>
      log.warn('could not reset the throttle counters', { errorName: error.name }),
    );
  return {
    ...redirect(secondStepUrl(challenge, factors)),
    pendingSignIn: { challenge, subject: user.id, remember: submission.remember, stepUp: false },
  };
}

/** What a finished sign-in was: who, by which methods, from which browser. */
export interface SignIn {
  user: User;
  amr: readonly string[];
  remember: boolean;
  /** The browser's device cookie, when it had a valid one. */
  device: KnownDevice | undefined;
  /** The keyed tag of the user's identifier (./tags). */
  account: string;
}

export type CompleteSignInDeps = Pick<
  LoginDeps,
  | 'hydra'
  | 'loginSessions'
  | 'rememberForSeconds'
  | 'browserSessionMaxSeconds'
  | 'acrLevels'
  | 'accessTokenClaims'
  | 'now'
>;

/**
 * Signs the user in: records how Hydra's session was established, accepts at Hydra; the browser
 * is to remember this device for the account.
 *
 * Hydra always keeps a session (`remember: true`), for the same time on every Hydra version:
 * with "keep me signed in", LOGIN_REMEMBER_FOR; without it, at most LOGIN_BROWSER_SESSION_MAX,
 * and the session is bound to the browser session by our session cookie, which the browser drops
 * when it closes. (`remember_for: 0` would mean a browser-session cookie on Hydra v2 but 30 days
 * on v25.4+, ory/hydra#4126; `remember: false` keeps no session at all.)
 */
export async function completeSignIn(
  deps: CompleteSignInDeps,
  challenge: string,
  request: OAuth2LoginRequest,
  signIn: SignIn,
): Promise<Redirect> {
  const { user, remember } = signIn;
  const nowSeconds = Math.floor((deps.now?.() ?? Date.now()) / 1000);
  const amr = [...signIn.amr];
  const sid = request.session_id;
  const browserBound = !remember;
  const lifetime = browserBound ? deps.browserSessionMaxSeconds : deps.rememberForSeconds;
  if (sid) {
    // Recorded before Hydra is told: a session Hydra remembers always has its record. The
    // record's expiry is the session's: written before Hydra's, it is never the later one.
    await deps.loginSessions.record(
      sid,
      { subject: user.id, authenticatedAtSeconds: nowSeconds, amr, browserBound },
      nowSeconds + lifetime,
    );
  }
  const to = await deps.hydra.acceptLoginRequest(challenge, {
    subject: user.id,
    // Hydra names every login request's session; without one there is nothing to record, and
    // nothing is remembered.
    remember: Boolean(sid),
    remember_for: lifetime,
    amr,
    acr: acrOf(amr, deps.acrLevels),
    context: loginContext(user, deps.accessTokenClaims),
  });
  audit('login.success', {
    subject: user.id,
    client: request.client?.client_id,
    remember,
    knownDevice: signIn.device?.accounts.includes(signIn.account) ?? false,
  });
  return {
    ...redirect(to),
    device: withAccount(signIn.device, signIn.account),
    ...(sid && browserBound ? { browserSession: sid } : {}),
  };
}

/**
 * The user, if the identifier (normalized) and password match an enabled account. Unknown users
 * cost the same password work as known ones (a dummy verify), and disabled users are verified in
 * full before being refused, so neither the answer nor its timing tells which case it was.
 */
async function authenticate(
  deps: LoginDeps,
  identifier: string,
  password: string,
): Promise<User | undefined> {
  // Judged as it is looked up (and as `create` judged it): normalized.
  const wellFormed =
    identifier.length > 0 &&
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
      user,
      await deps.passwords.hash(password),
    );
    if (replaced) audit('password.rehashed', { subject: user.id });
  } catch (error) {
    // The sign-in stands; the next one tries again.
    log.warn('password rehash failed', { subject: user.id, errorName: (error as Error).name });
  }
}
