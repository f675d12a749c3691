/**
 * The device cookie (OWASP "Blocking Brute Force Attacks: device cookies"): a browser that has
 * signed in to an account keeps a signed note of it, so that the sign-in throttle can give that
 * browser its own allowance for that account (shared/throttle). It names a random device id and
 * the keyed tags of the last few accounts signed in from this browser, with an expiry, under an
 * HMAC: it cannot be forged, moved to another account, or read for the email.
 */
import { MAX_DEVICE_ACCOUNTS, type KnownDevice } from '../throttle/throttle';
import { cookieName, serializeCookie } from './cookies';
import type { WebRequest } from './request';
import { signature, signedBy, type SigningKeys } from './signature';

export interface DeviceCookieSettings extends SigningKeys {
  secure: boolean;
  now?: () => number;
}

/** How long a browser stays a known device after its last sign-in. */
export const DEVICE_COOKIE_SECONDS = 365 * 24 * 60 * 60;

const TAG = /^[A-Za-z0-9_-]{22}$/;
const VALUE =
  /^v1\.([A-Za-z0-9_-]{22})\.(\d{1,12})\.([A-Za-z0-9_~-]{22,100})\.([A-Za-z0-9_-]{43})$/;

export function deviceCookieName(secure: boolean): string {
  return cookieName('hlc-device', secure);
}

const LABEL = 'hlc-device-v1';

function mac(secret: string, payload: string): string {
  return signature(secret, LABEL, payload);
}

const nowSeconds = (settings: DeviceCookieSettings) =>
  Math.floor((settings.now?.() ?? Date.now()) / 1000);

/** The browser's device, if it sent a valid, unexpired device cookie of ours. */
export function readDevice(
  request: WebRequest,
  settings: DeviceCookieSettings,
): KnownDevice | undefined {
  const match = VALUE.exec(request.cookies.get(deviceCookieName(settings.secure)) ?? '');
  if (!match) return undefined;
  const [, id = '', expiry = '', tags = '', given = ''] = match;
  if (!signedBy(settings, given, LABEL, `${id}.${expiry}.${tags}`)) return undefined;
  if (Number(expiry) <= nowSeconds(settings)) return undefined;
  const accounts = tags.split('~');
  if (accounts.length > MAX_DEVICE_ACCOUNTS || !accounts.every((tag) => TAG.test(tag))) {
    return undefined;
  }
  return { id, accounts };
}

export function deviceCookie(device: KnownDevice, settings: DeviceCookieSettings): string {
  const expiry = nowSeconds(settings) + DEVICE_COOKIE_SECONDS;
  const payload = `${device.id}.${expiry}.${device.accounts.join('~')}`;
  return serializeCookie(
    deviceCookieName(settings.secure),
    `v1.${payload}.${mac(settings.secret, payload)}`,
    {
      secure: settings.secure,
      httpOnly: true,
      sameSite: 'Lax',
      maxAgeSeconds: DEVICE_COOKIE_SECONDS,
    },
  );
}
