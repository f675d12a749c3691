/**
 * CSRF protection for every form: a random value in a cookie (reused if present, so two tabs
 * work) and, in a hidden field, an HMAC over that value, the form's purpose, the challenge and an
 * expiry. A token therefore only works in the browser that holds the cookie, for that one form
 * and that one challenge, until it expires. Also refused: `Sec-Fetch-Site: cross-site` and an
 * `Origin` that is not ours (`Origin: null`, which Chromium sends under no-referrer, is unknown:
 * the token decides).
 */
import { randomBytes } from 'node:crypto';
import { cookieName, serializeCookie } from './cookies';
import { forbidden, HttpError } from './errors';
import type { WebRequest } from './request';
import { signature, signedBy, type SigningKeys } from './signature';

export type FormPurpose =
  | 'login'
  | 'second-factor'
  | 'consent'
  | 'logout'
  | 'device'
  // The self-service forms (bound to the login challenge, or to the mailed link's token).
  | 'recovery'
  | 'reset'
  | 'signup'
  | 'signup-complete'
  | 'verify'
  // The account page's forms (bound to the user id).
  | 'account';

export interface CsrfSettings extends SigningKeys {
  secure: boolean;
  ttlSeconds: number;
  now?: () => number;
}

const NONCE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function csrfCookieName(secure: boolean): string {
  return cookieName('hlc-csrf', secure);
}

const LABEL = 'hlc-csrf-v1';

function mac(
  secret: string,
  purpose: FormPurpose,
  challenge: string,
  nonce: string,
  expiry: number,
) {
  return signature(secret, LABEL, purpose, expiry, nonce, challenge);
}

function nowSeconds(settings: CsrfSettings): number {
  return Math.floor((settings.now?.() ?? Date.now()) / 1000);
}

export interface IssuedCsrf {
  token: string;
  /** A Set-Cookie value when the browser did not have our cookie yet. */
  setCookie: string | undefined;
}

export function issueCsrf(
  request: WebRequest,
  settings: CsrfSettings,
  purpose: FormPurpose,
  challenge: string,
): IssuedCsrf {
  const name = csrfCookieName(settings.secure);
  const existing = request.cookies.get(name);
  const nonce =
    existing && NONCE_PATTERN.test(existing) ? existing : randomBytes(32).toString('base64url');
  const expiry = nowSeconds(settings) + settings.ttlSeconds;
  return {
    token: `${expiry}.${mac(settings.secret, purpose, challenge, nonce, expiry)}`,
    setCookie:
      nonce === existing
        ? undefined
        : serializeCookie(name, nonce, {
            secure: settings.secure,
            httpOnly: true,
            sameSite: 'Lax',
          }),
  };
}

function refused(): HttpError {
  return forbidden({ key: 'error.csrf' });
}

function expectedOrigin(request: WebRequest, secure: boolean): string | undefined {
  const host = request.headers.host;
  return host ? `${secure ? 'https' : 'http'}://${host}`.toLowerCase() : undefined;
}

/** Throws a 403 page unless the form came from our own page in this browser. */
export function verifyCsrf(
  request: WebRequest,
  settings: CsrfSettings,
  purpose: FormPurpose,
  challenge: string,
): void {
  if (request.headers['sec-fetch-site'] === 'cross-site') throw refused();
  const origin = request.headers.origin?.toLowerCase();
  if (origin && origin !== 'null' && origin !== expectedOrigin(request, settings.secure)) {
    throw refused();
  }
  const nonce = request.cookies.get(csrfCookieName(settings.secure));
  const token = request.form.one('csrf');
  if (!nonce || !NONCE_PATTERN.test(nonce) || !token) throw refused();
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) throw refused();
  const expiry = Number(match[1]);
  if (expiry < nowSeconds(settings)) throw refused();
  if (!signedBy(settings, match[2] ?? '', LABEL, purpose, expiry, nonce, challenge)) {
    throw refused();
  }
}
