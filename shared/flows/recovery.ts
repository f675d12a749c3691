/**
 * Forgot password: the sign-in page's "Forgot password?" (which keeps the login challenge) →
 * an email address → "check your inbox", the same page in the same time whether or not it has
 * an account (shared/flows/email-links.ts) → a mail with a single-use link → a new password
 * (the one policy) → the password is set and every session and refresh token of the user ends
 * (setUserPassword: `sessionsValidAfter`, and Hydra's consent sessions with their tokens) → "your
 * password was changed" with the way back to the sign-in, and a notice mail.
 *
 * A disabled account gets no mail (and the same page): an operator disabled it, a reset must not
 * undo that.
 */
import type { HydraAdmin } from '../hydra/admin';
import type { Locale, Text } from '../i18n/messages';
import { audit, log } from '../log';
import type { Mailer } from '../mail/mailer';
import type { EmailTokens } from '../users/email-tokens';
import { checkIdentifier, MAX_IDENTIFIER_LENGTH } from '../users/identifier';
import { newPasswordProblem } from '../users/password-policy';
import type { IdentifierTags } from '../users/tags';
import type { UserStore } from '../users/types';
import {
  checkLink,
  consumeLink,
  endedSince,
  equalised,
  INVALID_EMAIL,
  INVALID_PASSWORD,
  issueLink,
  sendQuietly,
  SYSTEM_CLOCK,
  throttledMessage,
  validMinutes,
  wayBack,
  type LinkProblem,
  type LinkSettings,
  type MailFormDeps,
} from './email-links';
import { setUserPassword } from './user-admin';
import { refused, show, type Outcome } from './outcome';

/** Where the reset link leads (its token in the query). */
export const RESET_PATH = '/recovery/reset';
export const RECOVERY_PATH = '/recovery';

export interface RecoveryDeps extends MailFormDeps {
  users: Pick<UserStore, 'findByIdentifier'>;
  tokens: Pick<EmailTokens, 'save'>;
  mailer: Mailer;
  tags: IdentifierTags;
  links: LinkSettings;
}

export type RecoveryView =
  | { page: 'request'; email: string; error?: Text; invalidEmail?: boolean }
  /** "Check your inbox"; `email`: the address asked for, which its resend form asks for again. */
  | { page: 'sent'; email: string; validMinutes: number };

export interface RecoveryRequest {
  email: string;
  /** The sign-in the user came from, kept for the way back (never in the mail). */
  loginChallenge: string | undefined;
  sourceIp: string | undefined;
  locale: Locale;
}

/** GET /recovery: the form. */
export function startRecovery(): Outcome<RecoveryView> {
  return show({ page: 'request', email: '' });
}

/** POST /recovery: "check your inbox" for every well-formed address, in the same time. */
export async function requestRecovery(
  deps: RecoveryDeps,
  request: RecoveryRequest,
): Promise<Outcome<RecoveryView>> {
  const typed = request.email.slice(0, MAX_IDENTIFIER_LENGTH);
  const check = checkIdentifier(request.email);
  if (!check.ok) {
    return refused(
      { reason: 'bad-input' },
      { page: 'request', email: typed, error: INVALID_EMAIL, invalidEmail: true },
    );
  }
  const email = check.identifier;
  return equalised(deps, async () => {
    const decision = await deps.mailThrottle.attempt({
      address: deps.tags.account(email),
      ip: request.sourceIp,
    });
    if (!decision.allowed) {
      audit('recovery.throttled', {
        identifierTag: deps.tags.log(email),
        limitedBy: decision.limitedBy,
      });
      return refused(
        { reason: 'throttled', retryAfterSeconds: decision.retryAfterSeconds },
        { page: 'request', email: typed, error: throttledMessage(decision.retryAfterSeconds) },
      );
    }
    const user = await deps.users.findByIdentifier(email);
    audit('recovery.requested', { identifierTag: deps.tags.log(email) });
    if (user?.enabled) {
      const link = await issueLink(
        deps.tokens,
        deps.links,
        RESET_PATH,
        {
          purpose: 'reset',
          email: user.email,
          subject: user.id,
          ...(request.loginChallenge ? { loginChallenge: request.loginChallenge } : {}),
        },
        deps.clock,
      );
      await sendQuietly(
        () =>
          deps.mailer.send(
            user.email,
            { kind: 'reset', email: user.email, link, validMinutes: validMinutes(deps.links) },
            request.locale,
          ),
        'reset',
      );
    }
    return show<RecoveryView>({ page: 'sent', email, validMinutes: validMinutes(deps.links) });
  });
}

