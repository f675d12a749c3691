import { createLoginThrottle, throttleKeys } from '../../../shared/throttle/throttle';
import { InMemoryCounters } from '../support/fakes';

const WINDOW = 900;
const START = Date.parse('2024-05-01T10:00:00Z');

function setup(limits: { maxPerAccount?: number; maxPerIp?: number } = {}) {
  const counters = new InMemoryCounters();
  let now = START + 60_000;
  const throttle = createLoginThrottle(
    counters,
    {
      windowSeconds: WINDOW,
      maxPerAccount: limits.maxPerAccount ?? 3,
      maxPerIp: limits.maxPerIp ?? 5,
    },
    () => now,
  );
  return {
    counters,
    throttle,
    setNow: (value: number) => {
      now = value;
    },
  };
}

const alice = throttleKeys('alice@example.com', '203.0.113.7');

describe('throttleKeys', () => {
  it('keys the account on a hash, never on the identifier itself', () => {
    expect(alice.account).not.toContain('alice');
    expect(alice.account).toBe(throttleKeys('alice@example.com', undefined).account);
    expect(alice.account).not.toBe(throttleKeys('bob@example.com', undefined).account);
  });
});

describe('createLoginThrottle', () => {
  it('counts every attempt per account and per IP', async () => {
    const { counters, throttle } = setup();

    await throttle.attempt(alice);
    await throttle.attempt(alice);

    expect(counters.countOf('throttle#account#')).toBe(2);
    expect(counters.countOf('throttle#ip#203.0.113.7#')).toBe(2);
  });

  it('allows attempts up to the account limit, then refuses with the rest of the window', async () => {
    const { throttle } = setup({ maxPerAccount: 3 });

    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(await throttle.attempt(alice)).toEqual({ allowed: true });
    }

    // One minute into a 15-minute window: 14 minutes left.
    expect(await throttle.attempt(alice)).toEqual({
      allowed: false,
      retryAfterSeconds: 840,
      limitedBy: 'account',
    });
  });

  it('refuses an IP over its limit across different accounts', async () => {
    const { throttle } = setup({ maxPerAccount: 100, maxPerIp: 2 });
    await throttle.attempt(throttleKeys('one@example.com', '203.0.113.7'));
    await throttle.attempt(throttleKeys('two@example.com', '203.0.113.7'));

    expect(await throttle.attempt(throttleKeys('three@example.com', '203.0.113.7'))).toMatchObject({
      allowed: false,
      limitedBy: 'ip',
    });
    expect(await throttle.attempt(throttleKeys('three@example.com', '198.51.100.9'))).toEqual({
      allowed: true,
    });
  });

  it('counts no IP when the source IP is unknown', async () => {
    const { counters, throttle } = setup();

    await throttle.attempt(throttleKeys('alice@example.com', undefined));

    expect([...counters.counts.keys()].some((key) => key.startsWith('throttle#ip#'))).toBe(false);
  });

  it('starts afresh in a new window', async () => {
    const { throttle, setNow } = setup({ maxPerAccount: 1 });
    await throttle.attempt(alice);
    expect(await throttle.attempt(alice)).toMatchObject({ allowed: false });

    setNow(START + WINDOW * 1000);

    expect(await throttle.attempt(alice)).toEqual({ allowed: true });
  });

  it('asks for at least one second even at the very end of a window', async () => {
    const { throttle, setNow } = setup({ maxPerAccount: 1 });
    setNow(START + WINDOW * 1000 - 1);
    await throttle.attempt(alice);

    expect(await throttle.attempt(alice)).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
  });

  it('lets counters expire one window after their own', async () => {
    const { counters, throttle } = setup();

    await throttle.attempt(alice);

    const [expiresAt] = [...counters.expiresAt.values()];
    expect(expiresAt).toBe(START / 1000 + 2 * WINDOW);
  });

  it('clears the account counter and gives back the IP count after a success', async () => {
    const { counters, throttle } = setup({ maxPerAccount: 2 });
    await throttle.attempt(alice);
    await throttle.attempt(alice);

    await throttle.succeeded(alice);

    expect(counters.countOf('throttle#account#')).toBe(0);
    expect(counters.countOf('throttle#ip#')).toBe(1);
    expect(await throttle.attempt(alice)).toEqual({ allowed: true });
  });
});
