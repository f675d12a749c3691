/**
 * Sign-in throttling that stops guessing without handing attackers a lockout (OWASP "device
 * cookies"). Failures are counted in fixed time windows:
 *
 *   - per (account, source IP): a guesser on one address gets `maxPerAccount` tries at an account;
 *   - per source IP: one address cannot spread its guesses over many accounts;
 *   - per account, from unknown devices (`maxPerAccountTotal`): a ceiling for guessers spread
 *     over many addresses; when it is reached, new devices wait for the window to end;
 *   - per (account, known device): a browser that signed in to this account before (a signed
 *     device cookie, see shared/http/device-cookie.ts) counts only against its own allowance,
 *     so failures it did not make never refuse its correct password.
 *
 * Each counter is raised with a conditional atomic write *below its limit*: an attempt that is
 * refused by one limit is given back to the others, so it counts against none of them. Counting
 * happens before any password work; a successful sign-in clears its own (account, source)
 * counter and gives its attempt back to the shared ones, so the counters count failures. The
 * window's end is in the key and checked by the code; DynamoDB TTL only cleans up old counters.
 */
import { randomBytes } from 'node:crypto';
import { throttleCounterKey, type ThrottleCounterKind } from '../users/table';

export interface ThrottleSettings {
  windowSeconds: number;
  /** Failures per account from one source IP, or from one known device, per window. */
  maxPerAccount: number;
  /** Failures per source IP, over all accounts, per window. */
  maxPerIp: number;
  /** Failures per account from unknown devices, over all sources, per window. */
  maxPerAccountTotal: number;
}

/** A browser that signed in before, as its device cookie tells (shared/http/device-cookie.ts). */
export interface KnownDevice {
  id: string;
  /** Account tags (shared/users/tags.ts) signed in to from this browser, the most recent first. */
  accounts: string[];
}

/** How many accounts one browser is remembered for. */
export const MAX_DEVICE_ACCOUNTS = 3;

/** The device after a sign-in to `account`: that account first, a new id for a new browser. */
export function withAccount(device: KnownDevice | undefined, account: string): KnownDevice {
  const id = device?.id ?? randomBytes(16).toString('base64url');
  const others = (device?.accounts ?? []).filter((tag) => tag !== account);
  return { id, accounts: [account, ...others].slice(0, MAX_DEVICE_ACCOUNTS) };
}

export interface ThrottleKeys {
  /** A keyed tag of the normalized identifier, whether or not such a user exists. */
  account: string;
  /** API Gateway's source IP; never a header the client controls. */
  ip: string | undefined;
  /** The id of a device cookie that has signed in to this account before, if any. */
  knownDevice: string | undefined;
}

/**
 * The keys of a guess at the account tagged `account` from `ip`: this browser's own allowance
 * when its device cookie has signed in to that account before.
 */
export function throttleKeys(
  account: string,
  ip: string | undefined,
  device: KnownDevice | undefined,
): ThrottleKeys {
  return { account, ip, knownDevice: device?.accounts.includes(account) ? device.id : undefined };
}

export type ThrottleLimit = 'account' | 'ip' | 'account-total' | 'device';

export type ThrottleDecision =
  { allowed: true } | { allowed: false; retryAfterSeconds: number; limitedBy: ThrottleLimit };

/** The storage side: atomic counters in a window. */
export interface ThrottleCounters {
  /**
   * Adds one to the counter if it is below `limit`; says whether it did. The check and the
   * add are one atomic step, so racing attempts never pass the limit together.
   */
  addBelow(key: string, limit: number, expiresAtSeconds: number): Promise<boolean>;
  /** Adds `by` (negative to give an attempt back) without a limit. */
  add(key: string, by: number, expiresAtSeconds: number): Promise<void>;
  clear(key: string): Promise<void>;
}

/** One counter an attempt is counted against. */
export interface Counter<Limit extends string = ThrottleLimit> {
  limitedBy: Limit;
  key: string;
  limit: number;
  /** Cleared on success (this source's own counter), else given back by one. */
  own: boolean;
}

export interface LoginThrottle {
  attempt(keys: ThrottleKeys): Promise<ThrottleDecision>;
  succeeded(keys: ThrottleKeys): Promise<void>;
}

/** The fixed window `now` falls in: its start (in the keys), its end, when its counters expire. */
export interface CounterWindow {
  nowSeconds: number;
  start: number;
  end: number;
  expiresAt: number;
}

