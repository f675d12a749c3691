/**
 * Password rules: NFKC-normalized when set and when verified (so the same passphrase typed on
 * another keyboard matches), never trimmed or truncated, no composition rules. A very long
 * password is refused before hashing: it would be a CPU attack, not a password.
 */
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 256;
export const MAX_PASSWORD_BYTES = 1024;

export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

export function isPasswordWithinLimits(password: string): boolean {
  return (
    password.length <= MAX_PASSWORD_LENGTH &&
    Buffer.byteLength(password, 'utf8') <= MAX_PASSWORD_BYTES
  );
}

/** Why a new password cannot be set, or undefined when it can. */
export function newPasswordProblem(password: string): string | undefined {
  const normalized = normalizePassword(password);
  if ([...normalized].length < MIN_PASSWORD_LENGTH) {
    return `the password must have at least ${MIN_PASSWORD_LENGTH} characters`;
  }
  if (!isPasswordWithinLimits(normalized)) {
    return `the password must have at most ${MAX_PASSWORD_LENGTH} characters (${MAX_PASSWORD_BYTES} bytes)`;
  }
  return undefined;
}
