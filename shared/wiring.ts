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
import type { TokenHookDeps } from './flows/token-hook';
import type { LinkSettings } from './flows/email-links';
import type { SelfServiceLinks, VerificationStep } from './flows/login';
import type { RecoveryDeps, ResetDeps } from './flows/recovery';
import type { CompleteSignUpDeps, SignUpDeps } from './flows/signup';
import type { SendVerificationDeps, VerifyDeps } from './flows/verification';
import type { Mailer } from './mail/mailer';
import { createMailThrottle, type MailThrottle } from './throttle/mail';
import type { EmailTokens } from './users/email-tokens';
import { createHydraAdmin, type HydraAdmin } from './hydra/admin';
import type { WebSettings } from './http/cookies';
import type { RouteDeps } from './http/pipeline';
import { createLoginThrottle, type ThrottleCounters } from './throttle/throttle';
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
const SIGN_IN_METHODS = ['findById', 'findByIdentifier', 'replacePasswordHash'] as const;

function userStore<Name extends AsyncMethod<UserStore> = (typeof SIGN_IN_METHODS)[number]>(
  settings: ConfigSource,
  client: DocumentClient,
  hasher: (config: Config) => PasswordHasher,
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

/** How each of Hydra's login sessions was established (the remembered-login check). */
function loginSessions(settings: ConfigSource, client: DocumentClient): LoginSessions {
  const open = lazy(async (): Promise<LoginSessions> => {
    const { DynamoLoginSessions } = await import('./users/login-sessions');
    return new DynamoLoginSessions(await client(), settings().usersTable);
  });
  return onFirstCall(open, ['record', 'find']);
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
  return onUse<StartLoginDeps & RouteDeps>({
    ...hydraMembers(settings),
    users: () => users,
    loginSessions: () => sessions,
    acrLevels: () => settings().acrLevels,
    accessTokenClaims: () => settings().accessTokenClaims,
    selfService: () => selfServiceLinks(settings()),
  });
}

/** POST /login. */
export function loginDeps(settings: ConfigSource = processConfig): LoginDeps & RouteDeps {
  const client = documentClient(settings);
  const users = userStore(settings, client, passwordHasher);
  const sessions = loginSessions(settings, client);
  const counters = throttleCounters(settings, client);
  return onUse<LoginDeps & RouteDeps>({
    ...hydraMembers(settings),
    users: () => users,
    passwords: lazy(() => passwordHasher(settings())),
    throttle: lazy(() => createLoginThrottle(counters, settings().throttle)),
    loginSessions: () => sessions,
    /** Keyed tags of identifiers (throttle keys, device cookies, logs), from the cookie secret. */
    tags: lazy(() => createIdentifierTags(settings().cookieSecret)),
    rememberForSeconds: () => settings().loginRememberForSeconds,
    browserSessionMaxSeconds: () => settings().loginBrowserSessionMaxSeconds,
    acrLevels: () => settings().acrLevels,
    accessTokenClaims: () => settings().accessTokenClaims,
    selfService: () => selfServiceLinks(settings()),
    verification: () => verificationStep(settings),
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

function emailTokens(settings: ConfigSource, client: DocumentClient): EmailTokens {
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
function mailer(settings: ConfigSource): Mailer {
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

function linkSettings(config: Config): LinkSettings {
  return { publicUrl: config.publicUrl ?? '', ttlSeconds: config.mail.linkTtlSeconds };
}

function mailThrottle(settings: ConfigSource, client: DocumentClient): () => MailThrottle {
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

/** Which self-service links the sign-in page shows. */
export function selfServiceLinks(config: Config): SelfServiceLinks {
  return { recovery: config.mail.from !== undefined, signUp: config.signUp.mode !== 'off' };
}

/** Whether the configuration offers a self-service route (else it answers 404). */
export interface Offered {
  offered: boolean;
}

/** POST /login's verification step (REQUIRE_VERIFIED_EMAIL): signed, no mail sent from here. */
function verificationStep(settings: ConfigSource): VerificationStep {
  const config = settings();
  return {
    required: config.requireVerifiedEmail,
    secret: config.cookieSecret,
    ttlSeconds: config.csrfTtlSeconds,
  };
}

/** POST /verify/send: the verification step's mail (offered while MAIL_FROM is set). */
export function sendVerificationDeps(
  settings: ConfigSource = processConfig,
): SendVerificationDeps & RouteDeps & Offered {
  const client = documentClient(settings);
  const users = userStore(settings, client, () => READ_ONLY, ['findById']);
  return onUse<SendVerificationDeps & RouteDeps & Offered>({
    ...hydraMembers(settings),
    offered: () => settings().mail.from !== undefined,
    users: () => users,
    secret: () => settings().cookieSecret,
    tokens: lazy(() => emailTokens(settings, client)),
    mailer: lazy(() => mailer(settings)),
    mailThrottle: mailThrottle(settings, client),
    tags: lazy(() => createIdentifierTags(settings().cookieSecret)),
    links: () => linkSettings(settings()),
  });
}

/** GET /recovery and GET /signup: a form that reads nothing (no SDK in these functions). */
export function selfServiceFormDeps(
  settings: ConfigSource = processConfig,
): RouteDeps & Offered & Pick<SignUpDeps, 'policy'> {
  return onUse<RouteDeps & Offered & Pick<SignUpDeps, 'policy'>>({
    ...siteMembers(settings),
    offered: () => settings().mail.from !== undefined,
    policy: () => settings().signUp,
  });
}

/** POST /recovery: "forgot password?" (offered while MAIL_FROM is set). */
export function recoveryDeps(
  settings: ConfigSource = processConfig,
): RecoveryDeps & RouteDeps & Offered {
  const client = documentClient(settings);
  const users = userStore(settings, client, () => READ_ONLY, ['findByIdentifier']);
  return onUse<RecoveryDeps & RouteDeps & Offered>({
    ...siteMembers(settings),
    offered: () => settings().mail.from !== undefined,
    users: () => users,
    tokens: lazy(() => emailTokens(settings, client)),
    mailer: lazy(() => mailer(settings)),
    mailThrottle: mailThrottle(settings, client),
    tags: lazy(() => createIdentifierTags(settings().cookieSecret)),
    links: () => linkSettings(settings()),
    minResponseMs: () => settings().mail.minResponseMs,
  });
}

/** Whether the configuration sends mail at all (every self-service route needs it). */
const mailOn = (config: Config) => config.mail.from !== undefined;

/**
 * The GET of a mailed link's page (reset, sign-up, verification): only the link is read, so no
 * mail client and no password hashing in these functions. `offered`: by default, mail is on.
 */
export function linkPageDeps(
  settings: ConfigSource = processConfig,
  offered: (config: Config) => boolean = mailOn,
): { tokens: Pick<EmailTokens, 'find'> } & RouteDeps & Offered {
  const tokens = emailTokens(settings, documentClient(settings));
  return onUse<{ tokens: Pick<EmailTokens, 'find'> } & RouteDeps & Offered>({
    ...siteMembers(settings),
    offered: () => offered(settings()),
    tokens: () => tokens,
  });
}

/** POST /recovery/reset: the new password; setting it ends every session. */
export function resetDeps(settings: ConfigSource = processConfig): ResetDeps & RouteDeps & Offered {
  const client = documentClient(settings);
  const users = userStore(settings, client, passwordHasher, ALL_USER_METHODS) as UserStore;
  return onUse<ResetDeps & RouteDeps & Offered>({
    ...hydraMembers(settings),
    offered: () => settings().mail.from !== undefined,
    users: () => users,
    tokens: lazy(() => emailTokens(settings, client)),
    mailer: lazy(() => mailer(settings)),
    links: () => linkSettings(settings()),
  });
}

/** GET and POST /signup (offered unless SIGNUP is off). */
export function signUpDeps(
  settings: ConfigSource = processConfig,
): SignUpDeps & RouteDeps & Offered {
  const client = documentClient(settings);
  const users = userStore(settings, client, () => READ_ONLY, ['findByIdentifier']);
  return onUse<SignUpDeps & RouteDeps & Offered>({
    ...siteMembers(settings),
    offered: () => settings().signUp.mode !== 'off',
    policy: () => settings().signUp,
    users: () => users,
    tokens: lazy(() => emailTokens(settings, client)),
    mailer: lazy(() => mailer(settings)),
    mailThrottle: mailThrottle(settings, client),
    tags: lazy(() => createIdentifierTags(settings().cookieSecret)),
    links: () => linkSettings(settings()),
    minResponseMs: () => settings().mail.minResponseMs,
  });
}

/** GET and POST /signup/complete: the account is created here, from the link. */
export function completeSignUpDeps(
  settings: ConfigSource = processConfig,
): CompleteSignUpDeps & RouteDeps & Offered {
  const client = documentClient(settings);
  const users = userStore(settings, client, passwordHasher, ['create']);
  return onUse<CompleteSignUpDeps & RouteDeps & Offered>({
    ...hydraMembers(settings),
    offered: () => settings().signUp.mode !== 'off',
    policy: () => settings().signUp,
    users: () => users,
    tokens: lazy(() => emailTokens(settings, client)),
  });
}

/** GET and POST /verify: a verification link (offered while MAIL_FROM is set). */
export function verifyDeps(
  settings: ConfigSource = processConfig,
): VerifyDeps & RouteDeps & Offered {
  const client = documentClient(settings);
  const users = userStore(settings, client, () => READ_ONLY, ['setEmailVerified']);
  return onUse<VerifyDeps & RouteDeps & Offered>({
    ...hydraMembers(settings),
    offered: () => settings().mail.from !== undefined,
    users: () => users,
    tokens: lazy(() => emailTokens(settings, client)),
  });
}
