/** Hydra admin API payloads, typed with @ory/hydra-client's own models. */
import type {
  OAuth2Client,
  OAuth2ConsentRequest,
  OAuth2LoginRequest,
  OAuth2LogoutRequest,
} from '@ory/hydra-client';

export const CLIENT: OAuth2Client = {
  client_id: 'demo-app',
  client_name: 'Demo App',
  redirect_uris: ['https://app.example/callback'],
  scope: 'openid profile email phone address offline_access',
};

export function loginRequest(overrides: Partial<OAuth2LoginRequest> = {}): OAuth2LoginRequest {
  return {
    challenge: 'login-challenge-1',
    client: CLIENT,
    request_url: 'https://hydra.example/oauth2/auth?client_id=demo-app',
    requested_scope: ['openid', 'profile'],
    requested_access_token_audience: [],
    skip: false,
    subject: '',
    ...overrides,
  };
}

export function consentRequest(
  overrides: Partial<OAuth2ConsentRequest> = {},
): OAuth2ConsentRequest {
  return {
    challenge: 'consent-challenge-1',
    client: CLIENT,
    request_url: 'https://hydra.example/oauth2/auth?client_id=demo-app',
    requested_scope: ['openid', 'profile', 'email'],
    requested_access_token_audience: ['https://api.example'],
    skip: false,
    subject: 'user-1',
    ...overrides,
  };
}

export function logoutRequest(overrides: Partial<OAuth2LogoutRequest> = {}): OAuth2LogoutRequest {
  return {
    challenge: 'logout-challenge-1',
    client: CLIENT,
    request_url: 'https://hydra.example/oauth2/sessions/logout',
    rp_initiated: true,
    sid: 'session-1',
    subject: 'user-1',
    ...overrides,
  };
}
