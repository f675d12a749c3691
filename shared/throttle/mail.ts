/**
 * Throttling of the forms that send mail (forgot password, sign-up, the verification step): per
 * address asked for (a keyed tag of it, whether or not it has an account, so a refusal tells
 * nothing about one) and per source IP, in fixed windows, each counter raised below its limit in
 * one atomic step (shared/throttle/throttle.ts). Every request counts: a mail is the cost.
 */
import { throttleCounterKey } from '../users/table';
import { countAttempt, counterWindow, type Counter, type ThrottleCounters } from './throttle';

export interface MailThrottleSettings {
  windowSeconds: number;
  maxPerAddress: number;
  maxPerIp: number;
}

export interface MailAttempt {
  /** A keyed tag of the normalized address (shared/users/tags.ts). */
  address: string;
  /** API Gateway's source IP; never a header the client controls. */
  ip: string | undefined;
}

export type MailLimit = 'address' | 'ip';

export type MailDecision =
  { allowed: true } | { allowed: false; retryAfterSeconds: number; limitedBy: MailLimit };

export interface MailThrottle {
  attempt(attempt: MailAttempt): Promise<MailDecision>;
}

export function createMailThrottle(
  store: ThrottleCounters,
  settings: MailThrottleSettings,
  now: () => number = () => Date.now(),
): MailThrottle {
  return {
    async attempt(attempt) {
      const window = counterWindow(settings.windowSeconds, now());
      const counters: Counter<MailLimit>[] = [
        {
          limitedBy: 'address',
          key: throttleCounterKey('mail-address', window.start, attempt.address),
          limit: settings.maxPerAddress,
          own: false,
        },
        {
          limitedBy: 'ip',
          key: throttleCounterKey('mail-ip', window.start, attempt.ip ?? 'unknown'),
          limit: settings.maxPerIp,
          own: false,
        },
      ];
      return countAttempt(store, counters, window);
    },
  };
}
