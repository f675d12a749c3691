/**
 * The one password policy: what can be set can be signed in with. Examples at the edges, then
 * properties over strings built to cross them (characters NFKC shrinks or grows, characters
 * outside the BMP, lone surrogates), and through the real argon2 hasher at a low cost.
 */
import fc from 'fast-check';
import { createPasswordHasher } from '../../../shared/users/password';
import {
  isPasswordWithinLimits,
  MAX_PASSWORD_BYTES,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  newPasswordProblem,
  normalizePassword,
} from '../../../shared/users/password-policy';
import { codePoint } from '../support/code-points';

const COMBINING_ACUTE = '\u0301';
/** ARABIC LIGATURE SALLALLAHOU ALAYHE WASALLAM: 1 character, 18 after NFKC. */
const FDFA = '\uFDFA';
const EMOJI = '\u{1F600}';

const accepted = (password: string) => newPasswordProblem(password) === undefined;

describe('the password policy at its edges', () => {
  it.each([
    ['8 ASCII characters', 'a'.repeat(8)],
    ['256 ASCII characters', 'a'.repeat(256)],
    ['spaces inside and around (never trimmed)', '  pass phrase  '],
    ['"e" + U+0301 ×8 (16 typed, 8 after NFKC)', `e${COMBINING_ACUTE}`.repeat(8)],
    ['U+FDFA ×8 (8 typed, 144 after NFKC)', FDFA.repeat(8)],
    ['128 emoji (256 UTF-16 code units)', EMOJI.repeat(128)],
    ['4 emoji (8 UTF-16 code units)', EMOJI.repeat(4)],
  ])('accepts %s', (_label, password) => {
    expect(newPasswordProblem(password)).toBeUndefined();
    expect(isPasswordWithinLimits(password)).toBe(true);
  });

  it.each([
    ['7 ASCII characters', 'a'.repeat(7), /at least 8/],
    ['257 ASCII characters', 'a'.repeat(257), /at most 256/],
    // 260 characters typed (130 after NFKC): the sign-in cap on the typed form refuses it.
    ['"e" + U+0301 ×130 (260 typed, 130 after NFKC)', `e${COMBINING_ACUTE}`.repeat(130), /at most/],
    // 1 character typed (18 after NFKC): too short as typed.
    ['U+FDFA (1 typed, 18 after NFKC)', FDFA, /at least 8/],
    ['"e" + U+0301 ×4 (8 typed, 4 after NFKC)', `e${COMBINING_ACUTE}`.repeat(4), /at least 8/],
    ['U+FDFA ×15 (15 typed, 270 after NFKC)', FDFA.repeat(15), /at most/],
    ['129 emoji (258 UTF-16 code units)', EMOJI.repeat(129), /at most/],
    ['3 emoji and a letter (7 UTF-16 code units)', `${EMOJI.repeat(3)}a`, /at least 8/],
    ['the empty string', '', /at least 8/],
  ])('refuses %s', (_label, password, problem) => {
    expect(newPasswordProblem(password)).toMatch(problem);
  });

  it('caps sign-in on the typed form and on the NFKC form alike', () => {
    expect(isPasswordWithinLimits(`e${COMBINING_ACUTE}`.repeat(130))).toBe(false);
    expect(isPasswordWithinLimits(FDFA.repeat(15))).toBe(false);
    expect(isPasswordWithinLimits('a'.repeat(257))).toBe(false);
    expect(isPasswordWithinLimits('a'.repeat(256))).toBe(true);
  });

  it('leaves the minimum to new passwords: sign-in takes a short password to the (failing) verify', () => {
    expect(isPasswordWithinLimits('short')).toBe(true);
    expect(isPasswordWithinLimits('')).toBe(true);
  });
});

/** One character at a time: ASCII, any code point, or one NFKC shrinks or grows. */
const character = fc.oneof(
  { arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }), weight: 2 },
  { arbitrary: fc.string({ unit: codePoint, minLength: 1, maxLength: 1 }), weight: 1 },
  {
    arbitrary: fc.constantFrom(
      'e',
      COMBINING_ACUTE, // "e" + U+0301 → "é"
      FDFA, // 1 → 18
      '\uFB03', // ﬃ → ffi
      '\u3392', // ㎒ → MHz
      '\u2474', // ⑴ → (1)
      '\uFF21', // Ａ → A
      '\u1100\u1161', // Hangul jamo → 1 syllable
      '\u212B', // Å (Angstrom) → Å
      EMOJI, // 2 code units
      '\u{1D400}', // 𝐀 → A: 2 code units → 1
      '\uD800', // a lone surrogate
      '€', // 3 bytes
    ),
    weight: 2,
  },
);

