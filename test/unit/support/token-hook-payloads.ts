/**
 * Hydra's token hook bodies, shaped exactly as Hydra v2.3.0 sent them to a listener in a real run
 * (`hydra serve all --dev`, oauth2.token_hook with an api_key header; see oauth2/token_hook.go
 * and oauth2/session.go): time.Time values as RFC 3339 strings, Go's zero time where nothing was
 * set, `null` for empty lists and maps, the consent's claims plus Hydra's `sid` in `ext`.
 */

export type Grant = 'refresh_token' | 'authorization_code' | 'client_credentials';

export interface TokenHookBodyOptions {
  grant?: Grant;
  subject?: string;
  clientId?: string;
  /** RFC 3339, as Go marshals time.Time. */
  authTime?: string | number | null;
  grantedScopes?: string[] | null;
  /** The ID token claims consent set (the session's `ext`, Hydra's `sid` aside). */
  idTokenExt?: Record<string, unknown>;
  /** The access token claims consent set (the session's `extra`). */
  extra?: Record<string, unknown>;
  sid?: string;
}

export const CLIENT_ID = 'demo-app';
export const SID = 'fbc63ace-f1d9-4f1a-993e-fc9fcfb483d3';
const ZERO_TIME = '0001-01-01T00:00:00Z';

/** RFC 3339 in whole seconds, as Hydra keeps sign-in times. */
export function rfc3339(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function tokenHookBody(options: TokenHookBodyOptions = {}) {
  const grant = options.grant ?? 'refresh_token';
  const clientId = options.clientId ?? CLIENT_ID;
  if (grant === 'client_credentials') {
    return {
      session: {
        id_token: {
          id_token_claims: {
            jti: '',
            iss: 'http://127.0.0.1:4444',
            sub: '',
            aud: null,
            nonce: '',
            exp: ZERO_TIME,
            iat: '2026-12-01T21:32:30.022071817Z',
            rat: ZERO_TIME,
            auth_time: ZERO_TIME,
            at_hash: '',
            acr: '',
            amr: null,
            c_hash: '',
            ext: null,
          },
          headers: { extra: null },
          expires_at: { access_token: '2026-12-01T22:32:30.022027184Z' },
          username: '',
          subject: clientId,
        },
        extra: {},
        kid: '',
        client_id: clientId,
        consent_challenge: '',
        exclude_not_before_claim: false,
        allowed_top_level_claims: [],
        mirror_top_level_claims: true,
      },
      request: {
        client_id: clientId,
        requested_scopes: ['profile'],
        granted_scopes: ['profile'],
        granted_audience: [],
        grant_types: ['client_credentials'],
        payload: { grant_type: ['client_credentials'], scope: ['profile'] },
      },
    };
  }
  const subject = options.subject ?? 'user-1';
  const authTime = options.authTime === undefined ? rfc3339(Date.now()) : options.authTime;
  const requested = ['openid', 'offline_access', 'profile', 'email'];
  const granted =
    options.grantedScopes !== undefined
      ? options.grantedScopes
      : grant === 'authorization_code'
        ? [] // Hydra copies the grant onto the token request only after the hook
        : ['openid', 'offline_access', 'profile'];
  return {
    session: {
      id_token: {
        id_token_claims: {
          jti: '',
          iss: 'http://127.0.0.1:4444',
          sub: subject,
          aud: [clientId],
          nonce: 'nonce123456',
          exp: ZERO_TIME,
          iat: '2026-12-01T21:32:30Z',
          rat: '2026-12-01T21:32:30Z',
          auth_time: authTime,
          at_hash: '',
          acr: '',
          amr: [],
          c_hash: '',
          ext: { ...(options.idTokenExt ?? {}), sid: options.sid ?? SID },
        },
        headers: { extra: { kid: 'a5c5a5b2-11e0-4418-8844-8b3c3da47d63' } },
        expires_at: {
          access_token: '2026-12-01T22:32:31Z',
          authorize_code: '2026-12-01T21:42:30.970795992Z',
          refresh_token: '2026-12-31T21:32:31Z',
        },
        username: '',
        subject,
      },
      extra: options.extra ?? {},
      kid: '',
      client_id: clientId,
      consent_challenge: '721c1e30-8c06-4ac8-84ab-837b5db9a1dc',
      exclude_not_before_claim: false,
      allowed_top_level_claims: [],
      mirror_top_level_claims: true,
    },
    request: {
      client_id: clientId,
      requested_scopes: requested,
      granted_scopes: granted,
      granted_audience: [],
      grant_types: [grant],
      payload: { grant_type: [grant] },
    },
  };
}
