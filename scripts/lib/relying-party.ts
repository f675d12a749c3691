/**
 * A real OpenID Connect relying party (openid-client): authorization code + PKCE + state + nonce,
 * ID token checked against Hydra's JWKS, userinfo, refresh and RP-initiated logout. Used by the
 * demo page of `npm start` and by the end-to-end tests.
 */
import * as oidc from 'openid-client';

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
