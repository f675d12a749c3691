/**
 * The account page as Hydra's client: the authorization request it sends the browser to, and
 * the code exchange at Hydra's token endpoint (authorization code + PKCE, a public client: no
 * client secret). The exchange is a call we make to Hydra's public API, so the ID token comes
 * straight from Hydra over the connection we opened: its claims are read without checking its
 * signature (OpenID Connect Core 3.1.3.7, step 6 allows that for a token from the token
 * endpoint), and its audience, nonce and expiry are checked.
 */
import { createHash, randomBytes } from 'node:crypto';
import { HydraUnavailableError } from './errors';
import { createNodeTransport } from './transport';

/** Where Hydra sends the browser back to, on our own public URL. */
export const ACCOUNT_CALLBACK_PATH = '/account/callback';

export function accountRedirectUri(settings: { publicUrl: string }): string {
  return `${settings.publicUrl}${ACCOUNT_CALLBACK_PATH}`;
}

export interface AccountClient {
  hydraPublicUrl: string;
  clientId: string;
  redirectUri: string;
  timeoutMs: number;
}

/** What an account sign-in keeps between the authorize redirect and the callback. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
}

export function newPendingSignIn(): PendingSignIn {
  const random = () => randomBytes(32).toString('base64url');
  return { state: random(), nonce: random(), verifier: random() };
}

/** Hydra's authorize URL for a pending sign-in: `openid` only, PKCE S256. */
export function authorizeUrl(
  client: Omit<AccountClient, 'timeoutMs'>,
  pending: PendingSignIn,
  /** `prompt=login`: Hydra asks for a fresh sign-in even when it remembers the user. */
  options: { freshSignIn?: boolean } = {},
): string {
  const url = new URL(`${client.hydraPublicUrl}/oauth2/auth`);
  url.search = new URLSearchParams({
    client_id: client.clientId,
    response_type: 'code',
    scope: 'openid',
    redirect_uri: client.redirectUri,
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: createHash('sha256').update(pending.verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...(options.freshSignIn ? { prompt: 'login' } : {}),
  }).toString();
  return url.href;
}

/** Who signed in, from the ID token. */
export interface SignedIn {
  subject: string;
  /** `auth_time`: when the user authenticated at Hydra (Unix seconds). */
  authTime: number;
}

/** Hydra refused the code (used, expired, not ours) or gave an ID token that does not check out. */
export class SignInRefusedError extends Error {
  constructor(readonly reason: string) {
    super(`the account sign-in was refused: ${reason}`);
    this.name = 'SignInRefusedError';
  }
}

export interface AccountTokens {
  exchange(code: string, pending: PendingSignIn, nowSeconds: number): Promise<SignedIn>;
}

function claimsOf(idToken: unknown): Record<string, unknown> | undefined {
  if (typeof idToken !== 'string') return undefined;
  const payload = idToken.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    return typeof claims === 'object' && claims !== null
      ? (claims as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The ID token's subject and auth_time, once its audience, nonce and expiry check out. */
export function signedInFrom(
  idToken: unknown,
  clientId: string,
  pending: PendingSignIn,
  nowSeconds: number,
): SignedIn {
  const claims = claimsOf(idToken);
  if (!claims) throw new SignInRefusedError('no readable ID token');
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audience.includes(clientId)) throw new SignInRefusedError('ID token for another client');
  if (claims.nonce !== pending.nonce) throw new SignInRefusedError('ID token nonce mismatch');
  if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) {
    throw new SignInRefusedError('ID token expired');
  }
  const { sub, auth_time: authTime } = claims;
  if (typeof sub !== 'string' || sub === '') throw new SignInRefusedError('ID token without sub');
  if (typeof authTime !== 'number' || !Number.isFinite(authTime)) {
    throw new SignInRefusedError('ID token without auth_time');
  }
  return { subject: sub, authTime };
}

export function createAccountTokens(client: AccountClient): AccountTokens {
  const send = createNodeTransport();
  const operation = 'exchange the account sign-in code';
  return {
    async exchange(code, pending, nowSeconds) {
      const body = new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: client.redirectUri,
        client_id: client.clientId,
        code_verifier: pending.verifier,
      }).toString();
      let status: number;
      let text: string;
      try {
        const response = await send(`${client.hydraPublicUrl}/oauth2/token`, {
          method: 'POST',
          headers: {
            accept: 'application/json',
            'content-type': 'application/x-www-form-urlencoded',
          },
          body,
          signal: AbortSignal.timeout(client.timeoutMs),
        });
        status = response.status;
        text = await response.text();
      } catch (error) {
        const name = (error as { name?: string } | undefined)?.name;
        const failure = name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network';
        throw new HydraUnavailableError(failure, operation);
      }
      let json: { id_token?: unknown; error?: unknown } | undefined;
      try {
        json = JSON.parse(text) as typeof json;
      } catch {
        json = undefined;
      }
      if (status === 400 || status === 401) {
        throw new SignInRefusedError(
          typeof json?.error === 'string' ? json.error : `HTTP ${status}`,
        );
      }
      if (status !== 200 || !json) {
        throw new HydraUnavailableError(status >= 500 ? 'server' : 'unexpected', operation, status);
      }
      return signedInFrom(json.id_token, client.clientId, pending, nowSeconds);
    },
  };
}
