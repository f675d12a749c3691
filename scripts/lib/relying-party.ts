/**
 * A real OpenID Connect relying party (openid-client): authorization code + PKCE + state + nonce,
 * ID token checked against Hydra's JWKS, userinfo, refresh and RP-initiated logout. Used by the
 * demo page of `npm start`, the load script, the benchmark and the end-to-end tests.
 */
import { randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import { registerClient } from './hydra';

export interface RelyingPartyOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export interface PendingAuthorization {
  url: URL;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface RelyingParty {
  config: oidc.Configuration;
  startAuthorization(params?: Record<string, string>): Promise<PendingAuthorization>;
  finishAuthorization(
    callbackUrl: URL,
    pending: PendingAuthorization,
  ): Promise<oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers>;
  userinfo(accessToken: string, subject: string): Promise<oidc.UserInfoResponse>;
  refresh(
    refreshToken: string,
  ): Promise<oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers>;
  logoutUrl(idToken: string, postLogoutRedirectUri: string, state?: string): URL;
}

export async function createRelyingParty(options: RelyingPartyOptions): Promise<RelyingParty> {
  const config = await oidc.discovery(
    new URL(options.issuer),
    options.clientId,
    undefined,
    oidc.ClientSecretBasic(options.clientSecret),
    // Local Hydra runs on http loopback (--dev).
    { execute: [oidc.allowInsecureRequests] },
  );
  return {
    config,
    async startAuthorization(params = {}) {
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: options.redirectUri,
        scope: 'openid profile email offline_access',
        response_type: 'code',
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
        ...params,
      });
      return { url, state, nonce, codeVerifier };
    },
    finishAuthorization(callbackUrl, pending) {
      return oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    },
    userinfo: (accessToken, subject) => oidc.fetchUserInfo(config, accessToken, subject),
    refresh: (refreshToken) => oidc.refreshTokenGrant(config, refreshToken),
    logoutUrl(idToken, postLogoutRedirectUri, state) {
      return oidc.buildEndSessionUrl(config, {
        id_token_hint: idToken,
        post_logout_redirect_uri: postLogoutRedirectUri,
        ...(state ? { state } : {}),
      });
    },
  };
}

/**
 * Registers a client in Hydra (admin API, a random secret) and returns a relying party for it:
 * what `npm start`, the load script and the benchmark each need.
 */
export async function registerRelyingParty(
  hydra: { adminUrl: string; publicUrl: string },
  client: { id: string; name: string; redirectUri: string; postLogoutRedirectUri?: string },
): Promise<RelyingParty> {
  const secret = randomBytes(16).toString('hex');
  await registerClient(hydra.adminUrl, {
    client_id: client.id,
    client_secret: secret,
    client_name: client.name,
    redirect_uris: [client.redirectUri],
    ...(client.postLogoutRedirectUri
      ? { post_logout_redirect_uris: [client.postLogoutRedirectUri] }
      : {}),
  });
  return createRelyingParty({
    issuer: hydra.publicUrl,
    clientId: client.id,
    clientSecret: secret,
    redirectUri: client.redirectUri,
  });
}
