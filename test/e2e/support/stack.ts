/**
 * The real stack for end-to-end tests, on free loopback ports: dynalite (in memory) with the
 * users table, Hydra v2.3.0 (memory DSN, --dev, calling our token hook with a key of this stack),
 * our functions under serverless offline, and the test clients registered through Hydra's admin
 * API. `stop()` ends every process it started.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { registerClient, startHydra, type ClientRegistration } from '../../../scripts/lib/hydra';
import { CACHE_DIR } from '../../../scripts/lib/paths';
import { startOffline } from '../../../scripts/lib/offline';
import { freePort } from '../../../scripts/lib/servers';
import { LOCAL_USERS_TABLE, localUserStore, startLocalDynamo } from '../../../scripts/lib/dynamo';
import type { UserStore } from '../../../shared/users/types';
import { startCallbackServer, type CallbackServer } from './callback-server';

export interface TestClient {
  id: string;
  secret: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
}

export interface Stack {
  appUrl: string;
  hydraPublicUrl: string;
  hydraAdminUrl: string;
  /** The dynalite endpoint holding the users table (for the users CLI's --endpoint). */
  dynamoEndpoint: string;
  users: UserStore;
  logDir: string;
  functionsLog: string;
  callbacks: CallbackServer;
  clients: { thirdParty: TestClient; firstParty: TestClient; skipLogout: TestClient };
  registerClient(client: ClientRegistration): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  name: string;
  hydraBinary: string;
  requestTtl?: string;
  extraFunctionEnv?: NodeJS.ProcessEnv;
}

export const TEST_AUDIENCE = 'https://api.example.com';

export async function startStack(options: StackOptions): Promise<Stack> {
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const stopOne of stops.reverse()) await stopOne().catch(() => undefined);
  };
  try {
    const logDir = join(CACHE_DIR, 'e2e-logs', options.name);
    const [appPort, lambdaPort, publicPort, adminPort, callbackPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const dynamo = await startLocalDynamo({});
    stops.push(dynamo.stop);
    const appUrl = `http://127.0.0.1:${appPort}`;
    // One key per stack: Hydra sends it to our token hook, which checks it.
    const tokenHookApiKey = randomBytes(32).toString('base64url');
    const hydra = await startHydra({
      binary: options.hydraBinary,
      publicPort,
      adminPort,
      appUrl,
      logFile: join(logDir, 'hydra.log'),
      requestTtl: options.requestTtl,
      tokenHookApiKey,
    });
    stops.push(hydra.stop);
    const functionsLog = join(logDir, 'functions.log');
    const offline = await startOffline({
      port: appPort,
      lambdaPort,
      hydraAdminUrl: hydra.adminUrl,
      dynamodbEndpoint: dynamo.endpoint,
      usersTable: LOCAL_USERS_TABLE,
      cookieSecret: randomBytes(32).toString('base64url'),
      tokenHookApiKey,
      logFile: functionsLog,
      extraEnv: { LOG_LEVEL: 'debug', ...options.extraFunctionEnv },
    });
    stops.push(offline.stop);

    const callbacks = await startCallbackServer(callbackPort);
    stops.push(callbacks.close);
    const callbackBase = callbacks.baseUrl;
    const client = (id: string): TestClient => ({
      id,
      secret: randomBytes(16).toString('hex'),
      redirectUri: `${callbackBase}/${id}/callback`,
      postLogoutRedirectUri: `${callbackBase}/${id}/logged-out`,
    });
    const clients = {
      thirdParty: client('third-party'),
      firstParty: client('first-party'),
      skipLogout: client('skip-logout'),
    };
    const register = (testClient: TestClient, extra: Partial<ClientRegistration>) =>
      registerClient(hydra.adminUrl, {
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

    const users = localUserStore(dynamo.endpoint);

    await warmUp(appUrl);
    return {
      appUrl,
      hydraPublicUrl: hydra.publicUrl,
      hydraAdminUrl: hydra.adminUrl,
      dynamoEndpoint: dynamo.endpoint,
      users,
      logDir,
      functionsLog,
      callbacks,
      clients,
      registerClient: (registration) => registerClient(hydra.adminUrl, registration),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * One request to each function, so that no test meets a cold start: under serverless offline on
 * a busy machine the first invocation of a function can outlast the 10 s Lambda timeout (a 504
 * from serverless offline, seen here on a first POST /login). Each request is refused (400/403:
 * no challenge, no CSRF token) before anything is called. (serverless-esbuild also rebuilds and
 * reloads the handlers when a source file changes during a run: a cold start again.)
 */
export async function warmUp(appUrl: string): Promise<void> {
  const routes: Array<[string, string]> = [
    ['GET', '/login'],
    ['POST', '/login'],
    ['GET', '/consent'],
    ['POST', '/consent'],
    ['GET', '/logout'],
    ['POST', '/logout'],
    ['GET', '/error'],
  ];
  await Promise.all(
    routes.map(async ([method, path]) => {
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
