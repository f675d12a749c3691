/**
 * The whole stack on this machine, started one way for every entry point and test: dynalite with
 * the users table, a real Hydra (or yours), our functions (under serverless offline, as users run
 * them, or in this process behind the local adapter, as the bench and the load script measure
 * them), the key Hydra's token hook calls carry, and a relying party registered in Hydra.
 * `npm start`, the load script, the bench's sign-in flows and the end-to-end suites use it.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type RequestListener } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_LOGIN_BROWSER_SESSION_MAX_SECONDS,
  DEFAULT_LOGIN_REMEMBER_FOR_SECONDS,
  loadConfig,
} from '../../shared/config';
import { createLanguages } from '../../shared/i18n/languages';
import type { UserStore } from '../../shared/users/types';
import { ACCOUNT_CLIENT, accountClient } from './account-client';
import { bundleFunctions, type Bundles } from './bundle';
import { startDemoRelyingParty } from './demo-rp';
import { LOCAL_USERS_TABLE, localUserStore, startLocalDynamo } from './dynamo';
import {
  findOrBuildHydra,
  hydraVersionFromEnv,
  LOCAL_USER_CODE_PRESET,
  registerClient,
  startHydra,
  type ClientRegistration,
  type HydraVersion,
} from './hydra';
import { functionsListener, type Invocation } from './local-adapter';
import { localFactorKey } from './factor-key';
import { LOCAL_STACK_FILE, writeLocalStack } from './local-stack';
import { startLocalMail } from './mail';
import { startOffline } from './offline';
import { CACHE_DIR, DATA_DIR, REPO_ROOT } from './paths';
import { findPostgresBin, startPostgres } from './postgres';
import { Stops } from './processes';
import { registerRelyingParty, type RelyingParty } from './relying-party';
import { freePorts, listen, portInUse } from './servers';

export type PortName = 'app' | 'lambda' | 'hydraPublic' | 'hydraAdmin' | 'rp' | 'dynamo' | 'mail';

/** npm start's ports: the variable that sets each, and its default (README, "Local stack"). */
export const LOCAL_PORTS: Record<PortName, { variable: string; port: number }> = {
  app: { variable: 'PORT', port: 3000 },
  lambda: { variable: 'LAMBDA_PORT', port: 3002 },
  hydraPublic: { variable: 'HYDRA_PUBLIC_PORT', port: 4444 },
  hydraAdmin: { variable: 'HYDRA_ADMIN_PORT', port: 4445 },
  rp: { variable: 'DEMO_RP_PORT', port: 5555 },
  dynamo: { variable: 'DYNAMODB_PORT', port: 8000 },
  mail: { variable: 'SES_PORT', port: 8005 },
};

/** The sender of the local stack's mails (MAIL_FROM), unless functionEnv sets one. */
export const LOCAL_MAIL_FROM = 'login@hydra-login-consent.localhost';

/**
 * The ports of LOCAL_PORTS from the environment; every variable that is not a port (1–65535) is
 * named in one error.
 */
