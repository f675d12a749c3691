/**
 * A user's second factors, in one item of the users table (`factors#<user id>`, ./table): one
 * read on the sign-in path tells whether the user has any, and gives what checks them. Each
 * credential is an attribute of its own, changed by its own conditional update:
 *   totp           { secret (sealed, ./factor-keys), lastStep, createdAt }: a code is taken only
 *                  for a time step after `lastStep`, and the same write records it, so a code
 *                  (or an older one) is never taken twice, even by two requests at once.
 *   recoveryCodes  a string set of the codes' tags, with `recoveryKeyId`: a code is used by
 *                  removing its tag on condition that it is in the set (one write, once).
 *   passkeys       a map of WebAuthn credentials by credential id (./passkeys).
 * The DynamoDB adapter is ./dynamo-factors (this module has none of the AWS SDK: GET /login's
 * bundle imports it).
 */
import { passkeyListings, type StoredPasskey } from './passkeys';

export interface TotpFactor {
  /** The base32 secret, sealed (./factor-keys). */
  secret: string;
  /** The last time step a code was taken for (0 when none was). */
  lastStep: number;
  createdAt: string;
}

export interface RecoveryCodes {
  /** The key the tags were made under (./factor-keys). */
  keyId: string;
  tags: string[];
  createdAt: string;
}

export interface Factors {
  totp?: TotpFactor;
  recoveryCodes?: RecoveryCodes;
  /** By credential id (base64url). */
  passkeys?: Record<string, StoredPasskey>;
}

/** What a user has, as the account page and the CLI name it (never a secret). */
export function factorSummary(factors: Factors | undefined) {
  return {
    totp: factors?.totp ? { createdAt: factors.totp.createdAt } : undefined,
    recoveryCodesLeft: factors?.recoveryCodes?.tags.length ?? 0,
    passkeys: passkeyListings(factors?.passkeys),
  };
}

export type FactorSummary = ReturnType<typeof factorSummary>;

/** Whether the user has a second factor to sign in with (an authenticator app or a passkey). */
export function hasSecondFactor(factors: Factors | undefined): boolean {
  return factors?.totp !== undefined || hasPasskey(factors);
}

export function hasPasskey(factors: Factors | undefined): boolean {
  return Object.keys(factors?.passkeys ?? {}).length > 0;
}

export interface FactorStore {
  /** The user's factors (a consistent read: an enrolment a moment ago counts). */
  find(userId: string): Promise<Factors | undefined>;
  /**
   * Enrols an authenticator app and a new set of recovery codes, replacing any before (the
   * passkeys stay).
   */
  enrol(userId: string, totp: TotpFactor, recoveryCodes: RecoveryCodes): Promise<void>;
  /**
   * Records `step` as used, only if it is after the last one used; says whether it did. With
   * `resealed`, the secret sealed again under the current key replaces the stored one.
   */
  useTotpStep(userId: string, step: number, resealed?: string): Promise<boolean>;
  /**
   * Replaces the user's recovery codes with a new set (the old ones stop working), only while
   * the user has an authenticator app; says whether it did.
   */
  replaceRecoveryCodes(userId: string, recoveryCodes: RecoveryCodes): Promise<boolean>;
  /** Removes the recovery code's tag, only if it is there; says whether it was. */
  useRecoveryCode(userId: string, tag: string): Promise<boolean>;
  /** Removes every factor of the user; says whether there were any. */
  reset(userId: string): Promise<boolean>;
}
