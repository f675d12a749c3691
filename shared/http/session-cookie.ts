/**
 * The browser-session cookie: what makes a sign-in without "keep me signed in" end when the
 * browser closes, on every Hydra version. Hydra keeps such a sign-in as a session with a bounded
 * lifetime (LOGIN_BROWSER_SESSION_MAX; Hydra v25.4+ has no browser-session cookie of its own,
 * ory/hydra#4126), and we give the browser this cookie beside it: no Max-Age or Expires, so the
 * browser drops it when it closes. Its value is an HMAC of Hydra's session id: it cannot be
 * forged, nor carried over to another session. When Hydra brings a browser-bound session back
 * (`skip`), it counts only if this browser still holds the cookie of that session.
 */
import type { BrowserSession } from '../flows/login';
import { cookieName, serializeCookie } from './cookies';
import type { WebRequest } from './request';
import { signature, signedBy, type SigningKeys } from './signature';

export interface SessionCookieSettings extends SigningKeys {
  secure: boolean;
}

export function sessionCookieName(secure: boolean): string {
  return cookieName('hlc-session', secure);
}

const VALUE = /^v1\.([A-Za-z0-9_-]{43})$/;

const LABEL = 'hlc-session-v1';

function mac(secret: string, sid: string): string {
  return signature(secret, LABEL, sid);
}

/** Which of Hydra's sessions this browser holds our session cookie for (at most one). */
export function readBrowserSession(
  request: WebRequest,
  settings: SessionCookieSettings,
): BrowserSession {
  const given = VALUE.exec(request.cookies.get(sessionCookieName(settings.secure)) ?? '')?.[1];
  return {
    holds(sid: string): boolean {
      return given !== undefined && signedBy(settings, given, LABEL, sid);
    },
  };
}

/**
 * The same, for a route that asks Hydra before its secrets are read (GET /login): the cookie is
 * checked once `ready` (the secrets read) resolves, with the settings `settings` gives then.
 */
export function readBrowserSessionWhenReady(
  request: WebRequest,
  ready: Promise<void>,
  settings: () => SessionCookieSettings,
): BrowserSession {
  return {
    async holds(sid: string): Promise<boolean> {
      await ready;
      return readBrowserSession(request, settings()).holds(sid);
    },
  };
}

/** The cookie that binds Hydra's session `sid` to this browser session: no Max-Age, no Expires. */
export function sessionCookie(sid: string, settings: SessionCookieSettings): string {
  return serializeCookie(sessionCookieName(settings.secure), `v1.${mac(settings.secret, sid)}`, {
    secure: settings.secure,
    httpOnly: true,
    sameSite: 'Lax',
  });
}
