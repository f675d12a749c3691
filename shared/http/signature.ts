/**
 * The one way our cookies and form tokens are signed (the CSRF token, the device cookie, the
 * browser-session cookie): an HMAC-SHA-256 under COOKIE_SECRET, of a label naming what is signed
 * and its fields, so that a signature made for one kind of value never passes as another's.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** base64url of HMAC-SHA-256(secret, `label|field|field…`). */
export function signature(secret: string, label: string, ...fields: (string | number)[]): string {
  return createHmac('sha256', secret)
    .update([label, ...fields].join('|'))
    .digest('base64url');
}

/** Whether a signature given by the browser is the expected one, in constant time. */
export function sameSignature(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
