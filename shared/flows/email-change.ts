/**
 * Changing the email on the account page: the user types the new address and the current
 * password; a link (the same token rules as every mailed link: ./email-links) goes to the *new*
 * address; the address changes only when that link is confirmed on its page (a POST, as
 * verification is: mail scanners open links), in the store's one move of the user and its
 * uniqueness (UserStore.changeEmail); `email_verified` is true after, and the *old* address gets
 * a "your email was changed" notice.
 *
 * The request never looks the new address up: whether it belongs to someone else is learnt only
 * by whoever opens the link in that inbox ("this address is taken"). The account page answers
 * the same, held to MAIL_MIN_RESPONSE_MS as forgot password is, and under the same throttles: the
 * current password counts as a sign-in guess, the mail per new address and per source.
 */
import type { Locale, Text } from '../i18n/messages';
import { audit } from '../log';
import type { Mailer } from '../mail/mailer';
import { throttleKeys, type KnownDevice, type LoginThrottle } from '../throttle/throttle';
import type { EmailTokens } from '../users/email-tokens';
import { checkIdentifier, MAX_IDENTIFIER_LENGTH } from '../users/identifier';
import type { PasswordHasher } from '../users/password';
import { isPasswordWithinLimits } from '../users/password-policy';
import type { IdentifierTags } from '../users/tags';
import type { User, UserStore } from '../users/types';
import {
  consumeLink,
  endedSince,
  equalised,
  INVALID_EMAIL,
  issueLink,
  sendQuietly,
  throttledMessage,
  validMinutes,
  type Clock,
  type LinkProblem,
  type LinkSettings,
  type MailFormDeps,
} from './email-links';
import { tooManyAttemptsMessage } from './login';

/** Where the link leads: the verification page, which tells the two kinds of link apart. */
export const EMAIL_CHANGE_PATH = '/verify';

/** What the account page needs to mail a change link. */
export interface EmailChangeMailDeps extends MailFormDeps {
  tokens: Pick<EmailTokens, 'save'>;
  mailer: Mailer;
  links: LinkSettings;
}

export interface RequestEmailChangeDeps extends EmailChangeMailDeps {
  passwords: Pick<PasswordHasher, 'verify'>;
  /** The sign-in throttle: the current password typed here is a guess at the same secret. */
  throttle: LoginThrottle;
  tags: Pick<IdentifierTags, 'account'>;
}

export interface EmailChangeRequest {
  email: string;
  current: string;
  sourceIp: string | undefined;
  /** This browser's device cookie, when it has one (its own throttle allowance). */
  device: KnownDevice | undefined;
  /** The account page's language: the mail's too. */
  locale: Locale;
}

export type EmailChangeAnswer =
  /** The link is on its way (whether or not the address is someone else's). */
  | { kind: 'sent' }
  /** The form again, with what was wrong; nothing was sent. */
  | { kind: 'refused'; text: Text; email: string }
  /** Too many wrong current passwords, or mails from this source: after `retryAfterSeconds`. */
  | { kind: 'throttled'; text: Text; email: string; retryAfterSeconds: number };

/** POST /account (action `email`): checks the password and mails the link to the new address. */
export async function requestEmailChange(
  deps: RequestEmailChangeDeps,
  user: User,
  request: EmailChangeRequest,
): Promise<EmailChangeAnswer> {
  const typed = request.email.slice(0, MAX_IDENTIFIER_LENGTH);
  const check = checkIdentifier(request.email);
  if (!check.ok) return { kind: 'refused', text: INVALID_EMAIL, email: typed };
  const email = check.identifier;
  if (email === user.email) {
    return { kind: 'refused', text: { key: 'account.email.same' }, email: typed };
  }
  return equalised(deps, async (): Promise<EmailChangeAnswer> => {
    const keys = throttleKeys(deps.tags.account(user.email), request.sourceIp, request.device);
    const decision = await deps.throttle.attempt(keys);
    if (!decision.allowed) {
      audit('account.email_change_throttled', { subject: user.id, limitedBy: decision.limitedBy });
      return {
        kind: 'throttled',
        text: tooManyAttemptsMessage(decision.retryAfterSeconds),
        email: typed,
        retryAfterSeconds: decision.retryAfterSeconds,
      };
    }
    const right =
      isPasswordWithinLimits(request.current) &&
      (await deps.passwords.verify(user.passwordHash, request.current));
    if (!right) {
      audit('account.email_change_refused', { subject: user.id });
      return { kind: 'refused', text: { key: 'account.password.wrongCurrent' }, email: typed };
    }
    await deps.throttle.succeeded(keys);
    const mail = await deps.mailThrottle.attempt({
      address: deps.tags.account(email),
      ip: request.sourceIp,
    });
    if (!mail.allowed) {
      audit('account.email_change_throttled', { subject: user.id, limitedBy: mail.limitedBy });
      return {
        kind: 'throttled',
        text: throttledMessage(mail.retryAfterSeconds),
        email: typed,
        retryAfterSeconds: mail.retryAfterSeconds,
      };
    }
    const link = await issueLink(
      deps.tokens,
      deps.links,
      EMAIL_CHANGE_PATH,
      { purpose: 'email-change', email, subject: user.id, previousEmail: user.email },
      deps.clock,
    );
    await sendQuietly(
      () =>
        deps.mailer.send(
          email,
          { kind: 'email-change', email, link, validMinutes: validMinutes(deps.links) },
          request.locale,
        ),
      'email-change',
    );
    audit('account.email_change_requested', { subject: user.id });
    return { kind: 'sent' };
  });
}

export interface ConfirmEmailChangeDeps {
  users: Pick<UserStore, 'findById' | 'changeEmail'>;
  tokens: Pick<EmailTokens, 'find' | 'consume'>;
  mailer: Mailer;
  clock?: Clock;
}

export type EmailChangeConfirmation =
  | { kind: 'changed'; email: string }
  /** Another account has the address (taken after the link was sent): nothing changed. */
  | { kind: 'taken'; email: string }
  | { kind: 'link'; problem: LinkProblem };

/**
 * POST /verify with an email-change link: uses the link up and moves the user to the new
 * address, if the user still has the address the change was asked from; then tells the old one.
 */
export async function confirmEmailChange(
  deps: ConfirmEmailChangeDeps,
  token: string,
  locale: Locale,
): Promise<EmailChangeConfirmation> {
  const link = await consumeLink(deps.tokens, token, 'email-change', deps.clock);
  if (!link.ok) return { kind: 'link', problem: link.problem };
  const { subject, email, previousEmail } = link.token;
  const user = subject ? await deps.users.findById(subject) : undefined;
  // A user disabled since, whose address changed since, or whose sessions were ended since (the
  // session that asked for the change among them), makes it a link that no longer works.
  if (
    !user?.enabled ||
    previousEmail === undefined ||
    user.email !== previousEmail ||
    endedSince(user, link.token)
  ) {
    return { kind: 'link', problem: 'invalid' };
  }
  const result = await deps.users.changeEmail(user.id, previousEmail, email);
  if (result.status === 'gone') return { kind: 'link', problem: 'invalid' };
  if (result.status === 'taken') {
    audit('email.change_taken', { subject: user.id });
    return { kind: 'taken', email };
  }
  audit('email.changed', { subject: user.id });
  await sendQuietly(
    () =>
      deps.mailer.send(
        previousEmail,
        { kind: 'email-changed', email: previousEmail, newEmail: email },
        locale,
      ),
    'email-changed',
  );
  return { kind: 'changed', email };
}
