/**
 * The account page's decisions: whose page it is (our own session, re-checked against the user's
 * revocation mark on every request), what it shows (the profile, and the apps the user has
 * authorised, from Hydra's consent sessions) and what its forms do. Pure over ports; the HTTP
 * side (cookies, CSRF, redirects) is shared/http/account.ts.
 */
import type { HydraAdmin, OAuth2ConsentSession } from '../hydra/admin';
import type { MessageKey, Text } from '../i18n/messages';
import { audit, log } from '../log';
import type { KnownDevice, LoginThrottle } from '../throttle/throttle';
import type { PasswordHasher } from '../users/password';
import { factorSummary, type FactorStore, type FactorSummary } from '../users/factors';
import type { IdentifierTags } from '../users/tags';
import { newPasswordProblem } from '../users/password-policy';
import { canonicalLocale } from '../users/profile';
import { sessionVerdict } from '../users/sessions';
import type { User, UserProfile, UserStore } from '../users/types';
import { clientView, type ClientView } from './client';
import {
  requestEmailChange,
  type EmailChangeMailDeps,
  type EmailChangeRequest,
} from './email-change';
import { checkCurrentPassword } from './current-password';
import { tooManyAttemptsMessage } from './login';
import { passkeysSection, type PasskeyPage, type PasskeysSection } from './passkey-options';
import { SCOPE_DESCRIPTIONS } from './consent';
import { revokeUserSessions, setUserPassword } from './user-admin';

export interface AccountDeps {
  users: Pick<
    UserStore,
    | 'findById'
    | 'findByIdentifier'
    | 'setPassword'
    | 'setEnabled'
    | 'revokeSessions'
    | 'delete'
    | 'setProfile'
  >;
  hydra: Pick<
    HydraAdmin,
    'listConsentSessions' | 'revokeConsentSessions' | 'revokeClientConsentSessions'
  >;
  passwords: Pick<PasswordHasher, 'verify'>;
  /** The user's second factors, as the page lists them (./authenticator changes them). */
  factors: Pick<FactorStore, 'find'>;
  /** The sign-in throttle: a current password typed here is a guess at the same secret. */
  throttle: LoginThrottle;
  tags: Pick<IdentifierTags, 'account'>;
  /** The account page's own client: its consent is how the page signs in, not an app to list. */
  accountClientId: string;
  /** PASSKEYS on: the page's Passkeys section (./passkey-options). */
  passkeyPage?: PasskeyPage | undefined;
  /** Whether the page offers to change the email (mail is configured). */
  emailChangeOffered: boolean;
  /** What a change of email mails with (POST /account only; the pages that show do not mail). */
  emailChange?: EmailChangeMailDeps | undefined;
}

/** Who the account session says is signed in, and when they authenticated (Unix seconds). */
export interface AccountSessionClaim {
  subject: string;
  authTime: number;
}

/**
 * The user of an account session, while it counts: the user exists, is enabled, and
 * authenticated after the user's sessions were last ended (the rule of the skip path and the
 * token hook). Undefined otherwise: the page asks Hydra to sign the user in again.
 */
export async function accountUser(
  deps: Pick<AccountDeps, 'users'>,
  session: AccountSessionClaim | undefined,
): Promise<User | undefined> {
  if (!session) return undefined;
  const user = await deps.users.findById(session.subject);
  const verdict = sessionVerdict(user, session.authTime);
  if (verdict !== 'current') {
    log.info('account session no longer counts', { verdict });
    return undefined;
  }
  return user;
}

export interface AppScope {
  name: string;
  description: MessageKey | undefined;
}

/** One app the user has authorised: every consent session of one client, together. */
export interface AuthorisedApp {
  clientId: string;
  client: ClientView;
  scopes: AppScope[];
  /** When the user last granted it access (ISO-8601), when Hydra says. */
  grantedAt: string | undefined;
}

export type AccountNotice =
  | 'profile'
  | 'password'
  | 'removed'
  | 'email-sent'
  | 'passkey-added'
  | 'passkey-removed'
  | 'authenticator-removed';

export const ACCOUNT_NOTICES: readonly AccountNotice[] = [
  'profile',
  'password',
  'removed',
  'email-sent',
  'passkey-added',
  'passkey-removed',
  'authenticator-removed',
];

/** A form's refusal: which form, and what to say beside it. */
export interface AccountError {
  form: 'profile' | 'email' | 'password' | 'apps' | 'passkeys' | 'authenticator';
  text: Text;
}

export interface AccountView {
  email: string;
  emailVerified: boolean;
  name: string;
  locale: string;
  /** Whether the email change form is shown. */
  canChangeEmail: boolean;
  /** The new address as typed, when the email change form is shown again. */
  newEmail?: string | undefined;
  apps: AuthorisedApp[];
  /** The Passkeys section (PASSKEYS on). */
  passkeys?: PasskeysSection | undefined;
  /** The second factors the user has (./authenticator). */
  secondFactors: FactorSummary;
  notice?: AccountNotice | undefined;
  error?: AccountError | undefined;
}

