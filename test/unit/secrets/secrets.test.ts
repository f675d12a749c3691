/**
 * shared/secrets.ts: the secret's JSON, read strictly (a problem names the key, never a value),
 * and the cache that lets a rotation take effect without a redeploy and without a request
 * waiting for it.
 */
import { cachedSecrets, parseSecretString, type Secrets } from '../../../shared/secrets';
import { captureLogs } from '../support/logs';

const COOKIE = 'c'.repeat(32);
const logs = captureLogs();

function secrets(cookieSecret: string): Secrets {
  return {
    cookieSecret,
    cookieSecretPrevious: undefined,
    hydraAdminToken: undefined,
    passwordPepper: undefined,
    tokenHookApiKey: undefined,
  };
}

function reason(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as { reason?: string }).reason ?? String(error);
  }
  return 'no error';
}

describe('the secret string', () => {
  it('reads every key the contract names', () => {
    expect(
      parseSecretString(
        JSON.stringify({
          cookieSecret: COOKIE,
          cookieSecretPrevious: 'p'.repeat(32),
          hydraAdminToken: 'ory_pat_x',
          passwordPepper: 'pepper',
          tokenHookApiKey: 'k'.repeat(32),
        }),
      ),
    ).toEqual({
      cookieSecret: COOKIE,
      cookieSecretPrevious: 'p'.repeat(32),
      hydraAdminToken: 'ory_pat_x',
      passwordPepper: 'pepper',
      tokenHookApiKey: 'k'.repeat(32),
    });
  });

  it('needs only the cookie secret', () => {
    expect(parseSecretString(JSON.stringify({ cookieSecret: COOKIE }))).toEqual(secrets(COOKIE));
  });

  it.each([
    ['not JSON', 'cookieSecret=abc', 'the SecretString is not JSON'],
    ['a list', '[]', 'the SecretString is not a JSON object'],
    ['without the cookie secret', '{}', 'cookieSecret is missing'],
    [
      'with a short cookie secret',
      '{"cookieSecret":"short-value"}',
      'cookieSecret must be at least 32 characters',
    ],
    [
      'with a misspelt key',
      JSON.stringify({ cookieSecret: COOKIE, tokenHookKey: 'k'.repeat(32) }),
      'unknown keys tokenHookKey',
    ],
    [
      'with a number',
      JSON.stringify({ cookieSecret: COOKIE, passwordPepper: 7 }),
      'passwordPepper is not a string',
    ],
  ])('is refused %s, naming the problem and no value', (_name, text, expected) => {
    const found = reason(() => parseSecretString(text));

    expect(found).toBe(expected);
    expect(found).not.toContain('short-value');
  });
});

describe('the cache of the secrets', () => {
  function source(ttlMs = 1000) {
    let clock = 0;
    let value = 'first-'.padEnd(32, 'x');
    let failing = false;
    let reads = 0;
    const get = cachedSecrets(
      () => {
        reads += 1;
        return failing ? Promise.reject(new Error('unavailable')) : Promise.resolve(secrets(value));
      },
      ttlMs,
      () => clock,
    );
    return {
      get,
      reads: () => reads,
      advance: (ms: number) => (clock += ms),
      rotate: (next: string) => (value = next),
      fail: (now: boolean) => (failing = now),
    };
  }

  it('reads once while the copy is fresh', async () => {
    const cache = source();
    await cache.get();
    cache.advance(999);
    await cache.get();

    expect(cache.reads()).toBe(1);
  });

  it('shares one read between callers that come before it is done', async () => {
    const cache = source();
    await Promise.all([cache.get(), cache.get()]);

    expect(cache.reads()).toBe(1);
  });

  it('sees a rotation once the copy is stale, without making a request wait for it', async () => {
    const cache = source();
    await cache.get();
    cache.rotate('second-'.padEnd(32, 'x'));
    cache.advance(1000);

    // The stale copy at once, the new one read behind it…
    expect((await cache.get()).cookieSecret).toMatch(/^first-/);
    // …and used from the next request on.
    expect((await cache.get()).cookieSecret).toMatch(/^second-/);
    expect(cache.reads()).toBe(2);
  });

  it('keeps the old copy when reading again fails, and tries again on the next call', async () => {
    const cache = source();
    await cache.get();
    cache.advance(1000);
    cache.fail(true);

    expect((await cache.get()).cookieSecret).toMatch(/^first-/);
    await Promise.resolve();
    expect((await cache.get()).cookieSecret).toMatch(/^first-/);
    expect(cache.reads()).toBe(3);
    expect(logs.lines.some((line) => line.includes('could not read them again'))).toBe(true);
  });

  it('fails a caller only when there is no copy yet, and reads again on the next call', async () => {
    const cache = source();
    cache.fail(true);
    await expect(cache.get()).rejects.toThrow('unavailable');

    cache.fail(false);
    await expect(cache.get()).resolves.toEqual(secrets('first-'.padEnd(32, 'x')));
    expect(cache.reads()).toBe(2);
  });
});
