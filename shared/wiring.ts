/**
 * The one place where adapters are made from the configuration. Each route's dependencies are
 * made here, once per function (its `handler`), from this process's environment (or, in a test,
 * from a configuration it gives), and lazily: nothing is read or built before a request needs it,
 * so a misconfiguration is answered by the pipeline (a 500 page) and each adapter is made on its
 * first use, then kept (its client keeps connections alive).
 *
 * The users table's adapters load the AWS SDK on the first call that reaches the table, not with
 * the function: GET /login's form (the common case) reads no user, so its cold start does without
 * it (tens of milliseconds); only Hydra's `skip` path loads it. The functions that never touch the
 * table (consent, logout, error) do not bundle it at all: every path to it is a dynamic import.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config as processConfig, type Config } from './config';
import type { ConsentDeps } from './flows/consent';
import type { DeviceDeps, StartDeviceDeps } from './flows/device';
import type { LoginDeps, StartLoginDeps } from './flows/login';
import type { LogoutDeps } from './flows/logout';
import type { SecondFactorDeps } from './flows/second-factor';
import type { StartSecondFactorDeps } from './flows/second-factor-form';
import type { TokenHookDeps } from './flows/token-hook';
import { createHydraAdmin, type HydraAdmin } from './hydra/admin';
import type { WebSettings } from './http/cookies';
import type { RouteDeps } from './http/pipeline';
import {
  createLoginThrottle,
  SECOND_FACTOR_COUNTERS,
  type ThrottleCounters,
} from './throttle/throttle';
import { factorKeyRing } from './users/factor-keys';
import type { FactorStore } from './users/factors';
import { createUserCodeThrottle } from './throttle/user-codes';
import type { LoginSessions } from './users/login-sessions';
import { createPasswordHasher, type PasswordHasher } from './users/password';
import { createIdentifierTags } from './users/tags';
import type { UserStore } from './users/types';

/** Where a route's configuration comes from: this process's environment, read once, by default. */
export type ConfigSource = () => Config;

/** A value made on first use, then kept (a make that throws, a misconfiguration, is tried again). */
function lazy<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

export function webSettings(config: Config): WebSettings {
  return {
    secret: config.cookieSecret,
    secure: config.cookieSecure,
    csrfTtlSeconds: config.csrfTtlSeconds,
  };
}

function hydraAdmin(config: Config): HydraAdmin {
  return createHydraAdmin({
    baseUrl: config.hydraAdminUrl,
    token: config.hydraAdminToken,
    timeoutMs: config.hydraTimeoutMs,
  });
}

function passwordHasher(config: Config): PasswordHasher {
  return createPasswordHasher(config.argon2, config.passwordPepper);
}

/** The hasher of a store that only reads: any password work is a bug, refused loudly. */
const READ_ONLY: PasswordHasher = {
  hash: () => Promise.reject(new Error('this user store only reads')),
  verify: () => Promise.resolve(false),
  verifyDummy: () => Promise.resolve(false),
  needsRehash: () => false,
};

type DocumentClient = () => Promise<DynamoDBDocumentClient>;

/**
 * A route's DynamoDB document client, made on first use: the AWS SDK is loaded here. The users
 * table's adapters below share it, and each loads its own module only when it is first called.
 */
function documentClient(settings: ConfigSource): DocumentClient {
  return lazy(async () => {
    const { createDocumentClient } = await import('./users/dynamo-store');
    const { dynamodbEndpoint, awsRegion } = settings();
    return createDocumentClient({ endpoint: dynamodbEndpoint, region: awsRegion });
  });
}

type AsyncMethod<T> = {
  [Name in keyof T]: T[Name] extends (...args: never[]) => Promise<unknown> ? Name : never;
}[keyof T];

/** The methods `names` of the adapter `open` makes, which is made on the first call of one. */
function onFirstCall<T, Name extends AsyncMethod<T>>(
  open: () => Promise<T>,
  names: readonly Name[],
): Pick<T, Name> {
  const methods = names.map((name) => {
    const call = async (...args: unknown[]) => {
      const adapter = await open();
      return (adapter[name] as (...args: unknown[]) => Promise<unknown>).apply(adapter, args);
    };
    return [name, call];
  });
  return Object.fromEntries(methods) as Pick<T, Name>;
}

/**
 * The user store. The token hook's is made with the READ_ONLY hasher, so argon2 (a native
 * module) is neither in that function's package nor loaded.
 */
