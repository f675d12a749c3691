/**
 * The benchmark's inputs: one user (a real argon2id hash at the configured parameters), the
 * stub items for it, the functions' environment, and for each measured path the API Gateway
 * event a function gets, with a valid CSRF token and cookie for the forms.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { loginContext } from '../../../shared/flows/claims';
import { TOKEN_HOOK_KEY_HEADER } from '../../../shared/http/api-key';
import { accountSessionCookie } from '../../../shared/http/account-cookies';
import { pendingSignInCookie } from '../../../shared/http/pending-sign-in';
import { emailTokenHash } from '../../../shared/flows/email-links';
import { signVerificationStep } from '../../../shared/flows/verification';
import type { EmailTokenPurpose } from '../../../shared/users/email-tokens';
import { factorKeyRing, seal } from '../../../shared/users/factor-keys';
import { TOTP_PERIOD_SECONDS, totpCode } from '../../../shared/users/totp';
import { registrationChallenge, signInChallenge } from '../../../shared/flows/passkey-options';
import { SoftAuthenticator, type Ceremony } from '../webauthn-authenticator';
import { issueCsrf, type FormPurpose } from '../../../shared/http/csrf';
import { parseUrlEncoded } from '../../../shared/http/form';
import type { WebRequest } from '../../../shared/http/request';
import {
  emailTokenKey,
  factorsKey,
  keyOf,
  loginSessionKey,
  partitionKeyOf,
  TTL_ATTRIBUTE,
  userItems,
} from '../../../shared/users/table';
import type { User } from '../../../shared/users/types';
import { httpApiEvent } from '../lambda-events';
import { functionRoutes, memoryMb } from '../serverless';
import type { StubItems } from '../stubs/dynamo';
import { BENCH_SESSION_ID, type HydraScenario } from './stubs';

export const BENCH_EMAIL = 'bench@example.com';
export const BENCH_PASSWORD = 'correct horse battery staple';
export const BENCH_TABLE = 'bench-users';
/** What the relying party asks for in every flow. */
export const BENCH_SCOPES = ['openid', 'profile', 'email', 'offline_access'];
const HOST = 'login.bench.example';
/** A device user code of Hydra's default alphabet (`high`). */
const BENCH_USER_CODE = 'WDJXMJHT';
const SOURCE_IP = '203.0.113.10';
/** The key Hydra's token hook calls carry (TOKEN_HOOK_API_KEY), for the bench only. */
export const BENCH_TOKEN_HOOK_KEY = 'bench-only-token-hook-key-0123456789abcdef';

/**
 * The second user: the same password, its address not verified yet, an authenticator app
 * enrolled (the second step's and the verification's paths; the first user signs in with the
 * password alone, as the login paths measure).
 */
const SECOND_USER_ID = '00000000-0000-4000-8000-00000000b002';
const SECOND_EMAIL = 'second@example.com';
/** An address without an account (the sign-up's). */
const NEW_EMAIL = 'new@example.com';
/** The factor key (FACTOR_KEY, the secret's factorKey), for the bench only. */
const BENCH_FACTOR_KEY = Buffer.alloc(32, 0x2b).toString('base64');
/** FACTOR_KEY as the functions read it: what seals the bench's authenticator keys. */
const BENCH_FACTOR_RING = factorKeyRing({
  current: Buffer.from(BENCH_FACTOR_KEY, 'base64'),
  previous: [],
});
/** The second user's authenticator secret (base32, 20 bytes). */
const BENCH_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/**
 * Passkeys (PASSKEYS on for the second-factor functions, as in a deployment that offers them:
 * serverless.yml gives every function the same setting): the relying party, and the second
 * user's passkey (a software authenticator: real P-256 signatures over real authenticator data),
 * which signs in without a password; the bench user adds another on the account page.
 */
const PASSKEY_ORIGIN = `https://${HOST}`;
const SECOND_USER_PASSKEY = new SoftAuthenticator(SECOND_USER_ID);
const NEW_PASSKEY = new SoftAuthenticator('bench-user-new-passkey');
const PASSKEY_FUNCTIONS = new Set([
  'passkey-post',
  'account-passkey-post',
  'account-authenticator-get',
  'account-authenticator-post',
]);

/** One mailed link per purpose, each a token of the right shape (43 base64url characters). */
const LINK_TOKENS: Record<EmailTokenPurpose, string> = {
  reset: 'bench-reset-link'.padEnd(43, '0'),
  verify: 'bench-verify-link'.padEnd(43, '0'),
  signup: 'bench-signup-link'.padEnd(43, '0'),
  'email-change': 'bench-email-change-link'.padEnd(43, '0'),
};

