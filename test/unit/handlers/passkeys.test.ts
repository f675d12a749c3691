/**
 * The passkey routes through the real handlers and pipeline: the sign-in page's passkey form
 * and the script it is allowed by hash, the POST that signs in with it, and what is refused
 * before anything is read (PASSKEYS off: 404; no CSRF token: 403).
 */
import { loginGet } from '../../../functions/login-get';
import { signInChallenge } from '../../../shared/flows/passkey-options';
import { passkeyLoginHandler, type PasskeyRouteDeps } from '../../../shared/http/passkeys';
import type { PasskeySettings } from '../../../shared/config';
import { createIdentifierTags } from '../../../shared/users/tags';
import { SoftAuthenticator } from '../../../scripts/lib/webauthn-authenticator';
import { event, formPost, HOST } from '../support/events';
import {
  FakeHydra,
  FakePasswordHasher,
  InMemoryFactorStore,
  InMemoryLoginSessions,
  InMemoryUserStore,
} from '../support/fakes';
import {
  COOKIE_SECRET,
  expectSecurityHeaders,
  formSecrets,
  invoke,
  WEB,
} from '../support/handlers';
import { loginRequest } from '../support/payloads';

const CHALLENGE = 'login-challenge-0123456789abcdef';
const ORIGIN = `https://${HOST}`;
const SETTINGS: PasskeySettings = { rpId: HOST, origins: [ORIGIN], rpName: 'Example' };

function site(on = true) {
  const passkeys = on ? SETTINGS : undefined;
  const hydra = new FakeHydra();
  hydra.loginRequests.set(CHALLENGE, loginRequest({ challenge: CHALLENGE, session_id: 'sid-1' }));
  const users = new InMemoryUserStore(new FakePasswordHasher());
  const factors = new InMemoryFactorStore();
  const loginSessions = new InMemoryLoginSessions();
  const acrLevels = { password: 'aal1', secondFactor: 'aal2' };
  const deps: PasskeyRouteDeps = {
    web: WEB,
    hydra,
    users,
    factors,
    loginSessions,
    passkeys,
    keys: { secret: COOKIE_SECRET },
    tags: createIdentifierTags(COOKIE_SECRET),
    rememberForSeconds: 3600,
    browserSessionMaxSeconds: 3600,
    acrLevels,
    accessTokenClaims: [],
  };
  const alice = users.add({ email: 'alice@example.com', password: 'alice password 1234' });
  const key = new SoftAuthenticator(alice.id);
  factors.factors.set(alice.id, {
    passkeys: {
      [key.id]: {
        publicKey: key.cosePublicKey().toString('base64url'),
        counter: 0,
        name: 'Laptop',
        transports: ['internal'],
        deviceType: 'singleDevice',
        backedUp: false,
        createdAt: '2026-12-01T00:00:00.000Z',
      },
    },
  });
  return {
    hydra,
    factors,
    key,
    page: loginGet({
      web: WEB,
      hydra,
      users,
      loginSessions,
      factors,
      acrLevels,
      accessTokenClaims: [],
      passkeys,
    }),
    post: passkeyLoginHandler(deps),
  };
}

async function signInPage(s: ReturnType<typeof site>) {
  return invoke(s.page, event({ path: '/login', query: `login_challenge=${CHALLENGE}` }));
}

const assertion = (s: ReturnType<typeof site>) =>
  JSON.stringify(
    s.key.assert({
      challenge: signInChallenge(COOKIE_SECRET, CHALLENGE),
      origin: ORIGIN,
      rpId: HOST,
    }),
  );

it('shows "Sign in with a passkey", its script allowed by hash, and signs in with the passkey', async () => {
  const s = site();
  const page = await signInPage(s);

  expect(page.body).toContain('action="/login/passkey"');
  expect(page.body).toContain('data-passkey="get"');
  expect(page.headers['content-security-policy']).toMatch(/script-src 'sha256-[^']+'/);
  expectSecurityHeaders(page);

  const { cookie, token } = formSecrets(page);
  const response = await invoke(
    s.post,
    formPost(
      '/login/passkey',
      { challenge: CHALLENGE, csrf: token, response: assertion(s) },
      { cookies: [cookie] },
    ),
  );

  expect(response.statusCode).toBe(303);
  expect(s.hydra.only('login')).toMatchObject({ decision: 'accept' });
  expectSecurityHeaders(response);
});

it('has no passkey form, nor any script, while PASSKEYS is off; its POST is a 404', async () => {
  const s = site(false);
  const page = await signInPage(s);
  expect(page.body).not.toContain('data-passkey');
  expect(page.body).not.toContain('<script');
  expect(page.headers['content-security-policy']).not.toContain('script-src');

  const { cookie, token } = formSecrets(page);
  const response = await invoke(
    s.post,
    formPost(
      '/login/passkey',
      { challenge: CHALLENGE, csrf: token, response: assertion(s) },
      { cookies: [cookie] },
    ),
  );
  expect(response.statusCode).toBe(404);
  expect(s.hydra.decisions).toEqual([]);
});

it('refuses a passkey POST without the form’s CSRF token (403), before anything is read', async () => {
  const s = site();
  const response = await invoke(
    s.post,
    formPost('/login/passkey', { challenge: CHALLENGE, csrf: 'forged', response: assertion(s) }),
  );
  expect(response.statusCode).toBe(403);
  expect(s.hydra.calls).toEqual([]);
  expect(s.factors.calls).toEqual([]);
});

it('refuses the second step’s passkey POST without a pending first step', async () => {
  const s = site();
  const second = await invoke(
    s.post,
    formPost('/login/second-factor/passkey', {
      challenge: CHALLENGE,
      csrf: 'forged',
      response: '',
    }),
  );
  expect(second.statusCode).toBe(403);
  expect(s.hydra.decisions).toEqual([]);
});
