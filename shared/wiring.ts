/**
 * The one place where adapters are made from the configuration. Each route's dependencies are
 * made here, once per function (its `handler`), from this process's environment (or, in a test,
 * from a configuration it gives), and lazily: nothing is read or built before a request needs it,
 * so a misconfiguration is answered by the pipeline (a 500 page) and each adapter is made on its
 * first use, then kept (its client keeps connections alive).
 *
 * The secrets (shared/secrets.ts) are read on a route's first request, while a GET asks Hydra,
 * and kept for SECRETS_TTL_SECONDS; the environment's, in the local stage and the tests.
 *
 * The users table's adapters load their modules (each store and the DynamoDB client of
 * shared/aws/dynamodb) on the first call that reaches the table, not with the function: GET
 * /login's form (the common case) reads no user, so its cold start does without them; only
 * Hydra's `skip` path loads them. The functions that never touch the table (consent,
 * POST /logout, error) do not bundle them at all: every path to them is a dynamic import. No
 * function loads the AWS SDK for the table (the mailing ones load SES v2's on their first mail).
 */
import type { DocumentClient } from './aws/dynamodb';
import {
  accountSection,
  deviceSection,
  loadFactorKeysFrom,
  mailSection,
  processConfig,
  sessionsSection,
  signInSection,
  throttleSection,
  wholeConfig,
  type AccountConfig,
  type PasskeyConfig,
  passkeysSection,
  type Config,
  type CoreConfig,
  type DeviceConfig,
  type MailSectionConfig,
  type SessionsConfig,
  type SignInConfig,
  type ThrottleConfig,
} from './config';
import type { ConsentDeps } from './flows/consent';
import type { AccountRouteDeps } from './http/account';
import type { AuthenticatorRouteDeps } from './http/authenticator';
import { accountRedirectUri, createAccountTokens, type AccountTokens } from './hydra/public';
import type { DeviceDeps, StartDeviceDeps } from './flows/device';
import type { HealthDeps } from './flows/health';
import type { LoginDeps, StartLoginDeps } from './flows/login';
import type { LogoutDeps, StartLogoutDeps } from './flows/logout';
import type { SecondFactorDeps } from './flows/second-factor';
import type { StartSecondFactorDeps } from './flows/second-factor-form';
import type { TokenHookDeps } from './flows/token-hook';
import type { EmailChangeMailDeps } from './flows/email-change';
import type { LinkSettings } from './flows/email-links';
import type { SelfServiceLinks, VerificationStep } from './flows/login';
import type { RecoveryDeps, ResetDeps } from './flows/recovery';
import type { CompleteSignUpDeps, SignUpDeps } from './flows/signup';
import type { SendVerificationDeps, VerifyDeps } from './flows/verification';
import type { Mailer } from './mail/mailer';
import { createMailThrottle, type MailThrottle } from './throttle/mail';
import type { EmailTokens } from './users/email-tokens';
import { createHydraAdmin, type HydraAdmin } from './hydra/admin';
import {
  cachedSecrets,
  parseSecretString,
  SecretsUnavailableError,
  type Secrets,
  type SecretsSource,
} from './secrets';
import type { WebSettings } from './http/cookies';
import type { RouteDeps } from './http/pipeline';
import {
  createLoginThrottle,
  SECOND_FACTOR_COUNTERS,
  type ThrottleCounters,
} from './throttle/throttle';
import { factorKeyRing, type FactorKeyRing } from './users/factor-keys';
import type { FactorStore } from './users/factors';
import type { PasskeyStore } from './users/passkeys';
import type { AccountPasskeyRouteDeps, PasskeyRouteDeps } from './http/passkeys';
import { createUserCodeThrottle } from './throttle/user-codes';
import type { LoginSessions } from './users/login-sessions';
import { createPasswordHasher, loadPasswordHashing, type PasswordHasher } from './users/password';
import { loadWhileFirstRequestWaits } from './cold-start';
import { createIdentifierTags } from './users/tags';
import type { UserStore } from './users/types';

/**
 * Where a route's configuration comes from: by default this process's environment, the core and
 * the sections the route reads (shared/config.ts), read once on first use.
 */
export type ConfigSource<Of = Config> = () => Of;

/** A value made on first use, then kept (a make that throws, a misconfiguration, is tried again). */
function lazy<T>(make: () => T): (() => T) & { forget(): void } {
  let made: { value: T } | undefined;
  const get = () => (made ??= { value: make() }).value;
  return Object.assign(get, {
    forget() {
      made = undefined;
    },
  });
}

/** How long one read of the secret may take. */
const SECRETS_TIMEOUT_MS = 3000;

/** The secrets of one function: read (or taken from the cache) by `ready`, then `current`. */
interface RuntimeSecrets {
  ready(): Promise<void>;
  /** The copy the last `ready` resolved with. */
  current(): Secrets;
}

