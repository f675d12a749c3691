/** A real Ory Hydra for local runs and end-to-end tests: found or built, started, given clients. */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { SCOPE_CLAIMS } from '../../shared/flows/claims';
import { TOKEN_HOOK_KEY_HEADER } from '../../shared/http/api-key';
import { REPO_ROOT } from './paths';
import { startChild, waitForUrl, type Child } from './processes';

/** The Hydra versions this project runs and tests against (README, "Hydra versions"). */
export const HYDRA_VERSIONS = ['v26.2.0', 'v2.3.0'] as const;
export type HydraVersion = (typeof HYDRA_VERSIONS)[number];
/** What `npm start`, the bench and the load script run unless HYDRA_VERSION says otherwise. */
export const DEFAULT_HYDRA_VERSION: HydraVersion = 'v26.2.0';

function isHydraVersion(value: unknown): value is HydraVersion {
  return HYDRA_VERSIONS.some((version) => version === value);
}

/** HYDRA_VERSION (v26.2.0 or v2.3.0), else the default; any other value is refused. */
export function hydraVersionFromEnv(env: NodeJS.ProcessEnv = process.env): HydraVersion {
  const wanted = env.HYDRA_VERSION?.trim() || DEFAULT_HYDRA_VERSION;
  if (!isHydraVersion(wanted)) {
    throw new Error(`HYDRA_VERSION=${wanted}: this project runs ${HYDRA_VERSIONS.join(' or ')}`);
  }
  return wanted;
}

/**
 * The hydra binary of that version (HYDRA_BIN, the cache, PATH, or a fresh build):
 * scripts/build-hydra.sh decides, and refuses a HYDRA_BIN that reports another version.
 */
