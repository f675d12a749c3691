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
  /** LOGIN_REMEMBER_FOR: how long a sign-in with "keep me signed in" lasts. */
  loginRememberForSeconds: number;
  /** LOGIN_BROWSER_SESSION_MAX: the longest a sign-in without it lasts while the browser is open. */
  loginBrowserSessionMaxSeconds: number;
  /** The `acr` of each level a sign-in can reach (ACR_PASSWORD, ACR_SECOND_FACTOR). */
  acrLevels: { password: string; secondFactor: string };
  /**
   * The keys that seal second factors' secrets at rest (FACTOR_KEY, FACTOR_PREVIOUS_KEYS): 32
   * bytes each; undefined when FACTOR_KEY is not set (no one can enrol or use a second factor).
   */
  factorKeys: { current: Buffer; previous: Buffer[] } | undefined;
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
  device: {
    /** The characters Hydra makes device user codes of (its preset's, or its character_set). */
    userCodeCharacters: string;
    /** User codes tried per source IP and per device challenge, per throttle window. */
    maxPerIp: number;
    maxPerChallenge: number;
  };
  /** The key Hydra's token hook call must carry (header `x-token-hook-key`); the hook refuses all calls without one. */
  tokenHookApiKey: string | undefined;
}

export interface ConfigProblem {
  variable: string;
  problem: string;
}

