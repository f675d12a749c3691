/**
 * Email verification: `email_verified` becomes true only through a mailed link (the same token
 * rules as a reset), or by an operator (`users create … --email-verified`, `users verify-email`). When
 * REQUIRE_VERIFIED_EMAIL is true, a user whose email is not verified who signs in with the right
 * password is not let in but offered a link (POST /verify/send: the sign-in's function carries no
 * mail client); the link's page confirms the address and leads back to that sign-in.
 *
 * The link's page asks before it changes anything (a button, POST): mail scanners open links.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
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
  SYSTEM_CLOCK,
  validMinutes,
  wayBack,
  type Clock,
  type LinkProblem,
  type LinkSettings,
} from './email-links';
import { confirmEmailChange, type ConfirmEmailChangeDeps } from './email-change';
import { refused, show, type Outcome } from './outcome';

export const VERIFY_PATH = '/verify';

/** Who the verification step is for, and for which sign-in, until when. */
export interface VerificationStepClaim {
  subject: string;
  challenge: string;
  expiresAtSeconds: number;
}

const stepMac = (secret: string, claim: VerificationStepClaim) =>
  createHmac('sha256', secret)
    .update(
      ['hlc-verify-step-v1', claim.subject, claim.expiresAtSeconds, claim.challenge].join('|'),
    )
    .digest('base64url');

/** The step's signed value: `<subject>.<expiry>.<HMAC>` (the challenge is signed, not carried). */
export function signVerificationStep(secret: string, claim: VerificationStepClaim): string {
  return `${claim.subject}.${claim.expiresAtSeconds}.${stepMac(secret, claim)}`;
}

/** The user the step names, if the value is ours, for this sign-in, and not expired. */
export function checkVerificationStep(
  secret: string,
  value: string,
  challenge: string,
  nowSeconds: number,
): string | undefined {
  const match = /^([A-Za-z0-9_-]{1,128})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!match) return undefined;
  const [, subject = '', expiry = '', mac = ''] = match;
  const claim = { subject, challenge, expiresAtSeconds: Number(expiry) };
  if (claim.expiresAtSeconds < nowSeconds) return undefined;
  const expected = Buffer.from(stepMac(secret, claim));
  const given = Buffer.from(mac);
  return expected.length === given.length && timingSafeEqual(expected, given) ? subject : undefined;
}

export interface SendVerificationDeps extends VerificationMailDeps {
  users: Pick<UserStore, 'findById'>;
  /** COOKIE_SECRET: what the sign-in signed the step with. */
  secret: string;
  hydra: Pick<HydraAdmin, 'getLoginRequest'>;
}

export type SendVerificationView =
  /** `step`: the signed step again, for the resend form (the same POST). */
  | { page: 'sent'; email: string; validMinutes: number; continueUrl: string; step: string }
  /** The step's value is not ours, expired, or for another sign-in (or its user is gone). */
  | { page: 'invalid'; continueUrl: string };

/**
 * POST /verify/send (the step's button): mails the link to the user the sign-in named. A value
 * that is not ours, expired or for another sign-in is a 400; a user verified meanwhile is sent
 * straight back to the sign-in.
 */
export async function requestVerificationMail(
  deps: SendVerificationDeps,
  request: {
    step: string;
    loginChallenge: string;
    sourceIp: string | undefined;
    locale: Locale;
  },
): Promise<Outcome<SendVerificationView>> {
  const continueUrl = `/login?login_challenge=${encodeURIComponent(request.loginChallenge)}`;
  const nowSeconds = Math.floor((deps.clock ?? SYSTEM_CLOCK).now() / 1000);
  const subject = request.loginChallenge
    ? checkVerificationStep(deps.secret, request.step, request.loginChallenge, nowSeconds)
    : undefined;
  const user = subject ? await deps.users.findById(subject) : undefined;
  if (!user || !user.enabled) {
    return refused({ reason: 'bad-input' }, { page: 'invalid', continueUrl });
  }
  const validMinutes = await sendVerification(deps, user, {
    loginChallenge: request.loginChallenge,
    sourceIp: request.sourceIp,
    locale: request.locale,
  });
  return show({ page: 'sent', email: user.email, validMinutes, continueUrl, step: request.step });
}

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

export interface VerifyDeps extends ConfirmEmailChangeDeps {
  users: Pick<UserStore, 'setEmailVerified' | 'findById' | 'changeEmail'>;
  tokens: Pick<EmailTokens, 'find' | 'consume'>;
  hydra: Pick<HydraAdmin, 'getLoginRequest'>;
  clock?: Clock;
}

/** The links this page takes: an address to verify, or a new address to move the account to. */
const VERIFY_LINKS = ['verify', 'email-change'] as const;

export type VerifyView =
  | { page: 'form'; email: string }
  | { page: 'done'; email: string; continueUrl: string | undefined }
  /** An email change's link: "make this the address you sign in with?" */
  | { page: 'change-form'; email: string }
  | { page: 'changed'; email: string }
  /** The new address is another account's (taken after the link was sent): nothing changed. */
  | { page: 'taken'; email: string }
  | { page: 'link'; problem: LinkProblem; again: string | undefined };

function linkProblem(problem: LinkProblem): Outcome<VerifyView> {
  // A new link comes from signing in again (the step mails one).
  return refused({ reason: 'link', problem }, { page: 'link', problem, again: undefined });
}

/** GET /verify?token=…: "confirm that this is your address", while the link works. */
export async function openVerification(
  deps: { tokens: Pick<EmailTokens, 'find'>; clock?: Clock },
  token: string,
): Promise<Outcome<VerifyView>> {
  const link = await checkLink(deps.tokens, token, VERIFY_LINKS, deps.clock);
  if (!link.ok) return linkProblem(link.problem);
  const { purpose, email } = link.token;
  return show({ page: purpose === 'email-change' ? 'change-form' : 'form', email });
}

/**
 * POST /verify: uses the link up and marks the address verified, if it is still the user's; an
 * email change's link moves the account to its new address (./email-change).
 */
export async function confirmVerification(
  deps: VerifyDeps,
  token: string,
  locale: Locale,
): Promise<Outcome<VerifyView>> {
  const open = await checkLink(deps.tokens, token, VERIFY_LINKS, deps.clock);
  if (!open.ok) return linkProblem(open.problem);
  if (open.token.purpose === 'email-change') {
    const change = await confirmEmailChange(deps, token, locale);
    switch (change.kind) {
      case 'changed':
        return show({ page: 'changed', email: change.email });
      case 'taken':
        return refused({ reason: 'taken' }, { page: 'taken', email: change.email });
      case 'link':
        return linkProblem(change.problem);
    }
  }
  const link = await consumeLink(deps.tokens, token, 'verify', deps.clock);
  if (!link.ok) return linkProblem(link.problem);
  const { subject, email, loginChallenge } = link.token;
  const user = subject ? await deps.users.setEmailVerified(subject, email) : undefined;
  if (!user) return linkProblem('invalid');
  audit('email.verified', { subject: user.id });
  return show({ page: 'done', email, continueUrl: await wayBack(deps.hydra, loginChallenge) });
}
