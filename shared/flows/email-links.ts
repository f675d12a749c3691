/**
 * What the self-service flows (forgot password, verification, sign-up) share: the links we mail,
 * the same answer and the same time for every address, and the way back to the sign-in.
 *
 * A link carries a token of 256 random bits and nothing else (no email, no user id); the users
 * table keeps only its SHA-256 (shared/users/email-tokens.ts), with its purpose, whose it is and
 * until when it works, checked here in code. Using a link is one conditional write: of two tabs,
 * one wins, the other is told the link was used.
 *
 * Forms that may send a mail answer the same page for an address with an account and one
 * without, and in the same time: the work differs (a token and a mail, or nothing), so every
 * answer is held until MAIL_MIN_RESPONSE_MS after the request began (`equalised`), a floor above
 * what the slower case takes (an SES call: tens of milliseconds). A request that outlasts it is
 * logged, since its time may then tell.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { HydraAdmin } from '../hydra/admin';
import { ChallengeNotFoundError, RequestAlreadyHandledError } from '../hydra/errors';
import type { Text } from '../i18n/messages';
import { log } from '../log';
import type { MailThrottle } from '../throttle/mail';
import type {
  EmailToken,
  EmailTokenPurpose,
  EmailTokens,
  StoredEmailToken,
} from '../users/email-tokens';
import type { User } from '../users/types';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../users/password-policy';

/** Where links point (PUBLIC_URL) and how long they work (EMAIL_LINK_TTL_SECONDS). */
export interface LinkSettings {
  publicUrl: string;
  ttlSeconds: number;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** What every form that may send a mail is given, besides its flow's own ports. */
export interface MailFormDeps {
  mailThrottle: MailThrottle;
  /** MAIL_MIN_RESPONSE_MS: the time every answer takes at least. */
  minResponseMs: number;
  clock?: Clock;
}

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A new link token (32 random bytes, base64url) and the hash it is stored under. */
export function newEmailToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: emailTokenHash(token) };
}

export function emailTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Why a link does not work: used already, past its time, or not one of ours (cut, changed). */
export type LinkProblem = 'used' | 'expired' | 'invalid';

export type LinkCheck =
  { ok: true; hash: string; token: StoredEmailToken } | { ok: false; problem: LinkProblem };

function problemOf(
  found: StoredEmailToken | undefined,
  purpose: EmailTokenPurpose | readonly EmailTokenPurpose[],
  nowSeconds: number,
): LinkProblem | undefined {
  const purposes: readonly EmailTokenPurpose[] = typeof purpose === 'string' ? [purpose] : purpose;
  if (!found || !purposes.includes(found.purpose)) return 'invalid';
  if (found.usedAtSeconds !== undefined) return 'used';
  if (found.validUntilSeconds <= nowSeconds) return 'expired';
  return undefined;
}

const seconds = (clock: Clock) => Math.floor(clock.now() / 1000);

/**
 * Whether the link works, for `purpose` (or one of several: the link says which). A read:
 * nothing changes. A malformed token reads nothing.
 */
export async function checkLink(
  tokens: Pick<EmailTokens, 'find'>,
  token: string,
  purpose: EmailTokenPurpose | readonly EmailTokenPurpose[],
  clock: Clock = SYSTEM_CLOCK,
): Promise<LinkCheck> {
  if (!TOKEN_PATTERN.test(token)) return { ok: false, problem: 'invalid' };
  const hash = emailTokenHash(token);
  const found = await tokens.find(hash);
  const problem = problemOf(found, purpose, seconds(clock));
  return problem || !found
    ? { ok: false, problem: problem ?? 'invalid' }
    : { ok: true, hash, token: found };
}

/** Uses the link up (one conditional write); when another request won, says why it failed. */
export async function consumeLink(
  tokens: Pick<EmailTokens, 'find' | 'consume'>,
  token: string,
  purpose: EmailTokenPurpose,
  clock: Clock = SYSTEM_CLOCK,
): Promise<LinkCheck> {
  if (!TOKEN_PATTERN.test(token)) return { ok: false, problem: 'invalid' };
  const hash = emailTokenHash(token);
  const now = seconds(clock);
  const consumed = await tokens.consume(hash, purpose, now);
  if (consumed) return { ok: true, hash, token: consumed };
  return { ok: false, problem: problemOf(await tokens.find(hash), purpose, now) ?? 'used' };
}

