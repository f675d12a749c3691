/**
 * The sign-in throttle's counters against a real (embedded) dynalite: conditional adds as
 * DynamoDB runs them, under racing attempts, not as a mock imagines.
 */
import {
  createLoginThrottle,
  type ThrottleKeys,
  type ThrottleSettings,
} from '../../shared/throttle/throttle';
import { DynamoThrottleCounters } from '../../shared/users/dynamo-counters';
import { normalizeIdentifier } from '../../shared/users/identifier';
import {
  keyOf,
  partitionKeyOf,
  TableUnavailableError,
  throttleCounterKey,
  TTL_ATTRIBUTE,
} from '../../shared/users/table';
import { createIdentifierTags } from '../../shared/users/tags';
import { startTestDynamo, type TestDynamo } from './support/dynamo';

jest.setTimeout(30_000);

const WINDOW = 900;
const SETTINGS: ThrottleSettings = {
  windowSeconds: WINDOW,
  maxPerAccount: 5,
  maxPerIp: 100,
  maxPerAccountTotal: 50,
};
// Well inside a window, so that no test runs over a window's end.
const NOW = Date.UTC(2025, 0, 1, 12, 5, 0);
const WINDOW_START = Math.floor(NOW / 1000 / WINDOW) * WINDOW;

const tags = createIdentifierTags('integration-tag-secret-0123456789abcdef');
const account = (email: string) => tags.account(normalizeIdentifier(email));
const from = (ip: string | undefined, email = 'victim@example.com'): ThrottleKeys => ({
  account: account(email),
  ip,
  knownDevice: undefined,
});

let dynamo: TestDynamo;

beforeAll(async () => {
  dynamo = await startTestDynamo();
});

afterAll(async () => {
  await dynamo?.stop();
});

async function fresh(settings: Partial<ThrottleSettings> = {}) {
  const table = await dynamo.newTable();
  const counters = new DynamoThrottleCounters(dynamo.client, table);
  const throttle = createLoginThrottle(counters, { ...SETTINGS, ...settings }, () => NOW);
  /** Every counter by its kind (source, ip, account, device), summed. */
  const byKind = async () => {
    const sums: Record<string, number> = {};
    for (const item of await dynamo.items(table)) {
      const kind = String(partitionKeyOf(item)).split('#')[1]!;
      const count = Number(item.count);
      if (count !== 0) sums[kind] = (sums[kind] ?? 0) + count;
    }
    return sums;
  };
  return { table, counters, throttle, byKind };
}

async function rawItem(table: string, key: string): Promise<Record<string, unknown> | undefined> {
  const result = await dynamo.sdk.get({ TableName: table, Key: keyOf(key), ConsistentRead: true });
  return result.Item;
}

const allowed = (decisions: { allowed: boolean }[]) => decisions.filter((d) => d.allowed).length;

describe('throttle counters on dynalite', () => {
  it('racing attempts never pass a limit', async () => {
    const { table, counters } = await fresh();
    const key = throttleCounterKey('source', WINDOW_START, 'k', '192.0.2.1');

    const answers = await Promise.all(
      Array.from({ length: 20 }, () => counters.addBelow(key, 5, 1_000_000)),
    );

    expect(answers.filter(Boolean)).toHaveLength(5);
    expect(await rawItem(table, key)).toMatchObject({ count: 5, [TTL_ATTRIBUTE]: 1_000_000 });
  });

  it('refuses an add at the limit without touching the count or its expiry', async () => {
    const { table, counters } = await fresh();
    const key = throttleCounterKey('ip', WINDOW_START, '192.0.2.1');
    await counters.addBelow(key, 1, 1_000_000);

    expect(await counters.addBelow(key, 1, 2_000_000)).toBe(false);

    expect(await rawItem(table, key)).toMatchObject({ count: 1, [TTL_ATTRIBUTE]: 1_000_000 });
  });

  it('gives attempts back and clears counters', async () => {
    const { table, counters } = await fresh();
    const key = throttleCounterKey('account', WINDOW_START, 'k');
    await Promise.all(Array.from({ length: 3 }, () => counters.addBelow(key, 10, 1_000_000)));

    await counters.add(key, -1, 1_000_000);
    expect((await rawItem(table, key))?.count).toBe(2);

    await counters.clear(key);
    expect(await rawItem(table, key)).toBeUndefined();
  });

  it('fails closed when the table cannot be reached', async () => {
    const counters = new DynamoThrottleCounters(dynamo.client, 'no-such-table');
    const throttle = createLoginThrottle(counters, SETTINGS, () => NOW);

    await expect(counters.addBelow(throttleCounterKey('ip', 0, 'x'), 1, 60)).rejects.toBeInstanceOf(
      TableUnavailableError,
    );
    await expect(counters.add(throttleCounterKey('ip', 0, 'x'), -1, 60)).rejects.toBeInstanceOf(
      TableUnavailableError,
    );
    await expect(throttle.attempt(from('192.0.2.1'))).rejects.toBeInstanceOf(TableUnavailableError);
  });
});

