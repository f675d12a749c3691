/**
 * Hydra's token hook (`oauth2.token_hook`): before Hydra issues tokens for any grant it POSTs
 * the token request and its session here, and issues them only if we agree. Refresh grants never
 * reach the login screens, so this is where a refresh token of a user who was disabled, deleted
 * or whose sessions were ended since stops working, and where tokens pick up the user's current
 * claims (ory/hydra#556, #2570).
 *
 * What Hydra sends (oauth2/token_hook.go and oauth2/session.go, v2.3.0 and v26.2.0):
 *   { session: { id_token: { id_token_claims: { sub, auth_time, ext, … }, subject, … },
 *                extra, client_id, consent_challenge, … },
 *     request: { client_id, requested_scopes, granted_scopes, granted_audience, grant_types,
 *                payload } }
 * `session.id_token.subject` is the real subject (`id_token_claims.sub` may be a pairwise one);
 * `auth_time` is an RFC 3339 string (Go's time.Time), the zero time when there was no sign-in;
 * Go's empty lists may arrive as `null`.
 *
 * What Hydra does with the answer: 204 issues as is; 200 `{session: {access_token, id_token}}`
 * REPLACES the session's access token claims and the ID token's `ext` on refresh grants, so
 * everything Hydra put there itself must be handed back (`sid`: without it RP-initiated logout
 * with id_token_hint fails); 403 refuses (access_denied); anything else is a server_error.
 * On the authorization_code (and device_code) exchange Hydra calls the hook before it copies the
 * grant onto the token request (`granted_scopes` is empty) and afterwards merges what consent
 * stored over our answer: consent set those claims moments ago, so the answer there is 204.
 */
import { audit } from '../log';
import { sessionVerdict } from '../users/sessions';
import type { UserStore } from '../users/types';
import { idTokenClaims, loginContext, type Claims } from './claims';

export interface TokenHookDeps {
  users: Pick<UserStore, 'findById'>;
  /** ACCESS_TOKEN_CLAIMS: the user claims access tokens carry. */
  accessTokenClaims: readonly string[];
}

/** What we read from Hydra's body. */
export interface TokenHookRequest {
  /** The real subject; undefined only for grants without a user (client_credentials). */
  subject: string | undefined;
  /** Seconds since the epoch; -Infinity when Hydra sent no readable sign-in time. */
  authenticatedAtSeconds: number;
  clientId: string | undefined;
  grantTypes: string[];
  grantedScopes: string[];
  /** ID token claims Hydra set itself (`sid`), to be handed back. */
  hydraIdTokenClaims: Claims;
}

export interface TokenHookSession {
  access_token: Claims;
  id_token: Claims;
}

export type TokenHookDecision =
  | { status: 200; body: { session: TokenHookSession } }
  | { status: 204 }
  | { status: 403; body: { error: 'access_denied'; error_description: string } }
  | { status: 400; body: { error: 'invalid_request'; error_description: string } };

/** Our user ids are UUIDs; anything far longer is not a subject of ours, nor a DynamoDB key. */
export const MAX_SUBJECT_LENGTH = 1024;

/** ID token claims Hydra puts into `ext` itself; a 200 must carry them back. */
const HYDRA_ID_TOKEN_CLAIMS = ['sid'];

class Malformed extends Error {}

type Json = Record<string, unknown>;

function object(value: unknown, name: string, optional = false): Json | undefined {
  if (value === undefined || value === null) {
    if (optional) return undefined;
    throw new Malformed(`${name} is missing`);
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new Malformed(`${name} is not an object`);
  }
  return value as Json;
}

/** A list of strings; Go marshals an empty (nil) slice as null. */
function strings(value: unknown, name: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new Malformed(`${name} is not a list of strings`);
  }
  return value;
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Malformed(`${name} is not a string`);
  return value;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * `auth_time` as seconds: Go's RFC 3339 string, or a number of seconds. Missing, unreadable or
 * Go's zero time (no sign-in) → -Infinity: such a session counts only for a user whose sessions
 * were never ended.
 */
