/**
 * The password policy, one for setting and for signing in. Passwords are NFKC-normalized when
 * set and when verified (so the same passphrase typed on another keyboard matches), never
 * trimmed or truncated, no composition rules.
 *
 * Length: 8 to 256 characters, where a character is a UTF-16 code unit: what `String.length`
 * counts and what a browser's `maxlength`/`minlength` count, so the sign-in form's
 * `maxlength="256"` lets through exactly the passwords the policy allows. A character outside
 * the Basic Multilingual Plane (most emoji) counts as two. At most 1 KiB of UTF-8 as well (256
 * code units never need more than 768 bytes; the byte cap stays as the explicit bound on what
 * is hashed: a huge password is a CPU attack, not a password).
 *
 * The limits hold for the password as typed AND after NFKC, which can shrink it ("e" + U+0301
 * becomes "é") or grow it (U+FDFA becomes 18 characters): a password counts as long enough only
 * when both forms are, and as short enough only when both forms are. So nothing can be set that
 * sign-in or the form would refuse.
 */
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 256;
export const MAX_PASSWORD_BYTES = 1024;

export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

function withinMaximum(form: string): boolean {
  return (
    form.length <= MAX_PASSWORD_LENGTH && Buffer.byteLength(form, 'utf8') <= MAX_PASSWORD_BYTES
  );
}

/**
 * Whether sign-in takes the password to the hash at all: the typed form and its NFKC form both
 * within the maximum (the typed form is checked first, so a huge input is never normalized).
 * The minimum is a rule for new passwords only: a shorter one simply never matches.
 */
export function isPasswordWithinLimits(password: string): boolean {
  return withinMaximum(password) && withinMaximum(normalizePassword(password));
}

/** Why a new password cannot be set, or undefined when it can. */
export function newPasswordProblem(password: string): string | undefined {
  if (!isPasswordWithinLimits(password)) {
    return `the password must have at most ${MAX_PASSWORD_LENGTH} characters (${MAX_PASSWORD_BYTES} bytes), as typed and after NFKC normalization`;
  }
  const normalized = normalizePassword(password);
  if (password.length < MIN_PASSWORD_LENGTH || normalized.length < MIN_PASSWORD_LENGTH) {
    return `the password must have at least ${MIN_PASSWORD_LENGTH} characters, as typed and after NFKC normalization`;
  }
  return undefined;
}