export function findOrBuildHydra(version: HydraVersion): string {
  const output = execFileSync('bash', [join(REPO_ROOT, 'scripts', 'build-hydra.sh')], {
    cwd: REPO_ROOT,
    env: { ...process.env, HYDRA_VERSION: version },
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  const binary = output.trim().split('\n').pop();
  if (!binary) throw new Error('scripts/build-hydra.sh printed no binary path');
  return binary;
}

export interface HydraInstance {
  publicUrl: string;
  adminUrl: string;
  child: Child;
  stop: () => Promise<void>;
}

export interface HydraOptions {
  binary: string;
  publicPort: number;
  adminPort: number;
  /** Where our functions answer, e.g. http://127.0.0.1:3000 */
  appUrl: string;
  logFile: string;
  /** ttl.login_consent_request, e.g. "30m" or "5s" in tests. */
  requestTtl?: string;
  /** ttl.device_user_code (Hydra v25.4+), e.g. "15m" (Hydra's default) or "5s" in tests. */
  userCodeTtl?: string;
  /**
   * ttl.authentication_session (Hydra v25.4+; v2.3.0 ignores the variable), e.g. "2592000s":
   * the longest Hydra keeps a login session, which must be at least the longest our functions
   * ask for (README, "Configuring Hydra"). Default: Hydra's own (720h).
   */
  authenticationSessionTtl?: string;
  postLogoutRedirectUrl?: string;
  /**
   * Hydra's database. Default: `memory` (one SQLite database in memory, migrated on start).
   * Concurrent writes to it fail with "Unable to serialize access due to a concurrent update";
   * the load script uses a SQLite file in WAL mode with a busy timeout instead, migrated here.
   */
  dsn?: string;
  /**
   * When set, Hydra calls our token hook (`${appUrl}/token-hook`) before every token it issues,
   * sending this key in the x-token-hook-key header; the functions need the same key as their
   * TOKEN_HOOK_API_KEY.
   */
  tokenHookApiKey?: string;
}

/**
 * Hydra's `oauth2.token_hook` as environment variables. The auth block goes in as one JSON value
 * (OAUTH2_TOKEN_HOOK_AUTH): v2.3.0 maps OAUTH2_TOKEN_HOOK_AUTH_TYPE but silently drops
 * OAUTH2_TOKEN_HOOK_AUTH_CONFIG_IN/_NAME/_VALUE, and then calls the hook without the key
 * (checked against the binary with a listener printing what Hydra sends).
 */
export function tokenHookEnv(appUrl: string, apiKey: string): NodeJS.ProcessEnv {
  return {
    OAUTH2_TOKEN_HOOK_URL: `${appUrl}/token-hook`,
    OAUTH2_TOKEN_HOOK_AUTH: JSON.stringify({
      type: 'api_key',
      config: { in: 'header', name: TOKEN_HOOK_KEY_HEADER, value: apiKey },
    }),
  };
}

/**
 * What Hydra's discovery document advertises (`webfinger.oidc_discovery.supported_scope` and
 * `.supported_claims`): the standard scopes we release claims for (Hydra adds `openid`, `offline`
 * and `offline_access` itself) and those claims, `sub` first. Without them strict relying
 * parties and test suites refuse to ask for `profile`, `email`, `address` or `phone`. A JSON
 * array (a comma list works too; spaces do not separate), the same on v2.3.0 and v26.2.0.
 */
export const SUPPORTED_SCOPES: readonly string[] = Object.keys(SCOPE_CLAIMS);
export const SUPPORTED_CLAIMS: readonly string[] = [
  'sub',
  ...new Set(Object.values(SCOPE_CLAIMS).flat()),
  'auth_time',
  'acr',
  'amr',
];

export function discoveryEnv(): NodeJS.ProcessEnv {
  return {
    WEBFINGER_OIDC_DISCOVERY_SUPPORTED_SCOPE: JSON.stringify(SUPPORTED_SCOPES),
    WEBFINGER_OIDC_DISCOVERY_SUPPORTED_CLAIMS: JSON.stringify(SUPPORTED_CLAIMS),
  };
}

/**
 * The user codes of the local Hydra: `medium` (8 letters A–Z), which a person can type in any
 * case; the functions are told the same (DEVICE_USER_CODE_CHARACTERS). Hydra's default, `high`,
 * mixes cases, so a code typed in the wrong case would not be the code.
 */
export const LOCAL_USER_CODE_PRESET = 'medium';

/**
 * The device authorization flow (Hydra v25.4+; its pages are in hydraUrls): the user code
 * alphabet, how long a code lives, how often a device polls. Hydra v2.3.0 ignores these keys.
 */
export function deviceFlowEnv(userCodeTtl = '15m'): NodeJS.ProcessEnv {
  return {
    OAUTH2_DEVICE_AUTHORIZATION_USER_CODE_ENTROPY_PRESET: LOCAL_USER_CODE_PRESET,
    TTL_DEVICE_USER_CODE: userCodeTtl,
    // How often a device asks for its tokens: a second here (Hydra's default: 5 s).
    OAUTH2_DEVICE_AUTHORIZATION_TOKEN_POLLING_INTERVAL: '1s',
  };
}

/**
 * Where Hydra sends the browser: our pages at `appUrl`, as Hydra's `urls.*` settings (as
 * environment variables). The local Hydra is started with them, and `npm start` prints them for
 * a Hydra of your own (HYDRA_ADMIN_URL).
 */
export function hydraUrls(appUrl: string): Record<string, string> {
  return {
    URLS_LOGIN: `${appUrl}/login`,
    URLS_CONSENT: `${appUrl}/consent`,
    URLS_LOGOUT: `${appUrl}/logout`,
    URLS_ERROR: `${appUrl}/error`,
    URLS_POST_LOGOUT_REDIRECT: `${appUrl}/signed-out`,
    // Hydra v25.4+ (device authorization); v2.3.0 ignores them.
    URLS_DEVICE_VERIFICATION: `${appUrl}/device`,
    URLS_DEVICE_SUCCESS: `${appUrl}/device/done`,
  };
}

export async function startHydra(options: HydraOptions): Promise<HydraInstance> {
  const publicUrl = `http://127.0.0.1:${options.publicPort}`;
  const adminUrl = `http://127.0.0.1:${options.adminPort}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DSN: options.dsn ?? 'memory',
    SECRETS_SYSTEM: randomBytes(24).toString('hex'),
    SERVE_PUBLIC_HOST: '127.0.0.1',
    SERVE_PUBLIC_PORT: String(options.publicPort),
    SERVE_ADMIN_HOST: '127.0.0.1',
    SERVE_ADMIN_PORT: String(options.adminPort),
    URLS_SELF_ISSUER: publicUrl,
    ...hydraUrls(options.appUrl),
    ...(options.postLogoutRedirectUrl
      ? { URLS_POST_LOGOUT_REDIRECT: options.postLogoutRedirectUrl }
      : {}),
    TTL_LOGIN_CONSENT_REQUEST: options.requestTtl ?? '30m',
    ...deviceFlowEnv(options.userCodeTtl),
    ...(options.authenticationSessionTtl
      ? { TTL_AUTHENTICATION_SESSION: options.authenticationSessionTtl }
      : {}),
    LOG_LEVEL: 'warn',
    LOG_LEAK_SENSITIVE_VALUES: 'false',
    ...discoveryEnv(),
    ...(options.tokenHookApiKey ? tokenHookEnv(options.appUrl, options.tokenHookApiKey) : {}),
  };
  if (env.DSN !== 'memory') {
    execFileSync(options.binary, ['migrate', 'sql', 'up', '-e', '--yes'], {
      env,
      stdio: 'ignore',
      timeout: 60_000,
    });
  }
  const child = startChild('hydra', options.binary, ['serve', 'all', '--dev'], {
    env,
    logFile: options.logFile,
  });
  try {
    await waitForUrl(`${adminUrl}/health/ready`, { timeoutMs: 60_000, child });
    await waitForUrl(`${publicUrl}/health/ready`, { timeoutMs: 30_000, child });
    // Hydra makes its ID token signing keys on the first request that needs them, which takes
    // seconds on a busy machine: a relying party's first discovery then failed ("other side
    // closed", seen under load). Have them made now, and wait for them: v26.2.0 drops the keys it
    // was making when the request is aborted, so asking again every 2 s never got them (seen on
    // a loaded machine: a new key pair begun every 2 s for 90 s).
    await waitForUrl(`${publicUrl}/.well-known/jwks.json`, {
      timeoutMs: 90_000,
      attemptTimeoutMs: 90_000,
      child,
    });
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { publicUrl, adminUrl, child, stop: () => child.stop() };
}

/** The grant a device (a TV, a CLI) uses: RFC 8628. */
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** npm start's device client (`npm run device`): public, as a TV or a CLI is. */
export const DEMO_DEVICE_CLIENT = 'demo-device';

/** Registers npm start's device client (Hydra v2.3.0 takes the grant type too, and never uses it). */
export function registerDemoDevice(adminUrl: string): Promise<void> {
  return registerClient(adminUrl, {
    client_id: DEMO_DEVICE_CLIENT,
    client_name: 'Demo device',
    token_endpoint_auth_method: 'none',
    grant_types: [DEVICE_CODE_GRANT, 'refresh_token'],
    response_types: [],
  });
}

/** Whether the Hydra at `publicUrl` offers the device flow (its discovery names the endpoint). */
export async function hasDeviceFlow(publicUrl: string): Promise<boolean> {
  const response = await fetch(`${publicUrl}/.well-known/openid-configuration`, {
    signal: AbortSignal.timeout(5_000),
  });
  const metadata = (await response.json()) as { device_authorization_endpoint?: unknown };
  return typeof metadata.device_authorization_endpoint === 'string';
}

export interface ClientRegistration {
  client_id: string;
  /** Default: authorization_code and refresh_token. */
  grant_types?: string[];
  /** Default: code. */
  response_types?: string[];
  /** Default: client_secret_basic; `none` for a public client (a TV, a CLI: no secret). */
  token_endpoint_auth_method?: string;
  client_secret?: string;
  client_name?: string;
  redirect_uris?: string[];
  post_logout_redirect_uris?: string[];
  scope?: string;
  audience?: string[];
  skip_consent?: boolean;
  skip_logout_consent?: boolean;
  logo_uri?: string;
  policy_uri?: string;
  tos_uri?: string;
  client_uri?: string;
  /**
   * Free-form metadata; ours: `brand` (read by the pages, README Branding) and `required_acr`
   * (the lowest level its sign-ins must reach).
   */
  metadata?: Record<string, unknown>;
}

/** Registers a client through Hydra's admin API (201), replacing one with the same id. */
export async function registerClient(adminUrl: string, client: ClientRegistration): Promise<void> {
  await fetch(`${adminUrl}/admin/clients/${encodeURIComponent(client.client_id)}`, {
    method: 'DELETE',
  });
  const response = await fetch(`${adminUrl}/admin/clients`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: 'openid offline_access profile email phone address',
      ...client,
    }),
  });
  if (response.status !== 201) {
    throw new Error(
      `registering client ${client.client_id}: HTTP ${response.status} ${await response.text()}`,
    );
  }
}
