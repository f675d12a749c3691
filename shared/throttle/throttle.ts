/**
 * Sign-in throttling: fixed time windows per account and per source IP. Every attempt adds one
 * to both counters atomically *before* any password work; the answer says whether this attempt
 * is over a limit. A successful sign-in clears the account counter and gives back its IP count,
 * so the counters count failures (plus attempts in flight). Windows end on their own: an
 * attacker can slow a victim's sign-in down, never lock it out for good. The window's expiry is
 * in the key and checked by the code; DynamoDB TTL only cleans up old counters.
 */
import { createHash } from 'node:crypto';

export interface ThrottleSettings {
  windowSeconds: number;
  maxPerAccount: number;
  maxPerIp: number;
}

export interface ThrottleKeys {
  /** A hash of the normalized identifier, whether or not such a user exists. */
  account: string;
  ip: string | undefined;
}

export type ThrottleDecision =
  { allowed: true } | { allowed: false; retryAfterSeconds: number; limitedBy: 'account' | 'ip' };

/** The storage side: atomic counters in a window. */
export interface ThrottleCounters {
  /** Adds `by` to the counter and returns its new value. */
  add(key: string, by: number, expiresAtSeconds: number): Promise<number>;
  clear(key: string): Promise<void>;
}

export function throttleKeys(normalizedIdentifier: string, ip: string | undefined): ThrottleKeys {
  const account = createHash('sha256')
    .update(`hlc-throttle|${normalizedIdentifier}`)
    .digest('base64url');
  return { account, ip };
}

function windowOf(settings: ThrottleSettings, nowSeconds: number) {
  const start = Math.floor(nowSeconds / settings.windowSeconds) * settings.windowSeconds;
  return { start, end: start + settings.windowSeconds };
}

export interface LoginThrottle {
  attempt(keys: ThrottleKeys): Promise<ThrottleDecision>;
  succeeded(keys: ThrottleKeys): Promise<void>;
}

export function createLoginThrottle(
  counters: ThrottleCounters,
  settings: ThrottleSettings,
  now: () => number = () => Date.now(),
): LoginThrottle {
  const keysIn = (keys: ThrottleKeys, start: number) => ({
    account: `throttle#account#${keys.account}#${start}`,
    ip: keys.ip ? `throttle#ip#${keys.ip}#${start}` : undefined,
  });
  return {
    async attempt(keys) {
      const nowSeconds = Math.floor(now() / 1000);
      const window = windowOf(settings, nowSeconds);
      const counterKeys = keysIn(keys, window.start);
      const expiresAt = window.end + settings.windowSeconds;
      const [accountCount, ipCount] = await Promise.all([
        counters.add(counterKeys.account, 1, expiresAt),
        counterKeys.ip ? counters.add(counterKeys.ip, 1, expiresAt) : Promise.resolve(0),
      ]);
      const retryAfterSeconds = Math.max(1, window.end - nowSeconds);
      if (accountCount > settings.maxPerAccount) {
        return { allowed: false, retryAfterSeconds, limitedBy: 'account' };
      }
      if (ipCount > settings.maxPerIp)
        return { allowed: false, retryAfterSeconds, limitedBy: 'ip' };
      return { allowed: true };
    },
    async succeeded(keys) {
      const nowSeconds = Math.floor(now() / 1000);
      const window = windowOf(settings, nowSeconds);
      const counterKeys = keysIn(keys, window.start);
      await Promise.all([
        counters.clear(counterKeys.account),
        counterKeys.ip
          ? counters.add(counterKeys.ip, -1, window.end + settings.windowSeconds)
          : Promise.resolve(0),
      ]);
    },
  };
}
