/**
 * The DynamoDB user store and the sign-in throttle counters against a real (embedded) dynalite:
 * conditional writes, atomic counters and scans as DynamoDB runs them, not as a mock imagines.
 */
import { verify as argon2Verify } from '@node-rs/argon2';
import { loadArgon2Parameters } from '../../shared/config';
import { DynamoThrottleCounters } from '../../shared/users/dynamo-counters';
import { DynamoUserStore, InvalidUserError } from '../../shared/users/dynamo-store';
import { normalizeIdentifier } from '../../shared/users/identifier';
import { createPasswordHasher } from '../../shared/users/password';
import {
  emailKey,
  keyOf,
  PARTITION_KEY,
  pointerItem,
  REVISION_ATTRIBUTE,
  revisionOf,
  TableUnavailableError,
  throttleCounterKey,
  userItems,
  userKey,
  userOf,
} from '../../shared/users/table';
import { UserExistsError, type User } from '../../shared/users/types';
import { keysOf, startTestDynamo, type TestDynamo } from './support/dynamo';

jest.setTimeout(30_000);

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const POLICY_PHC = /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;
const PASSWORD = 'correct horse battery staple';

const hasher = createPasswordHasher(loadArgon2Parameters({}));

let dynamo: TestDynamo;

beforeAll(async () => {
  dynamo = await startTestDynamo();
});

afterAll(async () => {
  await dynamo?.stop();
});

async function freshStore(): Promise<{ store: DynamoUserStore; table: string }> {
  const table = await dynamo.newTable();
  return { store: new DynamoUserStore({ client: dynamo.client, tableName: table, hasher }), table };
}

async function rawItem(table: string, key: string): Promise<Record<string, unknown> | undefined> {
  const result = await dynamo.sdk.get({ TableName: table, Key: keyOf(key), ConsistentRead: true });
  return result.Item;
}

