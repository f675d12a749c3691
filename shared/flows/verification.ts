/**
 * Email verification: `email_verified` becomes true only through a mailed link (the same token
 * rules as a reset), or by an operator (`npm run users -- create … --email-verified`, `users
 * verify-email`). When REQUIRE_VERIFIED_EMAIL is true, a user whose email is not verified who
 * signs in with the right password gets the link mailed and a "check your inbox" step instead of
 * being let in; the link's page confirms the address and leads back to that sign-in.
 *
 * The link's page asks before it changes anything (a button, POST): mail scanners open links.
 */
import type { HydraAdmin } from '../hydra/admin';
import type { Locale } from '../i18n/messages';
import { audit } from '../log';
import type { Mailer } from '../mail/mailer';
import type { MailThrottle } from '../throttle/mail';
import type { EmailTokens } from '../users/email-tokens';
import type { IdentifierTags } from '../users/tags';
import type { User, UserStore } from '../users/types';
import {
  checkLink,
  consumeLink,
  issueLink,
  sendQuietly,
  validMinutes,
  wayBack,
  type Clock,
  type LinkProblem,
  type LinkSettings,
} from './email-links';
import { refused, show, type Outcome } from './outcome';

export const VERIFY_PATH = '/verify';

/** What the sign-in needs to send a verification link. */
export interface VerificationMailDeps {
  tokens: Pick<EmailTokens, 'save'>;
  mailer: Mailer;
  mailThrottle: MailThrottle;
  tags: IdentifierTags;
  links: LinkSettings;
  clock?: Clock;
}

/**
 * Mails the user a verification link (throttled per address and source: a refused one sends
 * nothing, and the step page says the same). Its valid minutes, for the page.
 */
export async function sendVerification(
  deps: VerificationMailDeps,
  user: User,
  request: { loginChallenge: string | undefined; sourceIp: string | undefined; locale: Locale },
): Promise<number> {
  const decision = await deps.mailThrottle.attempt({
    address: deps.tags.account(user.email),
    ip: request.sourceIp,
  });
  if (!decision.allowed) {
    audit('verification.throttled', { subject: user.id, limitedBy: decision.limitedBy });
    return validMinutes(deps.links);
  }
  const link = await issueLink(
    deps.tokens,
    deps.links,
    VERIFY_PATH,
    {
      purpose: 'verify',
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
        { kind: 'verify', email: user.email, link, validMinutes: validMinutes(deps.links) },
        request.locale,
      ),
    'verify',
  );
  audit('verification.sent', { subject: user.id });
  return validMinutes(deps.links);
}

export interface VerifyDeps {
  users: Pick<UserStore, 'setEmailVerified'>;
  tokens: Pick<EmailTokens, 'find' | 'consume'>;
  hydra: Pick<HydraAdmin, 'getLoginRequest'>;
  clock?: Clock;
}

export type VerifyView =
  | { page: 'form'; email: string }
  | { page: 'done'; email: string; continueUrl: string | undefined }
  | { page: 'link'; problem: LinkProblem; again: string | undefined };

function linkProblem(problem: LinkProblem): Outcome<VerifyView> {
  // A new link comes from signing in again (the step mails one).
  return refused({ reason: 'link', problem }, { page: 'link', problem, again: undefined });
}

/** GET /verify?token=…: "confirm that this is your address", while the link works. */
export async function openVerification(
  deps: VerifyDeps,
  token: string,
): Promise<Outcome<VerifyView>> {
  const link = await checkLink(deps.tokens, token, 'verify', deps.clock);
  if (!link.ok) return linkProblem(link.problem);
  return show({ page: 'form', email: link.token.email });
}

/** POST /verify: uses the link up and marks the address verified, if it is still the user's. */
export async function confirmVerification(
  deps: VerifyDeps,
  token: string,
): Promise<Outcome<VerifyView>> {
  const link = await consumeLink(deps.tokens, token, 'verify', deps.clock);
  if (!link.ok) return linkProblem(link.problem);
  const { subject, email, loginChallenge } = link.token;
  const user = subject ? await deps.users.setEmailVerified(subject, email) : undefined;
  if (!user) return linkProblem('invalid');
  audit('email.verified', { subject: user.id });
  return show({ page: 'done', email, continueUrl: await wayBack(deps.hydra, loginChallenge) });
}
