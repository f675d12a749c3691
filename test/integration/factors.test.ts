/**
 * DynamoFactorStore (a user's second factors, one item) against a real (embedded) dynalite: the
 * conditional writes that make a time step and a recovery code usable once, even when two
 * requests race, and the step-up of a login session's record.
 */
import { DynamoFactorStore } from '../../shared/users/dynamo-factors';
import { DynamoLoginSessions } from '../../shared/users/login-sessions';
import { factorsKey } from '../../shared/users/table';
import { startTestDynamo, type TestDynamo } from './support/dynamo';

jest.setTimeout(30_000);

let dynamo: TestDynamo;
beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(async () => {
  await dynamo?.stop();
});

const USER = 'user-7c1e';
const TOTP = { secret: 'v1.kid.iv.ct.tag', lastStep: 0, createdAt: '2025-01-01T00:00:00.000Z' };
const CODES = { keyId: 'kid', tags: ['tag-1', 'tag-2', 'tag-3'], createdAt: TOTP.createdAt };

async function enrolled() {
  const table = await dynamo.newTable();
  const store = new DynamoFactorStore(dynamo.client, table);
  await store.enrol(USER, TOTP, CODES);
  return { table, store };
}

describe('DynamoFactorStore', () => {
  it('reads back what was enrolled, under factors#<id>, in one item', async () => {
    const { table, store } = await enrolled();

    expect(await store.find(USER)).toEqual({ totp: TOTP, recoveryCodes: CODES });
    expect((await dynamo.items(table)).map((item) => item.pk)).toEqual([factorsKey(USER)]);
    expect(await store.find('someone-else')).toBeUndefined();
  });

  it('takes a time step only after the last one used: once, and never an older one', async () => {
    const { store } = await enrolled();

    expect(await store.useTotpStep(USER, 100)).toBe(true);
    expect(await store.useTotpStep(USER, 100)).toBe(false);
    expect(await store.useTotpStep(USER, 99)).toBe(false);
    expect(await store.useTotpStep(USER, 101, 'v1.new.iv.ct.tag')).toBe(true);
    expect((await store.find(USER))?.totp).toEqual({
      ...TOTP,
      lastStep: 101,
      secret: 'v1.new.iv.ct.tag',
    });
  });

  it('lets one of two racing requests use the same step', async () => {
    const { store } = await enrolled();

    const results = await Promise.all([store.useTotpStep(USER, 7), store.useTotpStep(USER, 7)]);

    expect(results.sort()).toEqual([false, true]);
  });

  it('uses a recovery code once; the last one leaves an empty set', async () => {
    const { store } = await enrolled();

    expect(await store.useRecoveryCode(USER, 'tag-2')).toBe(true);
    expect(await store.useRecoveryCode(USER, 'tag-2')).toBe(false);
    expect(await store.useRecoveryCode(USER, 'not-a-tag')).toBe(false);
    expect((await store.find(USER))?.recoveryCodes?.tags.sort()).toEqual(['tag-1', 'tag-3']);
    await store.useRecoveryCode(USER, 'tag-1');
    await store.useRecoveryCode(USER, 'tag-3');
    expect((await store.find(USER))?.recoveryCodes?.tags).toEqual([]);
    expect(await store.useRecoveryCode(USER, 'tag-3')).toBe(false);
  });

  it('replaces the recovery codes with a new set: the old ones are used no more', async () => {
    const { store } = await enrolled();
    const renewed = { keyId: 'kid-2', tags: ['tag-9'], createdAt: '2025-02-01T00:00:00.000Z' };

    expect(await store.replaceRecoveryCodes(USER, renewed)).toBe(true);

    expect(await store.find(USER)).toEqual({ totp: TOTP, recoveryCodes: renewed });
    expect(await store.useRecoveryCode(USER, 'tag-1')).toBe(false);
    expect(await store.useRecoveryCode(USER, 'tag-9')).toBe(true);
  });

  it('replaces no recovery codes of a user with no authenticator (nothing is made)', async () => {
    const table = await dynamo.newTable();
    const store = new DynamoFactorStore(dynamo.client, table);

    expect(await store.replaceRecoveryCodes(USER, CODES)).toBe(false);

    expect(await dynamo.items(table)).toEqual([]);
  });

  it('refuses a step for a user with no authenticator', async () => {
    const store = new DynamoFactorStore(dynamo.client, await dynamo.newTable());

    expect(await store.useTotpStep(USER, 1)).toBe(false);
    expect(await store.useRecoveryCode(USER, 'tag-1')).toBe(false);
  });

  it('reset removes every factor and says whether there were any', async () => {
    const { store } = await enrolled();

    expect(await store.reset(USER)).toBe(true);
    expect(await store.find(USER)).toBeUndefined();
    expect(await store.reset(USER)).toBe(false);
  });
});

