/**
 * Recovery codes: 10 single-use codes of 10 characters from an alphabet without look-alikes
 * (about 50 bits each), shown once as `XXXXX-XXXXX`, typed in any case with or without the dash
 * and spaces.
 */
import { randomInt } from 'node:crypto';

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const LENGTH = 10;

/** A new set of codes, as the user is shown them. */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const characters = Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]);
    return `${characters.slice(0, 5).join('')}-${characters.slice(5).join('')}`;
  });
}

/** A code as typed, in the one form it is tagged in; undefined when it cannot be one. */
export function normalizeRecoveryCode(typed: string): string | undefined {
  const code = typed.replace(/[\s-]/g, '').toUpperCase();
  if (code.length !== LENGTH || [...code].some((character) => !ALPHABET.includes(character))) {
    return undefined;
  }
  return code;
}