function userStore(
  settings: ConfigSource,
  client: DocumentClient,
  hasher: (config: Config) => PasswordHasher,
) {
  const open = lazy(async (): Promise<UserStore> => {
    const { DynamoUserStore } = await import('./users/dynamo-store');
    const config = settings();
    return new DynamoUserStore({
      client: await client(),
      tableName: config.usersTable,
      hasher: hasher(config),
    });
  });
  return onFirstCall(open, ['findById', 'findByIdentifier', 'replacePasswordHash']);
}

/** How each of Hydra's login sessions was established (the remembered-login check). */
function loginSessions(settings: ConfigSource, client: DocumentClient): LoginSessions {
  const open = lazy(async (): Promise<LoginSessions> => {
    const { DynamoLoginSessions } = await import('./users/login-sessions');
    return new DynamoLoginSessions(await client(), settings().usersTable);
  });
  return onFirstCall(open, ['record', 'find', 'addMethods']);
}

/** The users' second factors (one read after a right password; the second step's writes). */
function factorStore(settings: ConfigSource, client: DocumentClient): FactorStore {
  const open = lazy(async (): Promise<FactorStore> => {
    const { DynamoFactorStore } = await import('./users/dynamo-factors');
    return new DynamoFactorStore(await client(), settings().usersTable);
  });
  return onFirstCall(open, ['find', 'enrol', 'useTotpStep', 'useRecoveryCode', 'reset']);
}

function throttleCounters(settings: ConfigSource, client: DocumentClient): ThrottleCounters {
  const open = lazy(async (): Promise<ThrottleCounters> => {
    const { DynamoThrottleCounters } = await import('./users/dynamo-counters');
    return new DynamoThrottleCounters(await client(), settings().usersTable);
  });
  return onFirstCall(open, ['addBelow', 'add', 'clear']);
}

/**
 * Deps whose every member is read on use, from `members`: nothing is made (nor the configuration
 * read) before a request needs it, and what `members` makes lazily is made once.
 */
function onUse<Deps extends object>(members: { [Name in keyof Deps]: () => Deps[Name] }): Deps {
  const deps = {} as Deps;
  for (const [name, read] of Object.entries(members)) {
    Object.defineProperty(deps, name, { get: read as () => unknown, enumerable: true });
  }
  return deps;
}

/** What every route reads from the configuration: the site's cookie and form settings. */
function siteMembers(settings: ConfigSource) {
  return { web: () => webSettings(settings()) };
}

/** A route over Hydra's admin API: its adapter is made on first use, then kept. */
function hydraMembers(settings: ConfigSource) {
  return { ...siteMembers(settings), hydra: lazy(() => hydraAdmin(settings())) };
}

/** GET /login: the form reads no user; only Hydra's `skip` path opens the users table. */
export function startLoginDeps(settings: ConfigSource = processConfig): StartLoginDeps & RouteDeps {
  const client = documentClient(settings);
  const users = userStore(settings, client, passwordHasher);
  const sessions = loginSessions(settings, client);
  const factors = factorStore(settings, client);
  return onUse<StartLoginDeps & RouteDeps>({
    ...hydraMembers(settings),
    users: () => users,
    loginSessions: () => sessions,
    factors: () => factors,
    acrLevels: () => settings().acrLevels,
    accessTokenClaims: () => settings().accessTokenClaims,
  });
}

/** POST /login. */
export function loginDeps(settings: ConfigSource = processConfig): LoginDeps & RouteDeps {
  const client = documentClient(settings);
  const users = userStore(settings, client, passwordHasher);
  const sessions = loginSessions(settings, client);
  const counters = throttleCounters(settings, client);
  const factors = factorStore(settings, client);
  return onUse<LoginDeps & RouteDeps>({
    ...hydraMembers(settings),
    users: () => users,
    passwords: lazy(() => passwordHasher(settings())),
    throttle: lazy(() => createLoginThrottle(counters, settings().throttle)),
    loginSessions: () => sessions,
    factors: () => factors,
    /** Keyed tags of identifiers (throttle keys, device cookies, logs), from the cookie secret. */
    tags: lazy(() => createIdentifierTags(settings().cookieSecret)),
    rememberForSeconds: () => settings().loginRememberForSeconds,
    browserSessionMaxSeconds: () => settings().loginBrowserSessionMaxSeconds,
    acrLevels: () => settings().acrLevels,
    accessTokenClaims: () => settings().accessTokenClaims,
  });
}

