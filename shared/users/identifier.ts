/** The login identifier: an email, normalized the same way when set and when looked up. */

export const MAX_IDENTIFIER_LENGTH = 254;

/** trim → NFKC → lower-case. */
export function normalizeIdentifier(raw: string): string {
  return raw.trim().normalize('NFKC').toLowerCase();
}

export type IdentifierCheck = { ok: true; identifier: string } | { ok: false; problem: string };

// One @, something on both sides, a dot in the domain, no spaces or control characters.
const EMAIL_SHAPE = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u;

export function checkIdentifier(raw: string): IdentifierCheck {
  const identifier = normalizeIdentifier(raw);
  if (identifier.length === 0) return { ok: false, problem: 'the email is empty' };
  if (identifier.length > MAX_IDENTIFIER_LENGTH) {
    return { ok: false, problem: `the email is longer than ${MAX_IDENTIFIER_LENGTH} characters` };
  }
  if (!EMAIL_SHAPE.test(identifier)) return { ok: false, problem: 'the email is not valid' };
  return { ok: true, identifier };
}