function secondUser(user: User): User {
  return {
    ...user,
    id: SECOND_USER_ID,
    email: SECOND_EMAIL,
    profile: { ...user.profile, name: 'Second User', email_verified: false },
  };
}

export function benchUser(passwordHash: string): User {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    email: BENCH_EMAIL,
    enabled: true,
    passwordHash,
    passwordChangedAt: now,
    createdAt: now,
    updatedAt: now,
    profile: {
      name: 'Bench User',
      given_name: 'Bench',
      family_name: 'User',
      preferred_username: 'bench',
      email_verified: true,
      locale: 'en',
    },
  };
}

/**
 * The user's two items as the store writes them (see shared/users/table), and the record of the
 * login session Hydra names (a password sign-in a minute ago, "keep me signed in" ticked): what
 * the remembered-login path (`skip`) reads.
 */
export function stubItems(user: User): StubItems {
  const now = Math.floor(Date.now() / 1000);
  const second = secondUser(user);
  const factors = {
    ...keyOf(factorsKey(second.id)),
    totp: {
      secret: seal(BENCH_FACTOR_RING, second.id, BENCH_TOTP_SECRET),
      lastStep: 0,
      createdAt: user.createdAt,
    },
    passkeys: {
      [SECOND_USER_PASSKEY.id]: {
        publicKey: SECOND_USER_PASSKEY.cosePublicKey().toString('base64url'),
        // The stub never writes it back: each run's assertion counts up from here.
        counter: 0,
        name: 'Bench laptop',
        transports: ['internal'],
        deviceType: 'singleDevice',
        backedUp: false,
        createdAt: user.createdAt,
      },
    },
  };
  // The links as mailed an hour's validity ago: unused (the stub never marks one used).
  const link = (purpose: EmailTokenPurpose, email: string, subject?: string) => ({
    ...keyOf(emailTokenKey(emailTokenHash(LINK_TOKENS[purpose]))),
    purpose,
    email,
    ...(subject ? { subject } : {}),
    validUntil: now + 24 * 3600,
    [TTL_ATTRIBUTE]: now + 48 * 3600,
  });
  const session = {
    ...keyOf(loginSessionKey(BENCH_SESSION_ID)),
    subject: user.id,
    authenticatedAt: now - 60,
    amr: ['pwd'],
    browserBound: false,
    [TTL_ATTRIBUTE]: now + 24 * 3600,
  };
  return Object.fromEntries(
    [
      ...userItems(user),
      session,
      ...userItems(second),
      factors,
      link('reset', user.email, user.id),
      link('verify', second.email, second.id),
      link('signup', NEW_EMAIL),
    ].map((item) => [partitionKeyOf(item)!, item]),
  );
}

/** The stage's secret in the bench's Secrets Manager stub (APP_SECRET_ID). */
export const BENCH_SECRET_ID = 'hydra-login-consent/bench';

/** The secret's SecretString: the cookie secret, the token hook key and the factor key. */
export function benchSecretString(cookieSecret: string): string {
  return JSON.stringify({
    cookieSecret,
    tokenHookApiKey: BENCH_TOKEN_HOOK_KEY,
    factorKey: BENCH_FACTOR_KEY,
  });
}

/**
 * The environment a function gets on Lambda (serverless.yml's, local values), with Hydra and
 * DynamoDB pointed at the stubs; its secrets from the Secrets Manager stub at `secretsManager`
 * (APP_SECRET_ID and the function's credentials, as deployed) or, without one, in the
 * environment (the local stage, and the deployment before secrets were read at run time).
 */
