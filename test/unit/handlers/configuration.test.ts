/**
 * The pipeline under unusual configurations. Each case loads the handlers afresh
 * (jest.isolateModules), since the configuration and the Hydra adapter are read once per process.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { WebResponse } from '../../../shared/http/response';
import { event, formPost, HOST } from '../support/events';
import { COOKIE_SECRET, expectSecurityHeaders, formSecrets, invoke } from '../support/handlers';
import { HYDRA_ADMIN, useHydraStub } from '../support/hydra-http';
import { logoutRequest } from '../support/payloads';

const hydra = useHydraStub();
const CHALLENGE = 'logout-challenge-0123456789';
const saved = { ...process.env };

afterEach(() => {
  process.env = { ...saved };
});

async function load(env: Record<string, string>) {
  process.env = { ...saved, ...env };
  let handlers: { get: unknown; post: unknown } = { get: undefined, post: undefined };
  await jest.isolateModulesAsync(async () => {
    // Keep the log lines of these fresh modules out of stdout.
    (await import('../../../shared/log')).setLogSink(() => {});
    handlers = {
      get: (await import('../../../functions/logout-get')).handler,
      post: (await import('../../../functions/logout-post')).handler,
    };
  });
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
    const handlers = await load({ ...BASE, ...env });

    const response = await handlers.get(
      event({ path: '/logout', query: `logout_challenge=${CHALLENGE}` }),
    );

    expect(response.statusCode).toBe(500);
    expect(response.body).toContain('Sign-in is unavailable');
    expect(response.body).not.toMatch(/COOKIE_SECRET|HYDRA_ADMIN_URL|COOKIE_SECURE/);
    expectSecurityHeaders(response);
    expect(hydra().calls).toEqual([]);
  });
});

describe('local http development (COOKIE_SECURE=false)', () => {
  it('uses a plain cookie without Secure and lets forms target http', async () => {
    hydra().requests.logout.set(CHALLENGE, logoutRequest({ challenge: CHALLENGE }));
    const handlers = await load({ ...BASE, COOKIE_SECURE: 'false' });

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
    hydra().requests.logout.set(CHALLENGE, logoutRequest({ challenge: CHALLENGE }));
    const handlers = await load({ ...BASE, COOKIE_SECURE: 'false' });
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