export function counterWindow(windowSeconds: number, nowMs: number): CounterWindow {
  const nowSeconds = Math.floor(nowMs / 1000);
  const start = Math.floor(nowSeconds / windowSeconds) * windowSeconds;
  const end = start + windowSeconds;
  return { nowSeconds, start, end, expiresAt: end + windowSeconds };
}

async function giveBack(
  store: ThrottleCounters,
  counters: Counter<string>[],
  expiresAt: number,
): Promise<void> {
  await Promise.all(counters.map((counter) => store.add(counter.key, -1, expiresAt)));
}

/**
 * Counts one attempt against every counter, each below its limit; an attempt refused by one is
 * given back to the others, so it counts against none of them. A counter that cannot be written
 * fails the attempt (closed), after what was counted is given back if it can be.
 */
export async function countAttempt<Limit extends string>(
  store: ThrottleCounters,
  counters: Counter<Limit>[],
  window: CounterWindow,
): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number; limitedBy: Limit }> {
  const { nowSeconds, end, expiresAt } = window;
  const results = await Promise.allSettled(
    counters.map((counter) => store.addBelow(counter.key, counter.limit, expiresAt)),
  );
  const counted = counters.filter((_, index) => {
    const result = results[index];
    return result?.status === 'fulfilled' && result.value;
  });
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) {
    // Fail closed (no counter, no sign-in); what was counted is given back if it can be.
    await giveBack(store, counted, expiresAt).catch(() => undefined);
    throw failure.reason;
  }
  const refused = counters.find((_, index) => {
    const result = results[index];
    return result?.status === 'fulfilled' && !result.value;
  });
  if (refused) {
    // Counts against no other limit.
    await giveBack(store, counted, expiresAt);
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, end - nowSeconds),
      limitedBy: refused.limitedBy,
    };
  }
  return { allowed: true };
}

/** After a success: its own counters are cleared, the shared ones get its attempt back. */
export async function settleAttempt(
  store: ThrottleCounters,
  counters: Counter<string>[],
  window: CounterWindow,
): Promise<void> {
  await Promise.all(
    counters.map((counter) =>
      counter.own ? store.clear(counter.key) : store.add(counter.key, -1, window.expiresAt),
    ),
  );
}

/** The kinds of counter (key prefixes) of one throttle: what it counts is counted apart. */
export interface CounterKinds {
  source: ThrottleCounterKind;
  ip: ThrottleCounterKind;
  account: ThrottleCounterKind;
  device: ThrottleCounterKind;
}

/** Passwords. */
export const PASSWORD_COUNTERS: CounterKinds = {
  source: 'source',
  ip: 'ip',
  account: 'account',
  device: 'device',
};

/** Second-factor codes (TOTP, recovery codes): the same rules as passwords, counted apart. */
export const SECOND_FACTOR_COUNTERS: CounterKinds = {
  source: 'factor-source',
  ip: 'factor-ip',
  account: 'factor-account',
  device: 'factor-device',
};

export function createLoginThrottle(
  store: ThrottleCounters,
  settings: ThrottleSettings,
  now: () => number = () => Date.now(),
  kinds: CounterKinds = PASSWORD_COUNTERS,
): LoginThrottle {
  function countersFor(keys: ThrottleKeys, start: number): Counter[] {
    const key = (kind: keyof CounterKinds, ...parts: string[]) =>
      throttleCounterKey(kinds[kind], start, ...parts);
    if (keys.knownDevice !== undefined) {
      return [
        {
          limitedBy: 'device',
          key: key('device', keys.account, keys.knownDevice),
          limit: settings.maxPerAccount,
          own: true,
        },
      ];
    }
    const source = keys.ip ?? 'unknown';
    return [
      {
        limitedBy: 'account',
        key: key('source', keys.account, source),
        limit: settings.maxPerAccount,
        own: true,
      },
      ...(keys.ip === undefined
        ? []
        : [
            {
              limitedBy: 'ip' as const,
              key: key('ip', keys.ip),
              limit: settings.maxPerIp,
              own: false,
            },
          ]),
      {
        limitedBy: 'account-total',
        key: key('account', keys.account),
        limit: settings.maxPerAccountTotal,
        own: false,
      },
    ];
  }

  return {
    async attempt(keys) {
      const window = counterWindow(settings.windowSeconds, now());
      return countAttempt(store, countersFor(keys, window.start), window);
    },

    async succeeded(keys) {
      const window = counterWindow(settings.windowSeconds, now());
      await settleAttempt(store, countersFor(keys, window.start), window);
    },
  };
}