/** A new link for `purpose`, stored; its URL under PUBLIC_URL (`path?token=…`). */
export async function issueLink(
  tokens: Pick<EmailTokens, 'save'>,
  links: LinkSettings,
  path: string,
  record: Omit<EmailToken, 'validUntilSeconds'>,
  clock: Clock = SYSTEM_CLOCK,
): Promise<string> {
  const { token, hash } = newEmailToken();
  await tokens.save(hash, {
    ...record,
    validUntilSeconds: seconds(clock) + links.ttlSeconds,
    issuedAtMs: clock.now(),
  });
  return `${links.publicUrl}${path}?token=${token}`;
}

/**
 * Whether the user's sessions were ended (a password reset or change, sign out everywhere,
 * disabling) after the link was made: a link asked for from a session that has since been ended,
 * or before a password was reset, must not outlive it (an email change mailed to someone who
 * held the session would otherwise still move the account to their address). An unreadable mark
 * ends every link, as it ends every session (../users/sessions).
 */
export function endedSince(
  user: Pick<User, 'sessionsValidAfter'>,
  link: Pick<EmailToken, 'issuedAtMs'>,
): boolean {
  if (user.sessionsValidAfter === undefined || link.issuedAtMs === undefined) return false;
  const mark = Date.parse(user.sessionsValidAfter);
  return !Number.isFinite(mark) || mark >= link.issuedAtMs;
}

export const validMinutes = (links: LinkSettings) => Math.ceil(links.ttlSeconds / 60);

/**
 * Runs `work`, then waits until `minResponseMs` after it began, so that every answer takes the
 * same time whatever the work was. A failure waits too before it is thrown.
 */
export async function equalised<T>(deps: MailFormDeps, work: () => Promise<T>): Promise<T> {
  const clock = deps.clock ?? SYSTEM_CLOCK;
  const started = clock.now();
  const hold = async () => {
    const elapsed = clock.now() - started;
    if (elapsed > deps.minResponseMs) {
      log.warn('a mail form took longer than MAIL_MIN_RESPONSE_MS', {
        elapsedMs: Math.round(elapsed),
        minResponseMs: deps.minResponseMs,
      });
    } else {
      await clock.sleep(deps.minResponseMs - elapsed);
    }
  };
  try {
    const result = await work();
    await hold();
    return result;
  } catch (error) {
    await hold();
    throw error;
  }
}

/** Sends a mail without letting its failure change the answer (the page says the same). */
export async function sendQuietly(send: () => Promise<void>, what: string): Promise<void> {
  try {
    await send();
  } catch (error) {
    log.error('a mail could not be sent', { mail: what, errorName: (error as Error).name });
  }
}

/**
 * The way back to the sign-in the user came from: our sign-in page for that challenge, while
 * Hydra still knows it (else undefined: the page says to go back to the application).
 */
export async function wayBack(
  hydra: Pick<HydraAdmin, 'getLoginRequest'>,
  loginChallenge: string | undefined,
): Promise<string | undefined> {
  if (!loginChallenge) return undefined;
  try {
    await hydra.getLoginRequest(loginChallenge);
    return `/login?login_challenge=${encodeURIComponent(loginChallenge)}`;
  } catch (error) {
    if (error instanceof ChallengeNotFoundError || error instanceof RequestAlreadyHandledError) {
      return undefined;
    }
    log.warn('could not ask Hydra for the way back to the sign-in', {
      errorName: (error as Error).name,
    });
    return undefined;
  }
}

export function throttledMessage(retryAfterSeconds: number): Text {
  return { key: 'page.selfService.throttled', count: Math.ceil(retryAfterSeconds / 60) };
}

export const INVALID_EMAIL: Text = { key: 'page.selfService.invalidEmail' };

export const INVALID_PASSWORD: Text = {
  key: 'page.password.invalid',
  params: { min: MIN_PASSWORD_LENGTH, max: MAX_PASSWORD_LENGTH },
};
