/**
 * The current password, asked again on the account page before a change that needs it (a new
 * password, two-step sign-in's recovery codes and removal). Typed there, it is a guess at the same
 * secret as a sign-in's: counted as one is, per account and source or against this browser's own
 * allowance (shared/throttle), before it is checked.
 */
import type { KnownDevice, LoginThrottle, ThrottleLimit } from '../throttle/throttle';
import type { PasswordHasher } from '../users/password';
import { isPasswordWithinLimits } from '../users/password-policy';
import type { IdentifierTags } from '../users/tags';
import type { User } from '../users/types';

export interface CurrentPasswordDeps {
  passwords: Pick<PasswordHasher, 'verify'>;
  /** The sign-in throttle (its password counters). */
  throttle: LoginThrottle;
  tags: Pick<IdentifierTags, 'account'>;
}

export interface CurrentPassword {
  current: string;
  sourceIp: string | undefined;
  /** This browser's device cookie, when it has one (its own throttle allowance). */
  device: KnownDevice | undefined;
}

export type CurrentPasswordCheck =
  | { verdict: 'right' }
  | { verdict: 'wrong' }
  | { verdict: 'throttled'; limitedBy: ThrottleLimit; retryAfterSeconds: number };

/** Whether `typed.current` is the user's password, counted before it is checked. */
export async function checkCurrentPassword(
  deps: CurrentPasswordDeps,
  user: Pick<User, 'email' | 'passwordHash'>,
  typed: CurrentPassword,
): Promise<CurrentPasswordCheck> {
  const account = deps.tags.account(user.email);
  const keys = {
    account,
    ip: typed.sourceIp,
    knownDevice: typed.device?.accounts.includes(account) ? typed.device.id : undefined,
  };
  const decision = await deps.throttle.attempt(keys);
  if (!decision.allowed) {
    return {
      verdict: 'throttled',
      limitedBy: decision.limitedBy,
      retryAfterSeconds: decision.retryAfterSeconds,
    };
  }
  const right =
    isPasswordWithinLimits(typed.current) &&
    (await deps.passwords.verify(user.passwordHash, typed.current));
  if (!right) return { verdict: 'wrong' };
  await deps.throttle.succeeded(keys);
  return { verdict: 'right' };
}
