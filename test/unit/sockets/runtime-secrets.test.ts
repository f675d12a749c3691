/**
 * Secrets at run time, through the deployed wiring: the functions of a stage with APP_SECRET_ID
 * read the secret from Secrets Manager (the shared stub, on a local server) and sign with it;
 * Hydra's admin token comes from it; a Secrets Manager that cannot be reached is a 503 page,
 * logged without a value, and nothing reaches Hydra that needs the secret first.
 */
import { startStubServer, type Listening } from '../../../scripts/lib/servers';
import { secretsManagerStub } from '../../../scripts/lib/stubs/secrets-manager';
import type { CallCounts } from '../../../scripts/lib/stubs/reply';
import { event, formPost } from '../support/events';
import {
  configFrom,
  deployed,
  expectSecurityHeaders,
  formSecrets,
  invoke,
} from '../support/handlers';
import { closedPortUrl, startHydraServer, type LocalServer } from '../support/local-servers';
import { captureLogs } from '../support/logs';

const SECRET_ID = 'hydra-login-consent/test';
const COOKIE_SECRET = 'secret-from-secrets-manager-0123456789';
const ADMIN_TOKEN = 'ory_pat_from_the_secret';
const logs = captureLogs();

let hydra: LocalServer;
let secretsManager: Listening;
const stored: Record<string, string> = {};
const reads: CallCounts = {};
beforeAll(async () => {
  hydra = await startHydraServer();
  secretsManager = await startStubServer(secretsManagerStub(stored, reads));
});
afterAll(async () => {
  await Promise.all([hydra.close(), secretsManager.close()]);
});
beforeEach(() => {
  hydra.calls.length = 0;
  delete reads.GetSecretValue;
  stored[SECRET_ID] = JSON.stringify({ cookieSecret: COOKIE_SECRET, hydraAdminToken: ADMIN_TOKEN });
});

/** The functions of a deployed stage: no secret in their environment, only its name. */
function stage(env: Record<string, string> = {}) {
  return deployed(
    configFrom({
      HYDRA_ADMIN_URL: hydra.url,
      COOKIE_SECRET: '',
      FACTOR_KEY: '',
      APP_SECRET_ID: SECRET_ID,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.url,
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret-access-key-example',
      AWS_SESSION_TOKEN: 'session-token-example',
      ...env,
    }),
  );
}

// configFrom reads the credentials from the configuration's environment; the adapter reads
// Lambda's from process.env.
beforeAll(() => {
  process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY = 'secret-access-key-example';
});
afterAll(() => {
  delete process.env.AWS_ACCESS_KEY_ID;
  delete process.env.AWS_SECRET_ACCESS_KEY;
});

const logoutPage = (challenge: string) =>
  event({ path: '/logout', query: `logout_challenge=${challenge}` });

describe('a stage that names its secret', () => {
  it('reads it once, sends its admin token to Hydra and signs its forms with it', async () => {
    const functions = stage();
    const page = await invoke(functions['logout-get'], logoutPage('logout-1'));
    await invoke(functions['logout-get'], logoutPage('logout-2'));
    const { cookie, token } = formSecrets(page);
    const posted = await invoke(
      functions['logout-post'],
      formPost(
        '/logout',
        { challenge: 'logout-1', csrf: token, action: 'logout' },
        { cookies: [cookie] },
      ),
    );

    expect(page.statusCode).toBe(200);
    expect(hydra.calls[0]?.authorization).toBe(`Bearer ${ADMIN_TOKEN}`);
    // One read per function, each kept for SECRETS_TTL_SECONDS.
    expect(reads.GetSecretValue).toBe(2);
    // The POST (another function) accepted a token the GET signed with the secret's cookie secret.
    expect(posted.statusCode).toBe(303);
  });

  it('accepts a form signed before a rotation, with the previous cookie secret', async () => {
    const before = await invoke(stage()['logout-get'], logoutPage('logout-3'));
    stored[SECRET_ID] = JSON.stringify({
      cookieSecret: 'the-next-cookie-secret-0123456789abcdef',
      cookieSecretPrevious: COOKIE_SECRET,
    });
    const { cookie, token } = formSecrets(before);

    const posted = await invoke(
      stage()['logout-post'],
      formPost(
        '/logout',
        { challenge: 'logout-3', csrf: token, action: 'logout' },
        { cookies: [cookie] },
      ),
    );

    expect(posted.statusCode).toBe(303);
  });

  it('sends no token with HYDRA_ADMIN_AUTH=none, and asks Hydra while the secret is read', async () => {
    const page = await invoke(
      stage({ HYDRA_ADMIN_AUTH: 'none' })['logout-get'],
      logoutPage('logout-4'),
    );

    expect(page.statusCode).toBe(200);
    expect(hydra.calls[0]?.authorization).toBeUndefined();
  });
});

describe('a stage whose secret cannot be read', () => {
  it.each([
    [
      'Secrets Manager cannot be reached',
      async () => ({ AWS_ENDPOINT_URL_SECRETS_MANAGER: await closedPortUrl() }),
      'network',
    ],
    [
      'the secret does not exist',
      () => Promise.resolve({ APP_SECRET_ID: 'hydra-login-consent/none' }),
      'status 400 ResourceNotFoundException',
    ],
  ])('answers 503 when %s, and asks Hydra nothing', async (_name, env, reason) => {
    const functions = stage(await env());

    const page = await invoke(functions['logout-get'], logoutPage('logout-5'));
    const posted = await invoke(
      functions['logout-post'],
      formPost('/logout', { challenge: 'logout-5', csrf: '1.x', action: 'logout' }),
    );

    for (const response of [page, posted]) {
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.body).toContain('<title>Sign-in is unavailable</title>');
      expectSecurityHeaders(response);
    }
    expect(hydra.calls).toEqual([]);
    expect(logs.entries()).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'secrets unavailable', reason }),
    );
    expect(logs.lines.join('\n')).not.toContain(COOKIE_SECRET);
  });

  it('answers 503 for a malformed secret, naming the key and not the value', async () => {
    stored[SECRET_ID] = JSON.stringify({ cookieSecret: 'short-secret-value' });

    const page = await invoke(
      stage()['consent-get'],
      event({ path: '/consent', query: 'consent_challenge=c-1' }),
    );

    expect(page.statusCode).toBe(503);
    expect(logs.entries()).toContainEqual(
      expect.objectContaining({ reason: 'cookieSecret must be at least 32 characters' }),
    );
    expect(logs.lines.join('\n')).not.toContain('short-secret-value');
  });
});
