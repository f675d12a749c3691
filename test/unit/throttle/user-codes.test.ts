import { createUserCodeThrottle } from '../../../shared/throttle/user-codes';
import { throttleCounterPrefix } from '../../../shared/users/table';
import { InMemoryCounters } from '../support/fakes';

const WINDOW = 900;
const START = Date.parse('2024-05-01T10:00:00Z');
const CHALLENGE = 'a-device-challenge-that-must-never-be-stored-0123456789';

function setup(limits: { maxPerIp?: number; maxPerChallenge?: number } = {}) {
  const counters = new InMemoryCounters();
  let now = START + 60_000;
  const throttle = createUserCodeThrottle(
    counters,
    { windowSeconds: WINDOW, maxPerIp: 4, maxPerChallenge: 2, ...limits },
    () => now,
  );
  return { counters, throttle, setNow: (value: number) => (now = value) };
}

const attempt = (ip = '203.0.113.7', challenge = CHALLENGE) => ({ ip, challenge });

describe('createUserCodeThrottle', () => {
  it('counts each code once per source IP and once per challenge, in the window of now', async () => {
    const { counters, throttle } = setup();

    expect(await throttle.attempt(attempt())).toEqual({ allowed: true });

    expect(counters.countOf('code-ip')).toBe(1);
    expect(counters.countOf('code-challenge')).toBe(1);
    const keys = [...counters.counts.keys()];
    expect(keys).toContain(`${throttleCounterPrefix('code-ip')}${START / 1000}#203.0.113.7`);
  });

  it('keys a challenge by its SHA-256 digest, never the challenge itself', async () => {
    const { counters, throttle } = setup();

    await throttle.attempt(attempt());

    const key = [...counters.counts.keys()].find((name) =>
      name.startsWith(throttleCounterPrefix('code-challenge')),
    );
    expect(key).toMatch(/#[A-Za-z0-9_-]{43}$/);
    expect(key).not.toContain(CHALLENGE);
  });

  it('refuses over the per-challenge limit, with the rest of the window, and gives the IP its attempt back', async () => {
    const { counters, throttle } = setup();
    await throttle.attempt(attempt());
    await throttle.attempt(attempt());

    const decision = await throttle.attempt(attempt());

    expect(decision).toEqual({
      allowed: false,
      limitedBy: 'challenge',
      retryAfterSeconds: WINDOW - 60,
    });
    expect(counters.countOf('code-ip')).toBe(2);
  });

  it('refuses over the per-IP limit across challenges', async () => {
    const { throttle } = setup();
    for (const challenge of ['c-1', 'c-2', 'c-3', 'c-4']) {
      expect(await throttle.attempt(attempt('198.51.100.1', challenge))).toEqual({ allowed: true });
    }

    expect(await throttle.attempt(attempt('198.51.100.1', 'c-5'))).toMatchObject({
      allowed: false,
      limitedBy: 'ip',
    });
    expect(await throttle.attempt(attempt('198.51.100.2', 'c-5'))).toEqual({ allowed: true });
  });

  it('gives an accepted code back to both counters', async () => {
    const { counters, throttle } = setup();
    await throttle.attempt(attempt());

    await throttle.succeeded(attempt());

    expect(counters.countOf('code-ip')).toBe(0);
    expect(counters.countOf('code-challenge')).toBe(0);
  });

  it('starts again in the next window', async () => {
    const { throttle, setNow } = setup({ maxPerChallenge: 1 });
    await throttle.attempt(attempt());
    expect(await throttle.attempt(attempt())).toMatchObject({ allowed: false });

    setNow(START + WINDOW * 1000);

    expect(await throttle.attempt(attempt())).toEqual({ allowed: true });
  });

  it('fails closed when a counter cannot be written', async () => {
    const { counters, throttle } = setup();
    counters.failing = new Error('the counter store is unavailable');

    await expect(throttle.attempt(attempt())).rejects.toThrow('unavailable');
  });
});
