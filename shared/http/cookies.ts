/** The one place cookies are read and made. */
import type { SigningKeys } from './signature';

/**
 * How the site's cookies and form tokens are made: the cookie secret (`secret`, and during a
 * rotation `previousSecret`) signs the CSRF tokens and our cookies; COOKIE_SECURE, CSRF_TTL_SECONDS.
 */
export interface WebSettings extends SigningKeys {
  /** Served over https only: `__Host-` cookies with Secure, and no plain-http form targets. */
  secure: boolean;
  /** How long a form's CSRF token is good for. */
  csrfTtlSeconds: number;
}

export function parseCookies(
  cookieList: string[] | undefined,
  cookieHeader: string | undefined,
): Map<string, string> {
  const cookies = new Map<string, string>();
  const pairs = [...(cookieList ?? []), ...(cookieHeader ? cookieHeader.split(';') : [])];
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) continue;
    const name = pair.slice(0, equals).trim();
    const value = pair.slice(equals + 1).trim();
    if (!cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

export interface CookieOptions {
  secure: boolean;
  httpOnly: boolean;
  sameSite: 'Lax' | 'Strict';
  maxAgeSeconds?: number;
}

/** Our cookie named `base`: `__Host-` prefixed when served over https (Secure, Path=/, no Domain). */
export function cookieName(base: string, secure: boolean): string {
  return secure ? `__Host-${base}` : base;
}

/** Path=/ always: together with Secure and no Domain that is what a `__Host-` cookie needs. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${value}`, 'Path=/', `SameSite=${options.sameSite}`];
  if (options.httpOnly) parts.push('HttpOnly');
  if (options.secure) parts.push('Secure');
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${options.maxAgeSeconds}`);
  return parts.join('; ');
}