/** The longest name the profile form takes (characters). */
export const MAX_NAME_LENGTH = 200;
/** The longest locale tag the profile form takes. */
export const MAX_LOCALE_LENGTH = 35;

/** Scopes we describe first, in the consent page's order; then the others by name. */
const KNOWN_SCOPES = Object.keys(SCOPE_DESCRIPTIONS);
function byScope(a: string, b: string): number {
  const rank = (scope: string) => {
    const index = KNOWN_SCOPES.indexOf(scope);
    return index < 0 ? KNOWN_SCOPES.length : index;
  };
  return rank(a) - rank(b) || a.localeCompare(b);
}

const laterOf = (a: string | undefined, b: string | undefined) =>
  a === undefined ? b : b === undefined ? a : Date.parse(b) > Date.parse(a) ? b : a;

/**
 * The apps of a subject's consent sessions, one per client (Hydra keeps a session per granted
 * authorization), by name; the account page's own client is left out.
 */
export function authorisedApps(
  sessions: readonly OAuth2ConsentSession[],
  accountClientId: string,
): AuthorisedApp[] {
  const byClient = new Map<string, AuthorisedApp & { scopeNames: Set<string> }>();
  for (const session of sessions) {
    const client = session.consent_request?.client;
    const clientId = client?.client_id;
    if (!clientId || clientId === accountClientId) continue;
    const app = byClient.get(clientId) ?? {
      clientId,
      client: clientView(client),
      scopes: [],
      grantedAt: undefined,
      scopeNames: new Set<string>(),
    };
    for (const scope of session.grant_scope ?? []) app.scopeNames.add(scope);
    app.grantedAt = laterOf(app.grantedAt, session.handled_at ?? undefined);
    byClient.set(clientId, app);
  }
  return [...byClient.values()]
    .map(({ scopeNames, ...app }) => ({
      ...app,
      scopes: [...scopeNames].sort(byScope).map((name) => ({
        name,
        description: Object.hasOwn(SCOPE_DESCRIPTIONS, name) ? SCOPE_DESCRIPTIONS[name] : undefined,
      })),
    }))
    .sort(
      (a, b) => a.client.name.localeCompare(b.client.name) || a.clientId.localeCompare(b.clientId),
    );
}

export async function accountView(
  deps: Pick<
    AccountDeps,
    'hydra' | 'accountClientId' | 'passkeyPage' | 'emailChangeOffered' | 'factors'
  >,
  user: User,
  extra: {
    notice?: AccountNotice | undefined;
    error?: AccountError | undefined;
    newEmail?: string | undefined;
  } = {},
): Promise<AccountView> {
  const [sessions, factors] = await Promise.all([
    deps.hydra.listConsentSessions(user.id),
    deps.factors.find(user.id),
  ]);
  const passkeys = deps.passkeyPage ? passkeysSection(deps.passkeyPage, user, factors) : undefined;
  return {
    email: user.email,
    emailVerified: user.profile.email_verified === true,
    name: user.profile.name ?? '',
    locale: user.profile.locale ?? '',
    canChangeEmail: deps.emailChangeOffered,
    apps: authorisedApps(sessions, deps.accountClientId),
    ...(passkeys ? { passkeys } : {}),
    secondFactors: factorSummary(factors),
    ...extra,
  };
}

export type AccountAction =
  | { action: 'profile'; name: string; locale: string }
  | {
      action: 'password';
      current: string;
      next: string;
      confirm: string;
      sourceIp: string | undefined;
      /** This browser's device cookie, when it has one (its own throttle allowance). */
      device: KnownDevice | undefined;
    }
  | ({ action: 'email' } & EmailChangeRequest)
  | { action: 'remove-app'; clientId: string }
  | { action: 'sign-out-everywhere' }
  | { action: 'sign-out' };

export type AccountResult =
  /** Done: back to the page with a notice; `session`: this browser's session, issued again. */
  | { kind: 'done'; notice: AccountNotice; session?: AccountSessionClaim }
  /** The form again, with what was wrong; nothing changed. */
  | { kind: 'refused'; view: AccountView }
  /** Too many wrong current passwords: the form again, 429, after `retryAfterSeconds`. */
  | { kind: 'throttled'; view: AccountView; retryAfterSeconds: number }
  /** Every session ended, this one too. */
  | { kind: 'signed-out-everywhere' }
  /** Sign out of this browser: end the account session and Hydra's sign-in session here. */
  | { kind: 'sign-out' }
  /** The user is gone (deleted meanwhile): sign in again. */
  | { kind: 'sign-in' };

async function refuse(
  deps: AccountDeps,
  user: User,
  form: AccountError['form'],
  key: MessageKey,
): Promise<AccountResult> {
  return {
    kind: 'refused',
    view: await accountView(deps, user, { error: { form, text: { key } } }),
  };
}