describe('the sign-in throttle on dynalite', () => {
  it('lets exactly maxPerAccount of 20 racing attempts from one source through; the refused count nowhere', async () => {
    const { throttle, byKind } = await fresh({ maxPerAccount: 5 });

    const decisions = await Promise.all(
      Array.from({ length: 20 }, () => throttle.attempt(from('198.51.100.7'))),
    );

    expect(allowed(decisions)).toBe(5);
    for (const decision of decisions.filter((d) => !d.allowed)) {
      expect(decision).toMatchObject({ allowed: false, limitedBy: 'account' });
    }
    expect(await byKind()).toEqual({ source: 5, ip: 5, account: 5 });
  });

  it("an attacker's failures from another address never refuse the victim's correct password", async () => {
    const { throttle } = await fresh({ maxPerAccount: 10 });

    const attacker = await Promise.all(
      Array.from({ length: 11 }, () => throttle.attempt(from('203.0.113.66'))),
    );
    expect(allowed(attacker)).toBe(10);

    expect(await throttle.attempt(from('198.51.100.7'))).toEqual({ allowed: true });
  });

  it('limits one source IP across many accounts, without counting the refused at their accounts', async () => {
    const { throttle, byKind } = await fresh({ maxPerIp: 3 });

    const decisions = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        throttle.attempt(from('203.0.113.9', `user${i}@example.com`)),
      ),
    );

    expect(allowed(decisions)).toBe(3);
    for (const decision of decisions.filter((d) => !d.allowed)) {
      expect(decision).toMatchObject({ allowed: false, limitedBy: 'ip' });
    }
    expect(await byKind()).toEqual({ source: 3, ip: 3, account: 3 });
  });

  it('meets racing guessers spread over many addresses with the account-wide ceiling; a known device still signs in', async () => {
    const { throttle, byKind } = await fresh({ maxPerAccountTotal: 4 });

    const decisions = await Promise.all(
      Array.from({ length: 12 }, (_, i) => throttle.attempt(from(`192.0.2.${i + 1}`))),
    );

    expect(allowed(decisions)).toBe(4);
    for (const decision of decisions.filter((d) => !d.allowed)) {
      expect(decision).toMatchObject({ allowed: false, limitedBy: 'account-total' });
    }
    expect(await byKind()).toEqual({ source: 4, ip: 4, account: 4 });
    const device = { ...from('192.0.2.99'), knownDevice: 'victims-laptop-000000001' };
    expect(await throttle.attempt(device)).toEqual({ allowed: true });
  });

  it('clears its own counter after a success and gives its attempt back to the shared ones', async () => {
    const { table, throttle } = await fresh();
    const keys = from('192.0.2.44', 'ok@example.com');
    await throttle.attempt(keys);
    await throttle.attempt(keys);

    await throttle.succeeded(keys);

    const items = await dynamo.items(table);
    const tag = account('ok@example.com');
    expect(
      Object.fromEntries(
        items.map((item) => [
          partitionKeyOf(item),
          { count: item.count, expiresAt: item[TTL_ATTRIBUTE] },
        ]),
      ),
    ).toEqual({
      [throttleCounterKey('ip', WINDOW_START, '192.0.2.44')]: {
        count: 1,
        expiresAt: WINDOW_START + 2 * WINDOW,
      },
      [throttleCounterKey('account', WINDOW_START, tag)]: {
        count: 1,
        expiresAt: WINDOW_START + 2 * WINDOW,
      },
    });
  });

  it('stores account tags, never the identifier', async () => {
    const { table, throttle } = await fresh();

    await throttle.attempt(from('198.51.100.7', 'Victim@Example.com'));

    expect(JSON.stringify(await dynamo.items(table))).not.toMatch(/victim|example/i);
  });
});
