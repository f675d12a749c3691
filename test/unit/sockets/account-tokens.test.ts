/**
 * The account page's code exchange at Hydra's token endpoint (shared/hydra/public.ts), over
 * real node:http to a stub token endpoint: what it sends (PKCE verifier, no secret), and which
 * answers and ID tokens it refuses.
 */
import { HydraUnavailableError } from '../../../shared/hydra/errors';
import {
  authorizeUrl,
  createAccountTokens,
  SignInRefusedError,
  type PendingSignIn,
} from '../../../shared/hydra/public';
import { serveFetch, type FetchServer } from '../support/fetch-server';

const NOW = 1_800_000_000;
const PENDING: PendingSignIn = { state: 'state-1', nonce: 'nonce-1', verifier: 'verifier-1' };

const idToken = (claims: Record<string, unknown>) =>
  ['header', Buffer.from(JSON.stringify(claims)).toString('base64url'), 'signature'].join('.');

const GOOD = {
  sub: 'user-1',
  aud: ['account'],
  nonce: 'nonce-1',
  exp: NOW + 60,
  auth_time: NOW - 5,
};

let server: FetchServer;
let answer: () => Response;
const bodies: string[] = [];

beforeAll(async () => {
  server = await serveFetch(async (_url, init) => {
    bodies.push(typeof init.body === 'string' ? init.body : '');
    return answer();
  });
});
afterAll(() => server.close());
beforeEach(() => {
  bodies.length = 0;
});

const tokens = () =>
  createAccountTokens({
    hydraPublicUrl: server.url,
    clientId: 'account',
    redirectUri: 'https://login.example/account/callback',
    timeoutMs: 500,
  });

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('the account sign-in code exchange', () => {
  it('sends the code with its PKCE verifier and no secret, and reads who signed in when', async () => {
    answer = () => json(200, { id_token: idToken(GOOD), access_token: 'at' });

    await expect(tokens().exchange('code-1', PENDING, NOW)).resolves.toEqual({
      subject: 'user-1',
      authTime: NOW - 5,
    });
    expect(Object.fromEntries(new URLSearchParams(bodies[0]))).toEqual({
      grant_type: 'authorization_code',
      code: 'code-1',
      redirect_uri: 'https://login.example/account/callback',
      client_id: 'account',
      code_verifier: 'verifier-1',
    });
  });

  it.each([
    ['for another client', { ...GOOD, aud: ['other'] }],
    ['with another nonce', { ...GOOD, nonce: 'nonce-2' }],
    ['expired', { ...GOOD, exp: NOW }],
    ['without a subject', { ...GOOD, sub: '' }],
    ['without auth_time', { ...GOOD, auth_time: undefined }],
  ])('refuses an ID token %s', async (_what, claims) => {
    answer = () => json(200, { id_token: idToken(claims) });
    await expect(tokens().exchange('code-1', PENDING, NOW)).rejects.toBeInstanceOf(
      SignInRefusedError,
    );
  });

  it("refuses a code Hydra refuses (400 invalid_grant), and calls Hydra's 5xx an outage", async () => {
    answer = () => json(400, { error: 'invalid_grant' });
    await expect(tokens().exchange('code-1', PENDING, NOW)).rejects.toMatchObject({
      reason: 'invalid_grant',
    });
    answer = () => json(503, { error: 'temporarily_unavailable' });
    await expect(tokens().exchange('code-1', PENDING, NOW)).rejects.toBeInstanceOf(
      HydraUnavailableError,
    );
  });
});

describe('the authorize URL', () => {
  it('asks for openid only, with the S256 challenge of the verifier (RFC 7636 appendix B)', () => {
    const url = new URL(
      authorizeUrl(
        {
          hydraPublicUrl: 'https://auth.example',
          clientId: 'account',
          redirectUri: 'https://x/cb',
        },
        { ...PENDING, verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk' },
      ),
    );
    expect(url.searchParams.get('code_challenge')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
    expect(url.searchParams.get('scope')).toBe('openid');
    expect(url.searchParams.get('nonce')).toBe('nonce-1');
  });
});
