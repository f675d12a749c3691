/**
 * A shared secret in a request header, for machine callers (Hydra's token hook). Compared in
 * constant time: both sides are hashed first, so the comparison neither depends on where they
 * differ nor on their lengths. Without a configured key nothing is let through.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { ConfigError } from '../config';
import { HttpError } from './errors';

/** The header Hydra's `oauth2.token_hook.auth` (api_key, in: header) is configured to send. */
export const TOKEN_HOOK_KEY_HEADER = 'x-token-hook-key';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

export function sameSecret(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/**
 * Refuses (401) a request without the expected key in `header` (a lower-case name). No key
 * configured (`variable` unset) is a misconfiguration: every call is refused (500), never let in.
 */
export function requireApiKey(
  headers: Record<string, string>,
  header: string,
  expected: string | undefined,
  variable: string,
): void {
  if (expected === undefined) {
    throw new ConfigError(variable, 'is not set: every call is refused');
  }
  const presented = headers[header];
  if (presented === undefined || !sameSecret(presented, expected)) {
    throw new HttpError(401, {
      title: { key: 'error.unauthorized.title' },
      message: { key: 'error.unauthorized.message', params: { header } },
    });
  }
}
