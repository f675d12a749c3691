/**
 * A software WebAuthn authenticator for the unit tests and the bench: a P-256 key per
 * credential, and the very bytes a browser posts (clientDataJSON, authenticatorData, an ES256
 * signature, a `none` attestation), so that @simplewebauthn/server checks them as it checks a
 * real one. Each part a test may get wrong on purpose (origin, RP ID, challenge, counter, flags,
 * signature) is an option.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

type Cbor = number | string | Uint8Array | Map<number, Cbor> | { [key: string]: Cbor };

function head(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 256) return Buffer.from([(major << 5) | 24, length]);
  const out = Buffer.alloc(3);
  out[0] = (major << 5) | 25;
  out.writeUInt16BE(length, 1);
  return out;
}

/** Just enough CBOR (RFC 8949) for a COSE key and an attestation object. */
export function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  return Buffer.concat([
    head(5, entries.length),
    ...entries.flatMap(([key, item]) => [cbor(key), cbor(item)]),
  ]);
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();
const b64url = (data: Buffer) => data.toString('base64url');

export interface Ceremony {
  challenge: string;
  origin: string;
  /** The RP ID the authenticator signs for (its hash is in authenticatorData). */
  rpId: string;
}

export class SoftAuthenticator {
  readonly id = b64url(randomBytes(32));
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  counter: number;

  constructor(
    readonly userHandle: string,
    readonly options: { userVerified?: boolean; backupEligible?: boolean; counter?: number } = {},
  ) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
    this.counter = options.counter ?? 0;
  }

  /** The credential's public key as COSE (EC2, ES256, P-256). */
  cosePublicKey(): Buffer {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return cbor(
      new Map<number, Cbor>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x ?? '', 'base64url')],
        [-3, Buffer.from(jwk.y ?? '', 'base64url')],
      ]),
    );
  }

  private flags(attested: boolean): number {
    const eligible = this.options.backupEligible === true;
    return (
      0x01 | // user present
      (this.options.userVerified === false ? 0 : 0x04) |
      (eligible ? 0x08 | 0x10 : 0) | // backup eligible, and backed up
      (attested ? 0x40 : 0)
    );
  }

  private authenticatorData(rpId: string, counter: number, attested: boolean): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    const parts: Buffer[] = [sha256(rpId), Buffer.from([this.flags(attested)]), count];
    if (attested) {
      const id = Buffer.from(this.id, 'base64url');
      const length = Buffer.alloc(2);
      length.writeUInt16BE(id.length);
      parts.push(Buffer.alloc(16), length, id, this.cosePublicKey());
    }
    return Buffer.concat(parts);
  }

  private clientData(type: string, ceremony: Ceremony): Buffer {
    return Buffer.from(
      JSON.stringify({
        type,
        challenge: ceremony.challenge,
        origin: ceremony.origin,
        crossOrigin: false,
      }),
    );
  }

  /** navigator.credentials.create's answer, as @simplewebauthn/browser posts it. */
  register(ceremony: Ceremony) {
    const authData = this.authenticatorData(ceremony.rpId, this.counter, true);
    const attestationObject = cbor({ fmt: 'none', attStmt: {}, authData });
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      clientExtensionResults: { credProps: { rk: true } },
      response: {
        clientDataJSON: b64url(this.clientData('webauthn.create', ceremony)),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
    };
  }

  /**
   * navigator.credentials.get's answer. Each call counts up, unless `counter` says what to
   * sign; `tamper` breaks the signature.
   */
  assert(ceremony: Ceremony, options: { counter?: number; tamper?: boolean } = {}) {
    if (options.counter === undefined) this.counter += 1;
    const authData = this.authenticatorData(ceremony.rpId, options.counter ?? this.counter, false);
    const clientDataJSON = this.clientData('webauthn.get', ceremony);
    const signature = sign(
      'sha256',
      Buffer.concat([authData, sha256(clientDataJSON)]),
      this.privateKey,
    );
    if (options.tamper)
      signature.writeUInt8(signature.readUInt8(signature.length - 1) ^ 0x01, signature.length - 1);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: b64url(Buffer.from(this.userHandle, 'utf8')),
      },
    };
  }
}