export function localPorts(env: NodeJS.ProcessEnv): Record<PortName, number> {
  const problems: string[] = [];
  const ports = {} as Record<PortName, number>;
  for (const [name, { variable, port }] of Object.entries(LOCAL_PORTS) as [
    PortName,
    { variable: string; port: number },
  ][]) {
    const raw = env[variable]?.trim();
    const value = raw ? Number(raw) : port;
    if (!Number.isInteger(value) || value < 1 || value > 65535) {
      problems.push(`${variable} must be a port number (1 to 65535), got "${raw}"`);
    }
    ports[name] = value;
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  return ports;
}

/** How our functions run. */
export type FunctionsMode =
  /** Under serverless offline, as users run them (`watch`: rebuilt when a source changes). */
  | { via: 'offline'; watch?: boolean }
  /**
   * In this process behind the local adapter, from their bundles (by default bundled into
   * .cache/bundles): what runs is what would be deployed, without serverless offline's workers.
   * They read their configuration from process.env, which the stack sets.
   */
  | {
      via: 'in-process';
      bundles?: Bundles;
      /** After every handler call (timing, billing estimates). */
      onInvoke?: (invocation: Invocation) => void;
      /** The server's listener around the adapter's (the bench puts its floor beside ours). */
      around?: (ours: RequestListener) => RequestListener;
    };

export interface StackOptions {
  /** Where hydra.log, functions.log and postgres.log go. */
  logDir: string;
  /**
   * The host browsers reach our pages at (default 127.0.0.1). `localhost` for passkeys:
   * WebAuthn takes no IP address as its RP ID, and Chromium counts localhost as a secure context.
   */
  appHost?: '127.0.0.1' | 'localhost';
  /** Ports that must be these (npm start); each checked free before anything starts. */
  ports?: Partial<Record<PortName, number>>;
  /** dynalite's data folder; in memory without one. */
  dynamoDataDir?: string;
  hydra?: {
    /** Which Hydra (default: HYDRA_VERSION, else v26.2.0); `binary`, when given, is of it. */
    version?: HydraVersion;
    /** Default: found or built (scripts/build-hydra.sh). */
    binary?: string;
    /** ttl.login_consent_request, e.g. "5s" in tests (default 30m). */
    requestTtl?: string;
    /** ttl.device_user_code, e.g. "5s" in tests (default 15m). */
    userCodeTtl?: string;
    /**
     * ttl.authentication_session, e.g. "1h". Default: the longest sign-in the functions keep
     * (what the README tells operators to set).
     */
    authenticationSessionTtl?: string;
    /**
     * `concurrent`: a throwaway PostgreSQL when the machine has one, else SQLite in WAL mode
     * (Hydra's in-memory SQLite fails concurrent writes). Default: in memory.
     */
    database?: 'memory' | 'concurrent';
    /** An admin API of your own (HYDRA_ADMIN_URL): no Hydra is started, no relying party. */
    adminUrl?: string;
  };
  /**
   * Hydra calls our token hook before every token with this key (`true`: a fresh one) in the
   * header the function checks; the functions get the same key. Default: no hook.
   */
  tokenHook?: true | string;
  functions: FunctionsMode;
  /** More of the functions' environment (throttle limits, log level). */
  functionEnv?: NodeJS.ProcessEnv;
  /**
   * A client registered in Hydra whose redirect URI is on the `rp` port, with a relying party
   * for it; `demo`: npm start's demo app answers there.
   */
  relyingParty?: { id: string; name: string; demo?: boolean };
  /** Write .data/local-stack.json while it runs, so the users CLI finds it (npm start). */
  announce?: boolean;
  /** What is being started, for a person waiting (npm start). */
  progress?: (message: string) => void;
  warn?: (message: string) => void;
}

export interface Stack {
  /** Where our functions answer. */
  appUrl: string;
  /** The local SES (aws-ses-v2-local): the functions' SES_ENDPOINT, its web inbox at its root. */
  mailUrl: string;
  hydraAdminUrl: string;
  /** The version of the Hydra started here; none when the admin API is yours. */
  hydraVersion?: HydraVersion;
  /** Hydra's public URL; none when the admin API is yours. */
  hydraPublicUrl?: string;
  dynamoEndpoint: string;
  usersTable: string;
  /** The users table, hashing as the functions do. */
  users: UserStore;
  tokenHookApiKey?: string;
  logDir: string;
  /** serverless offline's output (offline only). */
  functionsLog?: string;
  relyingParty?: { rp: RelyingParty; redirectUri: string; demoUrl?: string };
  registerClient(registration: ClientRegistration): Promise<void>;
  stop: () => Promise<void>;
}

/**
 * Hydra's ttl.authentication_session for the functions' environment: the longest sign-in they
 * keep (LOGIN_REMEMBER_FOR, LOGIN_BROWSER_SESSION_MAX, as shared/config.ts reads them), so that
 * Hydra v25.4+ never ends one sooner than we say (README, "Configuring Hydra").
 */
function authenticationSessionTtl(env: NodeJS.ProcessEnv): string {
  const seconds = (name: string, fallback: number) => {
    const value = Number(env[name]?.trim() || fallback);
    return Number.isSafeInteger(value) ? value : fallback;
  };
  const longest = Math.max(
    seconds('LOGIN_REMEMBER_FOR', DEFAULT_LOGIN_REMEMBER_FOR_SECONDS),
    seconds('LOGIN_BROWSER_SESSION_MAX', DEFAULT_LOGIN_BROWSER_SESSION_MAX_SECONDS),
  );
  return `${longest}s`;
}

async function ports(
  fixed: Partial<Record<PortName, number>>,
  needed: PortName[],
): Promise<Record<PortName, number>> {
  for (const name of needed) {
    const port = fixed[name];
    if (port !== undefined && (await portInUse(port))) {
      throw new Error(
        `port ${port} is in use on 127.0.0.1: stop what uses it, or set ${LOCAL_PORTS[name].variable} to another port`,
      );
    }
  }
  const free = needed.filter((name) => fixed[name] === undefined);
  const found = await freePorts(free.length);
  const all = { ...fixed } as Record<PortName, number>;
  free.forEach((name, index) => (all[name] = found[index] ?? 0));
  return all;
}

/** Hydra's DSN for `concurrent` writes, and what to stop with it. */
async function concurrentDatabase(options: StackOptions, stops: Stops): Promise<string> {
  if (findPostgresBin()) {
    const postgres = await startPostgres(join(options.logDir, 'postgres.log'));
    stops.add(postgres.stop);
    return postgres.dsn;
  }
  (options.warn ?? console.warn)(
    'PostgreSQL not found (apt-get install postgresql): Hydra on SQLite, which fails concurrent writes',
  );
  const scratch = mkdtempSync(join(tmpdir(), 'hlc-hydra-'));
  stops.add(() => rmSync(scratch, { recursive: true, force: true }));
  return `sqlite://${join(scratch, 'hydra.sqlite')}?_fk=true&_journal_mode=WAL&_busy_timeout=10000`;
}

/**
 * Starts the stack. Everything it started is in `stops` as it starts (pass your own to stop a
 * start half-way, e.g. on Ctrl-C); a failed start stops it all before it throws.
 */
export async function startStack(options: StackOptions, stops = new Stops()): Promise<Stack> {
  try {
    return await start(options, stops);
  } catch (error) {
    await stops.stopAll();
    throw error;
  }
}

async function start(options: StackOptions, stops: Stops): Promise<Stack> {
  const ownHydra = !options.hydra?.adminUrl;
  const port = await ports(options.ports ?? {}, [
    'app',
    // dynalite listens on a free port of its own unless told one.
    ...(options.ports?.dynamo ? (['dynamo'] as const) : []),
    ...(options.functions.via === 'offline' ? (['lambda'] as const) : []),
    ...(ownHydra ? (['hydraPublic', 'hydraAdmin'] as const) : []),
    ...(ownHydra && options.relyingParty ? (['rp'] as const) : []),
    'mail',
  ]);
  const appUrl = `http://${options.appHost ?? '127.0.0.1'}:${port.app}`;

  // Mail for forgot password, verification and sign-up: a real SES v2 API on this machine.
  const mail = await startLocalMail(port.mail);
  stops.add(mail.stop);

  const dynamo = await startLocalDynamo({
    dataDir: options.dynamoDataDir,
    port: options.ports?.dynamo,
  });
  stops.add(dynamo.stop);
  const described = { dynamodbEndpoint: dynamo.endpoint, usersTable: LOCAL_USERS_TABLE };
  if (options.announce) {
    mkdirSync(DATA_DIR, { recursive: true });
    stops.add(() => rmSync(LOCAL_STACK_FILE, { force: true }));
    writeLocalStack(described);
  }

  const tokenHookApiKey =
    options.tokenHook === true ? randomBytes(32).toString('base64url') : options.tokenHook;
  let hydraAdminUrl = options.hydra?.adminUrl ?? '';
  let hydraPublicUrl: string | undefined;
  let hydraVersion: HydraVersion | undefined;
  if (ownHydra) {
    hydraVersion = options.hydra?.version ?? hydraVersionFromEnv();
    const given = options.hydra?.binary ?? process.env.HYDRA_BIN;
    options.progress?.(
      given
        ? `Hydra ${hydraVersion}: ${given}…`
        : `finding or building Hydra ${hydraVersion} (a first build takes a few minutes)…`,
    );
    const binary = options.hydra?.binary ?? findOrBuildHydra(hydraVersion);
    const dsn =
      options.hydra?.database === 'concurrent'
        ? await concurrentDatabase(options, stops)
        : undefined;
    const hydra = await startHydra({
      binary,
      publicPort: port.hydraPublic,
      adminPort: port.hydraAdmin,
      appUrl,
      logFile: join(options.logDir, 'hydra.log'),
      requestTtl: options.hydra?.requestTtl,
      userCodeTtl: options.hydra?.userCodeTtl,
      authenticationSessionTtl:
        options.hydra?.authenticationSessionTtl ??
        authenticationSessionTtl({ ...process.env, ...options.functionEnv }),
      dsn,
      tokenHookApiKey,
    });
    stops.add(hydra.stop);
    hydraAdminUrl = hydra.adminUrl;
    hydraPublicUrl = hydra.publicUrl;
  }
  // The users CLI revokes a user's Hydra consents and tokens there (README, "Users").
  if (options.announce) writeLocalStack({ ...described, hydraAdminUrl });

  const cookieSecret = randomBytes(32).toString('base64url');
  // The account page signs in through our own Hydra as its first-party client.
  if (hydraPublicUrl) await registerClient(hydraAdminUrl, accountClient(appUrl));
  // The user codes our own Hydra makes (deviceFlowEnv); yours: set it in functionEnv.
  const functionEnv: NodeJS.ProcessEnv = {
    ...(ownHydra ? { DEVICE_USER_CODE_CHARACTERS: LOCAL_USER_CODE_PRESET } : {}),
    SES_ENDPOINT: mail.url,
    SES_REGION: 'us-east-1',
    MAIL_FROM: LOCAL_MAIL_FROM,
    // Every mailed link points at the functions as this stack serves them.
    PUBLIC_URL: appUrl,
    ...(hydraPublicUrl
      ? { HYDRA_PUBLIC_URL: hydraPublicUrl, ACCOUNT_CLIENT_ID: ACCOUNT_CLIENT }
      : {}),
    FACTOR_KEY: localFactorKey(),
    ...options.functionEnv,
  };
  let functionsLog: string | undefined;
  if (options.functions.via === 'offline') {
    options.progress?.('starting the functions under serverless offline…');
    functionsLog = join(options.logDir, 'functions.log');
    const offline = await startOffline({
      port: port.app,
      lambdaPort: port.lambda,
      hydraAdminUrl,
      dynamodbEndpoint: dynamo.endpoint,
      usersTable: LOCAL_USERS_TABLE,
      cookieSecret,
      tokenHookApiKey,
      logFile: functionsLog,
      watch: options.functions.watch,
      extraEnv: functionEnv,
    });
    stops.add(offline.stop);
  } else {
    // The functions' configuration, read once by each bundle on its first request.
    Object.assign(process.env, {
      HYDRA_ADMIN_URL: hydraAdminUrl,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      USERS_TABLE: LOCAL_USERS_TABLE,
      COOKIE_SECRET: cookieSecret,
      COOKIE_SECURE: 'false',
      ...(tokenHookApiKey ? { TOKEN_HOOK_API_KEY: tokenHookApiKey } : {}),
      ...functionEnv,
    });
    // Refused here, naming every bad variable, rather than a generic 500 at the first request.
    loadConfig(process.env);
    createLanguages({ root: REPO_ROOT, operatorDir: process.env.I18N_DIR?.trim() || undefined });
    const { bundles, onInvoke, around } = options.functions;
    const ours = functionsListener(bundles ?? (await bundleFunctions(join(CACHE_DIR, 'bundles'))), {
      onInvoke,
    });
    const server = await listen(createServer(around ? around(ours) : ours), port.app);
    stops.add(server.close);
  }

  let relyingParty: Stack['relyingParty'];
  if (options.relyingParty && hydraPublicUrl) {
    const rpUrl = `http://127.0.0.1:${port.rp}`;
    const redirectUri = `${rpUrl}/callback`;
    const { demo, ...client } = options.relyingParty;
    const rp = await registerRelyingParty(
      { adminUrl: hydraAdminUrl, publicUrl: hydraPublicUrl },
      { ...client, redirectUri, ...(demo ? { postLogoutRedirectUri: `${rpUrl}/` } : {}) },
    );
    relyingParty = { rp, redirectUri };
    if (demo) {
      const app = await startDemoRelyingParty(rp, port.rp);
      stops.add(app.close);
      relyingParty.demoUrl = app.url;
    }
  }

  return {
    appUrl,
    mailUrl: mail.url,
    hydraAdminUrl,
    hydraVersion,
    hydraPublicUrl,
    dynamoEndpoint: dynamo.endpoint,
    usersTable: LOCAL_USERS_TABLE,
    users: localUserStore(dynamo.endpoint),
    tokenHookApiKey,
    logDir: options.logDir,
    functionsLog,
    relyingParty,
    registerClient: (registration) => registerClient(hydraAdminUrl, registration),
    stop: () => stops.stopAll(),
  };
}