async function secretsManagerSource(config: CoreConfig): Promise<SecretsSource> {
  const { secrets: setting, awsRegion } = config;
  if (setting.source !== 'secrets-manager') throw new Error('not a Secrets Manager setting');
  const [{ createSecretStringReader }, { environmentCredentials }] = await Promise.all([
    import('./aws/secrets-manager'),
    import('./aws/sigv4'),
  ]);
  const read = createSecretStringReader({
    region: awsRegion,
    endpoint: setting.endpoint,
    timeoutMs: SECRETS_TIMEOUT_MS,
    credentials: () => environmentCredentials(process.env),
  });
  return cachedSecrets(
    async () => parseSecretString(await read(setting.secretId)),
    setting.ttlSeconds * 1000,
  );
}

function runtimeSecrets(settings: ConfigSource<CoreConfig>): RuntimeSecrets {
  let latest: Secrets | undefined;
  const source = lazy(async (): Promise<SecretsSource> => {
    const config = settings();
    if (config.secrets.source === 'environment') {
      const { values } = config.secrets;
      return () => Promise.resolve(values);
    }
    return secretsManagerSource(config);
  });
  return {
    async ready() {
      const read = await source().catch((error: unknown) => {
        source.forget();
        throw error;
      });
      latest = await read();
    },
    current() {
      if (!latest) throw new SecretsUnavailableError('read before they were ready');
      return latest;
    },
  };
}

/** The site's settings; the secret's fields are read from `secrets` when they are used. */
export function webSettings(config: CoreConfig, secrets: () => Secrets): WebSettings {
  return {
    get secret() {
      return secrets().cookieSecret;
    },
    get previousSecret() {
      return secrets().cookieSecretPrevious;
    },
    secure: config.cookieSecure,
    csrfTtlSeconds: config.csrfTtlSeconds,
  };
}

/**
 * Hydra's admin API. Its token: the environment's; or the secret's, awaited before each call
 * (at once when warm); or none (HYDRA_ADMIN_AUTH=none), and the first call does not wait.
 */
function hydraAdmin(config: CoreConfig, secrets: RuntimeSecrets): HydraAdmin {
  const setting = config.secrets;
  const token =
    setting.source === 'environment'
      ? setting.values.hydraAdminToken
      : setting.hydraAdminAuth === 'none'
        ? undefined
        : async () => {
            await secrets.ready();
            return secrets.current().hydraAdminToken;
          };
  return createHydraAdmin({
    baseUrl: config.hydraAdminUrl,
    token,
    timeoutMs: config.hydraTimeoutMs,
  });
}

function passwordHasher(config: SignInConfig, pepper: string | undefined): PasswordHasher {
  return createPasswordHasher(config.argon2, pepper);
}

/** The hasher of a store that only reads: any password work is a bug, refused loudly. */
const READ_ONLY: PasswordHasher = {
  hash: () => Promise.reject(new Error('this user store only reads')),
  verify: () => Promise.resolve(false),
  verifyDummy: () => Promise.resolve(false),
  needsRehash: () => false,
};

/** A route's document client, made on the first call that needs it. */
type TableClient = () => Promise<DocumentClient>;

/**
 * A route's DynamoDB document client (shared/aws/dynamodb), made on first use. The users table's
 * adapters below share it, and each loads its own module only when it is first called.
 */
function documentClient(settings: ConfigSource<CoreConfig>): TableClient {
  return lazy(async () => {
    const { createDocumentClient } = await import('./users/dynamo-store');
    const { dynamodbEndpoint, awsRegion } = settings();
    return createDocumentClient({ endpoint: dynamodbEndpoint, region: awsRegion });
  });
}

/**
 * The document client of a route whose every answer but a refusal reads or writes the table:
 * its modules are loaded while the route's first request waits (./cold-start), not after it.
 */