/** The configuration is not usable: every problem found, each naming its variable. */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(variable: string, problem: string);
  constructor(problems: readonly ConfigProblem[]);
  constructor(first: string | readonly ConfigProblem[], problem?: string) {
    const problems =
      typeof first === 'string' ? [{ variable: first, problem: problem ?? '' }] : first;
    super(`configuration: ${problems.map((p) => `${p.variable} ${p.problem}`).join('; ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type Env = Record<string, string | undefined>;

/**
 * The environment being read, and what was wrong with it so far: the readers below note a problem
 * and go on (with a placeholder value), so that one load reports every bad variable at once.
 */
class Source {
  readonly problems: ConfigProblem[] = [];

  constructor(private readonly env: Env) {}

  get(name: string): string | undefined {
    return this.env[name];
  }

  /** Notes the problem; returns the placeholder to go on with (never used: `done` throws). */
  problem<T>(variable: string, problem: string, placeholder: T): T {
    this.problems.push({ variable, problem });
    return placeholder;
  }

  /** The value, or throws the ConfigError that lists every problem noted. */
  done<T>(value: T): T {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
    return value;
  }
}

/** Reads `env` with the readers below; throws one ConfigError listing every problem. */
function read<T>(env: Env, load: (source: Source) => T): T {
  const source = new Source(env);
  return source.done(load(source));
}

function text(env: Source, name: string, fallback?: string): string {
  const value = env.get(name)?.trim();
  if (value) return value;
  if (fallback !== undefined) return fallback;
  return env.problem(name, 'is required but not set', '');
}

function optional(env: Source, name: string): string | undefined {
  const value = env.get(name)?.trim();
  return value ? value : undefined;
}

function integer(env: Source, name: string, fallback: number, min: number, max: number): number {
  const raw = env.get(name)?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw))
    return env.problem(name, `must be a whole number, got "${raw}"`, fallback);
  const value = Number(raw);
  if (value < min || value > max) {
    return env.problem(name, `must be between ${min} and ${max}, got ${value}`, fallback);
  }
  return value;
}

function flag(env: Source, name: string, fallback: boolean): boolean {
  const raw = env.get(name)?.trim().toLowerCase();
  if (!raw) return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  return env.problem(name, `must be true or false, got "${raw}"`, fallback);
}

function httpUrl(env: Source, name: string): string {
  const value = text(env, name);
  if (!value) return value;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    return env.problem(name, `must be an http(s) URL, got "${value}"`, value);
  }
  return value.replace(/\/+$/, '');
}

/** An optional secret: when set, at least 32 characters. */
function secret(env: Source, name: string): string | undefined {
  const value = optional(env, name);
  if (value !== undefined && value.length < 32) {
    return env.problem(name, 'must be at least 32 characters (use a random value)', value);
  }
  return value;
}

const DAY = 24 * 60 * 60;

/**
 * Hydra's `oauth2.device_authorization.user_code.entropy_preset` values and the characters of
 * each (driver/config/provider.go and ory/x randx at v26.2.0); `high` is Hydra's default.
 */
export const USER_CODE_PRESETS = {
  high: 'abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY34679',
  medium: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  low: '0123456789',
} as const;

/** A preset's name, or the characters of Hydra's `user_code.character_set` (no spaces, no repeats). */
function userCodeCharacters(env: Source, name: string): string {
  const value = text(env, name, 'high');
  const preset = value.toLowerCase();
  if (Object.hasOwn(USER_CODE_PRESETS, preset)) {
    return USER_CODE_PRESETS[preset as keyof typeof USER_CODE_PRESETS];
  }
  const characters = [...value];
  if (characters.length < 2 || characters.some((character) => /\s/u.test(character))) {
    return env.problem(
      name,
      "must be high, medium, low or the characters of Hydra's user_code.character_set",
      value,
    );
  }
  if (new Set(characters).size !== characters.length) {
    return env.problem(name, 'lists a character more than once', value);
  }
  return value;
}

/** LOGIN_REMEMBER_FOR's default: 30 days (Hydra's default ttl.authentication_session). */
export const DEFAULT_LOGIN_REMEMBER_FOR_SECONDS = 30 * DAY;
/** LOGIN_BROWSER_SESSION_MAX's default: a day. */
export const DEFAULT_LOGIN_BROWSER_SESSION_MAX_SECONDS = DAY;

/** An `acr` value: printable ASCII without spaces (clients list them space-separated). */
function acrName(env: Source, name: string, fallback: string): string {
  const value = text(env, name, fallback);
  if (!/^[\x21-\x7e]{1,200}$/.test(value)) {
    return env.problem(name, `must be printable ASCII without spaces, got "${value}"`, fallback);
  }
  return value;
}

function acrLevels(env: Source): Config['acrLevels'] {
  const levels = {
    password: acrName(env, 'ACR_PASSWORD', 'aal1'),
    secondFactor: acrName(env, 'ACR_SECOND_FACTOR', 'aal2'),
  };
  if (levels.password === levels.secondFactor) {
    env.problem('ACR_SECOND_FACTOR', 'must differ from ACR_PASSWORD', undefined);
  }
  return levels;
}

/** A key of 32 bytes, given in base64 (`openssl rand -base64 32`). */
function factorKey(env: Source, name: string, value: string): Buffer {
  const bytes = /^[A-Za-z0-9+/]{43}=?$/.test(value) ? Buffer.from(value, 'base64') : undefined;
  if (bytes?.length !== 32) {
    return env.problem(
      name,
      'must be 32 bytes in base64 (openssl rand -base64 32)',
      Buffer.alloc(0),
    );
  }
  return bytes;
}

/**
 * FACTOR_KEY seals new secrets; FACTOR_PREVIOUS_KEYS (comma-separated) still open the ones
 * sealed before a rotation, which are sealed again with FACTOR_KEY when next used.
 */
function factorKeys(env: Source): Config['factorKeys'] {
  const current = optional(env, 'FACTOR_KEY');
  const previous = (optional(env, 'FACTOR_PREVIOUS_KEYS') ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key.length > 0)
    .map((key) => factorKey(env, 'FACTOR_PREVIOUS_KEYS', key));
  if (current === undefined) {
    if (previous.length > 0) env.problem('FACTOR_PREVIOUS_KEYS', 'needs FACTOR_KEY', undefined);
    return undefined;
  }
  return { current: factorKey(env, 'FACTOR_KEY', current), previous };
}

/** The factor keys alone (the users CLI enrols without the functions' other settings). */
export function loadFactorKeysFrom(env: Env): Config['factorKeys'] {
  return read(env, factorKeys);
}

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
  return read(env, argon2Parameters);
}

function argon2Parameters(env: Source): Argon2Parameters {
  return {
    memoryCost: integer(env, 'ARGON2_MEMORY_KIB', 19456, 19456, 1048576),
    timeCost: integer(env, 'ARGON2_TIME_COST', 2, 2, 20),
    parallelism: integer(env, 'ARGON2_PARALLELISM', 1, 1, 8),
  };
}

/** Hydra's admin API as the user CLI reaches it; undefined when HYDRA_ADMIN_URL is not set. */
export function loadHydraAdminTarget(
  raw: Env,
): { url: string; token: string | undefined } | undefined {
  return read(raw, (env) => {
    if (optional(env, 'HYDRA_ADMIN_URL') === undefined) return undefined;
    return { url: httpUrl(env, 'HYDRA_ADMIN_URL'), token: optional(env, 'HYDRA_ADMIN_TOKEN') };
  });
}

/** The functions' configuration; a ConfigError names every bad variable at once. */
export function loadConfig(raw: Env): Config {
  return read(raw, configFrom);
}

function configFrom(env: Source): Config {
  const cookieSecret = text(env, 'COOKIE_SECRET');
  if (cookieSecret && cookieSecret.length < 32) {
    env.problem('COOKIE_SECRET', 'must be at least 32 characters (use a random value)', undefined);
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
    // Hydra is always told a lifetime: 0 means a browser session on Hydra v2, 30 days on v25.4+.
    loginRememberForSeconds: integer(
      env,
      'LOGIN_REMEMBER_FOR',
      DEFAULT_LOGIN_REMEMBER_FOR_SECONDS,
      60,
      400 * DAY,
    ),
    loginBrowserSessionMaxSeconds: integer(
      env,
      'LOGIN_BROWSER_SESSION_MAX',
      DEFAULT_LOGIN_BROWSER_SESSION_MAX_SECONDS,
      60,
      400 * DAY,
    ),
    acrLevels: acrLevels(env),
    factorKeys: factorKeys(env),
    consentRememberForSeconds: integer(env, 'CONSENT_REMEMBER_FOR', 30 * DAY, 0, 400 * DAY),
    passwordPepper: optional(env, 'PASSWORD_PEPPER'),
    argon2: argon2Parameters(env),
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
    device: {
      userCodeCharacters: userCodeCharacters(env, 'DEVICE_USER_CODE_CHARACTERS'),
      maxPerIp: integer(env, 'DEVICE_CODE_MAX_PER_IP', 20, 1, 1000000),
      maxPerChallenge: integer(env, 'DEVICE_CODE_MAX_PER_CHALLENGE', 5, 1, 10000),
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
