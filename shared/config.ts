/**
 * Every knob of the functions, read from the environment once per cold start and validated with
 * an error that names the variable. The README's configuration table lists the same names.
 */
export interface Argon2Parameters {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** The region of the AWS SDK clients when AWS_REGION is not set (local runs, tests). */
export const DEFAULT_AWS_REGION = 'us-east-1';

export interface Config {
  /** AWS_REGION: Lambda sets it; the DynamoDB client's region. */
  awsRegion: string;
  hydraAdminUrl: string;
  hydraAdminToken: string | undefined;
  hydraTimeoutMs: number;
  usersTable: string;
  dynamodbEndpoint: string | undefined;
  cookieSecret: string;
  cookieSecure: boolean;
  csrfTtlSeconds: number;
  loginRememberForSeconds: number;
  consentRememberForSeconds: number;
  passwordPepper: string | undefined;
  argon2: Argon2Parameters;
  accessTokenClaims: string[];
  throttle: {
    windowSeconds: number;
    maxPerAccount: number;
    maxPerIp: number;
    maxPerAccountTotal: number;
  };
  /** The key Hydra's token hook call must carry (header `x-token-hook-key`); the hook refuses all calls without one. */
  tokenHookApiKey: string | undefined;
}

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function text(env: Env, name: string, fallback?: string): string {
  const value = env[name]?.trim();
  if (value) return value;
  if (fallback !== undefined) return fallback;
  throw new ConfigError(name, 'is required but not set');
}

function optional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) {
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function httpUrl(env: Env, name: string): string {
  const value = text(env, name);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(name, `must be an http(s) URL, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(name, `must be an http(s) URL, got "${value}"`);
  }
  return value.replace(/\/+$/, '');
}

/** An optional secret: when set, at least 32 characters. */
function secret(env: Env, name: string): string | undefined {
  const value = optional(env, name);
  if (value !== undefined && value.length < 32) {
    throw new ConfigError(name, 'must be at least 32 characters (use a random value)');
  }
  return value;
}

const DAY = 24 * 60 * 60;

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/**
 * LOG_LEVEL, apart from the rest of the configuration: the log must work before the
 * configuration is valid (to say that it is not). Anything but a known level is `info`.
 */
export function loadLogLevel(env: Env): LogLevel {
  const value = (env.LOG_LEVEL ?? '').trim().toLowerCase();
  return LOG_LEVELS.find((level) => level === value) ?? 'info';
}

/** The password hashing policy alone (the user CLI needs it without the functions' secrets). */
export function loadArgon2Parameters(env: Env): Argon2Parameters {
  return {
    memoryCost: integer(env, 'ARGON2_MEMORY_KIB', 19456, 19456, 1048576),
    timeCost: integer(env, 'ARGON2_TIME_COST', 2, 2, 20),
    parallelism: integer(env, 'ARGON2_PARALLELISM', 1, 1, 8),
  };
}

/** Hydra's admin API as the user CLI reaches it; undefined when HYDRA_ADMIN_URL is not set. */
export function loadHydraAdminTarget(
  env: Env,
): { url: string; token: string | undefined } | undefined {
  if (optional(env, 'HYDRA_ADMIN_URL') === undefined) return undefined;
  return { url: httpUrl(env, 'HYDRA_ADMIN_URL'), token: optional(env, 'HYDRA_ADMIN_TOKEN') };
}

export function loadConfig(env: Env): Config {
  const cookieSecret = text(env, 'COOKIE_SECRET');
  if (cookieSecret.length < 32) {
    throw new ConfigError('COOKIE_SECRET', 'must be at least 32 characters (use a random value)');
  }
  const dynamodbEndpoint = optional(env, 'DYNAMODB_ENDPOINT');
  return {
    awsRegion: text(env, 'AWS_REGION', DEFAULT_AWS_REGION),
    hydraAdminUrl: httpUrl(env, 'HYDRA_ADMIN_URL'),
    hydraAdminToken: optional(env, 'HYDRA_ADMIN_TOKEN'),
    hydraTimeoutMs: integer(env, 'HYDRA_TIMEOUT_MS', 3000, 100, 20000),
    usersTable: text(env, 'USERS_TABLE'),
    dynamodbEndpoint: dynamodbEndpoint ? httpUrl(env, 'DYNAMODB_ENDPOINT') : undefined,
    cookieSecret,
    cookieSecure: flag(env, 'COOKIE_SECURE', true),
    csrfTtlSeconds: integer(env, 'CSRF_TTL_SECONDS', 3600, 60, DAY),
    loginRememberForSeconds: integer(env, 'LOGIN_REMEMBER_FOR', 30 * DAY, 0, 400 * DAY),
    consentRememberForSeconds: integer(env, 'CONSENT_REMEMBER_FOR', 30 * DAY, 0, 400 * DAY),
    passwordPepper: optional(env, 'PASSWORD_PEPPER'),
    argon2: loadArgon2Parameters(env),
    accessTokenClaims: (optional(env, 'ACCESS_TOKEN_CLAIMS') ?? '')
      .split(',')
      .map((claim) => claim.trim())
      .filter((claim) => claim.length > 0),
    throttle: {
      windowSeconds: integer(env, 'THROTTLE_WINDOW_SECONDS', 900, 60, DAY),
      maxPerAccount: integer(env, 'THROTTLE_MAX_PER_ACCOUNT', 10, 1, 10000),
      maxPerIp: integer(env, 'THROTTLE_MAX_PER_IP', 100, 1, 1000000),
      maxPerAccountTotal: integer(env, 'THROTTLE_MAX_PER_ACCOUNT_TOTAL', 50, 1, 1000000),
    },
    tokenHookApiKey: secret(env, 'TOKEN_HOOK_API_KEY'),
  };
}

let cached: Config | undefined;

/** The configuration of this process, read once. */
export function config(): Config {
  cached ??= loadConfig(process.env);
  return cached;
}

let cachedLogLevel: LogLevel | undefined;

/** The log level of this process, read once. */
export function logLevel(): LogLevel {
  cachedLogLevel ??= loadLogLevel(process.env);
  return cachedLogLevel;
}