export function authTimeSeconds(value: unknown): number {
  let seconds = Number.NaN;
  if (typeof value === 'number') seconds = value;
  else if (typeof value === 'string' && RFC3339.test(value)) seconds = Date.parse(value) / 1000;
  return Number.isFinite(seconds) && seconds > 0 ? seconds : -Infinity;
}

/** Reads Hydra's body, or throws Malformed naming what is wrong. */
function read(body: unknown): TokenHookRequest {
  const root = object(body, 'the body') as Json;
  const session = object(root.session, 'session') as Json;
  const request = object(root.request, 'request') as Json;
  const idToken = object(session.id_token, 'session.id_token', true) ?? {};
  const claims = object(idToken.id_token_claims, 'session.id_token.id_token_claims', true) ?? {};
  const ext = object(claims.ext, 'session.id_token.id_token_claims.ext', true) ?? {};
  const subject =
    optionalString(idToken.subject, 'session.id_token.subject') ??
    optionalString(claims.sub, 'session.id_token.id_token_claims.sub');
  if (subject !== undefined && subject.length > MAX_SUBJECT_LENGTH) {
    throw new Malformed('the subject is too long');
  }
  const hydraIdTokenClaims: Claims = {};
  for (const name of HYDRA_ID_TOKEN_CLAIMS) {
    if (typeof ext[name] === 'string') hydraIdTokenClaims[name] = ext[name];
  }
  return {
    subject,
    authenticatedAtSeconds: authTimeSeconds(claims.auth_time),
    clientId:
      optionalString(request.client_id, 'request.client_id') ??
      optionalString(session.client_id, 'session.client_id'),
    grantTypes: strings(request.grant_types, 'request.grant_types'),
    grantedScopes: strings(request.granted_scopes, 'request.granted_scopes'),
    hydraIdTokenClaims,
  };
}

/** A client acting for itself: no user, nothing of ours to check or to add. */
function clientOnly(grantTypes: readonly string[]): boolean {
  return grantTypes.length === 1 && grantTypes[0] === 'client_credentials';
}

/** POST /token-hook: issue (with the user's current claims), issue as is, or refuse. */
export async function decideTokenHook(
  deps: TokenHookDeps,
  body: unknown,
): Promise<TokenHookDecision> {
  let request: TokenHookRequest;
  try {
    request = read(body);
  } catch (error) {
    if (!(error instanceof Malformed)) throw error;
    return {
      status: 400,
      body: {
        error: 'invalid_request',
        error_description: `Not a Hydra token hook request: ${error.message}.`,
      },
    };
  }
  const { subject, clientId: client, grantTypes, grantedScopes } = request;
  if (clientOnly(grantTypes)) {
    audit('token.issued', { client, grantTypes, claims: 'unchanged' });
    return { status: 204 };
  }
  if (subject === undefined) {
    return {
      status: 400,
      body: {
        error: 'invalid_request',
        error_description: 'Not a Hydra token hook request: the session has no subject.',
      },
    };
  }
  const user = await deps.users.findById(subject);
  const verdict = sessionVerdict(user, request.authenticatedAtSeconds);
  if (!user || verdict !== 'current') {
    audit('token.refused', { subject, client, reason: verdict, grantTypes });
    return {
      status: 403,
      body: {
        error: 'access_denied',
        error_description: 'The session of this user is no longer valid.',
      },
    };
  }
  if (grantedScopes.length === 0) {
    // The authorization_code / device_code exchange: consent's claims stand (see above).
    audit('token.issued', { subject, client, grantTypes, claims: 'unchanged' });
    return { status: 204 };
  }
  const context = loginContext(user, deps.accessTokenClaims);
  audit('token.issued', { subject, client, grantTypes, scopes: grantedScopes, claims: 'current' });
  return {
    status: 200,
    body: {
      session: {
        access_token: context.accessTokenClaims,
        id_token: { ...idTokenClaims(context, grantedScopes), ...request.hydraIdTokenClaims },
      },
    },
  };
}
