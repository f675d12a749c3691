/**
 * A user's passkeys (WebAuthn credentials), in the user's `factors#<user id>` item (./factors,
 * ./table) as the map `passkeys`, keyed by credential id (base64url): the one read a sign-in
 * makes for the second step finds them too, and a discoverable sign-in, whose credential names
 * our user id as its user handle, finds its user's item by that id in one read. Each entry is
 * changed by its own conditional update (./dynamo-passkeys): added only while the id is new and
 * the user has fewer than MAX_PASSKEYS, used only at the counter it was read with, removed only
 * while it is there. What is stored is public: the credential's public key (COSE, base64url),
 * never a secret. This module has none of the AWS SDK.
 */

/** How many passkeys one user may have. */
export const MAX_PASSKEYS = 10;
/** The longest name of a passkey (characters). */
export const MAX_PASSKEY_NAME_LENGTH = 60;

export type PasskeyTransport =
  'ble' | 'cable' | 'hybrid' | 'internal' | 'nfc' | 'smart-card' | 'usb';

export interface StoredPasskey {
  /** The COSE public key, base64url. */
  publicKey: string;
  /** The signature counter last seen (0: the authenticator keeps none). */
  counter: number;
  /** The name the user gave it. */
  name: string;
  transports: PasskeyTransport[];
  /** `multiDevice`: the key may be synced off the authenticator (backup eligible). */
  deviceType: 'singleDevice' | 'multiDevice';
  /** The backup state flag (BS) last seen. */
  backedUp: boolean;
  createdAt: string;
  lastUsedAt?: string;
}

/** A passkey as the account page and the CLI list it. */
export interface PasskeyListing {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | undefined;
  synced: boolean;
}

export function passkeyListings(
  passkeys: Readonly<Record<string, StoredPasskey>> | undefined,
): PasskeyListing[] {
  return Object.entries(passkeys ?? {})
    .map(([id, passkey]) => ({
      id,
      name: passkey.name,
      createdAt: passkey.createdAt,
      lastUsedAt: passkey.lastUsedAt,
      synced: passkey.deviceType === 'multiDevice',
    }))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

/** What a use of a passkey changes. */
export interface PasskeyUse {
  /** The counter it was read with: the use counts only if it is still that. */
  previousCounter: number;
  counter: number;
  backedUp: boolean;
  usedAt: string;
}

export interface PasskeyStore {
  /** Adds the passkey; false when the id is taken or the user has MAX_PASSKEYS already. */
  addPasskey(userId: string, id: string, passkey: StoredPasskey): Promise<boolean>;
  /** Records a use, only if the counter is still `previousCounter`; says whether it did. */
  usePasskey(userId: string, id: string, use: PasskeyUse): Promise<boolean>;
  /** Removes the passkey; says whether it was there. */
  removePasskey(userId: string, id: string): Promise<boolean>;
}

/** A credential id as WebAuthn encodes it (base64url), of a length authenticators use. */
export const CREDENTIAL_ID = /^[A-Za-z0-9_-]{16,1366}$/;

export function storedPasskeysOf(value: unknown): Record<string, StoredPasskey> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const out: Record<string, StoredPasskey> = {};
  for (const [id, entry] of Object.entries(value as Record<string, unknown>)) {
    if (typeof entry !== 'object' || entry === null) continue;
    const e = entry as Record<string, unknown>;
    if (typeof e.publicKey !== 'string' || typeof e.counter !== 'number') continue;
    out[id] = {
      publicKey: e.publicKey,
      counter: e.counter,
      name: typeof e.name === 'string' ? e.name : '',
      transports: Array.isArray(e.transports)
        ? (e.transports.filter((t) => typeof t === 'string') as PasskeyTransport[])
        : [],
      deviceType: e.deviceType === 'multiDevice' ? 'multiDevice' : 'singleDevice',
      backedUp: e.backedUp === true,
      createdAt: typeof e.createdAt === 'string' ? e.createdAt : '',
      ...(typeof e.lastUsedAt === 'string' ? { lastUsedAt: e.lastUsedAt } : {}),
    };
  }
  return out;
}
