/**
 * Shared set-up for driving the real handlers: a site of in-memory fakes handed to every route
 * as its deps, the configuration of the tests that use the real adapters, and response checks.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { consentGet } from '../../../functions/consent-get';
import { consentPost } from '../../../functions/consent-post';
import { deviceDone } from '../../../functions/device-done';
import { deviceGet } from '../../../functions/device-get';
import { devicePost } from '../../../functions/device-post';
import { errorPage } from '../../../functions/error';
import { loginGet } from '../../../functions/login-get';
import { loginPost } from '../../../functions/login-post';
import { logoutGet } from '../../../functions/logout-get';
import { logoutPost } from '../../../functions/logout-post';
import { secondFactorGet } from '../../../functions/second-factor-get';
import { secondFactorPost } from '../../../functions/second-factor-post';
import { signedOut } from '../../../functions/signed-out';
import { tokenHook } from '../../../functions/token-hook';
import { accountCallback, accountGet, accountPost } from '../../../shared/http/account';
import type { WebSettings } from '../../../shared/http/cookies';
import type { WebResponse } from '../../../shared/http/response';
import {
  USER_CODE_PRESETS,
  loadConfig,
  type Config,
  type PasskeySettings,
} from '../../../shared/config';
import {
  createLoginThrottle,
  SECOND_FACTOR_COUNTERS,
  type ThrottleSettings,
} from '../../../shared/throttle/throttle';
import { factorKeyRing } from '../../../shared/users/factor-keys';
import {
  createUserCodeThrottle,
  type UserCodeThrottleSettings,
} from '../../../shared/throttle/user-codes';
import type { PasswordHasher } from '../../../shared/users/password';
import { createIdentifierTags } from '../../../shared/users/tags';
import {
  consentDeps,
  deviceDeps,
  loginDeps,
  logoutDeps,
  logoutQuestionDeps,
  pageDeps,
  secondFactorDeps,
  startDeviceDeps,
  startSecondFactorDeps,
  startLoginDeps,
  tokenHookDeps,
  type ConfigSource,
} from '../../../shared/wiring';
import type { AccountRouteDeps } from '../../../shared/http/account';
import {
  accountAuthenticatorGet,
  accountAuthenticatorPost,
  type AuthenticatorRouteDeps,
} from '../../../shared/http/authenticator';
import { CONTEXT, HOST } from './events';
import {
  FakeAccountTokens,
  FakeHydra,
  HYDRA_PUBLIC,
  FakePasswordHasher,
  InMemoryCounters,
  InMemoryFactorStore,
  InMemoryLoginSessions,
  InMemoryUserStore,
} from './fakes';
import { HYDRA_ADMIN } from './hydra-http';

export const COOKIE_SECRET = 'unit-test-cookie-secret-0123456789abcdef';
/** FACTOR_KEY of the tests: 32 bytes, in base64. */
export const FACTOR_KEY = Buffer.alloc(32, 7).toString('base64');
export const FACTOR_KEYS = factorKeyRing({
  current: Buffer.from(FACTOR_KEY, 'base64'),
  previous: [],
});

/** The site settings the handlers are given: what CONFIG_ENV configures. */
export const WEB: WebSettings = { secret: COOKIE_SECRET, secure: true, csrfTtlSeconds: 3600 };

/** The configuration's defaults (shared/config.ts), with CONFIG_ENV's remember times and claims. */
const SITE = {
  throttle: { windowSeconds: 900, maxPerAccount: 10, maxPerIp: 100, maxPerAccountTotal: 50 },
  loginRememberForSeconds: 7200,
  loginBrowserSessionMaxSeconds: 86400,
  acrLevels: { password: 'aal1', secondFactor: 'aal2' },
  consentRememberForSeconds: 3600,
  accessTokenClaims: ['roles'],
};

/** The fake site's Hydra makes user codes of A–Z (Hydra's `medium` preset), as npm start's does. */
export const USER_CODE_CHARACTERS: string = USER_CODE_PRESETS.medium;

export interface FakeSiteOptions {
  throttle?: Partial<ThrottleSettings>;
  /** The device user code throttle (per source IP, per device challenge). */
  codeThrottle?: Partial<UserCodeThrottleSettings>;
  /** The hasher of sign-ins (a fake one by default; argon2 where a test looks at what it hashes). */
  passwords?: PasswordHasher;
  tokenHookApiKey?: string;
  /** The account page's authenticator clock (a fresh sign-in, the enrolment's codes). */
  now?: () => number;
  /** PASSKEYS on: the account page lists the user's passkeys and offers to add one. */
  passkeys?: PasskeySettings;
}

