/**
 * Which claims a user's tokens carry. At login we put the user's claims into Hydra's login
 * `context`; Hydra hands that context to the consent request, so consent needs no second read of
 * the user store. At consent we release only the claims of the scopes that were granted.
 */
import type { User } from '../users/types';

export type Claims = Record<string, unknown>;

/** OIDC Core 5.4: the claims each standard scope releases. */
export const SCOPE_CLAIMS: Record<string, readonly string[]> = {
  profile: [
    'name',
    'family_name',
    'given_name',
    'middle_name',
    'nickname',
    'preferred_username',
    'profile',
    'picture',
    'website',
    'gender',
    'birthdate',
    'zoneinfo',
    'locale',
    'updated_at',
  ],
  email: ['email', 'email_verified'],
  phone: ['phone_number', 'phone_number_verified'],
  address: ['address'],
};

/** What login hands to consent through Hydra. Version it: old contexts may still be in flight. */
export interface LoginContext {
  v: 1;
  /** Every standard claim the user has, before scope filtering. */
  claims: Claims;
  /** Claims configured for access tokens (ACCESS_TOKEN_CLAIMS), e.g. roles, groups. */
  accessTokenClaims: Claims;
}

export function loginContext(user: User, accessTokenClaimNames: readonly string[]): LoginContext {
  const { roles, groups, ...standard } = user.profile;
  const claims: Claims = {
    ...standard,
    email: user.email,
    email_verified: user.profile.email_verified ?? false,
    updated_at: Math.floor(Date.parse(user.updatedAt) / 1000),
  };
  if (user.profile.phone_number === undefined) delete claims.phone_number_verified;
  const extra: Claims = { roles, groups };
  const accessTokenClaims: Claims = {};
  for (const name of accessTokenClaimNames) {
    const value = extra[name] ?? claims[name];
    if (value !== undefined) accessTokenClaims[name] = value;
  }
  return { v: 1, claims, accessTokenClaims };
}

export function readLoginContext(context: unknown): LoginContext | undefined {
  if (typeof context !== 'object' || context === null) return undefined;
  const candidate = context as Partial<LoginContext>;
  if (candidate.v !== 1 || typeof candidate.claims !== 'object' || candidate.claims === null) {
    return undefined;
  }
  return {
    v: 1,
    claims: candidate.claims,
    accessTokenClaims:
      typeof candidate.accessTokenClaims === 'object' && candidate.accessTokenClaims !== null
        ? candidate.accessTokenClaims
        : {},
  };
}

/** The ID token claims for the granted scopes; nothing for scopes that were not granted. */
export function idTokenClaims(context: LoginContext | undefined, grantedScopes: readonly string[]) {
  const out: Claims = {};
  if (!context) return out;
  for (const scope of grantedScopes) {
    // Own keys only: a client may ask for a scope named "toString" or "__proto__".
    for (const name of Object.hasOwn(SCOPE_CLAIMS, scope) ? (SCOPE_CLAIMS[scope] ?? []) : []) {
      const value = context.claims[name];
      if (value !== undefined && value !== null && value !== '') out[name] = value;
    }
  }
  return out;
}
