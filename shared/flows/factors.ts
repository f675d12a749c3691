/**
 * Enrolling and removing second factors (the users CLI today; the account page's enrolment page
 * at merge). Enrolment makes a new authenticator secret and a new set of recovery codes; the
 * codes are shown once, here, and stored only as tags. Removing a user's factors also ends its
 * sessions (a session signed in with a factor that is gone must not live on).
 */
import { factorSummary, type FactorStore, type RecoveryCodes } from '../users/factors';
import { recoveryTagWith, seal, type FactorKeyRing } from '../users/factor-keys';
import { newRecoveryCodes } from '../users/recovery-codes';
import { newTotpSecret, totpStep, totpUri } from '../users/totp';
import type { User } from '../users/types';
import { revokeUserSessions, type ChangeResult, type UserAdminPorts } from './user-admin';

export interface EnrolmentPorts {
  factors: Pick<FactorStore, 'enrol'>;
  keys: FactorKeyRing;
  now?: () => number;
}

export interface Enrolled {
  /** The base32 secret, to type into an app. */
  secret: string;
  /** The otpauth URI the QR code carries. */
  uri: string;
  /** Shown once; only their tags are stored. */
  recoveryCodes: string[];
}

/** The name apps show for the account. */
export const DEFAULT_TOTP_ISSUER = 'Sign-in';

/** A new authenticator secret for the user (not stored yet: `confirmEnrolment` stores it). */
export function beginEnrolment(user: Pick<User, 'email'>, issuer = DEFAULT_TOTP_ISSUER) {
  const secret = newTotpSecret();
  return { secret, uri: totpUri(secret, issuer, user.email) };
}

/**
 * Stores `secret` as the user's authenticator, with a new set of recovery codes, replacing
 * whatever the user had. With `code`, only if it is the app's current code (the step it is for
 * is then used up); undefined when it is not.
 */
export async function confirmEnrolment(
  ports: EnrolmentPorts,
  user: Pick<User, 'id' | 'email'>,
  enrolment: { secret: string; uri: string },
  code?: string,
): Promise<Enrolled | undefined> {
  const nowMs = ports.now?.() ?? Date.now();
  let lastStep = 0;
  if (code !== undefined) {
    const step = totpStep(enrolment.secret, code.replace(/\s/g, ''), nowMs);
    if (step === undefined) return undefined;
    lastStep = step;
  }
  const createdAt = new Date(nowMs).toISOString();
  const codes = recoveryCodeSet(ports.keys, user.id, createdAt);
  await ports.factors.enrol(
    user.id,
    { secret: seal(ports.keys, user.id, enrolment.secret), lastStep, createdAt },
    codes.stored,
  );
  return { ...enrolment, recoveryCodes: codes.shown };
}

/** A new set of recovery codes: as the user is shown them, and as they are stored (tags). */
function recoveryCodeSet(
  keys: FactorKeyRing,
  userId: string,
  createdAt: string,
): { shown: string[]; stored: RecoveryCodes } {
  const shown = newRecoveryCodes();
  const tags = shown.map((code) => recoveryTagWith(keys.current, userId, code.replace('-', '')));
  return { shown, stored: { keyId: keys.current.id, tags, createdAt } };
}

/**
 * A new set of recovery codes for a user with an authenticator app, replacing the old set (those
 * stop working at once); the codes to show once, or undefined when the user has no app.
 */
export async function renewRecoveryCodes(
  ports: Omit<EnrolmentPorts, 'factors'> & { factors: Pick<FactorStore, 'replaceRecoveryCodes'> },
  user: Pick<User, 'id'>,
): Promise<string[] | undefined> {
  const createdAt = new Date(ports.now?.() ?? Date.now()).toISOString();
  const codes = recoveryCodeSet(ports.keys, user.id, createdAt);
  const replaced = await ports.factors.replaceRecoveryCodes(user.id, codes.stored);
  return replaced ? codes.shown : undefined;
}

/** What the user has, never a secret: for the CLI and the account page. */
export async function listFactors(factors: Pick<FactorStore, 'find'>, user: Pick<User, 'id'>) {
  return factorSummary(await factors.find(user.id));
}

/** Removes every factor of the user, then ends its sessions (as `users revoke` does). */
export async function resetFactors(
  ports: UserAdminPorts & { factors: Pick<FactorStore, 'reset'> },
  user: User,
): Promise<{ removed: boolean; sessions: ChangeResult }> {
  const removed = await ports.factors.reset(user.id);
  return { removed, sessions: await revokeUserSessions(ports, user) };
}