async function collect(iterable: AsyncIterable<User>): Promise<User[]> {
  const users: User[] = [];
  for await (const user of iterable) users.push(user);
  return users;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('DynamoUserStore on dynalite: identifiers', () => {
  it('finds a user by a differently cased, padded or NFKC-variant email, normalized', async () => {
    const { store } = await freshStore();
    const created = await store.create({ email: 'Jane.Doe@Example.com', password: PASSWORD });

    expect(created.email).toBe('jane.doe@example.com');
    for (const variant of [
      'jane.doe@example.com',
      'JANE.DOE@EXAMPLE.COM',
      '  Jane.Doe@example.com\t',
      // Full-width letters and the full-width at sign: NFKC folds them to ASCII.
      'Ｊａｎｅ.Ｄｏｅ＠ｅｘａｍｐｌｅ.ｃｏｍ',
    ]) {
      const found = await store.findByIdentifier(normalizeIdentifier(variant));
      expect(found?.id).toBe(created.id);
      expect(found?.email).toBe('jane.doe@example.com');
    }
    expect(await store.findByIdentifier('jane.doe@example.org')).toBeUndefined();
    expect(await store.findByIdentifier(normalizeIdentifier('   '))).toBeUndefined();
  });

  it('gives every user a random UUID subject that is not derived from the email', async () => {
    const { store } = await freshStore();
    const first = await store.create({ email: 'first@example.com', password: PASSWORD });
    const second = await store.create({ email: 'second@example.com', password: PASSWORD });

    for (const user of [first, second]) {
      expect(user.id).toMatch(UUID_V4);
      expect(user.id).not.toContain(user.email);
      expect(user.id).not.toContain(user.email.split('@')[0]);
    }
    expect(first.id).not.toBe(second.id);
    expect((await store.findById(first.id))?.email).toBe('first@example.com');
  });

  it('writes the whole user under its email and under its id, at one revision', async () => {
    const { store, table } = await freshStore();
    const user = await store.create({ email: 'both@example.com', password: PASSWORD });

    expect(await rawItem(table, emailKey(user.email))).toEqual(userItems(user, 1)[0]);
    expect(await rawItem(table, userKey(user.id))).toEqual(userItems(user, 1)[1]);
    expect(await store.findById(user.id)).toEqual(user);
  });

  it('refuses a second user with the same normalized email', async () => {
    const { store, table } = await freshStore();
    const first = await store.create({ email: 'taken@example.com', password: PASSWORD });

    await expect(
      store.create({ email: ' TAKEN@example.com ', password: 'another password' }),
    ).rejects.toBeInstanceOf(UserExistsError);

    expect(keysOf(await dynamo.items(table))).toEqual(
      [emailKey('taken@example.com'), userKey(first.id)].sort(),
    );
    expect((await store.findByIdentifier('taken@example.com'))?.passwordHash).toBe(
      first.passwordHash,
    );
  });

  it('creates exactly one user when ten creates of the same email race', async () => {
    const { store, table } = await freshStore();
    const variants = Array.from({ length: 10 }, (_, i) =>
      i % 2 === 0 ? `Racer@Example.com` : ` racer@EXAMPLE.com `,
    );

    const results = await Promise.allSettled(
      variants.map((email, i) => store.create({ email, password: `${PASSWORD} ${i}` })),
    );

    const created = results.filter((result) => result.status === 'fulfilled');
    const refused = results.filter((result) => result.status === 'rejected');
    expect(created).toHaveLength(1);
    expect(refused).toHaveLength(9);
    for (const result of refused) expect(result.reason).toBeInstanceOf(UserExistsError);

    const winner = (created[0] as PromiseFulfilledResult<User>).value;
    expect(keysOf(await dynamo.items(table))).toEqual(
      [emailKey('racer@example.com'), userKey(winner.id)].sort(),
    );
    const stored = await store.findByIdentifier('racer@example.com');
    expect(stored?.id).toBe(winner.id);
    expect(stored?.passwordHash).toBe(winner.passwordHash);
  });
});

describe('DynamoUserStore on dynalite: passwords', () => {
  it('stores an argon2id PHC hash with m=19456, t=2, p=1 that verifies the password', async () => {
    const { store, table } = await freshStore();
    const user = await store.create({ email: 'hash@example.com', password: PASSWORD });

    const item = await rawItem(table, emailKey('hash@example.com'));
    expect(item?.passwordHash).toBe(user.passwordHash);
    expect(user.passwordHash).toMatch(POLICY_PHC);
    expect(JSON.stringify(item)).not.toContain(PASSWORD);
    // Checked with argon2 itself as well as through our hasher.
    expect(await argon2Verify(user.passwordHash, PASSWORD)).toBe(true);
    expect(await hasher.verify(user.passwordHash, PASSWORD)).toBe(true);
    expect(await hasher.verify(user.passwordHash, `${PASSWORD} `)).toBe(false);
    expect(await hasher.verify(user.passwordHash, 'wrong password')).toBe(false);
  });

  it('changes the hash and passwordChangedAt with setPassword', async () => {
    const { store } = await freshStore();
    const user = await store.create({ email: 'change@example.com', password: PASSWORD });
    await pause(5);

    const updated = await store.setPassword(user.id, 'a brand new passphrase');

    expect(updated?.id).toBe(user.id);
    const stored = await store.findById(user.id);
    expect(stored?.passwordHash).toMatch(POLICY_PHC);
    expect(stored?.passwordHash).not.toBe(user.passwordHash);
    expect(stored?.passwordChangedAt).not.toBe(user.passwordChangedAt);
    expect(Date.parse(stored!.passwordChangedAt)).toBeGreaterThan(
      Date.parse(user.passwordChangedAt),
    );
    expect(stored?.updatedAt).toBe(stored?.passwordChangedAt);
    expect(stored?.createdAt).toBe(user.createdAt);
    expect(await hasher.verify(stored!.passwordHash, 'a brand new passphrase')).toBe(true);
    expect(await hasher.verify(stored!.passwordHash, PASSWORD)).toBe(false);
  });

  it('refuses a too-short new password in setPassword and keeps the old hash', async () => {
    const { store } = await freshStore();
    const user = await store.create({ email: 'keep@example.com', password: PASSWORD });

    await expect(store.setPassword(user.id, 'short')).rejects.toBeInstanceOf(InvalidUserError);

    expect((await store.findById(user.id))?.passwordHash).toBe(user.passwordHash);
  });

  it('replaces the hash only when the expected hash still matches', async () => {
    const { store } = await freshStore();
    const user = await store.create({ email: 'rehash@example.com', password: PASSWORD });
    const newHash = await hasher.hash(PASSWORD);
    const otherHash = await hasher.hash(PASSWORD);

    expect(await store.replacePasswordHash({ ...user, passwordHash: otherHash }, newHash)).toBe(
      false,
    );
    expect((await store.findById(user.id))?.passwordHash).toBe(user.passwordHash);

    expect(await store.replacePasswordHash(user, newHash)).toBe(true);
    expect((await store.findById(user.id))?.passwordHash).toBe(newHash);

    // A second rehash that read the old hash loses: the first one's hash stays.
    expect(await store.replacePasswordHash(user, otherHash)).toBe(false);
    expect((await store.findById(user.id))?.passwordHash).toBe(newHash);
    expect(
      await store.replacePasswordHash(
        { ...user, id: 'no-such-id', passwordHash: newHash },
        otherHash,
      ),
    ).toBe(false);
  });
});

describe('DynamoUserStore on dynalite: status, deletion and listing', () => {
  it('disables and re-enables a user with setEnabled', async () => {
    const { store } = await freshStore();
    const user = await store.create({ email: 'toggle@example.com', password: PASSWORD });
    expect(user.enabled).toBe(true);

    expect((await store.setEnabled(user.id, false))?.enabled).toBe(false);
    expect((await store.findById(user.id))?.enabled).toBe(false);
    expect((await store.findByIdentifier('toggle@example.com'))?.enabled).toBe(false);

    expect((await store.setEnabled(user.id, true))?.enabled).toBe(true);
    expect((await store.findById(user.id))?.enabled).toBe(true);
    expect(await store.setEnabled('no-such-id', false)).toBeUndefined();
  });

  it('replaces the profile with setProfile under both items, and refuses a bad locale', async () => {
    const { store } = await freshStore();
    const user = await store.create({
      email: 'profile@example.com',
      password: PASSWORD,
      profile: { name: 'Old', email_verified: true },
    });

    const changed = await store.setProfile(user.id, { name: 'New', locale: 'de-CH' });
    expect(changed?.profile).toEqual({ name: 'New', locale: 'de-CH' });
    expect((await store.findById(user.id))?.profile).toEqual({ name: 'New', locale: 'de-CH' });
    expect((await store.findByIdentifier('profile@example.com'))?.profile.name).toBe('New');
    await expect(store.setProfile(user.id, { locale: 'de-ch' })).rejects.toThrow('locale');
    expect((await store.findById(user.id))?.profile.locale).toBe('de-CH');
    expect(await store.setProfile('no-such-id', {})).toBeUndefined();
  });

  it('deletes both items of the user, and lets a new user take the email with a new id', async () => {
    const { store, table } = await freshStore();
    const gone = await store.create({ email: 'reuse@example.com', password: PASSWORD });

    expect(await store.delete(gone.id)).toBe(true);

    expect(await store.findById(gone.id)).toBeUndefined();
    expect(await store.findByIdentifier('reuse@example.com')).toBeUndefined();
    expect(await rawItem(table, userKey(gone.id))).toBeUndefined();
    expect(await rawItem(table, emailKey('reuse@example.com'))).toBeUndefined();
    expect(await dynamo.items(table)).toEqual([]);
    expect(await store.delete(gone.id)).toBe(false);

    const successor = await store.create({ email: 'REUSE@example.com', password: 'other pass' });
    expect(successor.id).not.toBe(gone.id);
    expect((await store.findByIdentifier('reuse@example.com'))?.id).toBe(successor.id);
    expect(await store.findById(gone.id)).toBeUndefined();
  });

  it('never resolves a stale id pointer (from before the copies) to the user who took the email since', async () => {
    const { store, table } = await freshStore();
    const old = await store.create({ email: 'stale@example.com', password: PASSWORD });
    // What a delete of the version before the copies left when it stopped half-way: the user
    // item gone, its pointer left behind.
    await dynamo.sdk.put({ TableName: table, Item: pointerItem(old) });
    await dynamo.sdk.delete({ TableName: table, Key: keyOf(emailKey('stale@example.com')) });
    const successor = await store.create({ email: 'stale@example.com', password: 'other pass' });

    expect(await store.findById(old.id)).toBeUndefined();
    expect(await store.setEnabled(old.id, false)).toBeUndefined();
    expect(await store.setPassword(old.id, 'hijacked password')).toBeUndefined();
    expect(
      await store.replacePasswordHash({ ...old, passwordHash: successor.passwordHash }, 'x'),
    ).toBe(false);
    expect(await store.delete(old.id)).toBe(false);

    const untouched = await store.findById(successor.id);
    expect(untouched).toEqual(successor);
    expect(await rawItem(table, emailKey(successor.email))).toEqual(userItems(successor, 1)[0]);
  });

  it('lists users only, never their id items or throttle counters', async () => {
    const { store, table } = await freshStore();
    const a = await store.create({ email: 'a@example.com', password: PASSWORD });
    const b = await store.create({
      email: 'b@example.com',
      password: PASSWORD,
      enabled: false,
      profile: { name: 'Bee' },
    });
    await new DynamoThrottleCounters(dynamo.client, table).add(
      throttleCounterKey('ip', 0, '192.0.2.1'),
      1,
      60,
    );
    // Something that is neither a user nor a pointer, with an email prefix but no id.
    await dynamo.sdk.put({ TableName: table, Item: keyOf(emailKey('broken@example.com')) });
    expect(await dynamo.items(table)).toHaveLength(6);

    const listed = await collect(store.list());

    expect(listed.map((user) => user.id).sort()).toEqual([a.id, b.id].sort());
    const listedB = listed.find((user) => user.id === b.id);
    expect(listedB).toEqual(b);
    expect(listedB).not.toHaveProperty(PARTITION_KEY);
  });
});

describe('DynamoUserStore on dynalite: the two items of a user', () => {
  /** Both items of a user, as the users they hold and their revisions. */
  async function both(table: string, user: User) {
    const emailItem = await rawItem(table, emailKey(user.email));
    const idItem = await rawItem(table, userKey(user.id));
    return {
      byEmail: userOf(emailItem),
      byId: userOf(idItem),
      revisions: [revisionOf(emailItem), revisionOf(idItem)],
    };
  }

  it('a change reaches both, with the next revision', async () => {
    const { store, table } = await freshStore();
    const user = await store.create({ email: 'change@example.com', password: PASSWORD });

    const changed = await store.setEnabled(user.id, false);

    const { byEmail, byId, revisions } = await both(table, user);
    expect(byId).toEqual(changed);
    expect(byEmail).toEqual(changed);
    expect(revisions).toEqual([2, 2]);
    expect(await store.findByIdentifier(user.email)).toEqual(changed);
  });

  it('end up the same after racing changes, at the last revision', async () => {
    const { store, table } = await freshStore();
    const user = await store.create({ email: 'racing@example.com', password: PASSWORD });

    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        i % 3 === 0 ? store.revokeSessions(user.id) : store.setEnabled(user.id, i % 3 === 1),
      ),
    );

    const { byEmail, byId, revisions } = await both(table, user);
    expect(byEmail).toEqual(byId);
    expect(revisions).toEqual([13, 13]);
  });

  it('a rehash reaches both: the sign-in reads the new hash', async () => {
    const { store, table } = await freshStore();
    const user = await store.create({ email: 'rehash-both@example.com', password: PASSWORD });
    const newHash = await hasher.hash(PASSWORD);

    expect(await store.replacePasswordHash(user, newHash)).toBe(true);

    const { byEmail, byId } = await both(table, user);
    expect(byEmail?.passwordHash).toBe(newHash);
    expect(byId?.passwordHash).toBe(newHash);
  });

  it('repair brings an email item that is behind (a change stopped half-way) up to date', async () => {
    const { store, table } = await freshStore();
    const user = await store.create({ email: 'behind@example.com', password: PASSWORD });
    const disabled = await store.setEnabled(user.id, false);
    // The copy over the email item never happened.
    await dynamo.sdk.put({ TableName: table, Item: userItems(user, 1)[0] });
    expect((await store.findByIdentifier(user.email))?.enabled).toBe(true);

    expect(await store.repair(user.email)).toBe('restored');

    expect(await store.findByIdentifier(user.email)).toEqual(disabled);
    expect(await store.repair(user.email)).toBe('complete');
  });

  it('repair takes the email item when a version from before the copies changed it alone', async () => {
    const { store, table } = await freshStore();
    const user = await store.create({ email: 'old-cli@example.com', password: PASSWORD });
    const disabledByOldCli = { ...user, enabled: false };
    await dynamo.sdk.put({ TableName: table, Item: userItems(disabledByOldCli, 1)[0] });

    expect(await store.repair(user.email)).toBe('restored');

    const { byEmail, byId, revisions } = await both(table, user);
    expect(byId).toEqual(disabledByOldCli);
    expect(byEmail).toEqual(disabledByOldCli);
    expect(revisions).toEqual([2, 2]);
  });
});

