/**
 * Sign-up (SIGNUP=open or domains:…; off by default): "Create account" on the sign-in page →
 * an email address → "check your inbox", the same page in the same time for a new address and
 * one that has an account (that one gets "someone tried to create an account with your email")
 * → the mailed link → a name and a password → the account, its email verified → the way back
 * to the sign-in the user came from.
 *
 * The account is created when the link is used, not before (rather than created disabled until
 * then): until someone proves they read the mailbox, nothing holds the address. So nobody can
 * claim someone else's address ahead of them with a password of their own (account
 * pre-hijacking), unconfirmed sign-ups leave no users behind to clean up, and no user record
 * ever exists that sign-in, the token hook and the CLI would have to treat as "not yet". The
 * password is chosen on the link's page, so it is never stored before the address is proven.
 */
import type { HydraAdmin } from '../hydra/admin';
import type { SignUpPolicy } from '../config';
import type { Locale, Text } from '../i18n/messages';
import { audit } from '../log';
import type { Mailer } from '../mail/mailer';
import type { EmailTokens } from '../users/email-tokens';
import { checkIdentifier, MAX_IDENTIFIER_LENGTH } from '../users/identifier';
import { newPasswordProblem } from '../users/password-policy';
import type { IdentifierTags } from '../users/tags';
import { UserExistsError, type UserStore } from '../users/types';
import {
  checkLink,
  consumeLink,
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
import { refused, show, type Outcome } from './outcome';
import { RECOVERY_PATH } from './recovery';

export const SIGNUP_PATH = '/signup';
export const SIGNUP_COMPLETE_PATH = '/signup/complete';

/** The longest name the form takes (OIDC `name`). */
export const MAX_NAME_LENGTH = 200;

/** Whether SIGNUP lets this (normalized) address create an account. */
export function signUpAllows(policy: SignUpPolicy, email: string): boolean {
  if (policy.mode === 'off') return false;
  if (policy.mode === 'open') return true;
  const domain = email.slice(email.lastIndexOf('@') + 1);
  return policy.domains.includes(domain);
}

export interface SignUpDeps extends MailFormDeps {
  policy: SignUpPolicy;
  users: Pick<UserStore, 'findByIdentifier'>;
  tokens: Pick<EmailTokens, 'save'>;
  mailer: Mailer;
  tags: IdentifierTags;
  links: LinkSettings;
}

export type SignUpView =
  | {
      page: 'request';
      email: string;
      error?: Text;
      invalidEmail?: boolean;
      domains?: readonly string[];
    }
  /** "Check your inbox"; `email`: the address asked for, which its resend form asks for again. */
  | { page: 'sent'; email: string; validMinutes: number };

export interface SignUpRequest {
  email: string;
  loginChallenge: string | undefined;
  sourceIp: string | undefined;
  locale: Locale;
}

function domainsOf(policy: SignUpPolicy): readonly string[] | undefined {
  return policy.mode === 'domains' ? policy.domains : undefined;
}

/** GET /signup: the form (the route answers 404 while SIGNUP is off). */
export function startSignUp(deps: Pick<SignUpDeps, 'policy'>): Outcome<SignUpView> {
  return show({ page: 'request', email: '', domains: domainsOf(deps.policy) });
}

/** POST /signup: "check your inbox" for every address SIGNUP allows, in the same time. */
export async function requestSignUp(
  deps: SignUpDeps,
  request: SignUpRequest,
): Promise<Outcome<SignUpView>> {
  const typed = request.email.slice(0, MAX_IDENTIFIER_LENGTH);
  const domains = domainsOf(deps.policy);
  const check = checkIdentifier(request.email);
  if (!check.ok || !signUpAllows(deps.policy, check.identifier)) {
    return refused(
      { reason: 'bad-input' },
      {
        page: 'request',
        email: typed,
        domains,
        invalidEmail: true,
        error: check.ok
          ? { key: 'page.signUp.domains', params: { domains: (domains ?? []).join(', ') } }
          : INVALID_EMAIL,
      },
    );
  }
  const email = check.identifier;
  return equalised(deps, async () => {
    const decision = await deps.mailThrottle.attempt({
      address: deps.tags.account(email),
      ip: request.sourceIp,
    });
    if (!decision.allowed) {
      audit('signup.throttled', {
        identifierTag: deps.tags.log(email),
        limitedBy: decision.limitedBy,
      });
      return refused(
        { reason: 'throttled', retryAfterSeconds: decision.retryAfterSeconds },
        {
          page: 'request',
          email: typed,
          domains,
          error: throttledMessage(decision.retryAfterSeconds),
        },
      );
    }
    const existing = await deps.users.findByIdentifier(email);
    audit('signup.requested', { identifierTag: deps.tags.log(email) });
    if (existing) {
      await sendQuietly(
        () =>
          deps.mailer.send(
            email,
            {
              kind: 'signup-exists',
              email,
              recoveryLink: `${deps.links.publicUrl}${RECOVERY_PATH}`,
            },
            request.locale,
          ),
        'signup-exists',
      );
    } else {
      const link = await issueLink(
        deps.tokens,
        deps.links,
        SIGNUP_COMPLETE_PATH,
        {
          purpose: 'signup',
          email,
          ...(request.loginChallenge ? { loginChallenge: request.loginChallenge } : {}),
        },
        deps.clock,
      );
      await sendQuietly(
        () =>
          deps.mailer.send(
            email,
            { kind: 'signup', email, link, validMinutes: validMinutes(deps.links) },
            request.locale,
          ),
        'signup',
      );
    }
    return show<SignUpView>({ page: 'sent', email, validMinutes: validMinutes(deps.links) });
  });
}

export interface CompleteSignUpDeps {
  policy: SignUpPolicy;
  users: Pick<UserStore, 'create'>;
  tokens: Pick<EmailTokens, 'find' | 'consume'>;
  hydra: Pick<HydraAdmin, 'getLoginRequest'>;
  clock?: MailFormDeps['clock'];
}

export type CompleteSignUpView =
  | { page: 'form'; email: string; name: string; error?: Text }
  | { page: 'done'; email: string; continueUrl: string | undefined }
  | { page: 'exists'; continueUrl: string | undefined }
  | { page: 'link'; problem: LinkProblem; again: string };

function linkProblem(problem: LinkProblem): Outcome<CompleteSignUpView> {
  return refused({ reason: 'link', problem }, { page: 'link', problem, again: SIGNUP_PATH });
}

/** GET /signup/complete?token=…: the name and password form while the link works. */
export async function openSignUp(
  deps: { tokens: Pick<EmailTokens, 'find'>; clock?: CompleteSignUpDeps['clock'] },
  token: string,
): Promise<Outcome<CompleteSignUpView>> {
  const link = await checkLink(deps.tokens, token, 'signup', deps.clock);
  if (!link.ok) return linkProblem(link.problem);
  return show({ page: 'form', email: link.token.email, name: '' });
}

/** POST /signup/complete: uses the link up and creates the account, its email verified. */
export async function completeSignUp(
  deps: CompleteSignUpDeps,
  token: string,
  submission: { password: string; name: string },
): Promise<Outcome<CompleteSignUpView>> {
  const clock = deps.clock ?? SYSTEM_CLOCK;
  const open = await checkLink(deps.tokens, token, 'signup', clock);
  if (!open.ok) return linkProblem(open.problem);
  const name = submission.name.trim().slice(0, MAX_NAME_LENGTH);
  if (newPasswordProblem(submission.password)) {
    return refused(
      { reason: 'bad-input' },
      { page: 'form', email: open.token.email, name, error: INVALID_PASSWORD },
    );
  }
  // SIGNUP may have been narrowed since the mail was sent.
  if (!signUpAllows(deps.policy, open.token.email)) return linkProblem('invalid');
  const link = await consumeLink(deps.tokens, token, 'signup', clock);
  if (!link.ok) return linkProblem(link.problem);
  const { email, loginChallenge } = link.token;
  try {
    const user = await deps.users.create({
      email,
      password: submission.password,
      profile: { email_verified: true, ...(name ? { name } : {}) },
    });
    audit('signup.completed', { subject: user.id });
    return show({ page: 'done', email, continueUrl: await wayBack(deps.hydra, loginChallenge) });
  } catch (error) {
    if (!(error instanceof UserExistsError)) throw error;
    return show({ page: 'exists', continueUrl: await wayBack(deps.hydra, loginChallenge) });
  }
}
