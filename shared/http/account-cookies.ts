/**
 * The account page's two cookies, both sealed (./sealed: AES-256-GCM, a key of their own derived
 * from COOKIE_SECRET), HttpOnly, SameSite=Lax (the callback is a top-level navigation from
 * Hydra), `__Host-` over https:
 *   - `hlc-account`: the account session, whose user and when that user authenticated, for
 *     ACCOUNT_SESSION_SECONDS after the sign-in. No server state: each request re-reads the user
 *     and checks its revocation mark (shared/users/sessions.ts);
 *   - `hlc-account-signin`: a sign-in under way (state, nonce and PKCE verifier), for as long as
 *     Hydra keeps a login request (30 minutes).
 */
import type { PendingSignIn } from '../hydra/public';
import { cookieName, serializeCookie, type CookieOptions } from './cookies';
import type { WebRequest } from './request';
import { open, seal } from './sealed';

export interface AccountCookieSettings {
  secret: string;
  secure: boolean;
  sessionSeconds: number;
  now?: () => number;
}

/** The account session: who, and when they authenticated (Unix seconds). */
export interface AccountSession {
  subject: string;
  authTime: number;
}

export const SIGN_IN_SECONDS = 30 * 60;

const SESSION = 'hlc-account';
const SIGN_IN = 'hlc-account-signin';

const nowSeconds = (settings: AccountCookieSettings) =>
  Math.floor((settings.now?.() ?? Date.now()) / 1000);

function options(settings: AccountCookieSettings, maxAgeSeconds: number): CookieOptions {
  return { secure: settings.secure, httpOnly: true, sameSite: 'Lax', maxAgeSeconds };
}

export function accountSessionCookieName(secure: boolean): string {
  return cookieName(SESSION, secure);
}

export function readAccountSession(
  request: WebRequest,
  settings: AccountCookieSettings,
): AccountSession | undefined {
  const value = open(
    settings.secret,
    'hlc-account-session-v1',
    request.cookies.get(accountSessionCookieName(settings.secure)),
    nowSeconds(settings),
  ) as Partial<AccountSession> | undefined;
  if (typeof value?.subject !== 'string' || typeof value.authTime !== 'number') return undefined;
  return { subject: value.subject, authTime: value.authTime };
}

export function accountSessionCookie(
  session: AccountSession,
  settings: AccountCookieSettings,
): string {
  const value = seal(settings.secret, 'hlc-account-session-v1', {
    value: session,
    expiresAt: nowSeconds(settings) + settings.sessionSeconds,
  });
  return serializeCookie(
    accountSessionCookieName(settings.secure),
    value,
    options(settings, settings.sessionSeconds),
  );
}

export function clearAccountSessionCookie(settings: AccountCookieSettings): string {
  return serializeCookie(accountSessionCookieName(settings.secure), '', options(settings, 0));
}

function signInCookieName(secure: boolean): string {
  return cookieName(SIGN_IN, secure);
}

export function readPendingSignIn(
  request: WebRequest,
  settings: AccountCookieSettings,
): PendingSignIn | undefined {
  const value = open(
    settings.secret,
    'hlc-account-signin-v1',
    request.cookies.get(signInCookieName(settings.secure)),
    nowSeconds(settings),
  ) as Partial<PendingSignIn> | undefined;
  const { state, nonce, verifier } = value ?? {};
  if (typeof state !== 'string' || typeof nonce !== 'string' || typeof verifier !== 'string') {
    return undefined;
  }
  return { state, nonce, verifier };
}

export function pendingSignInCookie(pending: PendingSignIn, settings: AccountCookieSettings) {
  const value = seal(settings.secret, 'hlc-account-signin-v1', {
    value: pending,
    expiresAt: nowSeconds(settings) + SIGN_IN_SECONDS,
  });
  return serializeCookie(
    signInCookieName(settings.secure),
    value,
    options(settings, SIGN_IN_SECONDS),
  );
}

export function clearPendingSignInCookie(settings: AccountCookieSettings): string {
  return serializeCookie(signInCookieName(settings.secure), '', options(settings, 0));
}