/**
 * Every route, handed as its deps the in-memory fakes the flow tests use (support/fakes.ts): one
 * Hydra, one user store, one set of throttle counters and login sessions, shared by the routes
 * as the deployed functions share Hydra and the users table.
 */
export function fakeSite(options: FakeSiteOptions = {}) {
  const hydra = new FakeHydra();
  const accountTokens = new FakeAccountTokens();
  const hasher = new FakePasswordHasher();
  const users = new InMemoryUserStore(hasher);
  const counters = new InMemoryCounters();
  const loginSessions = new InMemoryLoginSessions();
  const factors = new InMemoryFactorStore();
  const tags = createIdentifierTags(COOKIE_SECRET);
  const { accessTokenClaims, acrLevels } = SITE;
  const web = WEB;
  const accountDeps: AccountRouteDeps = {
    web,
    users,
    hydra,
    passwords: options.passwords ?? hasher,
    factors,
    tokens: accountTokens,
    throttle: createLoginThrottle(counters, { ...SITE.throttle, ...options.throttle }),
    tags: createIdentifierTags(COOKIE_SECRET),
    account: ACCOUNT,
    accountClientId: ACCOUNT.clientId,
    emailChangeOffered: false,
    passkeyPage: options.passkeys && { settings: options.passkeys, secret: () => COOKIE_SECRET },
  };
  const authenticatorDeps: AuthenticatorRouteDeps = {
    ...accountDeps,
    factors,
    factorKeys: FACTOR_KEYS,
    codeThrottle: createLoginThrottle(
      counters,
      { ...SITE.throttle, ...options.throttle },
      undefined,
      SECOND_FACTOR_COUNTERS,
    ),
    issuer: 'Example',
    now: options.now,
  };
  const consent = {
    web,
    hydra,
    rememberForSeconds: SITE.consentRememberForSeconds,
    loginRememberForSeconds: SITE.loginRememberForSeconds,
  };
  return {
    hydra,
    hasher,
    users,
    counters,
    loginSessions,
    factors,
    /** Every call that reached the users table (what DynamoDB would have been sent). */
    tableCalls: () => [...users.calls, ...counters.calls, ...loginSessions.calls, ...factors.calls],
    /** The calls that change the users table: user writes, counter updates, session records. */
    tableWrites: () => [
      ...users.writes,
      ...counters.calls,
      ...loginSessions.calls.filter((call) => call.startsWith('record ')),
    ],
    loginGet: loginGet({
      web,
      hydra,
      users,
      loginSessions,
      factors,
      acrLevels,
      accessTokenClaims,
    }),
    loginPost: loginPost({
      web,
      hydra,
      users,
      passwords: options.passwords ?? hasher,
      throttle: createLoginThrottle(counters, { ...SITE.throttle, ...options.throttle }),
      loginSessions,
      factors,
      tags,
      rememberForSeconds: SITE.loginRememberForSeconds,
      browserSessionMaxSeconds: SITE.loginBrowserSessionMaxSeconds,
      acrLevels,
      accessTokenClaims,
    }),
    secondFactorGet: secondFactorGet({ web, hydra }),
    secondFactorPost: secondFactorPost({
      web,
      hydra,
      users,
      factors,
      loginSessions,
      factorKeys: FACTOR_KEYS,
      throttle: createLoginThrottle(
        counters,
        { ...SITE.throttle, ...options.throttle },
        undefined,
        SECOND_FACTOR_COUNTERS,
      ),
      tags,
      rememberForSeconds: SITE.loginRememberForSeconds,
      browserSessionMaxSeconds: SITE.loginBrowserSessionMaxSeconds,
      acrLevels,
      accessTokenClaims,
    }),
    consentGet: consentGet(consent),
    consentPost: consentPost(consent),
    logoutGet: logoutGet({ web, hydra, users }),
    logoutPost: logoutPost({ web, hydra }),
    signedOut: signedOut({ web }),
    error: errorPage({ web }),
    deviceGet: deviceGet({ web, userCodeCharacters: USER_CODE_CHARACTERS }),
    devicePost: devicePost({
      web,
      hydra,
      throttle: createUserCodeThrottle(counters, {
        windowSeconds: SITE.throttle.windowSeconds,
        maxPerIp: 20,
        maxPerChallenge: 5,
        ...options.codeThrottle,
      }),
      userCodeCharacters: USER_CODE_CHARACTERS,
    }),
    deviceDone: deviceDone({ web }),
    tokenHook: tokenHook({
      web,
      users,
      accessTokenClaims,
      tokenHookApiKey: options.tokenHookApiKey,
    }),
    accountTokens,
    accountDeps,
    ...accountRoutes(accountDeps),
    authenticatorDeps,
    accountAuthenticatorGet: accountAuthenticatorGet(authenticatorDeps),
    accountAuthenticatorPost: accountAuthenticatorPost(authenticatorDeps),
  };
}