export async function submitAccount(
  deps: AccountDeps,
  user: User,
  action: AccountAction,
): Promise<AccountResult> {
  switch (action.action) {
    case 'profile':
      return saveProfile(deps, user, action);
    case 'email':
      return changeEmail(deps, user, action);
    case 'password':
      return changePassword(deps, user, action);
    case 'remove-app':
      return removeApp(deps, user, action.clientId);
    case 'sign-out-everywhere': {
      const result = await revokeUserSessions(deps, user);
      if (result.status === 'changed' && result.hydra === 'failed') {
        // The mark stands: the skip path and the token hook refuse every session before it.
        log.error('account: revoking at Hydra failed', { reason: result.error.message });
      }
      audit('account.signed_out_everywhere', { subject: user.id });
      return { kind: 'signed-out-everywhere' };
    }
    case 'sign-out':
      audit('account.signed_out', { subject: user.id });
      return { kind: 'sign-out' };
  }
}

async function saveProfile(
  deps: AccountDeps,
  user: User,
  form: { name: string; locale: string },
): Promise<AccountResult> {
  const name = form.name.trim();
  if (name.length > MAX_NAME_LENGTH)
    return refuse(deps, user, 'profile', 'account.profile.nameTooLong');
  const tag = form.locale.trim();
  const locale = tag === '' ? undefined : canonicalLocale(tag);
  if (tag !== '' && (locale === undefined || tag.length > MAX_LOCALE_LENGTH)) {
    return refuse(deps, user, 'profile', 'account.profile.badLocale');
  }
  const { name: _name, locale: _locale, ...rest } = user.profile;
  const profile: UserProfile = {
    ...rest,
    ...(name ? { name } : {}),
    ...(locale ? { locale } : {}),
  };
  const changed = await deps.users.setProfile(user.id, profile);
  if (!changed) return { kind: 'sign-in' };
  audit('account.profile_changed', { subject: user.id });
  return { kind: 'done', notice: 'profile' };
}

async function changePassword(
  deps: AccountDeps,
  user: User,
  form: Extract<AccountAction, { action: 'password' }>,
): Promise<AccountResult> {
  const check = await checkCurrentPassword(deps, user, form);
  if (check.verdict === 'throttled') {
    audit('account.password_throttled', { subject: user.id, limitedBy: check.limitedBy });
    const error = {
      form: 'password' as const,
      text: tooManyAttemptsMessage(check.retryAfterSeconds),
    };
    return {
      kind: 'throttled',
      view: await accountView(deps, user, { error }),
      retryAfterSeconds: check.retryAfterSeconds,
    };
  }
  if (check.verdict === 'wrong') {
    audit('account.password_refused', { subject: user.id });
    return refuse(deps, user, 'password', 'account.password.wrongCurrent');
  }
  if (newPasswordProblem(form.next) !== undefined) {
    return refuse(deps, user, 'password', 'account.password.policy');
  }
  if (form.next !== form.confirm)
    return refuse(deps, user, 'password', 'account.password.mismatch');
  const result = await setUserPassword(deps, user, form.next);
  if (result.status !== 'changed') return { kind: 'sign-in' };
  if (result.hydra === 'failed') {
    log.error('account: revoking at Hydra failed', { reason: result.error.message });
  }
  audit('account.password_changed', { subject: user.id });
  // Every other session ended with the change (the mark, and every app's consent at Hydra);
  // this browser's account session goes on: the user just proved the password here.
  const session = sessionAfterMark(result.user);
  return { kind: 'done', notice: 'password', ...(session ? { session } : {}) };
}

/**
 * This browser's account session after the user's other sessions were ended here (the mark):
 * it counts as authenticated the second after the mark (marks are compared in whole seconds).
 */
export function sessionAfterMark(
  user: Pick<User, 'id' | 'sessionsValidAfter'>,
): AccountSessionClaim | undefined {
  const mark = Date.parse(user.sessionsValidAfter ?? '');
  if (!Number.isFinite(mark)) return undefined;
  return { subject: user.id, authTime: Math.floor(mark / 1000) + 1 };
}

async function changeEmail(
  deps: AccountDeps,
  user: User,
  request: EmailChangeRequest,
): Promise<AccountResult> {
  const mail = deps.emailChangeOffered ? deps.emailChange : undefined;
  if (!mail) return refuse(deps, user, 'profile', 'error.notOffered.message');
  const answer = await requestEmailChange({ ...deps, ...mail }, user, request);
  if (answer.kind === 'sent') return { kind: 'done', notice: 'email-sent' };
  const view = await accountView(deps, user, {
    error: { form: 'email', text: answer.text },
    newEmail: answer.email,
  });
  return answer.kind === 'refused'
    ? { kind: 'refused', view }
    : { kind: 'throttled', view, retryAfterSeconds: answer.retryAfterSeconds };
}

async function removeApp(deps: AccountDeps, user: User, clientId: string): Promise<AccountResult> {
  const view = await accountView(deps, user);
  if (!view.apps.some((app) => app.clientId === clientId)) {
    return {
      kind: 'refused',
      view: { ...view, error: { form: 'apps', text: { key: 'account.apps.notAuthorised' } } },
    };
  }
  await deps.hydra.revokeClientConsentSessions(user.id, clientId);
  audit('account.app_removed', { subject: user.id, client: clientId });
  return { kind: 'done', notice: 'removed' };
}