describe('DynamoUserStore on dynalite: changing the email', () => {
  it('moves the user to the new address, verified: both items at the next revision, the old one gone', async () => {
    const { store, table } = await freshStore();
    const user = await store.create({ email: 'old@example.com', password: PASSWORD });

    const result = await store.changeEmail(user.id, 'old@example.com', 'new@example.com');

    expect(result).toMatchObject({ status: 'changed', user: { id: user.id } });
    const moved = await store.findByIdentifier('new@example.com');
    expect(moved).toMatchObject({ id: user.id, email: 'new@example.com' });
    expect(moved?.profile.email_verified).toBe(true);
    expect(moved?.passwordHash).toBe(user.passwordHash);
    expect(await store.findById(user.id)).toEqual(moved);
    expect(await rawItem(table, emailKey('old@example.com'))).toBeUndefined();
    expect(revisionOf(await rawItem(table, emailKey('new@example.com')))).toBe(2);
    expect(revisionOf(await rawItem(table, userKey(user.id)))).toBe(2);
    // The old address is free for someone else.
    await expect(
      store.create({ email: 'old@example.com', password: PASSWORD }),
    ).resolves.toMatchObject({ email: 'old@example.com' });
  });

  it("refuses an address another user has ('taken'), changing neither user", async () => {
    const { store, table } = await freshStore();
    const user = await store.create({ email: 'mover@example.com', password: PASSWORD });
    const other = await store.create({ email: 'taken@example.com', password: PASSWORD });
    const before = keysOf(await dynamo.items(table));

    const result = await store.changeEmail(user.id, 'mover@example.com', 'taken@example.com');

    expect(result).toEqual({ status: 'taken' });
    expect(keysOf(await dynamo.items(table))).toEqual(before);
    expect(await store.findByIdentifier('taken@example.com')).toEqual(other);
    expect(await store.findById(user.id)).toEqual(user);
  });

  it("does nothing ('gone') when the user no longer has the address the change was asked from", async () => {
    const { store, table } = await freshStore();
    const user = await store.create({ email: 'first@example.com', password: PASSWORD });
    await store.changeEmail(user.id, 'first@example.com', 'second@example.com');
    const before = keysOf(await dynamo.items(table));

    const stale = await store.changeEmail(user.id, 'first@example.com', 'third@example.com');

    expect(stale).toEqual({ status: 'gone' });
    expect(keysOf(await dynamo.items(table))).toEqual(before);
    expect(await store.changeEmail('no-such-id', 'x@example.com', 'y@example.com')).toEqual({
      status: 'gone',
    });
  });

  it('gives one address to exactly one of ten users racing for it', async () => {
    const { store, table } = await freshStore();
    const users = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.create({ email: `racer${i}@example.com`, password: PASSWORD }),
      ),
    );

    const results = await Promise.all(
      users.map((user) => store.changeEmail(user.id, user.email, 'prize@example.com')),
    );

    const winners = results.filter((result) => result.status === 'changed');
    expect(winners).toHaveLength(1);
    expect(results.filter((result) => result.status === 'taken')).toHaveLength(9);
    const holder = await store.findByIdentifier('prize@example.com');
    expect(holder?.id).toBe(winners[0]?.status === 'changed' ? winners[0].user.id : undefined);
    const emails = (await collect(store.list())).map((user) => user.email);
    expect(emails).toHaveLength(10);
    expect(new Set(emails).size).toBe(10);
    expect(
      keysOf(await dynamo.items(table)).filter((key) => key.startsWith('email#')),
    ).toHaveLength(10);
  });

  it('moves a user racing to two addresses to one of them, and leaves no claim on the other', async () => {
    const { store, table } = await freshStore();
    const user = await store.create({ email: 'torn@example.com', password: PASSWORD });

    const results = await Promise.all([
      store.changeEmail(user.id, 'torn@example.com', 'left@example.com'),
      store.changeEmail(user.id, 'torn@example.com', 'right@example.com'),
    ]);

    expect(results.map((result) => result.status).sort()).toEqual(['changed', 'gone']);
    const now = await store.findById(user.id);
    const emailKeys = keysOf(await dynamo.items(table)).filter((key) => key.startsWith('email#'));
    expect(emailKeys).toEqual([emailKey(now!.email)]);
    expect(await store.findByIdentifier(now!.email)).toEqual(now);
  });

  it('refuses an address that is not one, or not normalized, writing nothing', async () => {
    const { store, table } = await freshStore();
    const user = await store.create({ email: 'plain@example.com', password: PASSWORD });
    const before = keysOf(await dynamo.items(table));

    for (const to of ['not-an-email', 'Upper@Example.com', 'plain@example.com']) {
      await expect(store.changeEmail(user.id, user.email, to)).rejects.toThrow(InvalidUserError);
    }
    expect(keysOf(await dynamo.items(table))).toEqual(before);
  });
});

