/**
 * Every knob of the functions, read from the environment and validated with an error that names
 * the variable. The README's configuration table lists the same names.
 *
 * The configuration comes in sections: the core (CoreConfig: Hydra, the table, the secrets, the
 * cookies, the brand, PUBLIC_URL), which every function reads, and one section per concern beside
 * it (sessions, sign-in, throttle, device, mail, account). A function reads the core and the
 * sections it uses (`processConfig(...)` in shared/wiring.ts), each validated on the first
 * request and then kept, and bundles only their code. `npm start`, serverless offline, the CLI
 * and the tests read the whole (`loadConfig`: every section). Either way one ConfigError lists
 * every bad variable of what was read.
 *
 * A new section: its interface (add it to `Config`), a `Section` function that reads its
 * variables with the readers below (noting problems, never throwing; the core's values are its
 * second argument), an entry in ALL_SECTIONS, and the routes that read it list it in their
 * `processConfig(...)`, their settings' type naming its interface.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import {
  isDisplayText,
  isHttpsUrl,
  LOGO_TYPES,
  MAX_LOGO_FILE_BYTES,
  parseBrandFile,
  type Brand,
  type SupportContact,
} from './brand/brand';
import { accentContrastProblem, parseColour } from './brand/colour';
import type { Secrets } from './secrets';

/** The shortest cookie secret (current or previous) and token hook key accepted. */
export const MIN_SECRET_LENGTH = 32;

