/**
 * The pending-sign-in cookie: what carries a sign-in from its first step (the password, or a
 * session Hydra remembers) to its second (a code), for one login challenge. Its value names the
 * subject, whether "keep me signed in" was ticked and whether the session is being stepped up,
 * with an expiry, under an HMAC that also covers the challenge: it cannot be forged, moved to
 * another sign-in, or kept past PENDING_SIGN_IN_SECONDS. It proves only the first step: the
 * second step still needs a code, which can be used once, so a replayed cookie gains nothing.
 * The challenge itself is not in the cookie (challenges can exceed a cookie's size): the form
 * posts it, as every form does, and the MAC must match it.
 */
import type { PendingSignIn } from '../flows/outcome';
import { cookieName, serializeCookie } from './cookies';
import type { WebRequest } from './request';
import { sameSignature, signature } from './signature';

export interface PendingSignInSettings {
  secret: string;
  secure: boolean;
  now?: () => number;
}

/** How long the second step may take. */
export const PENDING_SIGN_IN_SECONDS = 5 * 60;

const VALUE = /^v1\.(\d{1,12})\.([rs-]{2})\.([A-Za-z0-9_-]{1,200})\.([A-Za-z0-9_-]{43})$/;

export function pendingSignInCookieName(secure: boolean): string {
  return cookieName('hlc-pending', secure);
}

const nowSeconds = (settings: PendingSignInSettings) =>
  Math.floor((settings.now?.() ?? Date.now()) / 1000);

function mac(secret: string, challenge: string, subject: string, flags: string, expiry: number) {
  return signature(secret, 'hlc-pending-v1', expiry, flags, subject, challenge);
}

const flagsOf = (pending: PendingSignIn) =>
  `${pending.remember ? 'r' : '-'}${pending.stepUp ? 's' : '-'}`;

/** The browser's pending sign-in for `challenge`, if it holds a valid, unexpired one. */
export function readPendingSignIn(
  request: WebRequest,
  settings: PendingSignInSettings,
  challenge: string,
): PendingSignIn | undefined {
  const match = VALUE.exec(request.cookies.get(pendingSignInCookieName(settings.secure)) ?? '');
  if (!match) return undefined;
  const [, expiry = '', flags = '', encoded = '', given = ''] = match;
  const subject = Buffer.from(encoded, 'base64url').toString('utf8');
  if (!sameSignature(mac(settings.secret, challenge, subject, flags, Number(expiry)), given)) {
    return undefined;
  }
  if (Number(expiry) <= nowSeconds(settings)) return undefined;
  return { challenge, subject, remember: flags[0] === 'r', stepUp: flags[1] === 's' };
}

export function pendingSignInCookie(
  pending: PendingSignIn,
  settings: PendingSignInSettings,
): string {
  const expiry = nowSeconds(settings) + PENDING_SIGN_IN_SECONDS;
  const flags = flagsOf(pending);
  const subject = Buffer.from(pending.subject, 'utf8').toString('base64url');
  const value = `v1.${expiry}.${flags}.${subject}.${mac(settings.secret, pending.challenge, pending.subject, flags, expiry)}`;
  return serializeCookie(pendingSignInCookieName(settings.secure), value, {
    secure: settings.secure,
    httpOnly: true,
    sameSite: 'Lax',
    maxAgeSeconds: PENDING_SIGN_IN_SECONDS,
  });
}

/** Drops the browser's pending sign-in. */
export function endPendingSignInCookie(settings: PendingSignInSettings): string {
  return serializeCookie(pendingSignInCookieName(settings.secure), '', {
    secure: settings.secure,
    httpOnly: true,
    sameSite: 'Lax',
    maxAgeSeconds: 0,
  });
}
