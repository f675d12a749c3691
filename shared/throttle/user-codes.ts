/**
 * Throttling of device user codes (RFC 8628 §5.1: the user code is short, so guessing it is the
 * attack). Every code a browser submits is counted before Hydra is asked, in fixed windows:
 *
 *   - per source IP: one address cannot try many codes, whatever challenges it holds;
 *   - per device challenge: one code-entry page cannot be used to try many codes. (A guesser
 *     can fetch new challenges from Hydra, which is why the per-IP limit is the one that holds.)
 *
 * Each counter is raised below its limit in one atomic step, and an attempt refused by one limit
 * counts against no other (shared/throttle/throttle.ts). A code Hydra accepts gives its attempt
 * back, so the counters count failures. The challenge is in a key only as its SHA-256 digest.
 */
import { createHash } from 'node:crypto';
import { throttleCounterKey } from '../users/table';
import {
  countAttempt,
  counterWindow,
  settleAttempt,
  type Counter,
  type ThrottleCounters,
} from './throttle';

export interface UserCodeThrottleSettings {
  windowSeconds: number;
  /** Codes tried from one source IP per window (failures: accepted codes are given back). */
  maxPerIp: number;
  /** Codes tried for one device challenge per window. */
  maxPerChallenge: number;
}

export interface UserCodeAttempt {
  /** API Gateway's source IP; never a header the client controls. */
  ip: string | undefined;
  challenge: string;
}

export type UserCodeLimit = 'ip' | 'challenge';

export type UserCodeDecision =
  { allowed: true } | { allowed: false; retryAfterSeconds: number; limitedBy: UserCodeLimit };

export interface UserCodeThrottle {
  attempt(attempt: UserCodeAttempt): Promise<UserCodeDecision>;
  /** Hydra accepted the code: the attempt is given back. */
  succeeded(attempt: UserCodeAttempt): Promise<void>;
}

const digest = (challenge: string) => createHash('sha256').update(challenge).digest('base64url');

export function createUserCodeThrottle(
  store: ThrottleCounters,
  settings: UserCodeThrottleSettings,
  now: () => number = () => Date.now(),
): UserCodeThrottle {
  function countersFor(attempt: UserCodeAttempt, start: number): Counter<UserCodeLimit>[] {
    return [
      {
        limitedBy: 'ip',
        key: throttleCounterKey('code-ip', start, attempt.ip ?? 'unknown'),
        limit: settings.maxPerIp,
        own: false,
      },
      {
        limitedBy: 'challenge',
        key: throttleCounterKey('code-challenge', start, digest(attempt.challenge)),
        limit: settings.maxPerChallenge,
        own: false,
      },
    ];
  }

  return {
    async attempt(attempt) {
      const window = counterWindow(settings.windowSeconds, now());
      return countAttempt(store, countersFor(attempt, window.start), window);
    },
    async succeeded(attempt) {
      const window = counterWindow(settings.windowSeconds, now());
      await settleAttempt(store, countersFor(attempt, window.start), window);
    },
  };
}