describe('DynamoUserStore on dynalite: a table from before the copies (user# → { email })', () => {
  /** A user as the version before the copies wrote it: the item by email, a pointer by id. */
  async function oldUser(table: string, email: string): Promise<User> {
    const writer = new DynamoUserStore({ client: dynamo.client, tableName: table, hasher });
    const user = await writer.create({ email, password: PASSWORD });
    const { [REVISION_ATTRIBUTE]: _revision, ...oldItem } = userItems(user)[0];
    await dynamo.sdk.put({ TableName: table, Item: oldItem });
    await dynamo.sdk.put({ TableName: table, Item: pointerItem(user) });
    return user;
  }

  it('finds the user by id through its pointer, and replaces the pointer by the copy on the way', async () => {
    const { store, table } = await freshStore();
    const user = await oldUser(table, 'old@example.com');

    expect(await store.findById(user.id)).toEqual(user);

    expect(await rawItem(table, userKey(user.id))).toEqual(userItems(user, 0)[1]);
    expect(await store.findById(user.id)).toEqual(user);
    expect(await store.findByIdentifier(user.email)).toEqual(user);
  });

  it.each([
    ['setEnabled', (store: DynamoUserStore, user: User) => store.setEnabled(user.id, false)],
    ['revokeSessions', (store: DynamoUserStore, user: User) => store.revokeSessions(user.id)],
    [
      'setPassword',
      (store: DynamoUserStore, user: User) => store.setPassword(user.id, 'a new passphrase'),
    ],
    [
      'replacePasswordHash',
      async (store: DynamoUserStore, user: User) =>
        (await store.replacePasswordHash(user, 'new hash')) ? store.findById(user.id) : undefined,
    ],
  ])('%s replaces the pointer first, then changes both items', async (_name, change) => {
    const { store, table } = await freshStore();
    const user = await oldUser(table, 'old-change@example.com');

    const changed = await change(store, user);

    expect(changed).toBeDefined();
    expect(await rawItem(table, userKey(user.id))).toEqual(userItems(changed!, 1)[1]);
    expect(await rawItem(table, emailKey(user.email))).toEqual(userItems(changed!, 1)[0]);
  });

  it('deletes the user and its pointer', async () => {
    const { store, table } = await freshStore();
    const user = await oldUser(table, 'old-delete@example.com');

    expect(await store.delete(user.id)).toBe(true);

    expect(await dynamo.items(table)).toEqual([]);
  });

  it('repair replaces the pointer by the copy', async () => {
    const { store, table } = await freshStore();
    const user = await oldUser(table, 'old-repair@example.com');

    expect(await store.repair(user.email)).toBe('restored');

    expect(await rawItem(table, userKey(user.id))).toEqual(userItems(user, 0)[1]);
    expect(await store.repair(user.email)).toBe('complete');
  });
});

