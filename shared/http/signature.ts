/**
 * The one way our cookies and form tokens are signed (the CSRF token, the device cookie, the
 * browser-session cookie): an HMAC-SHA-256 under the cookie secret, of a label naming what is
 * signed and its fields, so that a signature made for one kind of value never passes as another's.
 * During a rotation (the secret's `cookieSecretPrevious`), new signatures are made with the
 * current secret and those made with the previous one are still accepted.
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

/** The secrets signatures are made and checked with. */
export interface SigningKeys {
  /** Signs everything new. */
  secret: string;
  /** The secret before the last rotation: what it signed is still accepted. */
  previousSecret?: string | undefined;
}

/** Whether `given` signs the label and fields under the current secret or the previous one. */
export function signedBy(
  keys: SigningKeys,
  given: string,
  label: string,
  ...fields: (string | number)[]
): boolean {
  if (sameSignature(signature(keys.secret, label, ...fields), given)) return true;
  return (
    keys.previousSecret !== undefined &&
    sameSignature(signature(keys.previousSecret, label, ...fields), given)
  );
}