/** GET /login/second-factor: the code form names the client (one Hydra read). */
export function startSecondFactorDeps(
  settings: ConfigSource = processConfig,
): StartSecondFactorDeps & RouteDeps {
  return onUse<StartSecondFactorDeps & RouteDeps>(hydraMembers(settings));
}

/**
 * POST /login/second-factor: the code is counted (counters of its own), checked against the
 * user's factors (one read) and used up (one conditional write); no password work, no argon2.
 */
export function secondFactorDeps(
  settings: ConfigSource = processConfig,
): SecondFactorDeps & RouteDeps {
  const client = documentClient(settings);
  const users = userStore(settings, client, () => READ_ONLY);
  const sessions = loginSessions(settings, client);
  const counters = throttleCounters(settings, client);
  const factors = factorStore(settings, client);
  return onUse<SecondFactorDeps & RouteDeps>({
    ...hydraMembers(settings),
    users: () => users,
    factors: () => factors,
    loginSessions: () => sessions,
    factorKeys: lazy(() => {
      const keys = settings().factorKeys;
      return keys ? factorKeyRing(keys) : undefined;
    }),
    throttle: lazy(() =>
      createLoginThrottle(counters, settings().throttle, undefined, SECOND_FACTOR_COUNTERS),
    ),
    tags: lazy(() => createIdentifierTags(settings().cookieSecret)),
    rememberForSeconds: () => settings().loginRememberForSeconds,
    browserSessionMaxSeconds: () => settings().loginBrowserSessionMaxSeconds,
    acrLevels: () => settings().acrLevels,
    accessTokenClaims: () => settings().accessTokenClaims,
  });
}

/** GET and POST /consent. */
export function consentDeps(settings: ConfigSource = processConfig): ConsentDeps & RouteDeps {
  return onUse<ConsentDeps & RouteDeps>({
    ...hydraMembers(settings),
    rememberForSeconds: () => settings().consentRememberForSeconds,
    loginRememberForSeconds: () => settings().loginRememberForSeconds,
  });
}

/** GET and POST /logout. */
export function logoutDeps(settings: ConfigSource = processConfig): LogoutDeps & RouteDeps {
  return onUse<LogoutDeps & RouteDeps>(hydraMembers(settings));
}

/** GET /device: the code form reads nothing (Hydra has no admin GET for a device request). */
export function startDeviceDeps(
  settings: ConfigSource = processConfig,
): StartDeviceDeps & RouteDeps {
  return onUse<StartDeviceDeps & RouteDeps>({
    ...siteMembers(settings),
    userCodeCharacters: () => settings().device.userCodeCharacters,
  });
}

/** POST /device: every code is counted in the users table before Hydra is asked. */
export function deviceDeps(settings: ConfigSource = processConfig): DeviceDeps & RouteDeps {
  const counters = throttleCounters(settings, documentClient(settings));
  return onUse<DeviceDeps & RouteDeps>({
    ...hydraMembers(settings),
    throttle: lazy(() => {
      const { throttle, device } = settings();
      return createUserCodeThrottle(counters, {
        windowSeconds: throttle.windowSeconds,
        maxPerIp: device.maxPerIp,
        maxPerChallenge: device.maxPerChallenge,
      });
    }),
    userCodeCharacters: () => settings().device.userCodeCharacters,
  });
}

/** A page that needs nothing but the site's settings (GET /error, GET /device/done). */
export function pageDeps(settings: ConfigSource = processConfig): RouteDeps {
  return onUse<RouteDeps>(siteMembers(settings));
}

export interface TokenHookRouteDeps extends TokenHookDeps, RouteDeps {
  /** TOKEN_HOOK_API_KEY: the key Hydra's call must carry; without one every call is refused. */
  tokenHookApiKey: string | undefined;
}

/** POST /token-hook: every call reads its user, with a store that only reads. */
export function tokenHookDeps(settings: ConfigSource = processConfig): TokenHookRouteDeps {
  const { findById } = userStore(settings, documentClient(settings), () => READ_ONLY);
  const users = { findById };
  return onUse<TokenHookRouteDeps>({
    ...siteMembers(settings),
    tokenHookApiKey: () => settings().tokenHookApiKey,
    users: () => users,
    accessTokenClaims: () => settings().accessTokenClaims,
  });
}