describe('DynamoLoginSessions.addMethods', () => {
  it("sets the session's methods for its own subject only, keeping its start", async () => {
    const sessions = new DynamoLoginSessions(dynamo.client, await dynamo.newTable());
    const now = Math.floor(Date.now() / 1000);
    const session = {
      subject: USER,
      authenticatedAtSeconds: now - 60,
      amr: ['pwd'],
      browserBound: false,
    };
    await sessions.record('sid-1', session, now + 3600);

    await sessions.addMethods('sid-1', 'another-user', ['pwd', 'otp', 'mfa']);
    expect((await sessions.find('sid-1'))?.amr).toEqual(['pwd']);
    await sessions.addMethods('sid-1', USER, ['pwd', 'otp', 'mfa']);
    expect(await sessions.find('sid-1')).toEqual({ ...session, amr: ['pwd', 'otp', 'mfa'] });
    await sessions.addMethods('no-such-sid', USER, ['pwd', 'otp', 'mfa']);
    expect(await sessions.find('no-such-sid')).toBeUndefined();
  });
});

describe('DynamoFactorStore: passkeys', () => {
  const passkey = (name: string) => ({
    publicKey: 'pQECAyYgASFYIA',
    counter: 0,
    name,
    transports: ['internal' as const],
    deviceType: 'singleDevice' as const,
    backedUp: false,
    createdAt: '2026-12-02T07:00:00.000Z',
  });
  const ID = 'credential-id-aaaaaaaa';

  async function store() {
    const table = await dynamo.newTable();
    return new DynamoFactorStore(dynamo.client, table);
  }

  it('adds passkeys to a user without an item, and to the item of one with an app; enrolling keeps them', async () => {
    const fresh = await store();
    expect(await fresh.addPasskey(USER, ID, passkey('Laptop'))).toBe(true);
    expect(await fresh.addPasskey(USER, `${ID}-2`, passkey('Phone'))).toBe(true);
    expect(Object.keys((await fresh.find(USER))?.passkeys ?? {}).sort()).toEqual([ID, `${ID}-2`]);

    const { store: withApp } = await enrolled();
    expect(await withApp.addPasskey(USER, ID, passkey('Laptop'))).toBe(true);
    await withApp.enrol(USER, TOTP, CODES);
    expect(await withApp.find(USER)).toEqual({
      totp: TOTP,
      recoveryCodes: CODES,
      passkeys: { [ID]: passkey('Laptop') },
    });
  });

  it('refuses an id it has, and an eleventh passkey', async () => {
    const passkeys = await store();
    expect(await passkeys.addPasskey(USER, ID, passkey('Laptop'))).toBe(true);
    expect(await passkeys.addPasskey(USER, ID, passkey('Again'))).toBe(false);
    expect((await passkeys.find(USER))?.passkeys?.[ID]?.name).toBe('Laptop');
    for (let n = 2; n <= 10; n += 1) {
      expect(await passkeys.addPasskey(USER, `${ID}-${n}`, passkey(`Key ${n}`))).toBe(true);
    }
    expect(await passkeys.addPasskey(USER, `${ID}-11`, passkey('One too many'))).toBe(false);
    expect(Object.keys((await passkeys.find(USER))?.passkeys ?? {})).toHaveLength(10);
  });

  it('records a use only at the counter it was read with: of two racing uses, one wins', async () => {
    const passkeys = await store();
    await passkeys.addPasskey(USER, ID, passkey('Laptop'));
    const use = {
      previousCounter: 0,
      counter: 5,
      backedUp: true,
      usedAt: '2026-12-02T08:00:00.000Z',
    };

    const results = await Promise.all([
      passkeys.usePasskey(USER, ID, use),
      passkeys.usePasskey(USER, ID, use),
    ]);

    expect(results.sort()).toEqual([false, true]);
    expect((await passkeys.find(USER))?.passkeys?.[ID]).toMatchObject({
      counter: 5,
      backedUp: true,
      lastUsedAt: use.usedAt,
    });
    expect(await passkeys.usePasskey(USER, 'no-such-credential-id', use)).toBe(false);
  });

  it('removes a passkey once; reset removes the rest with the item', async () => {
    const passkeys = await store();
    await passkeys.addPasskey(USER, ID, passkey('Laptop'));
    await passkeys.addPasskey(USER, `${ID}-2`, passkey('Phone'));

    expect(await passkeys.removePasskey(USER, ID)).toBe(true);
    expect(await passkeys.removePasskey(USER, ID)).toBe(false);
    expect(Object.keys((await passkeys.find(USER))?.passkeys ?? {})).toEqual([`${ID}-2`]);
    expect(await passkeys.reset(USER)).toBe(true);
    expect(await passkeys.find(USER)).toBeUndefined();
  });
});

it('adds both of two passkeys added at once to a user without any', async () => {
  const table = await dynamo.newTable();
  const passkeys = new DynamoFactorStore(dynamo.client, table);
  const entry = {
    publicKey: 'pQECAyYgASFYIA',
    counter: 0,
    name: 'Key',
    transports: [],
    deviceType: 'singleDevice' as const,
    backedUp: false,
    createdAt: '2026-12-02T07:00:00.000Z',
  };

  const added = await Promise.all([
    passkeys.addPasskey(USER, 'credential-id-one-aaaa', entry),
    passkeys.addPasskey(USER, 'credential-id-two-aaaa', entry),
  ]);

  expect(added).toEqual([true, true]);
  expect(Object.keys((await passkeys.find(USER))?.passkeys ?? {})).toHaveLength(2);
});