const joined = (parts: fc.Arbitrary<string>, constraints: fc.ArrayConstraints) =>
  fc.array(parts, { ...constraints, size: 'max' }).map((characters) => characters.join(''));

/**
 * Strings across both limits, as typed and after NFKC: any mix of 0 to 300 such characters;
 * strings NFKC shrinks (100 to 200 pairs that become one character each); strings NFKC grows.
 */
const passwords = fc.oneof(
  joined(character, { maxLength: 300 }),
  joined(fc.constantFrom(`e${COMBINING_ACUTE}`, '\u1100\u1161', '\u{1D400}', 'a'), {
    minLength: 100,
    maxLength: 200,
  }),
  joined(fc.constantFrom(FDFA, '\uFB03', '\u2474', 'a'), { maxLength: 40 }),
);

describe('the password policy, for any string', () => {
  it('accepts to set only what sign-in accepts', () => {
    fc.assert(
      fc.property(passwords, (password) => {
        if (accepted(password)) expect(isPasswordWithinLimits(password)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts to set only what fits the form (maxlength counts UTF-16 code units) and is long enough both ways', () => {
    fc.assert(
      fc.property(passwords, (password) => {
        if (!accepted(password)) return;
        const normalized = normalizePassword(password);
        for (const form of [password, normalized]) {
          expect(form.length).toBeGreaterThanOrEqual(MIN_PASSWORD_LENGTH);
          expect(form.length).toBeLessThanOrEqual(MAX_PASSWORD_LENGTH);
          expect(Buffer.byteLength(form, 'utf8')).toBeLessThanOrEqual(MAX_PASSWORD_BYTES);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never lets sign-in hash more than the cap, whatever it is sent', () => {
    fc.assert(
      fc.property(fc.oneof(passwords, fc.string({ unit: codePoint, maxLength: 1000 })), (input) => {
        if (!isPasswordWithinLimits(input)) return;
        const hashed = normalizePassword(input);
        expect(hashed.length).toBeLessThanOrEqual(MAX_PASSWORD_LENGTH);
        expect(Buffer.byteLength(hashed, 'utf8')).toBeLessThanOrEqual(MAX_PASSWORD_BYTES);
      }),
      { numRuns: 2000 },
    );
  });

  it('finds both kinds of string (the properties above are not vacuous)', () => {
    const sample = fc.sample(passwords, { numRuns: 2000, seed: 42 });
    expect(sample.filter(accepted).length).toBeGreaterThan(100);
    expect(sample.filter((password) => !accepted(password)).length).toBeGreaterThan(100);
    // Some accepted strings are changed by NFKC, and some refused ones only by NFKC's growth.
    expect(sample.some((p) => accepted(p) && normalizePassword(p) !== p)).toBe(true);
    expect(sample.some((p) => p.length <= MAX_PASSWORD_LENGTH && !isPasswordWithinLimits(p))).toBe(
      true,
    );
  });
});

describe('a password that can be set signs in through the real hasher', () => {
  // argon2id at a low cost: the property is about the limits, not the hashing work.
  const hasher = createPasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });

  it('verifies against its own hash for any accepted string', async () => {
    await fc.assert(
      fc.asyncProperty(passwords.filter(accepted), async (password) => {
        expect(await hasher.verify(await hasher.hash(password), password)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it.each([
    ['"e" + U+0301 ×8', `e${COMBINING_ACUTE}`.repeat(8)],
    ['U+FDFA ×8', FDFA.repeat(8)],
    ['128 emoji', EMOJI.repeat(128)],
    ['256 ASCII characters', 'a'.repeat(256)],
  ])('verifies %s', async (_label, password) => {
    expect(accepted(password)).toBe(true);
    expect(await hasher.verify(await hasher.hash(password), password)).toBe(true);
  });
});
