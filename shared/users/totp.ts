/**
 * Authenticator codes (TOTP, RFC 6238) through `otpauth`: 6 digits, 30-second steps, SHA-1 (what
 * every authenticator app reads from an otpauth URI), a secret of 20 random bytes. A code is
 * taken for the step it was made in and the steps either side of now (a clock a little off);
 * the step it matched is returned, so a store can refuse it, or any older step, a second time.
 * Only the second step and enrolment load this module (and with it `otpauth`).
 */
import { Secret, TOTP } from 'otpauth';

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;

const settings = { algorithm: 'SHA1', digits: TOTP_DIGITS, period: TOTP_PERIOD_SECONDS } as const;

/** A new secret, in base32 (as apps take it typed in). */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The `otpauth://totp/…` URI an app reads from the QR code. */
export function totpUri(secret: string, issuer: string, account: string): string {
  return new TOTP({
    ...settings,
    issuer,
    label: account,
    secret: Secret.fromBase32(secret),
  }).toString();
}

/** A code as typed: digits only (spaces dropped); undefined when it cannot be a code. */
export function normalizeTotpCode(typed: string): string | undefined {
  const code = typed.replace(/\s/g, '');
  return new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(code) ? code : undefined;
}

/** The time step `code` belongs to (now, or one step either side), or undefined. */
export function totpStep(secret: string, code: string, nowMs: number): number | undefined {
  const delta = TOTP.validate({
    ...settings,
    token: code,
    secret: Secret.fromBase32(secret),
    timestamp: nowMs,
    window: 1,
  });
  if (delta === null) return undefined;
  return Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS) + delta;
}

/** The code of the time step `step` (the CLI's and the tests' authenticator). */
export function totpCode(secret: string, step: number): string {
  return TOTP.generate({
    ...settings,
    secret: Secret.fromBase32(secret),
    timestamp: step * TOTP_PERIOD_SECONDS * 1000,
  });
}
