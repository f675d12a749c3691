/**
 * The authentication context class (`acr`, OpenID Connect Core 1.0 §2) of a sign-in: the level
 * it reached, as a function of how the user authenticated (`amr`, RFC 8176), each level named in
 * the configuration (ACR_PASSWORD, ACR_SECOND_FACTOR; `aal1` and `aal2` by default). A password
 * alone is the lowest level; two factors (`mfa`) the higher one: a password and a code (`otp`),
 * a password and a passkey (`hwk`/`swk`), or a passkey with user verification by itself (`user`:
 * the authenticator checked a PIN or biometric, so the key proves possession and the user
 * proves knowledge or inherence, and WebAuthn's origin binding makes it phishing-resistant, as
 * NIST SP 800-63B counts a multi-factor cryptographic authenticator at AAL2 and up). A passkey
 * without user verification, alone, is one factor: the lower level.
 *
 * What a sign-in must reach: the higher of what the client always needs (its Hydra client
 * `metadata.required_acr`, set by the operator, which must name one of our levels) and what the
 * authorization request asks for (`acr_values`, OIDC Core §3.1.2.1: the acceptable values in
 * order of preference; the lowest of our levels among them is needed, values we do not know are
 * ignored). An essential `acr` (the `claims` parameter) Hydra does not support.
 */
import type { OAuth2LoginRequest } from '../hydra/admin';

export interface AcrLevels {
  /** A password alone (ACR_PASSWORD). */
  password: string;
  /** A password and a second factor (ACR_SECOND_FACTOR). */
  secondFactor: string;
}

export type Level = keyof AcrLevels;

const ORDER: readonly Level[] = ['password', 'secondFactor'];

/** The methods of a password and a second factor (`otp`: an authenticator or recovery code). */
export const PASSWORD_AND_OTP: readonly string[] = ['pwd', 'otp', 'mfa'];

export function levelOf(amr: readonly string[]): Level {
  return amr.includes('mfa') ? 'secondFactor' : 'password';
}

export function acrOf(amr: readonly string[], levels: AcrLevels): string {
  return levels[levelOf(amr)];
}

export const reaches = (level: Level, needed: Level) =>
  ORDER.indexOf(level) >= ORDER.indexOf(needed);

/** Why a sign-in cannot go on: said by a page of its own (shared/http/error-pages.ts). */
export class SignInRequirementError extends Error {
  constructor(
    readonly reason:
      /** The client needs a second factor, and the user has none. */
      | 'no-second-factor'
      /** The client's `metadata.required_acr` names no level of ours. */
      | 'client-misconfigured'
      /** The second step came without a valid pending sign-in for its challenge (or too late). */
      | 'second-step-expired',
  ) {
    super(`sign-in requirement: ${reason}`);
    this.name = 'SignInRequirementError';
  }
}

function levelNamed(name: string, levels: AcrLevels): Level | undefined {
  return ORDER.find((level) => levels[level] === name);
}

/** The level this login request needs (throws for a client's required_acr we do not know). */
export function neededLevel(request: OAuth2LoginRequest, levels: AcrLevels): Level {
  const required = (request.client?.metadata as Record<string, unknown> | undefined)?.required_acr;
  let level: Level = 'password';
  if (required !== undefined) {
    const named = typeof required === 'string' ? levelNamed(required, levels) : undefined;
    if (!named) throw new SignInRequirementError('client-misconfigured');
    level = named;
  }
  const asked = (request.oidc_context?.acr_values ?? [])
    .map((value) => levelNamed(value, levels))
    .filter((named): named is Level => named !== undefined);
  if (asked.length > 0) {
    const lowest = ORDER.find((candidate) => asked.includes(candidate)) ?? 'password';
    if (!reaches(level, lowest)) level = lowest;
  }
  return level;
}
