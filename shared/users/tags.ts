/**
 * Keyed tags of a normalized identifier (HMAC-SHA-256 with a secret from config), so an
 * identifier can be counted, remembered by a browser or correlated in logs without being
 * readable there. A bare hash would not do: anyone with a list of emails reverses it.
 */
import { createHmac } from 'node:crypto';

export interface IdentifierTags {
  /** Names the account in throttle counters and device cookies. */
  account(normalizedIdentifier: string): string;
  /** Names the account in log lines (`identifierTag`). */
  log(normalizedIdentifier: string): string;
}

export function createIdentifierTags(secret: string): IdentifierTags {
  const tag = (purpose: string, identifier: string, length: number) =>
    createHmac('sha256', secret)
      .update(`hlc-${purpose}|${identifier}`)
      .digest('base64url')
      .slice(0, length);
  return {
    account: (identifier) => tag('account', identifier, 22),
    log: (identifier) => tag('log', identifier, 16),
  };
}