export function functionEnv(options: {
  functionName: string;
  cookieSecret: string;
  dynamodbEndpoint: string;
  hydraAdminUrl: string;
  /** SES v2 (the stub's endpoint, as SES_ENDPOINT). */
  sesEndpoint: string;
  sourceMaps: boolean;
  secretsManager?: string | undefined;
}): NodeJS.ProcessEnv {
  const secrets = options.secretsManager
    ? {
        APP_SECRET_ID: BENCH_SECRET_ID,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: options.secretsManager,
        AWS_ACCESS_KEY_ID: 'ASIABENCHBENCHBENCH0',
        AWS_SECRET_ACCESS_KEY: 'bench-secret-access-key-0123456789abcdefgh',
        AWS_SESSION_TOKEN: 'bench-session-token',
      }
    : {
        COOKIE_SECRET: options.cookieSecret,
        FACTOR_KEY: BENCH_FACTOR_KEY,
        ...(options.functionName === 'token-hook'
          ? { TOKEN_HOOK_API_KEY: BENCH_TOKEN_HOOK_KEY }
          : {}),
      };
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TZ: 'UTC',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: `hydra-login-consent-bench-${options.functionName}`,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb(options.functionName)),
    NODE_OPTIONS: options.sourceMaps ? '--enable-source-maps' : '',
    STAGE: 'bench',
    HYDRA_ADMIN_URL: options.hydraAdminUrl,
    // The stubs answer plain http on loopback, as an admin API inside the VPC would.
    HYDRA_ADMIN_ALLOW_HTTP: 'true',
    HYDRA_TIMEOUT_MS: '3000',
    COOKIE_SECURE: 'false',
    USERS_TABLE: BENCH_TABLE,
    DYNAMODB_ENDPOINT: options.dynamodbEndpoint,
    LOG_LEVEL: 'info',
    // Mail and sign-up on (serverless.yml gives every function the same settings); no floor on
    // the mail forms' answers: MAIL_MIN_RESPONSE_MS would be a sleep, timed as ours.
    PUBLIC_URL: `http://${HOST}`,
    MAIL_FROM: 'sign-in@bench.example',
    SES_ENDPOINT: options.sesEndpoint,
    SIGNUP: 'open',
    MAIL_MIN_RESPONSE_MS: '0',
    ...secrets,
    ...(options.functionName.startsWith('account-')
      ? { HYDRA_PUBLIC_URL: 'http://hydra.stub:4444' }
      : {}),
    ...(PASSKEY_FUNCTIONS.has(options.functionName)
      ? { PASSKEYS: 'true', PASSKEY_RP_ID: HOST, PASSKEY_ORIGINS: PASSKEY_ORIGIN }
      : {}),
  };
}

/** A challenge as long as Hydra v2's stateless ones (an encrypted flow, ~1.5 KB). */
function challenge(): string {
  return randomBytes(1100).toString('base64url');
}

function csrfToken(
  cookieSecret: string,
  nonce: string,
  purpose: FormPurpose,
  forChallenge: string,
): string {
  const request: WebRequest = {
    method: 'GET',
    headers: {},
    query: parseUrlEncoded(''),
    form: parseUrlEncoded(''),
    cookies: new Map([['hlc-csrf', nonce]]),
    sourceIp: SOURCE_IP,
  };
  return issueCsrf(
    request,
    { secret: cookieSecret, secure: false, ttlSeconds: 3600 },
    purpose,
    forChallenge,
  ).token;
}

const BROWSER = {
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) bench',
  accept: 'text/html,application/xhtml+xml',
  'accept-language': 'en',
  host: HOST,
};

function get(path: string, query: Record<string, string>): APIGatewayProxyEventV2 {
  return httpApiEvent({
    host: HOST,
    path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers: { ...BROWSER },
    sourceIp: SOURCE_IP,
  });
}

function post(
  path: string,
  nonce: string,
  fields: Array<[string, string]>,
  cookies: string[] = [],
): APIGatewayProxyEventV2 {
  return httpApiEvent({
    method: 'POST',
    host: HOST,
    path,
    headers: {
      ...BROWSER,
      'content-type': 'application/x-www-form-urlencoded',
      origin: `http://${HOST}`,
      cookie: [`hlc-csrf=${nonce}`, ...cookies].join('; '),
    },
    cookies: [`hlc-csrf=${nonce}`, ...cookies],
    body: new URLSearchParams(fields).toString(),
    sourceIp: SOURCE_IP,
  });
}

/**
 * Hydra's token hook call for a refresh of the bench user's tokens, shaped as Hydra v2.3.0 sends
 * it (oauth2/token_hook.go; see test/unit/support/token-hook-payloads.ts), about 1.2 KB.
 */
