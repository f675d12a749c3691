import {
  createLoginThrottle,
  MAX_DEVICE_ACCOUNTS,
  withAccount,
  type LoginThrottle,
  type ThrottleDecision,
  type ThrottleKeys,
  type ThrottleSettings,
} from '../../../shared/throttle/throttle';
import { throttleCounterPrefix } from '../../../shared/users/table';
import { InMemoryCounters } from '../support/fakes';

const WINDOW = 900;
const START = Date.parse('2024-05-01T10:00:00Z');

/** Counters of which some fail, the way a DynamoDB write fails (after the SDK's retries). */
class FlakyCounters extends InMemoryCounters {
  failOn: ((key: string) => boolean) | undefined;

  override async addBelow(key: string, limit: number, expiresAt: number): Promise<boolean> {
    if (this.failOn?.(key)) throw new Error('the counter store is unavailable');
    return super.addBelow(key, limit, expiresAt);
  }
}

function setup(limits: Partial<ThrottleSettings> = {}) {
  const counters = new FlakyCounters();
  let now = START + 60_000;
  const settings: ThrottleSettings = {
    windowSeconds: WINDOW,
    maxPerAccount: 3,
    maxPerIp: 5,
    maxPerAccountTotal: 8,
    ...limits,
  };
  const throttle = createLoginThrottle(counters, settings, () => now);
  return {
    counters,
    throttle,
    /** Every counter by its kind (source, ip, account, device), summed. */
    byKind: () => {
      const sums: Record<string, number> = {};
      for (const [key, count] of counters.counts) {
        const kind = key.split('#')[1]!;
        if (count !== 0) sums[kind] = (sums[kind] ?? 0) + count;
      }
      return sums;
    },
    setNow: (value: number) => {
      now = value;
    },
  };
}

// Account tags as shared/users/tags.ts makes them (opaque here: the throttle never reads them).
const ALICE = 'aliceTagaliceTagalice0';
const BOB = 'bobTagbobTagbobTagbob0';
const IP_A = '203.0.113.7';
const IP_B = '198.51.100.9';
const DEVICE = 'deviceIddeviceIddevic0';

const from = (ip: string | undefined, account = ALICE): ThrottleKeys => ({
  account,
  ip,
  knownDevice: undefined,
});
const knownDevice = (device = DEVICE, account = ALICE, ip = IP_A): ThrottleKeys => ({
  account,
  ip,
  knownDevice: device,
});

/** `count` attempts one after the other, and what the throttle said to each. */
async function attempts(
  throttle: LoginThrottle,
  keys: ThrottleKeys,
  count: number,
): Promise<ThrottleDecision[]> {
  const decisions: ThrottleDecision[] = [];
  for (let i = 0; i < count; i++) decisions.push(await throttle.attempt(keys));
  return decisions;
}