function documentClientOnTheWay(settings: ConfigSource<CoreConfig>): TableClient {
  const client = documentClient(settings);
  loadWhileFirstRequestWaits(client);
  return client;
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
const SIGN_IN_METHODS = ['findById', 'findByIdentifier', 'replacePasswordHash'] as const;

function userStore<
  Of extends CoreConfig,
  Name extends AsyncMethod<UserStore> = (typeof SIGN_IN_METHODS)[number],
>(
  settings: ConfigSource<Of>,
  client: TableClient,
  hasher: (config: Of) => PasswordHasher,
  names: readonly Name[] = SIGN_IN_METHODS as unknown as readonly Name[],
): Pick<UserStore, Name> {
  const open = lazy(async (): Promise<UserStore> => {
    const { DynamoUserStore } = await import('./users/dynamo-store');
    const config = settings();
    return new DynamoUserStore({
      client: await client(),
      tableName: config.usersTable,
      hasher: hasher(config),
    });
  });
  return onFirstCall(open, names);
}

/**
 * The account page's user store: it reads the user, and (POST /account) changes its password
 * and profile. The pages that only read are made with the READ_ONLY hasher: no argon2 there.
 */
function accountUserStore<Of extends CoreConfig>(
  settings: ConfigSource<Of>,
  client: TableClient,
  hasher: (config: Of) => PasswordHasher,
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
  return onFirstCall(open, [
    'findById',
    'findByIdentifier',
    'setPassword',
    'setEnabled',
    'revokeSessions',
    'delete',
    'setProfile',
  ]);
}

/** How each of Hydra's login sessions was established (the remembered-login check). */
function loginSessions(settings: ConfigSource<CoreConfig>, client: TableClient): LoginSessions {
  const open = lazy(async (): Promise<LoginSessions> => {
    const { DynamoLoginSessions } = await import('./users/login-sessions');
    return new DynamoLoginSessions(await client(), settings().usersTable);
  });
  return onFirstCall(open, ['record', 'find', 'addMethods']);
}

/** The users' second factors (one read after a right password; the second step's writes). */
function factorStore(
  settings: ConfigSource<CoreConfig>,
  client: TableClient,
): FactorStore & PasskeyStore {
  const open = lazy(async (): Promise<FactorStore & PasskeyStore> => {
    const { DynamoFactorStore } = await import('./users/dynamo-factors');
    return new DynamoFactorStore(await client(), settings().usersTable);
  });
  return onFirstCall(open, [
    'find',
    'enrol',
    'useTotpStep',
    'replaceRecoveryCodes',
    'useRecoveryCode',
    'reset',
    'addPasskey',
    'usePasskey',
    'removePasskey',
  ]);
}

function throttleCounters(
  settings: ConfigSource<CoreConfig>,
  client: TableClient,
): ThrottleCounters {
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

/** What every route reads: the site's cookie and form settings, its secrets and its brand. */
function siteMembers(settings: ConfigSource<CoreConfig>, secrets: RuntimeSecrets) {
  return {
    web: () => webSettings(settings(), () => secrets.current()),
    ready: () => () => secrets.ready(),
    brand: () => settings().brand,
  };
}

/** A route over Hydra's admin API: its adapter is made on first use, then kept. */
function hydraMembers(settings: ConfigSource<CoreConfig>, secrets: RuntimeSecrets) {
  return {
    ...siteMembers(settings, secrets),
    hydra: lazy(() => hydraAdmin(settings(), secrets)),
  };
}

/** Keyed tags of identifiers (throttle keys, device cookies, logs), from the cookie secret. */
function tagMembers(secrets: RuntimeSecrets) {
  return { tags: () => createIdentifierTags(secrets.current().cookieSecret) };
}

/** GET /login: the form reads no user; only Hydra's `skip` path opens the users table. */
export function startLoginDeps(
  settings: ConfigSource<
    CoreConfig & SignInConfig & MailSectionConfig & PasskeyConfig
  > = processConfig(signInSection, mailSection, passkeysSection),
): StartLoginDeps & RouteDeps {
  const secrets = runtimeSecrets(settings);
  const client = documentClient(settings);
  // Only read: it may be opened while the secrets (the pepper) are still being read.
  const users = userStore(settings, client, () => READ_ONLY);
  const sessions = loginSessions(settings, client);
  const factors = factorStore(settings, client);
  return onUse<StartLoginDeps & RouteDeps>({
    ...hydraMembers(settings, secrets),
    users: () => users,
    loginSessions: () => sessions,
    factors: () => factors,
    acrLevels: () => settings().acrLevels,
    accessTokenClaims: () => settings().accessTokenClaims,
    selfService: () => selfServiceLinks(settings()),
    passkeys: () => settings().passkeys,
  });
}

/** POST /login. */
export function loginDeps(
  settings: ConfigSource<
    CoreConfig & SessionsConfig & SignInConfig & ThrottleConfig & MailSectionConfig & PasskeyConfig
  > = processConfig(sessionsSection, signInSection, throttleSection, mailSection, passkeysSection),
): LoginDeps & RouteDeps {
  const secrets = runtimeSecrets(settings);
  // Made after the form's CSRF check, so with the secrets read.
  const hasher = (config: SignInConfig) => passwordHasher(config, secrets.current().passwordPepper);
  const client = documentClientOnTheWay(settings);
  // Every answer of POST /login but a refusal verifies a password (or the dummy): argon2 too.
  loadWhileFirstRequestWaits(loadPasswordHashing);
  const users = userStore(settings, client, hasher);
  const sessions = loginSessions(settings, client);
  const counters = throttleCounters(settings, client);
  const factors = factorStore(settings, client);
  return onUse<LoginDeps & RouteDeps>({
    ...hydraMembers(settings, secrets),
    users: () => users,
    passwords: lazy(() => hasher(settings())),
    throttle: lazy(() => createLoginThrottle(counters, settings().throttle)),
    loginSessions: () => sessions,
    factors: () => factors,
    ...tagMembers(secrets),
    rememberForSeconds: () => settings().loginRememberForSeconds,
    browserSessionMaxSeconds: () => settings().loginBrowserSessionMaxSeconds,
    acrLevels: () => settings().acrLevels,
    accessTokenClaims: () => settings().accessTokenClaims,
    selfService: () => selfServiceLinks(settings()),
    verification: () => verificationStep(settings, secrets),
    passkeys: () => settings().passkeys,
  });
}

/**
 * The secret's factorKey (FACTOR_KEY locally), read with the other secrets: a rotation takes
 * effect as they are read again.
 */
function factorKeys(secrets: RuntimeSecrets): FactorKeyRing | undefined {
  const { factorKey, factorPreviousKeys } = secrets.current();
  const keys = loadFactorKeysFrom({
    FACTOR_KEY: factorKey,
    FACTOR_PREVIOUS_KEYS: factorPreviousKeys,
  });
  return keys ? factorKeyRing(keys) : undefined;
}

/** GET /login/second-factor: the code form names the client (one Hydra read). */
export function startSecondFactorDeps(
  settings: ConfigSource<CoreConfig & PasskeyConfig> = processConfig(passkeysSection),
): StartSecondFactorDeps & RouteDeps {
  return onUse<StartSecondFactorDeps & RouteDeps>({
    ...hydraMembers(settings, runtimeSecrets(settings)),
    passkeys: () => settings().passkeys,
  });
}

/**
 * POST /login/passkey and /login/second-factor/passkey: the user and its factors by the
 * credential's user handle (two reads at once), one conditional write of the counter; no argon2,
 * no factor key (a passkey's public key is no secret), no throttle (an assertion is no guess).
 */
export function passkeyDeps(
  settings: ConfigSource<
    CoreConfig & SessionsConfig & SignInConfig & PasskeyConfig
  > = processConfig(sessionsSection, signInSection, passkeysSection),
): PasskeyRouteDeps {
  const secrets = runtimeSecrets(settings);
  const client = documentClient(settings);
  const users = userStore(settings, client, () => READ_ONLY);
  const sessions = loginSessions(settings, client);
  const factors = factorStore(settings, client);
  return onUse<PasskeyRouteDeps>({
    ...hydraMembers(settings, secrets),
    users: () => users,
    factors: () => factors,
    loginSessions: () => sessions,
    passkeys: () => settings().passkeys,
    keys: () => signingKeys(secrets),
    ...tagMembers(secrets),
    rememberForSeconds: () => settings().loginRememberForSeconds,
    browserSessionMaxSeconds: () => settings().loginBrowserSessionMaxSeconds,
    acrLevels: () => settings().acrLevels,
    accessTokenClaims: () => settings().accessTokenClaims,
  });
}

/** The cookie secret and the one before it: what passkey challenges are made and checked with. */
function signingKeys(secrets: RuntimeSecrets) {
  const { cookieSecret, cookieSecretPrevious } = secrets.current();
  return { secret: cookieSecret, previousSecret: cookieSecretPrevious };
}

/**
 * POST /login/second-factor: the code is counted (counters of its own), checked against the
 * user's factors (one read) and used up (one conditional write); no password work, no argon2.
 */
export function secondFactorDeps(
  settings: ConfigSource<
    CoreConfig & SessionsConfig & SignInConfig & ThrottleConfig & PasskeyConfig
  > = processConfig(sessionsSection, signInSection, throttleSection, passkeysSection),
): SecondFactorDeps & RouteDeps {
  const secrets = runtimeSecrets(settings);
  const client = documentClientOnTheWay(settings);
  const users = userStore(settings, client, () => READ_ONLY);
  const sessions = loginSessions(settings, client);
  const counters = throttleCounters(settings, client);
  const factors = factorStore(settings, client);
  return onUse<SecondFactorDeps & RouteDeps>({
    ...hydraMembers(settings, secrets),
    users: () => users,
    factors: () => factors,
    loginSessions: () => sessions,
    factorKeys: () => factorKeys(secrets),
    throttle: lazy(() =>
      createLoginThrottle(counters, settings().throttle, undefined, SECOND_FACTOR_COUNTERS),
    ),
    ...tagMembers(secrets),
    rememberForSeconds: () => settings().loginRememberForSeconds,
    browserSessionMaxSeconds: () => settings().loginBrowserSessionMaxSeconds,
    acrLevels: () => settings().acrLevels,
    accessTokenClaims: () => settings().accessTokenClaims,
    passkeys: () => settings().passkeys,
  });
}

/** GET and POST /consent. */
export function consentDeps(
  settings: ConfigSource<CoreConfig & SessionsConfig> = processConfig(sessionsSection),
): ConsentDeps & RouteDeps {
  return onUse<ConsentDeps & RouteDeps>({
    ...hydraMembers(settings, runtimeSecrets(settings)),
    rememberForSeconds: () => settings().consentRememberForSeconds,
    loginRememberForSeconds: () => settings().loginRememberForSeconds,
  });
}

/** POST /logout: Hydra's decision only. */
export function logoutDeps(
  settings: ConfigSource<CoreConfig> = processConfig(),
): LogoutDeps & RouteDeps {
  return onUse<LogoutDeps & RouteDeps>(hydraMembers(settings, runtimeSecrets(settings)));
}

/** GET /logout: the question names the account, read with a store that only reads. */
export function logoutQuestionDeps(
  settings: ConfigSource<CoreConfig> = processConfig(),
): StartLogoutDeps & RouteDeps {
  const users = userStore(settings, documentClientOnTheWay(settings), () => READ_ONLY, [
    'findById',
  ]);
  return onUse<StartLogoutDeps & RouteDeps>({
    ...hydraMembers(settings, runtimeSecrets(settings)),
    users: () => users,
  });
}

/** GET /device: the code form reads nothing (Hydra has no admin GET for a device request). */
export function startDeviceDeps(
  settings: ConfigSource<CoreConfig & DeviceConfig> = processConfig(deviceSection),
): StartDeviceDeps & RouteDeps {
  return onUse<StartDeviceDeps & RouteDeps>({
    ...siteMembers(settings, runtimeSecrets(settings)),
    userCodeCharacters: () => settings().device.userCodeCharacters,
  });
}

/** POST /device: every code is counted in the users table before Hydra is asked. */
export function deviceDeps(
  settings: ConfigSource<CoreConfig & ThrottleConfig & DeviceConfig> = processConfig(
    throttleSection,
    deviceSection,
  ),
): DeviceDeps & RouteDeps {
  const counters = throttleCounters(settings, documentClientOnTheWay(settings));
  return onUse<DeviceDeps & RouteDeps>({
    ...hydraMembers(settings, runtimeSecrets(settings)),
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
export function pageDeps(settings: ConfigSource<CoreConfig> = processConfig()): RouteDeps {
  return onUse<RouteDeps>(siteMembers(settings, runtimeSecrets(settings)));
}

/** The account page's client at Hydra's token endpoint; refused when there is no account page. */
function accountTokens(config: CoreConfig & AccountConfig): AccountTokens {
  const { account } = config;
  if (!account)
    throw new Error('the account page is not configured (PUBLIC_URL, HYDRA_PUBLIC_URL)');
  return createAccountTokens({
    hydraPublicUrl: account.hydraPublicUrl,
    clientId: account.clientId,
    redirectUri: accountRedirectUri(account),
    timeoutMs: config.hydraTimeoutMs,
  });
}

/**
 * What the account page's routes read: the core, sign-in's hashing, the throttle, the account,
 * passkeys (its Passkeys section) and mail (whether the email can be changed; POST /account
 * mails the change's link).
 */
type AccountRouteConfig = CoreConfig &
  SignInConfig &
  ThrottleConfig &
  AccountConfig &
  PasskeyConfig &
  MailSectionConfig;

function accountMembers(
  settings: ConfigSource<AccountRouteConfig>,
  hasher: (config: SignInConfig, pepper: string | undefined) => PasswordHasher,
  secrets: RuntimeSecrets,
  client: TableClient,
  counters: ThrottleCounters,
  factors: FactorStore & PasskeyStore,
  emailChange: (client: TableClient) => () => EmailChangeMailDeps | undefined = () => () =>
    undefined,
) {
  // Made after the route has read the secrets.
  const hash = (config: SignInConfig) => hasher(config, secrets.current().passwordPepper);
  const users = accountUserStore(settings, client, hash);
  const mail = emailChange(client);
  return {
    ...hydraMembers(settings, secrets),
    users: () => users,
    factors: () => factors,
    passwords: lazy(() => hash(settings())),
    throttle: lazy(() => createLoginThrottle(counters, settings().throttle)),
    ...tagMembers(secrets),
    tokens: lazy(() => accountTokens(settings())),
    account: () => settings().account,
    accountClientId: () => settings().account?.clientId ?? '',
    passkeyPage: () => {
      const passkeys = settings().passkeys;
      return passkeys
        ? { settings: passkeys, secret: () => secrets.current().cookieSecret }
        : undefined;
    },
    emailChangeOffered: () => mailOn(settings()),
    emailChange: mail,
  };
}

function accountRouteDeps<Extra extends object = object>(
  settings: ConfigSource<AccountRouteConfig>,
  hasher: (config: SignInConfig, pepper: string | undefined) => PasswordHasher,
  emailChange?: (client: TableClient) => () => EmailChangeMailDeps | undefined,
  extra?: (
    secrets: RuntimeSecrets,
    factors: FactorStore & PasskeyStore,
  ) => { [Name in keyof Extra]: () => Extra[Name] },
): AccountRouteDeps & Extra {
  const secrets = runtimeSecrets(settings);
  const client = documentClient(settings);
  const counters = throttleCounters(settings, client);
  const factors = factorStore(settings, client);
  const members = {
    ...extra?.(secrets, factors),
    ...accountMembers(settings, hasher, secrets, client, counters, factors, emailChange),
  };
  return onUse(
    members as {
      [Name in keyof (AccountRouteDeps & Extra)]: () => (AccountRouteDeps & Extra)[Name];
    },
  );
}

/** What POST /account mails an email change with: the link to the new address (SES, tokens). */
function emailChangeMail(
  settings: ConfigSource<AccountRouteConfig>,
  client: TableClient,
): () => EmailChangeMailDeps | undefined {
  const tokens = emailTokens(settings, client);
  const send = lazy(() => mailer(settings));
  const throttle = mailThrottle(settings, client);
  return () => {
    const config = settings();
    if (!mailOn(config)) return undefined;
    return {
      tokens,
      mailer: send(),
      mailThrottle: throttle(),
      links: linkSettings(config),
      minResponseMs: config.mail.minResponseMs,
    };
  };
}

/** The account page's sections: its own, the sign-in's, throttling, passkeys and mail. */
function accountConfig(): ConfigSource<AccountRouteConfig> {
  return processConfig(
    signInSection,
    throttleSection,
    accountSection,
    passkeysSection,
    mailSection,
  );
}

/**
 * The account page's authenticator app: the account page's deps, with the factor keys (the
 * enrolment's sealed secret), the second step's code counters (the first code) and the issuer
 * apps show (BRAND_NAME; without one, a generic name).
 */
function authenticatorRouteDeps(
  settings: ConfigSource<AccountRouteConfig>,
  hasher: (config: SignInConfig, pepper: string | undefined) => PasswordHasher,
): AuthenticatorRouteDeps {
  const secrets = runtimeSecrets(settings);
  const client = documentClient(settings);
  const counters = throttleCounters(settings, client);
  const factors = factorStore(settings, client);
  return onUse<AuthenticatorRouteDeps>({
    ...accountMembers(settings, hasher, secrets, client, counters, factors),
    factorKeys: () => factorKeys(secrets),
    codeThrottle: lazy(() =>
      createLoginThrottle(counters, settings().throttle, undefined, SECOND_FACTOR_COUNTERS),
    ),
    issuer: () => settings().brand.name,
  });
}

/** GET /account/authenticator: the QR code of a new secret (nothing stored, no argon2). */
export function accountAuthenticatorPageDeps(
  settings: ConfigSource<AccountRouteConfig> = accountConfig(),
): AuthenticatorRouteDeps {
  return authenticatorRouteDeps(settings, () => READ_ONLY);
}

/** POST /account/authenticator: its changes verify the current password (argon2). */
export function accountAuthenticatorDeps(
  settings: ConfigSource<AccountRouteConfig> = accountConfig(),
): AuthenticatorRouteDeps {
  return authenticatorRouteDeps(settings, passwordHasher);
}

/** GET /account and GET /account/callback: they read the user and never hash a password. */
export function accountPageDeps(
  settings: ConfigSource<AccountRouteConfig> = accountConfig(),
): AccountRouteDeps {
  return accountRouteDeps(settings, () => READ_ONLY);
}

/** POST /account: the password change verifies and hashes (argon2); an email change mails. */
export function accountDeps(
  settings: ConfigSource<AccountRouteConfig> = accountConfig(),
): AccountRouteDeps {
  return accountRouteDeps(settings, passwordHasher, (client) => emailChangeMail(settings, client));
}

/** POST /account/passkeys: the account page's user, and its passkeys (no argon2). */
export function accountPasskeyDeps(
  settings: ConfigSource<AccountRouteConfig> = accountConfig(),
): AccountPasskeyRouteDeps {
  return accountRouteDeps(
    settings,
    () => READ_ONLY,
    undefined,
    (secrets, factors) => ({
      factors: () => factors,
      passkeys: () => settings().passkeys,
      keys: () => signingKeys(secrets),
    }),
  );
}

export interface TokenHookRouteDeps extends TokenHookDeps, RouteDeps {
  /** The secret's tokenHookApiKey: the key Hydra's call must carry; without one every call is refused. */
  tokenHookApiKey: string | undefined;
}

/**
 * GET /health: the configuration, Hydra (its admin token read from the secret where Hydra needs
 * one) and one read of the users table.
 */
export function healthDeps(settings: ConfigSource<Config> = wholeConfig()): HealthDeps & RouteDeps {
  const secrets = runtimeSecrets(settings);
  const client = documentClientOnTheWay(settings);
  const open = lazy(async () => {
    const { DynamoTableProbe } = await import('./users/health-probe');
    return new DynamoTableProbe(await client(), settings().usersTable);
  });
  const table = onFirstCall(open, ['probe']);
  return onUse<HealthDeps & RouteDeps>({
    ...hydraMembers(settings, secrets),
    configured: () => () => {
      settings();
    },
    table: () => table,
  });
}

/** POST /token-hook: every call reads its user, with a store that only reads. */
export function tokenHookDeps(
  settings: ConfigSource<CoreConfig & SignInConfig> = processConfig(signInSection),
): TokenHookRouteDeps {
  const secrets = runtimeSecrets(settings);
  const { findById } = userStore(settings, documentClientOnTheWay(settings), () => READ_ONLY);
  const users = { findById };
  return onUse<TokenHookRouteDeps>({
    ...siteMembers(settings, secrets),
    tokenHookApiKey: () => secrets.current().tokenHookApiKey,
    users: () => users,
    accessTokenClaims: () => settings().accessTokenClaims,
  });
}

/** The whole user store (a password reset changes a user the way the users CLI does). */
const ALL_USER_METHODS: readonly AsyncMethod<UserStore>[] = [
  'findById',
  'findByIdentifier',
  'create',
  'replacePasswordHash',
  'setPassword',
  'setEnabled',
  'revokeSessions',
  'setEmailVerified',
  'delete',
];

function emailTokens(settings: ConfigSource<CoreConfig>, client: TableClient): EmailTokens {
  const open = lazy(async (): Promise<EmailTokens> => {
    const { DynamoEmailTokens } = await import('./users/email-tokens');
    return new DynamoEmailTokens(await client(), settings().usersTable);
  });
  return onFirstCall(open, ['save', 'find', 'consume']);
}

/**
 * Mail through SES (MAIL_FROM, SES_REGION, SES_CONFIGURATION_SET; SES_ENDPOINT locally): the SES
 * client and the mail views are loaded on the first mail.
 */
function mailer(settings: ConfigSource<MailSectionConfig>): Mailer {
  const transport = lazy(async () => {
    const { createSesTransport } = await import('./mail/ses');
    const { mail } = settings();
    if (mail.from === undefined) throw new Error('MAIL_FROM is not set: no mail can be sent');
    return createSesTransport({
      from: mail.from,
      region: mail.sesRegion,
      configurationSet: mail.sesConfigurationSet,
      endpoint: mail.sesEndpoint,
    });
  });
  return {
    async send(to, mail, locale) {
      const { renderMail } = await import('./views/mail');
      await (await transport()).deliver(renderMail(to, mail, locale));
    },
  };
}

function linkSettings(config: CoreConfig & MailSectionConfig): LinkSettings {
  return { publicUrl: config.publicUrl ?? '', ttlSeconds: config.mail.linkTtlSeconds };
}

function mailThrottle(
  settings: ConfigSource<CoreConfig & ThrottleConfig & MailSectionConfig>,
  client: TableClient,
): () => MailThrottle {
  const counters = throttleCounters(settings, client);
  return lazy(() => {
    const { throttle, mail } = settings();
    return createMailThrottle(counters, {
      windowSeconds: throttle.windowSeconds,
      maxPerAddress: mail.maxPerAddress,
      maxPerIp: mail.maxPerIp,
    });
  });
}

/** Whether the configuration sends mail at all (every self-service route needs it). */
const mailOn = (config: MailSectionConfig) => config.mail.from !== undefined;

/** Which self-service links the sign-in page shows. */
export function selfServiceLinks(config: MailSectionConfig): SelfServiceLinks {
  return { recovery: mailOn(config), signUp: config.signUp.mode !== 'off' };
}

/** Whether the configuration offers a self-service route (else it answers 404). */
export interface Offered {
  offered: boolean;
}

/** POST /login's verification step (REQUIRE_VERIFIED_EMAIL): signed, no mail sent from here. */
function verificationStep(
  settings: ConfigSource<CoreConfig & MailSectionConfig>,
  secrets: RuntimeSecrets,
): VerificationStep {
  const config = settings();
  return {
    required: config.requireVerifiedEmail,
    secret: secrets.current().cookieSecret,
    ttlSeconds: config.csrfTtlSeconds,
  };
}

/** POST /verify/send: the verification step's mail (offered while MAIL_FROM is set). */
export function sendVerificationDeps(
  settings: ConfigSource<CoreConfig & MailSectionConfig & ThrottleConfig> = processConfig(
    mailSection,
    throttleSection,
  ),
): SendVerificationDeps & RouteDeps & Offered {
  const secrets = runtimeSecrets(settings);
  const client = documentClientOnTheWay(settings);
  const users = userStore(settings, client, () => READ_ONLY, ['findById']);
  return onUse<SendVerificationDeps & RouteDeps & Offered>({
    ...hydraMembers(settings, secrets),
    offered: () => mailOn(settings()),
    users: () => users,
    secret: () => secrets.current().cookieSecret,
    tokens: lazy(() => emailTokens(settings, client)),
    mailer: lazy(() => mailer(settings)),
    mailThrottle: mailThrottle(settings, client),
    ...tagMembers(secrets),
    links: () => linkSettings(settings()),
  });
}

/** GET /recovery and GET /signup: a form that reads nothing (no SDK in these functions). */
export function selfServiceFormDeps(
  settings: ConfigSource<CoreConfig & MailSectionConfig> = processConfig(mailSection),
): RouteDeps & Offered & Pick<SignUpDeps, 'policy'> {
  const secrets = runtimeSecrets(settings);
  return onUse<RouteDeps & Offered & Pick<SignUpDeps, 'policy'>>({
    ...siteMembers(settings, secrets),
    offered: () => mailOn(settings()),
    policy: () => settings().signUp,
  });
}

/** POST /recovery: "forgot password?" (offered while MAIL_FROM is set). */
export function recoveryDeps(
  settings: ConfigSource<CoreConfig & MailSectionConfig & ThrottleConfig> = processConfig(
    mailSection,
    throttleSection,
  ),
): RecoveryDeps & RouteDeps & Offered {
  const secrets = runtimeSecrets(settings);
  const client = documentClientOnTheWay(settings);
  const users = userStore(settings, client, () => READ_ONLY, ['findByIdentifier']);
  return onUse<RecoveryDeps & RouteDeps & Offered>({
    ...siteMembers(settings, secrets),
    offered: () => mailOn(settings()),
    users: () => users,
    tokens: lazy(() => emailTokens(settings, client)),
    mailer: lazy(() => mailer(settings)),
    mailThrottle: mailThrottle(settings, client),
    ...tagMembers(secrets),
    links: () => linkSettings(settings()),
    minResponseMs: () => settings().mail.minResponseMs,
  });
}

/**
 * The GET of a mailed link's page (reset, sign-up, verification): only the link is read, so no
 * mail client and no password hashing in these functions. `offered`: by default, mail is on.
 */
export function linkPageDeps(
  settings: ConfigSource<CoreConfig & MailSectionConfig> = processConfig(mailSection),
  offered: (config: MailSectionConfig) => boolean = mailOn,
): { tokens: Pick<EmailTokens, 'find'> } & RouteDeps & Offered {
  const secrets = runtimeSecrets(settings);
  const tokens = emailTokens(settings, documentClientOnTheWay(settings));
  return onUse<{ tokens: Pick<EmailTokens, 'find'> } & RouteDeps & Offered>({
    ...siteMembers(settings, secrets),
    offered: () => offered(settings()),
    tokens: () => tokens,
  });
}

/** POST /recovery/reset: the new password; setting it ends every session. */
export function resetDeps(
  settings: ConfigSource<CoreConfig & MailSectionConfig & SignInConfig> = processConfig(
    mailSection,
    signInSection,
  ),
): ResetDeps & RouteDeps & Offered {
  const secrets = runtimeSecrets(settings);
  const client = documentClientOnTheWay(settings);
  // Every answer but a refusal (CSRF, a link that does not work) hashes a password.
  loadWhileFirstRequestWaits(loadPasswordHashing);
  const users = userStore(
    settings,
    client,
    (config: SignInConfig) => passwordHasher(config, secrets.current().passwordPepper),
    ALL_USER_METHODS,
  ) as UserStore;
  return onUse<ResetDeps & RouteDeps & Offered>({
    ...hydraMembers(settings, secrets),
    offered: () => mailOn(settings()),
    users: () => users,
    tokens: lazy(() => emailTokens(settings, client)),
    mailer: lazy(() => mailer(settings)),
    links: () => linkSettings(settings()),
  });
}

/** GET and POST /signup (offered unless SIGNUP is off). */
export function signUpDeps(
  settings: ConfigSource<CoreConfig & MailSectionConfig & ThrottleConfig> = processConfig(
    mailSection,
    throttleSection,
  ),
): SignUpDeps & RouteDeps & Offered {
  const secrets = runtimeSecrets(settings);
  const client = documentClientOnTheWay(settings);
  const users = userStore(settings, client, () => READ_ONLY, ['findByIdentifier']);
  return onUse<SignUpDeps & RouteDeps & Offered>({
    ...siteMembers(settings, secrets),
    offered: () => settings().signUp.mode !== 'off',
    policy: () => settings().signUp,
    users: () => users,
    tokens: lazy(() => emailTokens(settings, client)),
    mailer: lazy(() => mailer(settings)),
    mailThrottle: mailThrottle(settings, client),
    ...tagMembers(secrets),
    links: () => linkSettings(settings()),
    minResponseMs: () => settings().mail.minResponseMs,
  });
}

/** GET and POST /signup/complete: the account is created here, from the link. */
export function completeSignUpDeps(
  settings: ConfigSource<CoreConfig & MailSectionConfig & SignInConfig> = processConfig(
    mailSection,
    signInSection,
  ),
): CompleteSignUpDeps & RouteDeps & Offered {
  const secrets = runtimeSecrets(settings);
  const client = documentClientOnTheWay(settings);
  // Every answer but a refusal (CSRF, a link that does not work) hashes a password.
  loadWhileFirstRequestWaits(loadPasswordHashing);
  const users = userStore(
    settings,
    client,
    (config: SignInConfig) => passwordHasher(config, secrets.current().passwordPepper),
    ['create'],
  );
  return onUse<CompleteSignUpDeps & RouteDeps & Offered>({
    ...hydraMembers(settings, secrets),
    offered: () => settings().signUp.mode !== 'off',
    policy: () => settings().signUp,
    users: () => users,
    tokens: lazy(() => emailTokens(settings, client)),
  });
}

/** POST /verify: a verification or email change link (offered while MAIL_FROM is set). */
export function verifyDeps(
  settings: ConfigSource<CoreConfig & MailSectionConfig> = processConfig(mailSection),
): VerifyDeps & RouteDeps & Offered {
  const secrets = runtimeSecrets(settings);
  const client = documentClientOnTheWay(settings);
  const users = userStore(settings, client, () => READ_ONLY, [
    'setEmailVerified',
    'findById',
    'changeEmail',
  ]);
  return onUse<VerifyDeps & RouteDeps & Offered>({
    ...hydraMembers(settings, secrets),
    offered: () => mailOn(settings()),
    users: () => users,
    tokens: lazy(() => emailTokens(settings, client)),
    // An email change's notice to the old address.
    mailer: lazy(() => mailer(settings)),
  });
}
