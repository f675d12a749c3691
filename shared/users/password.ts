/**
 * Password hashing: argon2id (@node-rs/argon2, a prebuilt native module) stored as a PHC string
 * with its parameters, an optional pepper passed as argon2's `secret`, NFKC on both sides.
 */
import type { Options } from '@node-rs/argon2';
import type { Argon2Parameters } from '../config';
import { isPasswordWithinLimits, normalizePassword } from './password-policy';

/** Algorithm.Argon2id: the enum is a `const enum`, which isolated modules cannot import. */
const ARGON2ID = 2;

type Argon2 = typeof import('@node-rs/argon2');
let argon2: Argon2 | undefined;

/**
 * The native module, loaded on first use, so a cold start that never hashes (GET /login, the
 * CLI's read-only commands) does not load it. A plain `require`: the bundles keep it external
 * and load it from the package's node_modules. A module that fails to load fails the sign-in
 * (it is loaded outside verify's catch), never passes for a wrong password.
 */
function loadArgon2(): Argon2 {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (argon2 ??= require('@node-rs/argon2') as Argon2);
}

/** Loads the native module now (a cold start does it while a request waits: ../cold-start). */
export function loadPasswordHashing(): void {
  loadArgon2();
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password, an over-long one, or a hash we cannot read; never throws. */
  verify(phcHash: string, password: string): Promise<boolean>;
  /** The same work as a real verify, for unknown users; always false. */
  verifyDummy(password: string): Promise<false>;
  /** Whether the stored hash was made with other parameters than the policy's. */
  needsRehash(phcHash: string): boolean;
}

const PHC = /^\$argon2(id|i|d)\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

export function createPasswordHasher(params: Argon2Parameters, pepper?: string): PasswordHasher {
  const options: Options = {
    algorithm: ARGON2ID,
    memoryCost: params.memoryCost,
    timeCost: params.timeCost,
    parallelism: params.parallelism,
    ...(pepper ? { secret: Buffer.from(pepper, 'utf8') } : {}),
  };
  let dummyHash: Promise<string> | undefined;

  async function verifyHash(phcHash: string, password: string): Promise<boolean> {
    // The typed and the NFKC form (U+FDFA becomes 18 characters): what is hashed is capped.
    if (!isPasswordWithinLimits(password) || !PHC.test(phcHash)) return false;
    const { verify } = loadArgon2();
    try {
      return await verify(phcHash, normalizePassword(password), options);
    } catch {
      return false;
    }
  }

  return {
    hash: async (password) => loadArgon2().hash(normalizePassword(password), options),
    verify: verifyHash,
    async verifyDummy(password) {
      dummyHash ??= loadArgon2().hash(
        'not a real password: only here to spend the same time',
        options,
      );
      const limited = isPasswordWithinLimits(password) ? password : password.slice(0, 64);
      await verifyHash(await dummyHash, limited);
      return false;
    },
    needsRehash(phcHash) {
      const match = PHC.exec(phcHash);
      if (!match) return true;
      const [, variant, , memory, time, lanes] = match;
      return (
        variant !== 'id' ||
        Number(memory) !== params.memoryCost ||
        Number(time) !== params.timeCost ||
        Number(lanes) !== params.parallelism
      );
    },
  };
}
