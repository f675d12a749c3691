/**
 * DynamoEmailTokens (the mailed links) against a real (embedded) dynalite: only the hash is a
 * key, a link is never written over another, it is consumed by one conditional write (of many
 * racing consumes exactly one wins), and its time is checked by the code, not by the TTL.
 */
import { emailTokenHash, newEmailToken } from '../../shared/flows/email-links';
import { DynamoEmailTokens, EMAIL_TOKEN_KEPT_SECONDS } from '../../shared/users/email-tokens';
import { DynamoUserStore } from '../../shared/users/dynamo-store';
import { emailTokenKey, TTL_ATTRIBUTE } from '../../shared/users/table';
import { startTestDynamo, type TestDynamo } from './support/dynamo';

jest.setTimeout(30_000);

const NOW = 1_800_000_000;
let dynamo: TestDynamo;

beforeAll(async () => {
  dynamo = await startTestDynamo();
});

afterAll(async () => {
  await dynamo?.stop();
});

async function fresh() {
  const table = await dynamo.newTable();
  return { table, tokens: new DynamoEmailTokens(dynamo.client, table) };
}

const RECORD = {
  purpose: 'reset' as const,
  email: 'alice@example.com',
  subject: 'user-1',
  validUntilSeconds: NOW + 3600,
  issuedAtMs: NOW * 1000 - 250,
};

describe('DynamoEmailTokens', () => {
  it('keeps the link under its hash only, with the TTL a day after its end', async () => {
    const { table, tokens } = await fresh();
    const { token, hash } = newEmailToken();
    await tokens.save(hash, RECORD);
    const items = await dynamo.items(table);
    expect(items).toEqual([
      {
        pk: emailTokenKey(emailTokenHash(token)),
        purpose: 'reset',
        email: 'alice@example.com',
        subject: 'user-1',
        validUntil: NOW + 3600,
        issuedAt: NOW * 1000 - 250,
        [TTL_ATTRIBUTE]: NOW + 3600 + EMAIL_TOKEN_KEPT_SECONDS,
      },
    ]);
    expect(JSON.stringify(items)).not.toContain(token);
    await expect(tokens.save(hash, { ...RECORD, subject: 'user-2' })).rejects.toThrow();
    expect(await tokens.find(hash)).toEqual(RECORD);
  });

  it('lets exactly one of many racing consumes win', async () => {
    const { tokens } = await fresh();
    const { hash } = newEmailToken();
    await tokens.save(hash, RECORD);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => tokens.consume(hash, 'reset', NOW)),
    );
    expect(results.filter((result) => result !== undefined)).toHaveLength(1);
    expect((await tokens.find(hash))?.usedAtSeconds).toBe(NOW);
  });

  it('consumes nothing past its time, of another purpose, or unknown', async () => {
    const { tokens } = await fresh();
    const { hash } = newEmailToken();
    await tokens.save(hash, RECORD);
    expect(await tokens.consume(hash, 'reset', NOW + 3600)).toBeUndefined();
    expect(await tokens.consume(hash, 'verify', NOW)).toBeUndefined();
    expect(await tokens.consume(newEmailToken().hash, 'reset', NOW)).toBeUndefined();
    expect((await tokens.find(hash))?.usedAtSeconds).toBeUndefined();
    expect(await tokens.consume(hash, 'reset', NOW + 3599)).toMatchObject({
      usedAtSeconds: NOW + 3599,
    });
  });
});

const HASHER = {
  hash: (password: string) => Promise.resolve(`hash:${password}`),
  verify: () => Promise.resolve(true),
  verifyDummy: () => Promise.resolve(false as const),
  needsRehash: () => false,
};

describe('DynamoUserStore.setEmailVerified', () => {
  it('marks the address verified on both items, only while it is the one given', async () => {
    const table = await dynamo.newTable();
    const store = new DynamoUserStore({ client: dynamo.client, tableName: table, hasher: HASHER });
    const user = await store.create({ email: 'bob@example.com', password: 'bob password 1' });
    expect(await store.setEmailVerified(user.id, 'other@example.com')).toBeUndefined();
    expect((await store.findById(user.id))?.profile.email_verified).toBeUndefined();
    expect((await store.setEmailVerified(user.id, 'bob@example.com'))?.profile.email_verified).toBe(
      true,
    );
    expect((await store.findByIdentifier('bob@example.com'))?.profile.email_verified).toBe(true);
  });

  it('reads nothing when the address is still the one given: one update of each item, the rest of the profile kept', async () => {
    const table = await dynamo.newTable();
    const calls: string[] = [];
    const counted = new Proxy(dynamo.client, {
      get: (target, name: string) => {
        const member = Reflect.get(target, name) as unknown;
        if (typeof member !== 'function') return member;
        return (...args: unknown[]) => {
          calls.push(name);
          return (member as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const store = new DynamoUserStore({ client: counted, tableName: table, hasher: HASHER });
    const user = await store.create({
      email: 'carol@example.com',
      password: 'carol password 1',
      profile: { name: 'Carol', locale: 'de' },
    });
    calls.length = 0;

    const verified = await store.setEmailVerified(user.id, 'carol@example.com');

    expect(calls).toEqual(['update', 'update']);
    expect(verified?.profile).toEqual({ name: 'Carol', locale: 'de', email_verified: true });
    for (const found of [
      await store.findById(user.id),
      await store.findByIdentifier('carol@example.com'),
    ]) {
      expect(found?.profile).toEqual({ name: 'Carol', locale: 'de', email_verified: true });
      expect(found?.updatedAt).toBe(verified?.updatedAt);
    }
  });

  it('verifies a user stored without a profile (the reading path)', async () => {
    const table = await dynamo.newTable();
    const store = new DynamoUserStore({ client: dynamo.client, tableName: table, hasher: HASHER });
    const user = await store.create({ email: 'dan@example.com', password: 'dan password 12' });
    for (const item of await dynamo.items(table)) {
      const { profile: _profile, ...withoutProfile } = item;
      await dynamo.sdk.put({ TableName: table, Item: withoutProfile });
    }
    expect((await dynamo.items(table)).every((item) => !('profile' in item))).toBe(true);

    const verified = await store.setEmailVerified(user.id, 'dan@example.com');

    expect(verified?.profile.email_verified).toBe(true);
    expect((await store.findByIdentifier('dan@example.com'))?.profile.email_verified).toBe(true);
  });
});
