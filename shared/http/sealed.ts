/**
 * Sealed values: JSON the browser keeps for us but can neither read nor change (the account
 * page's session and its pending sign-in). AES-256-GCM under a key derived from COOKIE_SECRET
 * with HKDF-SHA-256 and a purpose label, so that a value sealed for one purpose never opens as
 * another's, and the CSRF and cookie HMACs (which use COOKIE_SECRET itself) share no key with
 * it. A fresh 96-bit nonce per value; the label is also the additional data. The value carries
 * its own expiry, checked when it is opened. Format: `v1.<nonce>.<ciphertext>.<tag>`
 * (base64url).
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export type SealPurpose = 'hlc-account-session-v1' | 'hlc-account-signin-v1';

const VALUE = /^v1\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{1,3000})\.([A-Za-z0-9_-]{22})$/;

const keys = new Map<string, Buffer>();

function keyFor(secret: string, purpose: SealPurpose): Buffer {
  const id = `${purpose}|${secret}`;
  let key = keys.get(id);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), purpose, 32));
    keys.set(id, key);
  }
  return key;
}

export interface Sealed<T> {
  /** What was sealed. */
  value: T;
  /** Unix seconds after which it no longer opens. */
  expiresAt: number;
}

export function seal<T>(secret: string, purpose: SealPurpose, sealed: Sealed<T>): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(secret, purpose), nonce);
  cipher.setAAD(Buffer.from(purpose));
  const body = Buffer.concat([
    cipher.update(JSON.stringify({ v: sealed.value, exp: sealed.expiresAt }), 'utf8'),
    cipher.final(),
  ]);
  return `v1.${nonce.toString('base64url')}.${body.toString('base64url')}.${cipher
    .getAuthTag()
    .toString('base64url')}`;
}

/** The sealed value, or undefined when it is malformed, tampered with, of another purpose or expired. */
export function open(
  secret: string,
  purpose: SealPurpose,
  given: string | undefined,
  nowSeconds: number,
): unknown {
  const match = VALUE.exec(given ?? '');
  if (!match) return undefined;
  const [, nonce = '', body = '', tag = ''] = match;
  let text: string;
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      keyFor(secret, purpose),
      Buffer.from(nonce, 'base64url'),
    );
    decipher.setAAD(Buffer.from(purpose));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    text = Buffer.concat([
      decipher.update(Buffer.from(body, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    return undefined;
  }
  const parsed = JSON.parse(text) as { v?: unknown; exp?: unknown };
  if (typeof parsed.exp !== 'number' || parsed.exp <= nowSeconds) return undefined;
  return parsed.v;
}
