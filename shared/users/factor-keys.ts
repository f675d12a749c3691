/**
 * Second factors' secrets at rest. A TOTP secret is sealed with AES-256-GCM under FACTOR_KEY,
 * bound to its user (the additional data names the user id, so a sealed secret copied to another
 * user's item does not open), as `v1.<key id>.<iv>.<ciphertext>.<tag>`. The key id is derived
 * from the key (the first 8 bytes of a SHA-256 over a label and the key: it names the key, and
 * tells nothing of it): each sealed secret names the key that opens it, so FACTOR_KEY can rotate.
 * Rotation: the new key becomes FACTOR_KEY, the old one moves to FACTOR_PREVIOUS_KEYS; a secret
 * sealed under an old key still opens, and is sealed again under FACTOR_KEY when it is next used
 * (the same write that records the used time step). An old key can go once no item names it.
 *
 * Recovery codes are stored as HMAC-SHA-256 tags under a key derived (HKDF) from FACTOR_KEY, of
 * the user id and the code, never the code: they are random (50 bits each), so a keyed hash is
 * as strong as a slow one against a stolen table without the key, and lets a sign-in find the
 * code with one conditional write instead of ten argon2 verifications. The set names the key id
 * it was made under; after a rotation the old key (in FACTOR_PREVIOUS_KEYS) still checks it.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
} from 'node:crypto';

export interface FactorKey {
  id: string;
  key: Buffer;
}

/** FACTOR_KEY (seals) and FACTOR_PREVIOUS_KEYS (still open). */
export interface FactorKeyRing {
  current: FactorKey;
  previous: readonly FactorKey[];
}

export function factorKeyOf(key: Buffer): FactorKey {
  const id = createHash('sha256')
    .update('hlc-factor-key-id-v1|')
    .update(key)
    .digest()
    .subarray(0, 8)
    .toString('base64url');
  return { id, key };
}

export function factorKeyRing(keys: {
  current: Buffer;
  previous: readonly Buffer[];
}): FactorKeyRing {
  return { current: factorKeyOf(keys.current), previous: keys.previous.map(factorKeyOf) };
}

function keyById(ring: FactorKeyRing, id: string): FactorKey | undefined {
  return [ring.current, ...ring.previous].find((key) => key.id === id);
}

const additionalData = (userId: string) => Buffer.from(`hlc-totp-v1|${userId}`);

/** `plaintext` sealed for `userId` under the ring's current key. */
export function seal(ring: FactorKeyRing, userId: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', ring.current.key, iv);
  cipher.setAAD(additionalData(userId));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const parts = [iv, ciphertext, cipher.getAuthTag()].map((part) => part.toString('base64url'));
  return ['v1', ring.current.id, ...parts].join('.');
}

export interface Opened {
  plaintext: string;
  /** Sealed under an older key: to be sealed again under the current one. */
  stale: boolean;
}

/** What `seal` made for this user, if a key of the ring opens it; else undefined. */
export function open(ring: FactorKeyRing, userId: string, sealed: string): Opened | undefined {
  const [version, id = '', iv = '', ciphertext = '', tag = ''] = sealed.split('.');
  const key = version === 'v1' ? keyById(ring, id) : undefined;
  if (!key) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(additionalData(userId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const plaintext = Buffer.concat([
      decipher.update(Buffer.from(ciphertext, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
    return { plaintext, stale: key.id !== ring.current.id };
  } catch {
    return undefined;
  }
}

function recoveryKey(key: FactorKey): Buffer {
  return Buffer.from(hkdfSync('sha256', key.key, '', 'hlc-recovery-code-v1', 32));
}

/** The tag a recovery code (normalized) is stored as, under `key`. */
export function recoveryTagWith(key: FactorKey, userId: string, code: string): string {
  return createHmac('sha256', recoveryKey(key)).update(`${userId}|${code}`).digest('base64url');
}

/** The tag of a recovery code under the ring's key named `keyId`; undefined: no such key. */
export function recoveryTag(
  ring: FactorKeyRing,
  keyId: string,
  userId: string,
  code: string,
): string | undefined {
  const key = keyById(ring, keyId);
  return key && recoveryTagWith(key, userId, code);
}