describe('withAccount (what a device cookie remembers after a sign-in)', () => {
  it('gives a new browser a random id naming only the account it signed in to', () => {
    const first = withAccount(undefined, ALICE);
    const second = withAccount(undefined, ALICE);

    expect(first.accounts).toEqual([ALICE]);
    expect(first.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(second.id).not.toBe(first.id);
  });

  it('keeps the id of a known browser and puts the account signed in to first, once', () => {
    const device = { id: DEVICE, accounts: [BOB, ALICE] };

    expect(withAccount(device, ALICE)).toEqual({ id: DEVICE, accounts: [ALICE, BOB] });
  });

  it(`remembers only the ${MAX_DEVICE_ACCOUNTS} most recent accounts`, () => {
    const tags = Array.from({ length: MAX_DEVICE_ACCOUNTS + 2 }, (_, i) => `account-${i}`);
    let device = withAccount(undefined, tags[0]!);
    for (const tag of tags.slice(1)) device = withAccount(device, tag);

    expect(device.accounts).toEqual(tags.slice(-MAX_DEVICE_ACCOUNTS).reverse());
  });
});

describe('createLoginThrottle: unknown devices', () => {
  it('counts an attempt once against its (account, source), its source IP and the account total', async () => {
    const { throttle, byKind } = setup();

    await throttle.attempt(from(IP_A));
    await throttle.attempt(from(IP_A));

    expect(byKind()).toEqual({ source: 2, ip: 2, account: 2 });
  });

  it('allows maxPerAccount attempts from one source, then refuses for the rest of the window', async () => {
    const { throttle } = setup({ maxPerAccount: 3 });

    const allowed = await attempts(throttle, from(IP_A), 3);

    expect(allowed).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
    // One minute into a 15-minute window: 14 minutes left.
    expect(await throttle.attempt(from(IP_A))).toEqual({
      allowed: false,
      retryAfterSeconds: WINDOW - 60,
      limitedBy: 'account',
    });
  });

  it("an attacker's failures from another address never refuse the victim's correct password", async () => {
    const { throttle } = setup({ maxPerAccount: 10, maxPerIp: 100, maxPerAccountTotal: 50 });

    const attacker = await attempts(throttle, from(IP_A), 11);

    expect(attacker.at(-1)).toMatchObject({ allowed: false, limitedBy: 'account' });
    expect(await throttle.attempt(from(IP_B))).toEqual({ allowed: true });
  });

  it('an attempt refused by the per-account limit raises neither the IP nor the account total', async () => {
    const { throttle, byKind } = setup({ maxPerAccount: 2 });
    await attempts(throttle, from(IP_A), 2);

    const refused = await attempts(throttle, from(IP_A), 5);

    expect(refused.every((decision) => !decision.allowed)).toBe(true);
    expect(byKind()).toEqual({ source: 2, ip: 2, account: 2 });
  });

  it('refuses a source IP over its limit across different accounts, and only that IP', async () => {
    const { throttle } = setup({ maxPerAccount: 100, maxPerIp: 2 });
    await throttle.attempt(from(IP_A, 'one'));
    await throttle.attempt(from(IP_A, 'two'));

    expect(await throttle.attempt(from(IP_A, 'three'))).toMatchObject({
      allowed: false,
      limitedBy: 'ip',
    });
    expect(await throttle.attempt(from(IP_B, 'three'))).toEqual({ allowed: true });
  });

  it("an attempt refused by the per-IP limit does not raise the account's counters", async () => {
    const { throttle, counters } = setup({ maxPerIp: 2 });
    await throttle.attempt(from(IP_A, BOB));
    await throttle.attempt(from(IP_A, BOB));

    const refused = await throttle.attempt(from(IP_A, ALICE));

    expect(refused).toMatchObject({ allowed: false, limitedBy: 'ip' });
    const aliceCounters = [...counters.counts].filter(([key]) => key.includes(ALICE));
    expect(aliceCounters.every(([, count]) => count === 0)).toBe(true);
  });

  it('meets guessers spread over many addresses with the account-wide ceiling', async () => {
    const { throttle } = setup({ maxPerAccount: 3, maxPerAccountTotal: 8 });
    const addresses = Array.from({ length: 8 }, (_, i) => `192.0.2.${i + 1}`);
    for (const ip of addresses) expect(await throttle.attempt(from(ip))).toEqual({ allowed: true });

    expect(await throttle.attempt(from('192.0.2.200'))).toMatchObject({
      allowed: false,
      limitedBy: 'account-total',
    });
    // Another account is not slowed down by it.
    expect(await throttle.attempt(from('192.0.2.200', BOB))).toEqual({ allowed: true });
  });

  it("an attempt refused by the account-wide ceiling does not raise its source's or IP's counters", async () => {
    const { throttle, byKind } = setup({ maxPerAccountTotal: 2 });
    await throttle.attempt(from('192.0.2.1'));
    await throttle.attempt(from('192.0.2.2'));

    const refused = await attempts(throttle, from(IP_A), 3);

    expect(refused).toEqual(
      Array(3).fill(expect.objectContaining({ allowed: false, limitedBy: 'account-total' })),
    );
    expect(byKind()).toEqual({ source: 2, ip: 2, account: 2 });
  });

  it('counts no IP when the source IP is unknown, and such attempts share one source', async () => {
    const { throttle, counters } = setup({ maxPerAccount: 2 });

    await attempts(throttle, from(undefined), 2);

    expect(
      [...counters.counts.keys()].some((key) => key.startsWith(throttleCounterPrefix('ip'))),
    ).toBe(false);
    expect(await throttle.attempt(from(undefined))).toMatchObject({
      allowed: false,
      limitedBy: 'account',
    });
  });

  it('clears its own (account, source) counter after a success and gives one back to the shared ones', async () => {
    const { throttle, byKind } = setup({ maxPerAccount: 3 });
    await attempts(throttle, from(IP_A), 3);
    await throttle.attempt(from(IP_B));

    await throttle.succeeded(from(IP_A));

    // Left: the two failures from IP_A and the one from IP_B, in the shared counters.
    expect(byKind()).toEqual({ source: 1, ip: 3, account: 3 });
    expect(await attempts(throttle, from(IP_A), 3)).toEqual(Array(3).fill({ allowed: true }));
  });
});

describe('createLoginThrottle: a known device (its device cookie lists the account)', () => {
  it('a known device signs in even when the account-wide ceiling is reached', async () => {
    const { throttle } = setup({ maxPerAccountTotal: 2 });
    await throttle.attempt(from('192.0.2.1'));
    await throttle.attempt(from('192.0.2.2'));
    expect(await throttle.attempt(from(IP_A))).toMatchObject({ limitedBy: 'account-total' });

    expect(await throttle.attempt(knownDevice(DEVICE, ALICE, IP_A))).toEqual({ allowed: true });
  });

  it('is not refused because of what others did from its address', async () => {
    const { throttle } = setup({ maxPerIp: 2, maxPerAccount: 2 });
    await attempts(throttle, from(IP_A), 2);
    expect(await throttle.attempt(from(IP_A, BOB))).toMatchObject({ limitedBy: 'ip' });
    expect(await throttle.attempt(from(IP_A))).toMatchObject({ allowed: false });

    expect(await throttle.attempt(knownDevice(DEVICE, ALICE, IP_A))).toEqual({ allowed: true });
  });

  it('counts only against its own allowance, which is maxPerAccount', async () => {
    const { throttle, byKind } = setup({ maxPerAccount: 3 });

    const decisions = await attempts(throttle, knownDevice(), 4);

    expect(decisions.slice(0, 3)).toEqual(Array(3).fill({ allowed: true }));
    expect(decisions[3]).toMatchObject({ allowed: false, limitedBy: 'device' });
    expect(byKind()).toEqual({ device: 3 });
  });

  it('has an allowance per account and per device', async () => {
    const { throttle } = setup({ maxPerAccount: 1 });
    await throttle.attempt(knownDevice(DEVICE, ALICE));
    expect(await throttle.attempt(knownDevice(DEVICE, ALICE))).toMatchObject({ allowed: false });

    expect(await throttle.attempt(knownDevice(DEVICE, BOB))).toEqual({ allowed: true });
    expect(await throttle.attempt(knownDevice('another-device', ALICE))).toEqual({
      allowed: true,
    });
  });

  it('clears its device counter after a success', async () => {
    const { throttle, byKind } = setup({ maxPerAccount: 2 });
    await attempts(throttle, knownDevice(), 2);

    await throttle.succeeded(knownDevice());

    expect(byKind()).toEqual({});
    expect(await attempts(throttle, knownDevice(), 2)).toEqual(Array(2).fill({ allowed: true }));
  });
});

describe('createLoginThrottle: windows', () => {
  it('starts afresh in a new window', async () => {
    const { throttle, setNow } = setup({ maxPerAccount: 1 });
    await throttle.attempt(from(IP_A));
    expect(await throttle.attempt(from(IP_A))).toMatchObject({ allowed: false });

    setNow(START + WINDOW * 1000);

    expect(await throttle.attempt(from(IP_A))).toEqual({ allowed: true });
  });

  it('asks for at least one second even at the very end of a window', async () => {
    const { throttle, setNow } = setup({ maxPerAccount: 1 });
    setNow(START + WINDOW * 1000 - 1);
    await throttle.attempt(from(IP_A));

    expect(await throttle.attempt(from(IP_A))).toMatchObject({
      allowed: false,
      retryAfterSeconds: 1,
    });
  });

  it('lets every counter expire one window after its own', async () => {
    const { counters, throttle } = setup();

    await throttle.attempt(from(IP_A));
    await throttle.attempt(knownDevice());

    expect(counters.expiresAt.size).toBe(4);
    for (const expiresAt of counters.expiresAt.values()) {
      expect(expiresAt).toBe(START / 1000 + 2 * WINDOW);
    }
  });
});

describe('createLoginThrottle: failing closed', () => {
  it.each(['source', 'ip', 'account'] as const)(
    'rejects when the %s counter cannot be written, and gives back what it counted',
    async (kind) => {
      const { throttle, counters, byKind } = setup();
      await throttle.attempt(from(IP_A));
      const before = byKind();
      counters.failOn = (key) => key.startsWith(throttleCounterPrefix(kind));

      await expect(throttle.attempt(from(IP_A))).rejects.toThrow('unavailable');

      expect(byKind()).toEqual(before);
    },
  );

  it('rejects when the store is down altogether', async () => {
    const { throttle, counters } = setup();
    counters.failing = new Error('the counter store is unavailable');

    await expect(throttle.attempt(from(IP_A))).rejects.toThrow('unavailable');
    await expect(throttle.attempt(knownDevice())).rejects.toThrow('unavailable');
  });
});