export interface Argon2Parameters {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * Where the secrets come from: the local stage and the tests give them in the environment
 * (COOKIE_SECRET, COOKIE_SECRET_PREVIOUS, HYDRA_ADMIN_TOKEN, PASSWORD_PEPPER, TOKEN_HOOK_API_KEY);
 * a deployed stage names its Secrets Manager secret (APP_SECRET_ID), read at run time.
 */
export type SecretsSetting =
  | { source: 'environment'; values: Secrets }
  | {
      source: 'secrets-manager';
      /** APP_SECRET_ID: the secret's name or ARN. */
      secretId: string;
      /** SECRETS_TTL_SECONDS: how long a read copy is used before it is read again. */
      ttlSeconds: number;
      /** AWS_ENDPOINT_URL_SECRETS_MANAGER: another endpoint (a local stub), else the region's. */
      endpoint: string | undefined;
      /**
       * HYDRA_ADMIN_AUTH: `secret` (the default) sends the secret's hydraAdminToken when it has
       * one, so the first Hydra call waits for the secret; `none` sends no token (a private
       * admin API), and the first Hydra call goes out while the secret is being read.
       */
      hydraAdminAuth: 'secret' | 'none';
    };

/** The region of the AWS SDK clients when AWS_REGION is not set (local runs, tests). */
export const DEFAULT_AWS_REGION = 'us-east-1';

/**
 * The core section: what every function reads (Hydra's admin API, the users table, the secrets,
 * the cookies and forms, the brand of its pages, its public URL).
 */
export interface CoreConfig {
  /** AWS_REGION: Lambda sets it; the DynamoDB client's region. */
  awsRegion: string;
  hydraAdminUrl: string;
  hydraTimeoutMs: number;
  usersTable: string;
  dynamodbEndpoint: string | undefined;
  secrets: SecretsSetting;
  cookieSecure: boolean;
  csrfTtlSeconds: number;
  /** The operator's brand (BRAND_*, SUPPORT_*): name, logo, colour, support, scope words. */
  brand: Brand;
  /**
   * PUBLIC_URL: where browsers reach these pages (no trailing slash). Every link in a mail is
   * made from it, never from the request's Host header; the account page's redirect URI too.
   */
  publicUrl: string | undefined;
}

/** How long what Hydra is told to remember lasts (sign-in and consent). */
export interface SessionsConfig {
  /** LOGIN_REMEMBER_FOR: how long a sign-in with "keep me signed in" lasts. */
  loginRememberForSeconds: number;
  /** LOGIN_BROWSER_SESSION_MAX: the longest a sign-in without it lasts while the browser is open. */
  loginBrowserSessionMaxSeconds: number;
  consentRememberForSeconds: number;
}

/** What a sign-in checks and what its tokens carry. */
export interface SignInConfig {
  /** The `acr` of each level a sign-in can reach (ACR_PASSWORD, ACR_SECOND_FACTOR). */
  acrLevels: { password: string; secondFactor: string };
  /**
   * The keys that seal second factors' secrets at rest (FACTOR_KEY, FACTOR_PREVIOUS_KEYS): 32
   * bytes each; undefined when FACTOR_KEY is not set (no one can enrol or use a second factor).
   */
  factorKeys: { current: Buffer; previous: Buffer[] } | undefined;
  argon2: Argon2Parameters;
  accessTokenClaims: string[];
}

/** The counters of sign-ins, device codes and mails (THROTTLE_*: its window is everyone's). */
export interface ThrottleConfig {
  throttle: {
    windowSeconds: number;
    maxPerAccount: number;
    maxPerIp: number;
    maxPerAccountTotal: number;
  };
}

export interface DeviceConfig {
  device: {
    /** The characters Hydra makes device user codes of (its preset's, or its character_set). */
    userCodeCharacters: string;
    /** User codes tried per source IP and per device challenge, per throttle window. */
    maxPerIp: number;
    maxPerChallenge: number;
  };
}

/** Mail, and what needs it: sign-up and verified emails (checked together). */
export interface MailSectionConfig {
  /** Mail (forgot password, verification, sign-up): off while MAIL_FROM is not set. */
  mail: MailConfig;
  /** REQUIRE_VERIFIED_EMAIL: a user with an unverified email verifies it before signing in. */
  requireVerifiedEmail: boolean;
  /** SIGNUP: who may create an account (off by default). */
  signUp: SignUpPolicy;
}

/** Passkeys (WebAuthn): off unless PASSKEYS is true. */
export interface PasskeyConfig {
  passkeys: PasskeySettings | undefined;
}

/** Where passkeys are made and used (WebAuthn's relying party). */
export interface PasskeySettings {
  /** PASSKEY_RP_ID: the domain passkeys are bound to (PUBLIC_URL's host by default). */
  rpId: string;
  /** PASSKEY_ORIGINS: the origins a passkey may be used on (PUBLIC_URL's by default). */
  origins: string[];
  /** PASSKEY_RP_NAME: the name authenticators show (BRAND_NAME, else "Sign-in"). */
  rpName: string;
}

export interface AccountConfig {
  /** The account page (/account), a first-party client of Hydra; undefined when not configured. */
  account: AccountSettings | undefined;
}

/** The whole configuration: every section (what `npm start` and the CLI validate up front). */
export interface Config
  extends
    CoreConfig,
    SessionsConfig,
    SignInConfig,
    ThrottleConfig,
    DeviceConfig,
    MailSectionConfig,
    AccountConfig,
    PasskeyConfig {}

/** What the account page needs to sign its user in through Hydra (authorization code + PKCE). */
export interface AccountSettings {
  /** PUBLIC_URL: where browsers reach these functions (the redirect URI is built on it). */
  publicUrl: string;
  /** HYDRA_PUBLIC_URL: Hydra's public API, for the browser's authorize and our token exchange. */
  hydraPublicUrl: string;
  /** ACCOUNT_CLIENT_ID: the public client registered in Hydra for the account page. */
  clientId: string;
  /** ACCOUNT_SESSION_SECONDS: how long the account page's own session lasts after a sign-in. */
  sessionSeconds: number;
}

export interface MailConfig {
  /** MAIL_FROM: the SES identity mails are sent from; without it nothing is mailed. */
  from: string | undefined;
  /** SES_REGION (default AWS_REGION), SES_CONFIGURATION_SET, SES_ENDPOINT (local only). */
  sesRegion: string;
  sesConfigurationSet: string | undefined;
  sesEndpoint: string | undefined;
  /** EMAIL_LINK_TTL_SECONDS: how long a link in a mail works (at most an hour). */
  linkTtlSeconds: number;
  /** MAIL_MAX_PER_ADDRESS, MAIL_MAX_PER_IP: mails asked for per window (THROTTLE_WINDOW_SECONDS). */
  maxPerAddress: number;
  maxPerIp: number;
  /** MAIL_MIN_RESPONSE_MS: every answer to a form that may send a mail takes at least this long. */
  minResponseMs: number;
}

/** SIGNUP: `off`, `open`, or `domains:example.com,example.org` (addresses at those domains). */
export type SignUpPolicy =
  { mode: 'off' } | { mode: 'open' } | { mode: 'domains'; domains: readonly string[] };

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
export class Source {
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
  if (value !== undefined && value.length < MIN_SECRET_LENGTH) {
    return env.problem(name, 'must be at least 32 characters (use a random value)', value);
  }
  return value;
}

const DAY = 24 * 60 * 60;

/** SIGNUP's value: off, open, or domains:a.com,b.org (lower-cased, each with a dot). */
function signUpPolicy(env: Source, name: string): SignUpPolicy {
  const value = text(env, name, 'off').toLowerCase();
  if (value === 'off') return { mode: 'off' };
  if (value === 'open') return { mode: 'open' };
  const listed = /^domains:(.+)$/.exec(value)?.[1];
  const domains = (listed ?? '')
    .split(',')
    .map((domain) => domain.trim())
    .filter((domain) => domain.length > 0);
  if (domains.length === 0 || domains.some((domain) => !/^[^\s@,]+\.[^\s@,]+$/u.test(domain))) {
    return env.problem(
      name,
      `must be off, open or domains:example.com,example.org, got "${value}"`,
      { mode: 'off' },
    );
  }
  return { mode: 'domains', domains };
}

function mailConfig(env: Source, awsRegion: string): MailConfig {
  const sesEndpoint = optional(env, 'SES_ENDPOINT');
  return {
    from: optional(env, 'MAIL_FROM'),
    sesRegion: text(env, 'SES_REGION', awsRegion),
    sesConfigurationSet: optional(env, 'SES_CONFIGURATION_SET'),
    sesEndpoint: sesEndpoint ? httpUrl(env, 'SES_ENDPOINT') : undefined,
    linkTtlSeconds: integer(env, 'EMAIL_LINK_TTL_SECONDS', 3600, 60, 3600),
    maxPerAddress: integer(env, 'MAIL_MAX_PER_ADDRESS', 5, 1, 1000),
    maxPerIp: integer(env, 'MAIL_MAX_PER_IP', 20, 1, 1000000),
    minResponseMs: integer(env, 'MAIL_MIN_RESPONSE_MS', 1000, 0, 5000),
  };
}

/** What mail needs and what needs mail: every missing piece named. */
function checkMail(env: Source, core: CoreConfig, config: MailSectionConfig): void {
  if (config.mail.from !== undefined && core.publicUrl === undefined) {
    env.problem(
      'PUBLIC_URL',
      'is required when MAIL_FROM is set (the links in the mails)',
      undefined,
    );
  }
  if (config.mail.from === undefined) {
    if (config.signUp.mode !== 'off') {
      env.problem('MAIL_FROM', 'is required when SIGNUP is not off', undefined);
    }
    if (config.requireVerifiedEmail) {
      env.problem('MAIL_FROM', 'is required when REQUIRE_VERIFIED_EMAIL is true', undefined);
    }
  }
}

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

/** How the configuration reads the files it names (BRAND_FILE, BRAND_LOGO_FILE). */
export type ReadFile = (path: string) => Buffer;

function fileContent(env: Source, name: string, readFile: ReadFile): Buffer | undefined {
  const path = optional(env, name);
  if (path === undefined) return undefined;
  try {
    return readFile(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return env.problem(
      name,
      `names a file that cannot be read (${typeof code === 'string' ? code : 'unreadable'}): "${path}"`,
      undefined,
    );
  }
}

/**
 * Outside the local stage (STAGE, which serverless.yml sets; unset is `local`) Hydra's admin API
 * is called over https only: the admin token and every challenge travel with the calls.
 * HYDRA_ADMIN_ALLOW_HTTP=true allows http on purpose (an admin API reached only inside your VPC).
 */
function hydraAdminTransport(env: Source, url: string): void {
  const stage = text(env, 'STAGE', 'local');
  const allowHttp = flag(env, 'HYDRA_ADMIN_ALLOW_HTTP', false);
  if (stage !== 'local' && /^http:/i.test(url) && !allowHttp) {
    env.problem(
      'HYDRA_ADMIN_URL',
      `must be https outside the local stage (stage "${stage}"); set HYDRA_ADMIN_ALLOW_HTTP=true only for an admin API reached inside your network`,
      undefined,
    );
  }
}

/** An optional https URL. */
function optionalHttpsUrl(env: Source, name: string): string | undefined {
  const value = optional(env, name);
  if (value === undefined) return undefined;
  const shown: string = value;
  if (!isHttpsUrl(value))
    return env.problem(name, `must be an https URL, got "${shown}"`, undefined);
  return new URL(value).href;
}

/** BRAND_LOGO_URL, or BRAND_LOGO_FILE read once and inlined as a `data:` URI. */
function brandLogo(env: Source, readFile: ReadFile): string | undefined {
  const url = optionalHttpsUrl(env, 'BRAND_LOGO_URL');
  const path = optional(env, 'BRAND_LOGO_FILE');
  if (url !== undefined && path !== undefined) {
    return env.problem('BRAND_LOGO_FILE', 'cannot be set with BRAND_LOGO_URL (choose one)', url);
  }
  if (path === undefined) return url;
  const type = LOGO_TYPES[extname(path).slice(1).toLowerCase()];
  if (type === undefined) {
    const types = Object.keys(LOGO_TYPES).join(', ');
    return env.problem('BRAND_LOGO_FILE', `must be a ${types} file, got "${path}"`, undefined);
  }
  const content = fileContent(env, 'BRAND_LOGO_FILE', readFile);
  if (content === undefined) return undefined;
  if (content.length > MAX_LOGO_FILE_BYTES) {
    return env.problem(
      'BRAND_LOGO_FILE',
      `is ${content.length} bytes; at most ${MAX_LOGO_FILE_BYTES} (it is inlined in every page)`,
      undefined,
    );
  }
  return `data:${type};base64,${content.toString('base64')}`;
}

/** SUPPORT_URL (https) or SUPPORT_EMAIL (a `mailto:` link). */
function supportContact(env: Source): SupportContact | undefined {
  const url = optionalHttpsUrl(env, 'SUPPORT_URL');
  const email = optional(env, 'SUPPORT_EMAIL');
  if (url !== undefined && email !== undefined) {
    return env.problem('SUPPORT_EMAIL', 'cannot be set with SUPPORT_URL (choose one)', undefined);
  }
  if (email === undefined) return url === undefined ? undefined : { href: url };
  if (!/^[^\s@<>()"',;:\\]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+$/i.test(email) || email.length > 254) {
    return env.problem('SUPPORT_EMAIL', `must be an email address, got "${email}"`, undefined);
  }
  return { href: `mailto:${email}` };
}

function brandFrom(env: Source, readFile: ReadFile): Brand {
  const name = optional(env, 'BRAND_NAME');
  if (name !== undefined && (!isDisplayText(name) || name.length > 60)) {
    env.problem('BRAND_NAME', 'must be one line of at most 60 characters', undefined);
  }
  const logo = brandLogo(env, readFile);
  if (logo !== undefined && name === undefined) {
    env.problem('BRAND_NAME', 'must be set with a logo (the logo stands beside it)', undefined);
  }
  const rawColour = optional(env, 'BRAND_COLOUR');
  let colour = parseColour(rawColour);
  if (rawColour !== undefined && colour === undefined) {
    env.problem('BRAND_COLOUR', `must be a colour as #rrggbb, got "${rawColour}"`, undefined);
  } else if (colour !== undefined) {
    const problem = accentContrastProblem(colour);
    if (problem !== undefined) colour = env.problem('BRAND_COLOUR', problem, undefined);
  }
  const texts = fileContent(env, 'BRAND_FILE', readFile);
  const parsed = texts === undefined ? undefined : parseBrandFile(texts.toString('utf8'));
  for (const problem of parsed?.problems ?? []) env.problem('BRAND_FILE', problem, undefined);
  return {
    name,
    logo,
    colour,
    support: supportContact(env),
    home: optionalHttpsUrl(env, 'BRAND_HOME_URL'),
    scopes: parsed?.file.scopes ?? {},
    audiences: parsed?.file.audiences ?? {},
  };
}

/** The environment's secrets (local stage, tests); all of them named at once when wrong. */
function environmentSecrets(env: Source): Secrets {
  const cookieSecret = text(env, 'COOKIE_SECRET');
  if (cookieSecret && cookieSecret.length < MIN_SECRET_LENGTH) {
    env.problem('COOKIE_SECRET', 'must be at least 32 characters (use a random value)', undefined);
  }
  return {
    cookieSecret,
    cookieSecretPrevious: secret(env, 'COOKIE_SECRET_PREVIOUS'),
    hydraAdminToken: optional(env, 'HYDRA_ADMIN_TOKEN'),
    passwordPepper: optional(env, 'PASSWORD_PEPPER'),
    tokenHookApiKey: secret(env, 'TOKEN_HOOK_API_KEY'),
    factorKey: optional(env, 'FACTOR_KEY'),
    factorPreviousKeys: optional(env, 'FACTOR_PREVIOUS_KEYS'),
  };
}

/** The variables that hold a secret's value: none of them beside APP_SECRET_ID. */
const SECRET_VARIABLES = [
  'COOKIE_SECRET',
  'COOKIE_SECRET_PREVIOUS',
  'HYDRA_ADMIN_TOKEN',
  'PASSWORD_PEPPER',
  'TOKEN_HOOK_API_KEY',
  'FACTOR_KEY',
  'FACTOR_PREVIOUS_KEYS',
];

function secretsSetting(env: Source): SecretsSetting {
  const secretId = optional(env, 'APP_SECRET_ID');
  if (secretId === undefined) return { source: 'environment', values: environmentSecrets(env) };
  for (const name of SECRET_VARIABLES) {
    if (optional(env, name) !== undefined) {
      env.problem(name, 'must not be set beside APP_SECRET_ID (the secret holds it)', undefined);
    }
  }
  const endpoint = optional(env, 'AWS_ENDPOINT_URL_SECRETS_MANAGER');
  const auth = (optional(env, 'HYDRA_ADMIN_AUTH') ?? 'secret').toLowerCase();
  if (auth !== 'secret' && auth !== 'none') {
    env.problem('HYDRA_ADMIN_AUTH', `must be secret or none, got "${auth}"`, undefined);
  }
  return {
    source: 'secrets-manager',
    secretId,
    ttlSeconds: integer(env, 'SECRETS_TTL_SECONDS', 300, 10, DAY),
    endpoint: endpoint ? httpUrl(env, 'AWS_ENDPOINT_URL_SECRETS_MANAGER') : undefined,
    hydraAdminAuth: auth === 'none' ? 'none' : 'secret',
  };
}

/** The core section: every function's. */
function coreSection(env: Source, readFile: ReadFile): CoreConfig {
  const dynamodbEndpoint = optional(env, 'DYNAMODB_ENDPOINT');
  const publicUrl = optional(env, 'PUBLIC_URL');
  const core: CoreConfig = {
    awsRegion: text(env, 'AWS_REGION', DEFAULT_AWS_REGION),
    hydraAdminUrl: httpUrl(env, 'HYDRA_ADMIN_URL'),
    hydraTimeoutMs: integer(env, 'HYDRA_TIMEOUT_MS', 3000, 100, 20000),
    usersTable: text(env, 'USERS_TABLE'),
    dynamodbEndpoint: dynamodbEndpoint ? httpUrl(env, 'DYNAMODB_ENDPOINT') : undefined,
    secrets: secretsSetting(env),
    cookieSecure: flag(env, 'COOKIE_SECURE', true),
    csrfTtlSeconds: integer(env, 'CSRF_TTL_SECONDS', 3600, 60, DAY),
    brand: brandFrom(env, readFile),
    publicUrl: publicUrl ? httpUrl(env, 'PUBLIC_URL') : undefined,
  };
  hydraAdminTransport(env, core.hydraAdminUrl);
  return core;
}

/**
 * A section of the configuration beside the core: it reads its own variables from `env`, noting
 * every problem (never throwing), and may use the core's values (read first).
 */
export type Section<T extends object> = (env: Source, core: CoreConfig) => T;

export const sessionsSection: Section<SessionsConfig> = (env) => ({
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
  consentRememberForSeconds: integer(env, 'CONSENT_REMEMBER_FOR', 30 * DAY, 0, 400 * DAY),
});

export const signInSection: Section<SignInConfig> = (env) => ({
  acrLevels: acrLevels(env),
  factorKeys: factorKeys(env),
  argon2: argon2Parameters(env),
  accessTokenClaims: (optional(env, 'ACCESS_TOKEN_CLAIMS') ?? '')
    .split(',')
    .map((claim) => claim.trim())
    .filter((claim) => claim.length > 0),
});

export const throttleSection: Section<ThrottleConfig> = (env) => ({
  throttle: {
    windowSeconds: integer(env, 'THROTTLE_WINDOW_SECONDS', 900, 60, DAY),
    maxPerAccount: integer(env, 'THROTTLE_MAX_PER_ACCOUNT', 10, 1, 10000),
    maxPerIp: integer(env, 'THROTTLE_MAX_PER_IP', 100, 1, 1000000),
    maxPerAccountTotal: integer(env, 'THROTTLE_MAX_PER_ACCOUNT_TOTAL', 50, 1, 1000000),
  },
});

export const deviceSection: Section<DeviceConfig> = (env) => ({
  device: {
    userCodeCharacters: userCodeCharacters(env, 'DEVICE_USER_CODE_CHARACTERS'),
    maxPerIp: integer(env, 'DEVICE_CODE_MAX_PER_IP', 20, 1, 1000000),
    maxPerChallenge: integer(env, 'DEVICE_CODE_MAX_PER_CHALLENGE', 5, 1, 10000),
  },
});

export const mailSection: Section<MailSectionConfig> = (env, core) => {
  const section: MailSectionConfig = {
    mail: mailConfig(env, core.awsRegion),
    requireVerifiedEmail: flag(env, 'REQUIRE_VERIFIED_EMAIL', false),
    signUp: signUpPolicy(env, 'SIGNUP'),
  };
  checkMail(env, core, section);
  return section;
};

/**
 * The account page is on when HYDRA_PUBLIC_URL is set, and needs PUBLIC_URL then (PUBLIC_URL alone
 * is mail's: the links of mails are made from it).
 */
export const accountSection: Section<AccountConfig> = (env, { publicUrl }) => {
  const hydraPublicUrl = optional(env, 'HYDRA_PUBLIC_URL');
  const clientId = text(env, 'ACCOUNT_CLIENT_ID', 'account');
  if (!/^[\x21-\x7e]{1,200}$/.test(clientId)) {
    env.problem('ACCOUNT_CLIENT_ID', 'must be printable ASCII without spaces', undefined);
  }
  const sessionSeconds = integer(env, 'ACCOUNT_SESSION_SECONDS', 900, 60, DAY);
  if (hydraPublicUrl === undefined) return { account: undefined };
  if (publicUrl === undefined) {
    env.problem(
      'PUBLIC_URL',
      'is required for the account page (HYDRA_PUBLIC_URL is set)',
      undefined,
    );
    return { account: undefined };
  }
  return {
    account: {
      publicUrl,
      hydraPublicUrl: httpUrl(env, 'HYDRA_PUBLIC_URL'),
      clientId,
      sessionSeconds,
    },
  };
};

/**
 * PASSKEYS=true turns passkeys on. The RP ID is a domain (no scheme, port or path) that every
 * origin's host is, or ends with after a dot (WebAuthn's rule: a passkey made for example.com
 * works on login.example.com); each origin is https (http only on localhost).
 */
function passkeySettings(env: Source, config: CoreConfig): PasskeySettings | undefined {
  if (!flag(env, 'PASSKEYS', false)) return undefined;
  const publicUrl = config.publicUrl ? new URL(config.publicUrl) : undefined;
  const rpId = (optional(env, 'PASSKEY_RP_ID') ?? publicUrl?.hostname ?? '').toLowerCase();
  const listed = optional(env, 'PASSKEY_ORIGINS');
  const origins = listed
    ? listed.split(',').map((origin) => origin.trim().replace(/\/+$/, ''))
    : publicUrl
      ? [publicUrl.origin]
      : [];
  if (!rpId || origins.length === 0) {
    return env.problem(
      'PUBLIC_URL',
      'is required for passkeys (or PASSKEY_RP_ID and PASSKEY_ORIGINS)',
      undefined,
    );
  }
  // A domain name; its last label not all digits (an IPv4 address is none).
  if (
    /(^|\.)\d+$/.test(rpId) ||
    !/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(rpId)
  ) {
    env.problem('PASSKEY_RP_ID', `must be a domain name, got "${rpId}"`, undefined);
  }
  for (const origin of origins) {
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    const local = url?.hostname === 'localhost' || url?.hostname === '127.0.0.1';
    if (
      !url ||
      url.origin !== origin ||
      (url.protocol !== 'https:' && !(local && url.protocol === 'http:'))
    ) {
      env.problem(
        'PASSKEY_ORIGINS',
        `must be https origins (scheme and host only), got "${origin}"`,
        undefined,
      );
    } else if (url.hostname !== rpId && !url.hostname.endsWith(`.${rpId}`)) {
      env.problem('PASSKEY_ORIGINS', `"${origin}" is not on PASSKEY_RP_ID "${rpId}"`, undefined);
    }
  }
  return { rpId, origins, rpName: text(env, 'PASSKEY_RP_NAME', config.brand.name ?? 'Sign-in') };
}

export const passkeysSection: Section<PasskeyConfig> = (env, core) => ({
  passkeys: passkeySettings(env, core),
});

/** Every section but the core, in the order their problems are listed. */
const ALL_SECTIONS = [
  sessionsSection,
  signInSection,
  throttleSection,
  deviceSection,
  mailSection,
  accountSection,
  passkeysSection,
] as const;

type Intersection<Union> = (Union extends unknown ? (value: Union) => void : never) extends (
  value: infer Both,
) => void
  ? Both
  : never;

/** The core and `sections` together: what a function that reads those sections is given. */
export type Sections<Of extends readonly Section<object>[]> = CoreConfig &
  Intersection<ReturnType<Of[number]>>;

/** The core and `sections`, read from `raw` at once: a ConfigError names every bad variable. */
export function loadSections<Of extends readonly Section<object>[]>(
  raw: Env,
  sections: Of,
  readFile: ReadFile = readFileSync,
): Sections<Of> {
  return read(raw, (env) => {
    const core = coreSection(env, readFile);
    return Object.assign(
      {},
      core,
      ...sections.map((section) => section(env, core)),
    ) as Sections<Of>;
  });
}

/** The whole configuration (`npm start`, serverless offline, the tests): every section at once. */
export function loadConfig(raw: Env, readFile: ReadFile = readFileSync): Config {
  return loadSections(raw, ALL_SECTIONS, readFile);
}

/**
 * A function's configuration: the core and the sections it reads, from this process's
 * environment, read and validated on first use, then kept. A function bundles the code of these
 * sections only (the others are tree-shaken away).
 */
export function processConfig<Of extends readonly Section<object>[]>(
  ...sections: Of
): () => Sections<Of> {
  let cached: Sections<Of> | undefined;
  return () => (cached ??= loadSections(process.env, sections));
}

/** This process's whole configuration, read once on first use (GET /health checks it all). */
export function wholeConfig(): () => Config {
  return processConfig(...ALL_SECTIONS);
}

let cachedLogLevel: LogLevel | undefined;

/** The log level of this process, read once. */
export function logLevel(): LogLevel {
  cachedLogLevel ??= loadLogLevel(process.env);
  return cachedLogLevel;
}
