/** Our functions as users run them locally: `serverless offline` on 127.0.0.1. */
import { join } from 'node:path';
import { startChild, waitForUrl, type Child } from './processes';
import { BIN_DIR, REPO_ROOT } from './paths';

export interface OfflineOptions {
  port: number;
  lambdaPort: number;
  hydraAdminUrl: string;
  dynamodbEndpoint: string;
  usersTable: string;
  cookieSecret: string;
  /** TOKEN_HOOK_API_KEY: the key Hydra's token hook calls carry (the same one given to Hydra). */
  tokenHookApiKey?: string;
  logFile: string;
  /** Rebuild the functions when their sources change (npm start); off for tests and load. */
  watch?: boolean;
  extraEnv?: NodeJS.ProcessEnv;
}

export interface OfflineInstance {
  url: string;
  child: Child;
  stop: () => Promise<void>;
}

export async function startOffline(options: OfflineOptions): Promise<OfflineInstance> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // Node 22 (the Lambda runtime's major) first on PATH, as npm scripts have it.
    PATH: `${BIN_DIR}:${process.env.PATH ?? ''}`,
    PORT: String(options.port),
    LAMBDA_PORT: String(options.lambdaPort),
    HYDRA_ADMIN_URL: options.hydraAdminUrl,
    DYNAMODB_ENDPOINT: options.dynamodbEndpoint,
    USERS_TABLE: options.usersTable,
    COOKIE_SECRET: options.cookieSecret,
    COOKIE_SECURE: 'false',
    ...(options.tokenHookApiKey ? { TOKEN_HOOK_API_KEY: options.tokenHookApiKey } : {}),
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: 'us-east-1',
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    ...(options.watch ? {} : { OFFLINE_WATCH: '.no-watch/**' }),
    ...options.extraEnv,
  };
  const child = startChild(
    'serverless offline',
    join(BIN_DIR, 'node'),
    [
      join(REPO_ROOT, 'node_modules', 'serverless', 'bin', 'serverless.js'),
      'offline',
      'start',
      '--stage',
      'local',
    ],
    { env, cwd: REPO_ROOT, logFile: options.logFile },
  );
  const url = `http://127.0.0.1:${options.port}`;
  try {
    // Ready when a function answers: the error page without a code is our generic 400 page.
    await waitForUrl(`${url}/error`, {
      timeoutMs: 120_000,
      child,
      accept: (status) => status === 400,
    });
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { url, child, stop: () => child.stop() };
}