function tokenHookEvent(user: User): APIGatewayProxyEventV2 {
  const signedIn = new Date(Date.now() - 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const zero = '0001-01-01T00:00:00Z';
  const body = {
    session: {
      id_token: {
        id_token_claims: {
          jti: '',
          iss: 'http://hydra.stub:4444',
          sub: user.id,
          aud: ['bench-app'],
          nonce: 'bench-nonce-0123',
          exp: zero,
          iat: signedIn,
          rat: signedIn,
          auth_time: signedIn,
          at_hash: '',
          acr: '',
          amr: ['pwd'],
          c_hash: '',
          ext: { name: 'Bench User', sid: randomUUID() },
        },
        headers: { extra: { kid: randomUUID() } },
        expires_at: { access_token: signedIn, refresh_token: signedIn },
        username: '',
        subject: user.id,
      },
      extra: {},
      kid: '',
      client_id: 'bench-app',
      consent_challenge: randomUUID(),
      exclude_not_before_claim: false,
      allowed_top_level_claims: [],
      mirror_top_level_claims: true,
    },
    request: {
      client_id: 'bench-app',
      requested_scopes: BENCH_SCOPES,
      granted_scopes: BENCH_SCOPES,
      granted_audience: [],
      grant_types: ['refresh_token'],
      payload: { grant_type: ['refresh_token'] },
    },
  };
  return httpApiEvent({
    method: 'POST',
    host: HOST,
    path: '/token-hook',
    headers: {
      'user-agent': 'Go-http-client/1.1',
      'content-type': 'application/json; charset=UTF-8',
      'accept-encoding': 'gzip',
      [TOKEN_HOOK_KEY_HEADER]: BENCH_TOKEN_HOOK_KEY,
      host: HOST,
    },
    body: JSON.stringify(body),
    sourceIp: SOURCE_IP,
  });
}

/** One path through one function, as measured. */
export interface Scenario {
  key: string;
  functionName: string;
  /** What the path is, in the tables. */
  label: string;
  event: APIGatewayProxyEventV2;
  hydra: HydraScenario;
  expectStatus: number;
  /** The path a sign-in with a third-party client takes (the cold starts use these). */
  main: boolean;
  /**
   * An event made afresh for each run, when `event` would not stay valid (a TOTP code, an
   * account session).
   */
  freshEvent?: () => APIGatewayProxyEventV2;
}

export function scenarios(user: User, cookieSecret: string): Scenario[] {
  const nonce = randomBytes(32).toString('base64url');
  const base: HydraScenario = {
    loginSkip: false,
    consentSkip: false,
    firstParty: false,
    skipLogoutConsent: false,
    subject: user.id,
    loginContext: loginContext(user, []),
    requestedScope: BENCH_SCOPES,
  };
  const c = challenge();
  const form = (purpose: FormPurpose): Array<[string, string]> => [
    ['challenge', c],
    ['csrf', csrfToken(cookieSecret, nonce, purpose, c)],
  ];
  // Each path's function is the one serverless.yml routes its event to; the skip paths are
  // variants of a function's main path (the one a third-party sign-in takes).
  const routes = functionRoutes();
  const path = (
    key: string,
    label: string,
    event: APIGatewayProxyEventV2,
    expectStatus: number,
    variant?: Partial<HydraScenario>,
  ): Scenario => ({
    key,
    functionName: routes[event.routeKey] ?? key,
    label,
    event,
    hydra: { ...base, ...variant },
    expectStatus,
    main: variant === undefined,
  });
  const scopes = BENCH_SCOPES.filter((scope) => scope !== 'openid');
  // The account page's session, sealed as the callback seals it (a sign-in a minute ago). Made
  // afresh for each run: the cookie lasts an hour, and the authenticator pages take a sign-in of
  // FRESH_SIGN_IN_SECONDS only (a longer bench would see them send the browser back to Hydra).
  const accountSession = () =>
    accountSessionCookie(
      { subject: user.id, authTime: Math.floor(Date.now() / 1000) - 60 },
      { secret: cookieSecret, secure: false, sessionSeconds: 3600 },
    ).split(';')[0]!;
  // The second step's pending sign-in (the second user's right password a moment ago), and its
  // code: the authenticator's for the time step the request is made in.
  // (made afresh for each run: it is valid for PENDING_SIGN_IN_SECONDS only).
  const pending = () =>
    pendingSignInCookie(
      { challenge: c, subject: SECOND_USER_ID, remember: false, stepUp: false },
      { secret: cookieSecret, secure: false },
    ).split(';')[0]!;
  const withCookie = (event: APIGatewayProxyEventV2, cookie: string) => {
    event.cookies = [...(event.cookies ?? []), cookie];
    event.headers.cookie = [event.headers.cookie, cookie].filter(Boolean).join('; ');
    return event;
  };
  const secondFactorPost = () =>
    post(
      '/login/second-factor',
      nonce,
      [
        ...form('second-factor'),
        ['method', 'totp'],
        ['action', 'verify'],
        ['code', totpCode(BENCH_TOTP_SECRET, Math.floor(Date.now() / 1000 / TOTP_PERIOD_SECONDS))],
      ],
      [pending()],
    );
  const secondFactorGet = () =>
    withCookie(get('/login/second-factor', { login_challenge: c }), pending());
  // A mailed link's page and its form, bound to the link's token.
  const linkForm = (
    purpose: FormPurpose,
    token: string,
    fields: Array<[string, string]> = [],
  ): Array<[string, string]> => [
    ['token', token],
    ['csrf', csrfToken(cookieSecret, nonce, purpose, token)],
    ...fields,
  ];
  const verificationStep = signVerificationStep(cookieSecret, {
    subject: SECOND_USER_ID,
    challenge: c,
    expiresAtSeconds: Math.floor(Date.now() / 1000) + 24 * 3600,
  });
  const account = (query: Record<string, string> = {}) => {
    const event = get('/account', query);
    const session = accountSession();
    event.cookies = [session];
    event.headers.cookie = session;
    return event;
  };
  const accountForm = (path: string, fields: Array<[string, string]>) =>
    post(
      path,
      nonce,
      [['csrf', csrfToken(cookieSecret, nonce, 'account', user.id)], ...fields],
      [accountSession()],
    );
  const removeApp = () =>
    accountForm('/account', [
      ['client', 'bench-app'],
      ['action', 'remove-app'],
    ]);
  const enrolmentPage = () => withCookie(get('/account/authenticator', {}), accountSession());
  const nowStep = () => Math.floor(Date.now() / 1000 / TOTP_PERIOD_SECONDS);
  // The enrolment page's form: the new key sealed for the bench user, and its first code.
  const enrolmentPost = () =>
    accountForm('/account/authenticator', [
      ['action', 'enrol'],
      ['enrolment', seal(BENCH_FACTOR_RING, user.id, BENCH_TOTP_SECRET)],
      ['code', totpCode(BENCH_TOTP_SECRET, nowStep())],
    ]);
  const ceremony = (challenge: string): Ceremony => ({
    challenge,
    origin: PASSKEY_ORIGIN,
    rpId: HOST,
  });
  // "Sign in with a passkey": the second user's assertion of the sign-in page's challenge.
  const passkeySignIn = () =>
    post('/login/passkey', nonce, [
      ...form('login'),
      [
        'response',
        JSON.stringify(SECOND_USER_PASSKEY.assert(ceremony(signInChallenge(cookieSecret, c)))),
      ],
    ]);
  // "Add a passkey" on the account page: a registration of the page's challenge (five minutes).
  const passkeyAdd = () => {
    const issued = Math.floor(Date.now() / 1000);
    return accountForm('/account/passkeys', [
      ['action', 'add'],
      ['issued', String(issued)],
      ['name', 'Bench phone'],
      [
        'response',
        JSON.stringify(
          NEW_PASSKEY.register(ceremony(registrationChallenge(cookieSecret, user.id, issued))),
        ),
      ],
    ]);
  };
  return [
    path('login-get', 'GET /login: the form', get('/login', { login_challenge: c }), 200),
    path(
      'login-get-skip',
      'GET /login: remembered user (skip)',
      get('/login', { login_challenge: c }),
      303,
      { loginSkip: true },
    ),
    path(
      'login-post',
      'POST /login: right password',
      post('/login', nonce, [
        ...form('login'),
        ['identifier', BENCH_EMAIL],
        ['password', BENCH_PASSWORD],
        ['action', 'login'],
      ]),
      303,
    ),
    path(
      'consent-get',
      'GET /consent: the form (third-party client)',
      get('/consent', { consent_challenge: c }),
      200,
    ),
    path(
      'consent-get-skip',
      'GET /consent: first-party client (skip)',
      get('/consent', { consent_challenge: c }),
      303,
      { firstParty: true },
    ),
    path(
      'consent-post',
      'POST /consent: allow',
      post('/consent', nonce, [
        ...form('consent'),
        ...scopes.map((scope): [string, string] => ['scope', scope]),
        ['action', 'allow'],
      ]),
      303,
    ),
    path('logout-get', 'GET /logout: the question', get('/logout', { logout_challenge: c }), 200),
    path(
      'logout-post',
      'POST /logout: yes',
      post('/logout', nonce, [...form('logout'), ['action', 'logout']]),
      303,
    ),
    path('signed-out', 'GET /signed-out: after a sign-out', get('/signed-out', {}), 200),
    path(
      'error',
      "GET /error: Hydra's error page",
      get('/error', {
        error: 'invalid_request',
        error_description: 'The request is missing a required parameter.',
        error_hint: 'Make sure that the various parameters are correct.',
      }),
      400,
    ),
    path(
      'device-get',
      'GET /device: the code form',
      get('/device', { device_challenge: c, user_code: BENCH_USER_CODE }),
      200,
    ),
    path(
      'device-post',
      'POST /device: the right code',
      post('/device', nonce, [...form('device'), ['user_code', BENCH_USER_CODE]]),
      303,
    ),
    path('device-done', 'GET /device/done: signed in', get('/device/done', {}), 200),
    {
      ...path('account-get', 'GET /account: the page, one app', account(), 200),
      freshEvent: () => account(),
    },
    {
      ...path(
        'account-authenticator-get',
        'GET /account/authenticator: a new key and its QR code',
        enrolmentPage(),
        200,
      ),
      freshEvent: enrolmentPage,
    },
    {
      ...path(
        'account-authenticator-post',
        'POST /account/authenticator: the first code (enrolled, recovery codes shown)',
        enrolmentPost(),
        200,
      ),
      freshEvent: enrolmentPost,
    },
    {
      ...path(
        'passkey-post',
        'POST /login/passkey: a passkey signs in (no password)',
        passkeySignIn(),
        303,
      ),
      freshEvent: passkeySignIn,
    },
    {
      ...path('account-passkey-post', 'POST /account/passkeys: a passkey added', passkeyAdd(), 303),
      freshEvent: passkeyAdd,
    },
    path(
      'account-callback',
      'GET /account/callback: no sign-in pending (400)',
      get('/account/callback', { code: 'bench-code', state: 'bench-state' }),
      400,
    ),
    {
      ...path('account-post', 'POST /account: remove access', removeApp(), 303),
      freshEvent: removeApp,
    },
    path(
      'token-hook',
      "POST /token-hook: Hydra's refresh, current claims",
      tokenHookEvent(user),
      200,
    ),
    path('health', 'GET /health: every check passes', get('/health', {}), 200),
    {
      ...path(
        'second-factor-get',
        'GET /login/second-factor: the code form',
        secondFactorGet(),
        200,
      ),
      freshEvent: secondFactorGet,
    },
    {
      ...path(
        'second-factor-post',
        'POST /login/second-factor: the right authenticator code',
        secondFactorPost(),
        303,
      ),
      freshEvent: secondFactorPost,
    },
    path(
      'recovery-get',
      'GET /recovery: the email form',
      get('/recovery', { login_challenge: c }),
      200,
    ),
    path(
      'recovery-post',
      "POST /recovery: a user's address (a link mailed)",
      post('/recovery', nonce, [...form('recovery'), ['email', BENCH_EMAIL]]),
      200,
    ),
    path(
      'reset-get',
      'GET /recovery/reset: the new-password form',
      get('/recovery/reset', { token: LINK_TOKENS.reset }),
      200,
    ),
    path(
      'reset-post',
      'POST /recovery/reset: a new password (sessions ended, a mail)',
      post(
        '/recovery/reset',
        nonce,
        linkForm('reset', LINK_TOKENS.reset, [['password', 'a new bench password 2']]),
      ),
      200,
    ),
    path('signup-get', 'GET /signup: the email form', get('/signup', { login_challenge: c }), 200),
    path(
      'signup-post',
      'POST /signup: a new address (a link mailed)',
      post('/signup', nonce, [...form('signup'), ['email', NEW_EMAIL]]),
      200,
    ),
    path(
      'signup-complete-get',
      'GET /signup/complete: the name and password form',
      get('/signup/complete', { token: LINK_TOKENS.signup }),
      200,
    ),
    path(
      'signup-complete-post',
      'POST /signup/complete: the account created',
      post(
        '/signup/complete',
        nonce,
        linkForm('signup-complete', LINK_TOKENS.signup, [
          ['name', 'New User'],
          ['password', 'a new bench password 2'],
        ]),
      ),
      200,
    ),
    path(
      'verify-get',
      'GET /verify: confirm the address',
      get('/verify', { token: LINK_TOKENS.verify }),
      200,
    ),
    path(
      'verify-post',
      'POST /verify: the address verified',
      post('/verify', nonce, linkForm('verify', LINK_TOKENS.verify)),
      200,
    ),
    path(
      'verify-send',
      "POST /verify/send: the sign-in's verification mail",
      post('/verify/send', nonce, [...form('login'), ['step', verificationStep]]),
      200,
    ),
  ];
}