/** The account page's settings in the fake site. */
export const ACCOUNT = {
  publicUrl: `https://${HOST}`,
  hydraPublicUrl: HYDRA_PUBLIC,
  clientId: 'account',
  sessionSeconds: 900,
} as const;

function accountRoutes(deps: AccountRouteDeps) {
  return {
    accountGet: accountGet(deps),
    accountCallback: accountCallback(deps),
    accountPost: accountPost(deps),
  };
}

export type FakeSite = ReturnType<typeof fakeSite>;

/** A fresh fake site for each test of the file. */
export function useFakeSite(options: FakeSiteOptions = {}): () => FakeSite {
  let current = fakeSite(options);
  beforeEach(() => {
    current = fakeSite(options);
  });
  return () => current;
}

/** The environment of a deployed function in the tests that use the real adapters. */
export const CONFIG_ENV: Readonly<Record<string, string>> = {
  HYDRA_ADMIN_URL: HYDRA_ADMIN,
  HYDRA_TIMEOUT_MS: '100',
  USERS_TABLE: 'users-unit',
  COOKIE_SECRET,
  COOKIE_SECURE: 'true',
  CONSENT_REMEMBER_FOR: '3600',
  LOGIN_REMEMBER_FOR: '7200',
  ACCESS_TOKEN_CLAIMS: 'roles',
  FACTOR_KEY,
};

/** Every function as deployed, by its file name: its deps made by shared/wiring.ts. */
export function deployed(settings: ConfigSource) {
  return {
    'login-get': loginGet(startLoginDeps(settings)),
    'login-post': loginPost(loginDeps(settings)),
    'second-factor-get': secondFactorGet(startSecondFactorDeps(settings)),
    'second-factor-post': secondFactorPost(secondFactorDeps(settings)),
    'consent-get': consentGet(consentDeps(settings)),
    'consent-post': consentPost(consentDeps(settings)),
    'logout-get': logoutGet(logoutQuestionDeps(settings)),
    'logout-post': logoutPost(logoutDeps(settings)),
    'signed-out': signedOut(pageDeps(settings)),
    error: errorPage(pageDeps(settings)),
    'device-get': deviceGet(startDeviceDeps(settings)),
    'device-post': devicePost(deviceDeps(settings)),
    'device-done': deviceDone(pageDeps(settings)),
    'token-hook': tokenHook(tokenHookDeps(settings)),
  };
}

/**
 * Where shared/wiring.ts reads a route's configuration from: CONFIG_ENV with `env` on top, read
 * on each use, so a misconfiguration fails every request as a deployed function's does.
 */
export function configFrom(env: Record<string, string> = {}): () => Config {
  return () => loadConfig({ ...CONFIG_ENV, ...env });
}

type Handler = (event: APIGatewayProxyEventV2, context: typeof CONTEXT) => Promise<WebResponse>;

export async function invoke(
  handler: unknown,
  event: APIGatewayProxyEventV2,
): Promise<WebResponse> {
  return (handler as Handler)(event, CONTEXT);
}

/** The headers every response must carry, errors and redirects included. */
export function expectSecurityHeaders(response: WebResponse): void {
  const headers = response.headers;
  const csp = headers['content-security-policy'] ?? '';
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("base-uri 'none'");
  expect(csp).toMatch(/form-action 'self' https:(;|$)/);
  expect(csp).not.toContain('unsafe-inline');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['strict-transport-security']).toMatch(/^max-age=\d+/);
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['cache-control']).toBe('no-store');
  expect(headers['x-content-type-options']).toBe('nosniff');
}

/** The CSRF cookie and token a form page gave the browser. */
export function formSecrets(response: WebResponse): { cookie: string; token: string } {
  const token = /name="csrf" value="([^"]+)"/.exec(response.body ?? '')?.[1];
  const cookie = response.cookies?.[0]?.split(';')[0];
  if (!token || !cookie) throw new Error('expected a form page with a CSRF token and cookie');
  return { cookie, token };
}
