/**
 * The real @node-rs/argon2, recording the size of every password it is given, so a test can
 * prove that an oversized input never reaches the hash. Install it before the code under test
 * is loaded (this project's jest transform does not hoist jest.mock, so load the handlers with
 * a dynamic import afterwards):
 *
 *   jest.mock('@node-rs/argon2', () => recordingArgon2());
 */
import type * as Argon2 from '@node-rs/argon2';

export interface Argon2Call {
  operation: 'hash' | 'verify';
  /** UTF-16 code units when given a string. */
  characters: number;
  bytes: number;
}

/** Every call made through the recording module, in order (clear it with `length = 0`). */
export const argon2Calls: Argon2Call[] = [];

function record(operation: Argon2Call['operation'], password: string | Uint8Array): void {
  argon2Calls.push({
    operation,
    characters: typeof password === 'string' ? password.length : password.byteLength,
    bytes: typeof password === 'string' ? Buffer.byteLength(password, 'utf8') : password.byteLength,
  });
}

export function recordingArgon2(): typeof Argon2 {
  const actual = jest.requireActual<typeof Argon2>('@node-rs/argon2');
  return {
    ...actual,
    hash: (password, options, signal) => {
      record('hash', password);
      return actual.hash(password, options, signal);
    },
    verify: (hashed, password, options, signal) => {
      record('verify', password);
      return actual.verify(hashed, password, options, signal);
    },
  };
}
