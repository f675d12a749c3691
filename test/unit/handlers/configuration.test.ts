/**
 * The pipeline under unusual configurations: each case reads its own environment, the way
 * shared/wiring.ts reads a function's (the site settings from the configuration, on each
 * request), with the in-memory Hydra of the flow tests.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { logoutGet } from '../../../functions/logout-get';
import { logoutPost } from '../../../functions/logout-post';
import { signedOut } from '../../../functions/signed-out';
import { resetLanguages } from '../../../shared/i18n/languages';
import { loadConfig } from '../../../shared/config';
import type { WebResponse } from '../../../shared/http/response';
import { pageDeps, webSettings } from '../../../shared/wiring';
import { event, formPost, HOST } from '../support/events';
import { FakeHydra, FakePasswordHasher, InMemoryUserStore } from '../support/fakes';
import { COOKIE_SECRET, expectSecurityHeaders, formSecrets, invoke } from '../support/handlers';
import { HYDRA_ADMIN } from '../support/hydra-http';
import { captureLogs } from '../support/logs';
import { logoutRequest } from '../support/payloads';

// Keep the log lines of the misconfigured functions out of stdout.
captureLogs();
let hydra = new FakeHydra();
beforeEach(() => {
  hydra = new FakeHydra();
});
const CHALLENGE = 'logout-challenge-0123456789';

function load(env: Record<string, string>) {
  const deps = {
    get web() {
      const config = loadConfig({ ...BASE, ...env });
      if (config.secrets.source !== 'environment') throw new Error('environment secrets only');
      const { values } = config.secrets;
      return webSettings(config, () => values);
    },
    hydra,
    users: new InMemoryUserStore(new FakePasswordHasher()),
  };
  const handlers = { get: logoutGet(deps), post: logoutPost(deps) };
  return {
    get: (e: APIGatewayProxyEventV2): Promise<WebResponse> => invoke(handlers.get, e),
    post: (e: APIGatewayProxyEventV2): Promise<WebResponse> => invoke(handlers.post, e),
  };
}

const BASE = { HYDRA_ADMIN_URL: HYDRA_ADMIN, USERS_TABLE: 'users-unit', COOKIE_SECRET };

describe('a misconfigured function', () => {
  it.each([
    ['without COOKIE_SECRET', { COOKIE_SECRET: '' }],
    ['with a short COOKIE_SECRET', { COOKIE_SECRET: 'too-short' }],
    ['without HYDRA_ADMIN_URL', { HYDRA_ADMIN_URL: '' }],
    ['with a bad COOKIE_SECURE', { COOKIE_SECURE: 'maybe' }],
  ])('answers 500 %s, with the security headers and without calling Hydra', async (_name, env) => {
    const handlers = load({ ...BASE, ...env });

    const response = await handlers.get(
      event({ path: '/logout', query: `logout_challenge=${CHALLENGE}` }),
    );

    expect(response.statusCode).toBe(500);
    expect(response.body).toContain('Sign-in is unavailable');
    expect(response.body).not.toMatch(/COOKIE_SECRET|HYDRA_ADMIN_URL|COOKIE_SECURE/);
    expectSecurityHeaders(response);
    expect(hydra.calls).toEqual([]);
  });
});

describe('local http development (COOKIE_SECURE=false)', () => {
  it('uses a plain cookie without Secure and lets forms target http', async () => {
    hydra.logoutRequests.set(CHALLENGE, logoutRequest({ challenge: CHALLENGE }));
    const handlers = load({ ...BASE, COOKIE_SECURE: 'false' });

    const response = await handlers.get(
      event({ path: '/logout', query: `logout_challenge=${CHALLENGE}` }),
    );

    expect(response.cookies).toEqual([expect.stringMatching(/^hlc-csrf=[^;]+; Path=\/; /)]);
    expect(response.cookies?.[0]).not.toContain('Secure');
    expect(response.headers['content-security-policy']).toContain(
      "form-action 'self' https: http:",
    );
  });

  it('accepts a form posted from our own http origin', async () => {
    hydra.logoutRequests.set(CHALLENGE, logoutRequest({ challenge: CHALLENGE }));
    const handlers = load({ ...BASE, COOKIE_SECURE: 'false' });
    const secrets = formSecrets(
      await handlers.get(event({ path: '/logout', query: `logout_challenge=${CHALLENGE}` })),
    );

    const response = await handlers.post(
      formPost(
        '/logout',
        { challenge: CHALLENGE, csrf: secrets.token, action: 'logout' },
        { cookies: [secrets.cookie], headers: { origin: `http://${HOST}` } },
      ),
    );

    expect(response.statusCode).toBe(303);
  });
});

describe('an operator catalog folder (I18N_DIR) that cannot be used', () => {
  afterEach(() => {
    delete process.env.I18N_DIR;
    resetLanguages();
  });

  it('answers 500 "Sign-in is unavailable" in English, naming nothing of the folder to the user', async () => {
    process.env.I18N_DIR = 'no-such-folder';
    resetLanguages();
    const handler = signedOut(pageDeps(() => loadConfig(BASE)));

    const response = await invoke(
      handler,
      event({ path: '/signed-out', headers: { 'accept-language': 'de' } }),
    );

    expect(response.statusCode).toBe(500);
    expect(response.body).toContain('Sign-in is unavailable');
    expect(response.body).not.toContain('no-such-folder');
    expect(response.headers['content-language']).toBe('en');
    expectSecurityHeaders(response);
  });
});
