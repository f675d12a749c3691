/**
 * The real stack for end-to-end tests (scripts/lib/stack.ts), on free loopback ports: dynalite
 * in memory, Hydra (memory DSN, --dev, calling our token hook with a key of this stack), our
 * functions under serverless offline, and here the test clients, registered through Hydra's
 * admin API, with the server their redirect URIs point at. `stop()` ends every process it
 * started.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ClientRegistration } from '../../../scripts/lib/hydra';
import { CACHE_DIR } from '../../../scripts/lib/paths';
import { functionRoutes } from '../../../scripts/lib/serverless';
import {
  startStack as startLocalStack,
  type Stack as LocalStack,
} from '../../../scripts/lib/stack';
import { startCallbackServer, type CallbackServer } from './callback-server';
import { HYDRA_VERSION } from './prerequisites';

export interface TestClient {
  id: string;
  secret: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
}

export interface Stack extends LocalStack {
  hydraPublicUrl: string;
  functionsLog: string;
  callbacks: CallbackServer;
  clients: { thirdParty: TestClient; firstParty: TestClient; skipLogout: TestClient };
}

export interface StackOptions {
  name: string;
  hydraBinary: string;
  requestTtl?: string;
  /** ttl.device_user_code (Hydra v25.4+), e.g. "20s" (default 15m). */
  userCodeTtl?: string;
  /** Hydra's ttl.authentication_session; default: the longest sign-in the functions keep. */
  authenticationSessionTtl?: string;
  extraFunctionEnv?: NodeJS.ProcessEnv;
  /** Where the browser reaches our pages (scripts/lib/stack.ts): `localhost` for passkeys. */
  appHost?: '127.0.0.1' | 'localhost';
}

export const TEST_AUDIENCE = 'https://api.example.com';

export async function startStack(options: StackOptions): Promise<Stack> {
  const stack = await startLocalStack({
    // Apart per version: the two e2e projects may run side by side.
    logDir: join(CACHE_DIR, 'e2e-logs', HYDRA_VERSION, options.name),
    hydra: {
      version: HYDRA_VERSION,
      binary: options.hydraBinary,
      requestTtl: options.requestTtl,
      userCodeTtl: options.userCodeTtl,
      authenticationSessionTtl: options.authenticationSessionTtl,
    },
    // One key per stack: Hydra sends it to our token hook, which checks it.
    tokenHook: true,
    ...(options.appHost ? { appHost: options.appHost } : {}),
    functions: { via: 'offline' },
    functionEnv: { LOG_LEVEL: 'debug', ...options.extraFunctionEnv },
  });
  const { hydraPublicUrl, functionsLog } = stack;
  let callbacks: CallbackServer | undefined;
  const stop = async () => {
    await callbacks?.close();
    await stack.stop();
  };
  try {
    if (!hydraPublicUrl || !functionsLog) throw new Error('the e2e stack runs its own Hydra');
    callbacks = await startCallbackServer();
    const client = (id: string): TestClient => ({
      id,
      secret: randomBytes(16).toString('hex'),
      redirectUri: `${callbacks?.baseUrl}/${id}/callback`,
      postLogoutRedirectUri: `${callbacks?.baseUrl}/${id}/logged-out`,
    });
    const clients = {
      thirdParty: client('third-party'),
      firstParty: client('first-party'),
      skipLogout: client('skip-logout'),
    };
    const register = (testClient: TestClient, extra: Partial<ClientRegistration>) =>
      stack.registerClient({
        client_id: testClient.id,
        client_secret: testClient.secret,
        redirect_uris: [testClient.redirectUri],
        post_logout_redirect_uris: [testClient.postLogoutRedirectUri],
        audience: [TEST_AUDIENCE],
        ...extra,
      });
    await register(clients.thirdParty, { client_name: 'Third-Party App' });
    await register(clients.firstParty, { client_name: 'First-Party App', skip_consent: true });
    await register(clients.skipLogout, {
      client_name: 'Trusted Logout App',
      skip_consent: true,
      skip_logout_consent: true,
    });
    await warmUp(stack.appUrl);
    return { ...stack, hydraPublicUrl, functionsLog, callbacks, clients, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * One request to each function (each route of serverless.yml), so that no test meets a cold
 * start: under serverless offline on a busy machine the first invocation of a function can
 * outlast the 10 s Lambda timeout (a 504 from serverless offline, seen here on a first POST
 * /login). Each request is refused (400/401/403: no challenge, no CSRF token, no key) before
 * anything is called. (serverless-esbuild also rebuilds and reloads the handlers when a source
 * file changes during a run: a cold start again.)
 */
export async function warmUp(appUrl: string): Promise<void> {
  await Promise.all(
    Object.keys(functionRoutes()).map(async (route) => {
      const [method = 'GET', path = '/'] = route.split(' ');
      for (let attempt = 1; attempt <= 3; attempt += 1) {
        const response = await fetch(`${appUrl}${path}`, {
          method,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: method === 'POST' ? '' : undefined,
          signal: AbortSignal.timeout(30_000),
        }).catch(() => undefined);
        await response?.body?.cancel();
        if (response && response.status < 500) return;
      }
    }),
  );
}
