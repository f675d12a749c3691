/** Our functions as users run them locally: `serverless offline` on 127.0.0.1. */
import { cpSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadConfig } from '../../shared/config';
import { createLanguages } from '../../shared/i18n/languages';
import { offlineBundles } from './offline-bundles';
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
  // Its own build folder (serverless-esbuild's work folder, default .esbuild): a `serverless
  // package` in the same checkout empties .esbuild, and every route of a running stack then
  // answered with a stack trace. One per port, so that stacks running side by side (the e2e
  // suites) never share one either. Beside .esbuild, at the same depth: the packager script's
  // path in serverless.yml is relative to the build folder inside it.
  const workFolder = join(REPO_ROOT, `.esbuild-offline-${options.port}`);
  rmSync(workFolder, { recursive: true, force: true });
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
    ESBUILD_WORK_FOLDER: relative(REPO_ROOT, workFolder),
    // argon2 from the checkout's node_modules, not installed into the build (serverless.yml).
    ESBUILD_ARGON2: 'local',
    ...(options.watch ? {} : { OFFLINE_WATCH: '.no-watch/**', OFFLINE_PREBUILT: 'true' }),
    ...options.extraEnv,
  };
  // The functions read their configuration at their first request, and a bad variable would
  // then show users a generic 500: refuse to start instead, naming every bad variable.
  loadConfig(env);
  createLanguages({ root: REPO_ROOT, operatorDir: env.I18N_DIR?.trim() || undefined });
  // Without a watch, the bundles every stack of this state of the sources shares, built once
  // (scripts/lib/offline-bundles.ts): serverless-esbuild then builds none (OFFLINE_PREBUILT).
  // npm start's watch keeps serverless-esbuild's own builds, which follow every edit.
  if (!options.watch) {
    cpSync(await offlineBundles(), join(workFolder, '.build', 'functions'), { recursive: true });
  }
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
    // Ready when GET /health says so: the functions answer, and reach Hydra and the table.
    await waitForUrl(`${url}/health`, { timeoutMs: 120_000, child });
  } catch (error) {
    await child.stop();
    rmSync(workFolder, { recursive: true, force: true });
    throw error;
  }
  const stop = async () => {
    await child.stop();
    rmSync(workFolder, { recursive: true, force: true });
  };
  return { url, child, stop };
}
