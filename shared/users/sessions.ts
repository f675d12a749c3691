/**
 * Whether a session of a user still counts: the one rule the remembered-login path and the token
 * hook share. A session is what Hydra remembers (a login cookie) or keeps (a refresh token); it
 * counts while the user exists, is enabled, and was authenticated after the user's sessions were
 * last ended (a password change, disabling, an explicit revocation).
 *
 * Hydra gives authentication times in whole seconds (`auth_time`), so the comparison is made in
 * whole seconds, and a sign-in in the same second as a revocation counts as before it: refused,
 * never let through.
 */
import type { User } from './types';

export type SessionVerdict = 'current' | 'deleted' | 'disabled' | 'revoked';

export function sessionVerdict(
  user: User | undefined,
  authenticatedAtSeconds: number,
): SessionVerdict {
  if (!user) return 'deleted';
  if (!user.enabled) return 'disabled';
  if (user.sessionsValidAfter === undefined) return 'current';
  const validAfterSeconds = Math.floor(Date.parse(user.sessionsValidAfter) / 1000);
  // An unreadable stamp ends every session: fail closed.
  if (!Number.isFinite(validAfterSeconds)) return 'revoked';
  return Math.floor(authenticatedAtSeconds) > validAfterSeconds ? 'current' : 'revoked';
}