export interface ResetDeps {
  /** The whole store: setUserPassword (shared/flows/user-admin.ts) is the one way a password changes. */
  users: UserStore;
  tokens: Pick<EmailTokens, 'find' | 'consume'>;
  hydra: Pick<HydraAdmin, 'revokeConsentSessions' | 'getLoginRequest'>;
  mailer: Mailer;
  links: LinkSettings;
  clock?: MailFormDeps['clock'];
}

export type ResetView =
  | { page: 'form'; email: string; error?: Text }
  | { page: 'done'; continueUrl: string | undefined }
  | { page: 'link'; problem: LinkProblem; again: string };

function linkProblem(problem: LinkProblem): Outcome<ResetView> {
  return refused({ reason: 'link', problem }, { page: 'link', problem, again: RECOVERY_PATH });
}

/** GET /recovery/reset?token=…: the new-password form while the link works. Changes nothing. */
export async function openReset(
  deps: { tokens: Pick<EmailTokens, 'find'>; clock?: ResetDeps['clock'] },
  token: string,
): Promise<Outcome<ResetView>> {
  const link = await checkLink(deps.tokens, token, 'reset', deps.clock);
  if (!link.ok) return linkProblem(link.problem);
  return show({ page: 'form', email: link.token.email });
}

/**
 * POST /recovery/reset: a password outside the policy shows the form again and keeps the link;
 * otherwise the link is used up (one conditional write), the password set, every session ended.
 */
export async function submitReset(
  deps: ResetDeps,
  token: string,
  submission: { password: string; locale: Locale },
): Promise<Outcome<ResetView>> {
  const clock = deps.clock ?? SYSTEM_CLOCK;
  const open = await checkLink(deps.tokens, token, 'reset', clock);
  if (!open.ok) return linkProblem(open.problem);
  if (newPasswordProblem(submission.password)) {
    return refused(
      { reason: 'bad-input' },
      { page: 'form', email: open.token.email, error: INVALID_PASSWORD },
    );
  }
  const link = await consumeLink(deps.tokens, token, 'reset', clock);
  if (!link.ok) return linkProblem(link.problem);
  const { subject, email, loginChallenge } = link.token;
  const user = subject ? await deps.users.findById(subject) : undefined;
  // The link was for this user at this address; an address changed since, a user disabled or
  // deleted since, or sessions ended since (another reset, a password change), makes it one
  // that no longer works.
  if (!user || user.email !== email || !user.enabled || endedSince(user, link.token)) {
    return linkProblem('invalid');
  }
  const result = await setUserPassword(
    { users: deps.users, hydra: deps.hydra },
    user,
    submission.password,
  );
  if (result.status === 'unchanged') return linkProblem('invalid');
  if (result.hydra === 'failed') {
    // The table's mark already refuses every older session and refresh token (the token hook).
    log.warn('password reset: revoking at Hydra failed', {
      subject: user.id,
      errorName: result.error.name,
    });
  }
  audit('password.reset', { subject: user.id, hydra: result.hydra });
  await sendQuietly(
    () =>
      deps.mailer.send(
        user.email,
        {
          kind: 'password-changed',
          email: user.email,
          recoveryLink: `${deps.links.publicUrl}${RECOVERY_PATH}`,
        },
        submission.locale,
      ),
    'password-changed',
  );
  return show({ page: 'done', continueUrl: await wayBack(deps.hydra, loginChallenge) });
}