describe('DynamoUserStore on dynalite: refused input writes nothing', () => {
  const cases: Array<[string, { email: string; password: string }]> = [
    ['an email without an at sign', { email: 'not-an-email', password: PASSWORD }],
    ['an email without a domain dot', { email: 'user@localhost', password: PASSWORD }],
    ['an email with a space inside', { email: 'us er@example.com', password: PASSWORD }],
    ['an empty email', { email: '   ', password: PASSWORD }],
    [
      'an email over 254 characters',
      { email: `${'a'.repeat(250)}@example.com`, password: PASSWORD },
    ],
    ['a 7-character password', { email: 'short@example.com', password: '1234567' }],
    ['a 257-character password', { email: 'long@example.com', password: 'p'.repeat(257) }],
  ];

  it.each(cases)('refuses %s with InvalidUserError', async (_label, input) => {
    const { store, table } = await freshStore();

    await expect(store.create(input)).rejects.toBeInstanceOf(InvalidUserError);

    expect(await dynamo.items(table)).toEqual([]);
  });

  it('accepts passwords at the limits: 8 characters and 256 characters', async () => {
    const { store } = await freshStore();
    const short = await store.create({ email: 'eight@example.com', password: '12345678' });
    const long = await store.create({ email: 'max@example.com', password: 'p'.repeat(256) });

    expect(await hasher.verify(short.passwordHash, '12345678')).toBe(true);
    expect(await hasher.verify(long.passwordHash, 'p'.repeat(256))).toBe(true);
  });
});

describe('DynamoUserStore on dynalite: failing closed', () => {
  it('reports a missing table as TableUnavailableError, not as an unknown user', async () => {
    const store = new DynamoUserStore({
      client: dynamo.client,
      tableName: 'no-such-table',
      hasher,
    });

    await expect(store.findByIdentifier('a@example.com')).rejects.toBeInstanceOf(
      TableUnavailableError,
    );
    await expect(store.findById('some-id')).rejects.toBeInstanceOf(TableUnavailableError);
    await expect(
      new DynamoThrottleCounters(dynamo.client, 'no-such-table').add(
        throttleCounterKey('ip', 0, 'x'),
        1,
        60,
      ),
    ).rejects.toBeInstanceOf(TableUnavailableError);
  });
});
