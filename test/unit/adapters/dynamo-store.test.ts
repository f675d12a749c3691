/**
 * The DynamoDB adapters (user store and throttle counters) against aws-sdk-client-mock: the
 * tests assert on the commands our code sends (keys, conditions, expressions, order) and on
 * what it makes of DynamoDB's answers and errors. Mocked answers are tied to the keys they
 * belong to, so a read under the wrong key finds nothing. The stores' DocumentClient here is the
 * SDK's behind scripts/lib/sdk-document-client (the CLI's); the functions' own client speaks the
 * same inputs and answers (test/unit/aws/dynamodb.test.ts, test/integration).
 */
import { createHash } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  InternalServerError,
  ProvisionedThroughputExceededException,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { sdkDocumentClient } from '../../../scripts/lib/sdk-document-client';
import { DynamoThrottleCounters } from '../../../shared/users/dynamo-counters';
import {
  DynamoUserStore,
  IncompleteChangeError,
  IncompleteWriteError,
  InvalidUserError,
} from '../../../shared/users/dynamo-store';
import type { PasswordHasher } from '../../../shared/users/password';
import {
  emailKey,
  IS_NEW,
  KEY_PREFIX,
  keyOf,
  PARTITION_KEY,
  partitionKeyOf,
  pointerItem,
  REVISION_ATTRIBUTE,
  TableUnavailableError,
  throttleCounterKey,
  TTL_ATTRIBUTE,
  userAttributes,
  userItems,
  userKey,
  userOf,
  type Item,
} from '../../../shared/users/table';
import { UserExistsError, type User } from '../../../shared/users/types';

const TABLE = 'users-test';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const PASSWORD = 'correct horse battery staple';

/** Fast and deterministic; never contains the password it was given. */
const fakeHasher: PasswordHasher = {
  async hash(password) {
    return `fake$${createHash('sha256').update(password.normalize('NFKC')).digest('hex')}`;
  },
  async verify(phcHash, password) {
    return phcHash === (await fakeHasher.hash(password));
  },
  async verifyDummy() {
    return false;
  },
  needsRehash: () => false,
};

const ddb = mockClient(DynamoDBDocumentClient);
/** The SDK's document client behind the stores' interface, as the users CLI has it. */
const documentClient = sdkDocumentClient(
  DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    }),
  ),
);

function store(): DynamoUserStore {
  return new DynamoUserStore({ client: documentClient, tableName: TABLE, hasher: fakeHasher });
}

const alice: User = {
  id: '6f0d2c1e-3b4a-4c5d-8e9f-0a1b2c3d4e5f',
  email: 'alice@example.com',
  enabled: true,
  passwordHash: 'fake$old',
  passwordChangedAt: '2024-01-01T00:00:00.000Z',
  createdAt: '2024-01-01T00:00:00.000Z',
  updatedAt: '2024-01-01T00:00:00.000Z',
  profile: { name: 'Alice' },
};

/** What DynamoDB holds for a user: its email item and its id item, at one revision. */
function storeAlice(user: User = alice, revision = 3): void {
  const [emailItem, idItem] = userItems(user, revision);
  ddb.on(GetCommand, { Key: keyOf(userKey(user.id)) }).resolves({ Item: idItem });
  ddb.on(GetCommand, { Key: keyOf(emailKey(user.email)) }).resolves({ Item: emailItem });
}

/** A table from before the copies: the user under its email (no revision), a pointer by id. */
function storeAliceWithPointer(user: User = alice): void {
  ddb.on(GetCommand, { Key: keyOf(userKey(user.id)) }).resolves({ Item: pointerItem(user) });
  ddb
    .on(GetCommand, { Key: keyOf(emailKey(user.email)) })
    .resolves({ Item: { ...keyOf(emailKey(user.email)), ...user } });
}

/** The state an interrupted create leaves: the email item, nothing under the id. */
function storeAliceWithoutIdItem(revision = 1): void {
  ddb
    .on(GetCommand, { Key: keyOf(emailKey(alice.email)) })
    .resolves({ Item: userItems(alice, revision)[0] });
}

/** DynamoDB's answer to a change of the id item (ReturnValues ALL_NEW): `user` at `revision`. */
function idItemBecomes(user: User, revision: number): void {
  ddb
    .on(UpdateCommand, { Key: keyOf(userKey(user.id)) })
    .resolves({ Attributes: userItems(user, revision)[1] });
}

function conditionFailed(): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: { httpStatusCode: 400 },
  });
}

function throughputExceeded(): ProvisionedThroughputExceededException {
  return new ProvisionedThroughputExceededException({
    message: 'The level of configured provisioned throughput for the table was exceeded.',
    $metadata: { httpStatusCode: 400, attempts: 3 },
  });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, it succeeded');
}

function putInputs() {
  return ddb.commandCalls(PutCommand).map((call) => call.args[0].input);
}

function updateInputs() {
  return ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input);
}

function deleteInputs() {
  return ddb.commandCalls(DeleteCommand).map((call) => call.args[0].input);
}

/** The commands sent, in order, as `Get user#…`, `Update email#…`. */
function sequence(): string[] {
  return ddb.calls().map((call) => {
    const input = call.args[0].input as { Key?: Item; Item?: Item };
    const command = call.args[0].constructor.name.replace(/Command$/, '');
    return `${command} ${partitionKeyOf(input.Key) ?? partitionKeyOf(input.Item) ?? ''}`;
  });
}

/** The attributes an UpdateItem's `SET a = :a, …` writes (the store names placeholders so). */
function written(input: UpdateCommand['input'] | undefined): Item {
  const names = input?.ExpressionAttributeNames ?? {};
  const values = input?.ExpressionAttributeValues ?? {};
  const assignments = [...String(input?.UpdateExpression).matchAll(/(#\w+) = (:\w+)/g)];
  return Object.fromEntries(
    assignments.map(([, name, value]) => [String(names[name!]), values[value!] as unknown]),
  );
}

/** The condition of the copy over the email item: it holds this user, at an older revision. */
const OLDER_COPY = '#id = :id AND (attribute_not_exists(#revision) OR #revision < :revision)';

beforeEach(() => {
  ddb.reset();
  // DynamoDB answers a Get for a missing key with no Item; a Put/Update/Delete with {}.
  ddb.on(GetCommand).resolves({});
  ddb.on(PutCommand).resolves({});
  ddb.on(UpdateCommand).resolves({});
  ddb.on(DeleteCommand).resolves({});
  ddb.on(ScanCommand).resolves({ Items: [] });
});

afterAll(() => {
  ddb.restore();
});

describe('DynamoUserStore.create', () => {
  test('writes the user under its email key first, only if that key is free', async () => {
    await store().create({ email: 'alice@example.com', password: PASSWORD });

    const [first] = putInputs();
    expect(first?.TableName).toBe(TABLE);
    expect(partitionKeyOf(first?.Item)).toBe(emailKey('alice@example.com'));
    expect(first?.Item?.email).toBe('alice@example.com');
    expect(first?.Item?.[REVISION_ATTRIBUTE]).toBe(1);
    expect(first?.ConditionExpression).toBe(IS_NEW);
  });

  test('gives the user a random UUID as id, never the email', async () => {
    const user = await store().create({ email: 'alice@example.com', password: PASSWORD });

    const id = putInputs()[0]?.Item?.id as string;
    expect(id).toMatch(UUID_V4);
    expect(id).not.toContain('alice');
    expect(user.id).toBe(id);
  });

  test('gives every new user a fresh id', async () => {
    await store().create({ email: 'alice@example.com', password: PASSWORD });
    await store().create({ email: 'bob@example.com', password: PASSWORD });

    const ids = putInputs()
      .filter((input) => partitionKeyOf(input.Item)?.startsWith(KEY_PREFIX.email))
      .map((input) => input.Item?.id as unknown);
    expect(ids).toHaveLength(2);
    expect(ids[0]).not.toBe(ids[1]);
  });

  test('then writes the same user under its id, at the same revision, also only if free', async () => {
    const user = await store().create({ email: 'alice@example.com', password: PASSWORD });

    const [first, second] = putInputs();
    expect(putInputs()).toHaveLength(2);
    expect(second).toEqual({
      TableName: TABLE,
      Item: { ...keyOf(userKey(user.id)), ...userAttributes(user, 1) },
      ConditionExpression: IS_NEW,
    });
    expect(userOf(second?.Item)).toEqual(userOf(first?.Item));
    expect(userOf(first?.Item)).toEqual(user);
  });

  test.each([
    ['surrounding spaces', '  alice@example.com\t'],
    ['upper case', 'Alice@EXAMPLE.Com'],
    ['full-width characters (NFKC)', 'ａｌｉｃｅ＠ｅｘａｍｐｌｅ．ｃｏｍ'],
  ])('normalizes an email with %s before writing it', async (_kind, email) => {
    await store().create({ email, password: PASSWORD });

    const [first, second] = putInputs();
    expect(partitionKeyOf(first?.Item)).toBe(emailKey('alice@example.com'));
    expect(first?.Item?.email).toBe('alice@example.com');
    expect(second?.Item?.email).toBe('alice@example.com');
  });

  test("stores the hasher's hash and never the password itself", async () => {
    await store().create({ email: 'alice@example.com', password: PASSWORD });

    expect(putInputs()[0]?.Item?.passwordHash).toBe(await fakeHasher.hash(PASSWORD));
    expect(JSON.stringify(ddb.calls().map((call) => call.args[0].input))).not.toContain(
      'horse battery',
    );
  });

  test('a taken email (ConditionalCheckFailedException) is UserExistsError and writes nothing more', async () => {
    ddb.on(PutCommand).rejectsOnce(conditionFailed());
    const error = await failure(store().create({ email: 'alice@example.com', password: PASSWORD }));

    expect(error).toBeInstanceOf(UserExistsError);
    expect(putInputs()).toHaveLength(1);
    expect(ddb.commandCalls(DeleteCommand)).toHaveLength(0);
  });

  test('any other failure of the first write is TableUnavailableError, not UserExistsError', async () => {
    const sdkError = throughputExceeded();
    ddb.on(PutCommand).rejectsOnce(sdkError);
    const error = await failure(store().create({ email: 'alice@example.com', password: PASSWORD }));

    expect(error).toBeInstanceOf(TableUnavailableError);
    expect((error as Error).cause).toBe(sdkError);
    expect(putInputs()).toHaveLength(1);
  });

  test('a failure writing the id item takes both items back out, if they hold this user, and surfaces TableUnavailableError', async () => {
    const sdkError = throughputExceeded();
    ddb.on(PutCommand).resolvesOnce({}).rejectsOnce(sdkError);
    const error = await failure(store().create({ email: 'Alice@Example.com', password: PASSWORD }));

    expect(error).toBeInstanceOf(TableUnavailableError);
    expect((error as Error).cause).toBe(sdkError);
    const id = putInputs()[0]?.Item?.id as string;
    const holdsThisUser = {
      ConditionExpression: '#id = :id',
      ExpressionAttributeNames: { '#id': 'id' },
      ExpressionAttributeValues: { ':id': id },
    };
    // The id item too: a write whose answer was lost may have landed.
    expect(deleteInputs()).toEqual([
      { TableName: TABLE, Key: keyOf(userKey(id)), ...holdsThisUser },
      { TableName: TABLE, Key: keyOf(emailKey('alice@example.com')), ...holdsThisUser },
    ]);
    expect(sequence()).toEqual([
      `Put ${emailKey('alice@example.com')}`,
      `Put ${userKey(id)}`,
      `Delete ${userKey(id)}`,
      `Delete ${emailKey('alice@example.com')}`,
    ]);
  });

  test('no id item to take out (its condition fails) is no failure of the clean-up', async () => {
    ddb.on(PutCommand).resolvesOnce({}).rejectsOnce(throughputExceeded());
    ddb.on(DeleteCommand).rejectsOnce(conditionFailed()).resolves({});
    const error = await failure(store().create({ email: 'alice@example.com', password: PASSWORD }));

    expect(error).toBeInstanceOf(TableUnavailableError);
    expect(error).not.toBeInstanceOf(IncompleteWriteError);
    expect(deleteInputs()).toHaveLength(2);
  });

  test('reports an incomplete write (IncompleteWriteError naming what is left) when the clean-up fails too', async () => {
    const sdkError = throughputExceeded();
    const cleanupError = new Error('socket hang up');
    ddb.on(PutCommand).resolvesOnce({}).rejectsOnce(sdkError);
    ddb.on(DeleteCommand).rejects(cleanupError);
    const error = await failure(store().create({ email: 'alice@example.com', password: PASSWORD }));

    expect(error).toBeInstanceOf(IncompleteWriteError);
    // Still a table failure for whoever only knows that one (sign-in fails closed on it).
    expect(error).toBeInstanceOf(TableUnavailableError);
    const incomplete = error as IncompleteWriteError;
    const id = putInputs()[0]?.Item?.id as string;
    expect(incomplete.user).toMatchObject({ id, email: 'alice@example.com' });
    expect(incomplete.left).toBe(emailKey('alice@example.com'));
    expect(incomplete.missing).toBe(userKey(id));
    expect(incomplete.message).toContain(emailKey('alice@example.com'));
    expect(incomplete.message).toContain(userKey(id));
    expect(incomplete.cause).toBe(sdkError);
    expect(incomplete.cleanupError).toBe(cleanupError);
  });

  test.each([
    ['an invalid email', { email: 'not an email', password: PASSWORD }],
    ['a too short password', { email: 'alice@example.com', password: 'short' }],
    ['a too long password', { email: 'alice@example.com', password: 'x'.repeat(257) }],
    [
      'an http picture',
      { email: 'alice@example.com', password: PASSWORD, profile: { picture: 'http://x.test/a' } },
    ],
    [
      'a phone number not in E.164',
      { email: 'alice@example.com', password: PASSWORD, profile: { phone_number: '555-0123' } },
    ],
    [
      'a locale that is no BCP 47 tag',
      { email: 'alice@example.com', password: PASSWORD, profile: { locale: 'en_US' } },
    ],
  ])('refuses %s without touching the table', async (_kind, input) => {
    const error = await failure(store().create(input));

    expect(error).toBeInstanceOf(InvalidUserError);
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('DynamoUserStore.findByIdentifier', () => {
  test('reads the email item of the (normalized) identifier with one consistent read', async () => {
    storeAlice();
    const user = await store().findByIdentifier('alice@example.com');

    expect(ddb.commandCalls(GetCommand).map((call) => call.args[0].input)).toEqual([
      { TableName: TABLE, Key: keyOf(emailKey('alice@example.com')), ConsistentRead: true },
    ]);
    expect(user).toEqual(alice);
  });

  test('looks the identifier up as given: normalizing it is the caller’s, once', async () => {
    storeAlice();

    await expect(store().findByIdentifier('ALICE@Example.COM')).resolves.toBeUndefined();
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input.Key).toEqual(
      keyOf(emailKey('ALICE@Example.COM')),
    );
  });

  test("returns the user without the table's own attributes, with an empty profile when none is stored", async () => {
    const { profile: _profile, ...withoutProfile } = alice;
    ddb.on(GetCommand, { Key: keyOf(emailKey('alice@example.com')) }).resolves({
      Item: { ...keyOf(emailKey('alice@example.com')), ...withoutProfile, [REVISION_ATTRIBUTE]: 2 },
    });
    const user = await store().findByIdentifier('alice@example.com');

    expect(user).toEqual({ ...withoutProfile, profile: {} });
    expect(user).not.toHaveProperty(PARTITION_KEY);
    expect(user).not.toHaveProperty(REVISION_ATTRIBUTE);
  });

  test('an unknown identifier is undefined', async () => {
    await expect(store().findByIdentifier('nobody@example.com')).resolves.toBeUndefined();
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input.Key).toEqual(
      keyOf(emailKey('nobody@example.com')),
    );
  });

  test('an empty identifier is undefined without reading the table', async () => {
    await expect(store().findByIdentifier('')).resolves.toBeUndefined();
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('DynamoUserStore.findById', () => {
  test('reads the user under its id with one consistent read, and writes nothing', async () => {
    storeAlice();
    const user = await store().findById(alice.id);

    expect(ddb.calls().map((call) => call.args[0].input)).toEqual([
      { TableName: TABLE, Key: keyOf(userKey(alice.id)), ConsistentRead: true },
    ]);
    expect(user).toEqual(alice);
  });

  test('an id item that holds another user is undefined', async () => {
    ddb.on(GetCommand, { Key: keyOf(userKey(alice.id)) }).resolves({
      Item: { ...keyOf(userKey(alice.id)), ...alice, id: 'b7e1a0c2-0000-4000-8000-000000000000' },
    });

    await expect(store().findById(alice.id)).resolves.toBeUndefined();
  });

  test('an id without an item is undefined after a single read', async () => {
    await expect(store().findById(alice.id)).resolves.toBeUndefined();
    expect(ddb.calls()).toHaveLength(1);
  });

  describe('a pointer from before the copies (user# → { email })', () => {
    test('is followed to the email item (a second consistent read), and replaced by the copy', async () => {
      storeAliceWithPointer();
      const user = await store().findById(alice.id);

      expect(user).toEqual(alice);
      expect(ddb.commandCalls(GetCommand).map((call) => call.args[0].input)).toEqual([
        { TableName: TABLE, Key: keyOf(userKey(alice.id)), ConsistentRead: true },
        { TableName: TABLE, Key: keyOf(emailKey('alice@example.com')), ConsistentRead: true },
      ]);
      // With UpdateItem (the functions may not PutItem), while it is still the pointer.
      const [replacement] = updateInputs();
      expect(updateInputs()).toHaveLength(1);
      expect(replacement?.Key).toEqual(keyOf(userKey(alice.id)));
      expect(replacement?.ConditionExpression).toBe(
        'attribute_not_exists(#id) AND #email = :email',
      );
      expect(written(replacement)).toEqual(userAttributes(alice, 0));
    });

    test('leading to an email item that holds another id (the email was taken since) is undefined, and left alone', async () => {
      ddb.on(GetCommand, { Key: keyOf(userKey(alice.id)) }).resolves({ Item: pointerItem(alice) });
      ddb.on(GetCommand, { Key: keyOf(emailKey('alice@example.com')) }).resolves({
        Item: {
          ...keyOf(emailKey('alice@example.com')),
          ...alice,
          id: 'b7e1a0c2-0000-4000-8000-000000000000',
        },
      });

      await expect(store().findById(alice.id)).resolves.toBeUndefined();
      expect(updateInputs()).toEqual([]);
    });

    test('leading nowhere is undefined, and left alone', async () => {
      ddb.on(GetCommand, { Key: keyOf(userKey(alice.id)) }).resolves({ Item: pointerItem(alice) });

      await expect(store().findById(alice.id)).resolves.toBeUndefined();
      expect(updateInputs()).toEqual([]);
    });

    test.each([
      ['refused (replaced or deleted meanwhile)', conditionFailed],
      ['throttled', throughputExceeded],
    ])('still answers when its replacement is %s', async (_kind, makeError) => {
      storeAliceWithPointer();
      ddb.on(UpdateCommand).rejects(makeError());

      await expect(store().findById(alice.id)).resolves.toEqual(alice);
    });
  });
});

describe('DynamoUserStore changes a user: the id item first, then the same user over the email item', () => {
  test('setEnabled(false) sets the fields and the next revision on the id item, on condition it holds a user', async () => {
    const disabled = { ...alice, enabled: false, sessionsValidAfter: 'x', updatedAt: 'x' };
    idItemBecomes(disabled, 4);

    await expect(store().setEnabled(alice.id, false)).resolves.toEqual(disabled);

    const [change] = updateInputs();
    expect(change?.Key).toEqual(keyOf(userKey(alice.id)));
    expect(change?.ConditionExpression).toBe('attribute_exists(#id)');
    expect(change?.ReturnValues).toBe('ALL_NEW');
    expect(change?.UpdateExpression).toMatch(
      /, #revision = if_not_exists\(#revision, :zero\) \+ :one$/,
    );
    expect(change?.ExpressionAttributeValues).toMatchObject({ ':zero': 0, ':one': 1 });
    const fields = written(change);
    expect(fields).toMatchObject({ enabled: false });
    expect(fields.sessionsValidAfter).toBe(fields.updatedAt);
    expect(Object.keys(fields).sort()).toEqual(['enabled', 'sessionsValidAfter', 'updatedAt']);
  });

  test('then writes the changed user, at its revision, over the email item if that one is older', async () => {
    const disabled = { ...alice, enabled: false };
    idItemBecomes(disabled, 4);

    await store().setEnabled(alice.id, false);

    expect(sequence()).toEqual([`Update ${userKey(alice.id)}`, `Update ${emailKey(alice.email)}`]);
    const copy = updateInputs()[1];
    expect(copy?.ConditionExpression).toBe(OLDER_COPY);
    expect(written(copy)).toEqual(userAttributes(disabled, 4));
  });

  test('reads nothing', async () => {
    idItemBecomes(alice, 4);

    await store().revokeSessions(alice.id);

    expect(ddb.commandCalls(GetCommand)).toHaveLength(0);
  });

  test('setEnabled(true) leaves the sessions alone', async () => {
    idItemBecomes(alice, 4);

    await store().setEnabled(alice.id, true);

    expect(Object.keys(written(updateInputs()[0])).sort()).toEqual(['enabled', 'updatedAt']);
  });

  test('setPassword writes a fresh hash from the hasher, never the password, and ends the sessions', async () => {
    idItemBecomes(alice, 4);

    await store().setPassword(alice.id, PASSWORD);

    const [change] = updateInputs();
    const fields = written(change);
    expect(fields.passwordHash).toBe(await fakeHasher.hash(PASSWORD));
    expect(fields.sessionsValidAfter).toBe(fields.passwordChangedAt);
    expect(JSON.stringify(ddb.calls().map((call) => call.args[0].input))).not.toContain(
      'horse battery',
    );
  });

  test('a copy the email item refuses (a later change copied itself over already) is no failure', async () => {
    idItemBecomes(alice, 4);
    ddb.on(UpdateCommand, { Key: keyOf(emailKey(alice.email)) }).rejects(conditionFailed());

    await expect(store().revokeSessions(alice.id)).resolves.toEqual(alice);
  });

  test('a copy that fails is IncompleteChangeError: the change stands by id, and sign-in does not see it yet', async () => {
    const sdkError = throughputExceeded();
    idItemBecomes({ ...alice, enabled: false }, 4);
    ddb.on(UpdateCommand, { Key: keyOf(emailKey(alice.email)) }).rejects(sdkError);

    const error = await failure(store().setEnabled(alice.id, false));

    expect(error).toBeInstanceOf(IncompleteChangeError);
    expect(error).toBeInstanceOf(TableUnavailableError);
    expect((error as Error).cause).toBe(sdkError);
    expect((error as Error).message).toContain(userKey(alice.id));
    expect((error as Error).message).toContain(emailKey(alice.email));
    expect((error as Error).message).toContain(`repair ${alice.email}`);
  });

  test('no user under the id (refused, nothing there) is undefined, after one read and nothing written', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());

    await expect(store().setEnabled(alice.id, false)).resolves.toBeUndefined();

    expect(sequence()).toEqual([`Update ${userKey(alice.id)}`, `Get ${userKey(alice.id)}`]);
  });

  test('a pointer from before the copies is replaced by the copy first, then changed', async () => {
    storeAliceWithPointer();
    ddb
      .on(UpdateCommand, { Key: keyOf(userKey(alice.id)) })
      .rejectsOnce(conditionFailed())
      .resolvesOnce({})
      .resolves({ Attributes: userItems({ ...alice, enabled: false }, 1)[1] });

    await expect(store().setEnabled(alice.id, false)).resolves.toMatchObject({ enabled: false });

    expect(sequence()).toEqual([
      `Update ${userKey(alice.id)}`,
      `Get ${userKey(alice.id)}`,
      `Get ${emailKey(alice.email)}`,
      `Update ${userKey(alice.id)}`,
      `Update ${userKey(alice.id)}`,
      `Update ${emailKey(alice.email)}`,
    ]);
    expect(updateInputs()[1]?.ConditionExpression).toBe(
      'attribute_not_exists(#id) AND #email = :email',
    );
  });

  describe('replacePasswordHash', () => {
    test('replaces the hash on the id item only if it is still the one the sign-in read, then copies, reading nothing', async () => {
      idItemBecomes({ ...alice, passwordHash: 'fake$new' }, 4);

      await expect(store().replacePasswordHash(alice, 'fake$new')).resolves.toBe(true);

      expect(ddb.commandCalls(GetCommand)).toHaveLength(0);
      const [change, copy] = updateInputs();
      expect(updateInputs()).toHaveLength(2);
      expect(change?.Key).toEqual(keyOf(userKey(alice.id)));
      expect(change?.ConditionExpression).toBe(
        'attribute_exists(#id) AND #passwordHash = :expected',
      );
      expect(change?.ExpressionAttributeValues).toMatchObject({ ':expected': 'fake$old' });
      expect(written(change)).toEqual({ passwordHash: 'fake$new' });
      expect(copy?.Key).toEqual(keyOf(emailKey(alice.email)));
      expect(written(copy)).toMatchObject({ passwordHash: 'fake$new', [REVISION_ATTRIBUTE]: 4 });
    });

    test('is false when the hash changed meanwhile, and brings an email item that is behind up to date', async () => {
      storeAlice({ ...alice, passwordHash: 'fake$other' }, 5);
      ddb.on(UpdateCommand, { Key: keyOf(userKey(alice.id)) }).rejects(conditionFailed());

      await expect(store().replacePasswordHash(alice, 'fake$new')).resolves.toBe(false);

      expect(sequence()).toEqual([
        `Update ${userKey(alice.id)}`,
        `Get ${userKey(alice.id)}`,
        `Update ${emailKey(alice.email)}`,
      ]);
      expect(updateInputs()[1]?.ConditionExpression).toBe(OLDER_COPY);
      expect(written(updateInputs()[1])).toMatchObject({
        passwordHash: 'fake$other',
        [REVISION_ATTRIBUTE]: 5,
      });
    });
  });
});

describe('DynamoUserStore.delete', () => {
  test('removes the id item first, then the email item on condition it holds this user', async () => {
    ddb
      .on(DeleteCommand, { Key: keyOf(userKey(alice.id)) })
      .resolves({ Attributes: userItems(alice, 3)[1] });

    await expect(store().delete(alice.id)).resolves.toBe(true);

    expect(deleteInputs()).toEqual([
      { TableName: TABLE, Key: keyOf(userKey(alice.id)), ReturnValues: 'ALL_OLD' },
      {
        TableName: TABLE,
        Key: keyOf(emailKey('alice@example.com')),
        ConditionExpression: '#id = :id',
        ExpressionAttributeNames: { '#id': 'id' },
        ExpressionAttributeValues: { ':id': alice.id },
      },
    ]);
    expect(ddb.commandCalls(GetCommand)).toHaveLength(0);
  });

  test('is false when nothing was under the id, and touches no email item', async () => {
    await expect(store().delete(alice.id)).resolves.toBe(false);

    expect(deleteInputs()).toHaveLength(1);
  });

  test('is true when the email item was gone already (a delete stopped half-way, run again)', async () => {
    ddb
      .on(DeleteCommand, { Key: keyOf(userKey(alice.id)) })
      .resolves({ Attributes: userItems(alice, 3)[1] });
    ddb.on(DeleteCommand, { Key: keyOf(emailKey(alice.email)) }).rejects(conditionFailed());

    await expect(store().delete(alice.id)).resolves.toBe(true);
  });

  test('removes a pointer from before the copies, and the email item it leads to if it holds this user', async () => {
    ddb
      .on(DeleteCommand, { Key: keyOf(userKey(alice.id)) })
      .resolves({ Attributes: pointerItem(alice) });

    await expect(store().delete(alice.id)).resolves.toBe(true);
    expect(sequence()).toEqual([`Delete ${userKey(alice.id)}`, `Delete ${emailKey(alice.email)}`]);
  });

  test('a pointer that led to another user’s email item deleted nobody: false', async () => {
    ddb
      .on(DeleteCommand, { Key: keyOf(userKey(alice.id)) })
      .resolves({ Attributes: pointerItem(alice) });
    ddb.on(DeleteCommand, { Key: keyOf(emailKey(alice.email)) }).rejects(conditionFailed());

    await expect(store().delete(alice.id)).resolves.toBe(false);
  });
});

describe('DynamoUserStore.repair', () => {
  test('writes the missing id item from the email item, only if there is none', async () => {
    storeAliceWithoutIdItem(2);

    await expect(store().repair('alice@example.com')).resolves.toBe('restored');

    expect(putInputs()).toEqual([
      { TableName: TABLE, Item: userItems(alice, 2)[1], ConditionExpression: IS_NEW },
    ]);
  });

  test('replaces a pointer from before the copies by the copy', async () => {
    storeAliceWithPointer();

    await expect(store().repair('alice@example.com')).resolves.toBe('restored');

    expect(sequence().filter((call) => !call.startsWith('Get'))).toEqual([
      `Update ${userKey(alice.id)}`,
    ]);
    expect(written(updateInputs()[0])).toEqual(userAttributes(alice, 0));
  });

  test('copies an id item that is ahead (a change stopped half-way) over the email item', async () => {
    const disabled = { ...alice, enabled: false };
    ddb
      .on(GetCommand, { Key: keyOf(emailKey(alice.email)) })
      .resolves({ Item: userItems(alice, 3)[0] });
    ddb
      .on(GetCommand, { Key: keyOf(userKey(alice.id)) })
      .resolves({ Item: userItems(disabled, 4)[1] });

    await expect(store().repair('alice@example.com')).resolves.toBe('restored');

    const [copy] = updateInputs();
    expect(updateInputs()).toHaveLength(1);
    expect(copy?.Key).toEqual(keyOf(emailKey(alice.email)));
    expect(copy?.ConditionExpression).toBe(OLDER_COPY);
    expect(written(copy)).toEqual(userAttributes(disabled, 4));
  });

  test('takes the email item’s user when the two differ at one revision (a change by a version from before the copies)', async () => {
    const disabledByOldCli = { ...alice, enabled: false };
    ddb
      .on(GetCommand, { Key: keyOf(emailKey(alice.email)) })
      .resolves({ Item: userItems(disabledByOldCli, 3)[0] });
    ddb
      .on(GetCommand, { Key: keyOf(userKey(alice.id)) })
      .resolves({ Item: userItems(alice, 3)[1] });
    idItemBecomes(disabledByOldCli, 4);

    await expect(store().repair('alice@example.com')).resolves.toBe('restored');

    const [change, copy] = updateInputs();
    expect(change?.Key).toEqual(keyOf(userKey(alice.id)));
    expect(written(change)).toMatchObject({ enabled: false });
    expect(copy?.Key).toEqual(keyOf(emailKey(alice.email)));
  });

  test('writes nothing for a complete user', async () => {
    storeAlice();

    await expect(store().repair('alice@example.com')).resolves.toBe('complete');

    expect(sequence()).toEqual([`Get ${emailKey(alice.email)}`, `Get ${userKey(alice.id)}`]);
  });

  test('writes nothing for an unknown identifier', async () => {
    await expect(store().repair('nobody@example.com')).resolves.toBeUndefined();

    expect(sequence()).toEqual([`Get ${emailKey('nobody@example.com')}`]);
  });

  test('leaves an id item of another email alone: conflict', async () => {
    ddb
      .on(GetCommand, { Key: keyOf(emailKey(alice.email)) })
      .resolves({ Item: userItems(alice, 3)[0] });
    ddb
      .on(GetCommand, { Key: keyOf(userKey(alice.id)) })
      .resolves({ Item: pointerItem({ id: alice.id, email: 'mallory@example.com' }) });

    await expect(store().repair('alice@example.com')).resolves.toBe('conflict');

    expect(sequence().filter((call) => !call.startsWith('Get'))).toEqual([]);
  });

  test('an id item written meanwhile (condition failed) is a conflict, left alone', async () => {
    storeAliceWithoutIdItem();
    ddb.on(PutCommand).rejects(conditionFailed());

    await expect(store().repair('alice@example.com')).resolves.toBe('conflict');
  });

  test('any other failure is TableUnavailableError', async () => {
    storeAliceWithoutIdItem();
    ddb.on(PutCommand).rejects(throughputExceeded());

    expect(await failure(store().repair('alice@example.com'))).toBeInstanceOf(
      TableUnavailableError,
    );
  });
});

describe('DynamoUserStore.list', () => {
  test('scans only email items, follows the pages, and returns the users without the table’s attributes', async () => {
    ddb
      .on(ScanCommand)
      .resolvesOnce({
        Items: [userItems(alice, 3)[0]],
        LastEvaluatedKey: keyOf(emailKey('alice@example.com')),
      })
      .resolvesOnce({ Items: [] });
    const users: User[] = [];
    for await (const user of store().list()) users.push(user);

    const scans = ddb.commandCalls(ScanCommand).map((call) => call.args[0].input);
    expect(scans).toHaveLength(2);
    expect(scans[0]).toMatchObject({
      TableName: TABLE,
      FilterExpression: `begins_with(${PARTITION_KEY}, :prefix)`,
      ExpressionAttributeValues: { ':prefix': KEY_PREFIX.email },
    });
    expect(scans[0]?.ExclusiveStartKey).toBeUndefined();
    expect(scans[1]?.ExclusiveStartKey).toEqual(keyOf(emailKey('alice@example.com')));
    expect(users).toEqual([alice]);
  });
});

describe('DynamoUserStore fails closed', () => {
  const errors: [string, () => Error][] = [
    ['ProvisionedThroughputExceededException', throughputExceeded],
    [
      'ResourceNotFoundException',
      () =>
        new ResourceNotFoundException({
          message: 'Requested resource not found',
          $metadata: {},
        }),
    ],
    [
      'InternalServerError',
      () => new InternalServerError({ message: 'Internal server error', $metadata: {} }),
    ],
    [
      'a networking error',
      () =>
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' }),
    ],
    [
      'a request timeout',
      () =>
        Object.assign(new Error('Connection timed out after 2000 ms'), { name: 'TimeoutError' }),
    ],
  ];
  const operations: [string, (users: DynamoUserStore) => Promise<unknown>][] = [
    ['findByIdentifier', (users) => users.findByIdentifier('alice@example.com')],
    ['findById', (users) => users.findById(alice.id)],
    ['create', (users) => users.create({ email: 'alice@example.com', password: PASSWORD })],
    ['replacePasswordHash', (users) => users.replacePasswordHash(alice, 'b')],
    ['setEnabled', (users) => users.setEnabled(alice.id, false)],
    ['delete', (users) => users.delete(alice.id)],
    ['repair', (users) => users.repair('alice@example.com')],
    [
      'list',
      async (users) => {
        for await (const _user of users.list()) {
          // drain
        }
      },
    ],
  ];
  const cases = errors.flatMap(([errorName, makeError]) =>
    operations.map(([operation, run]) => ({ errorName, makeError, operation, run })),
  );

  test.each(cases)(
    '$operation: $errorName is TableUnavailableError',
    async ({ makeError, run }) => {
      const sdkError = makeError();
      ddb.rejects(sdkError);
      const error = await failure(run(store()));

      expect(error).toBeInstanceOf(TableUnavailableError);
      expect((error as Error).cause).toBe(sdkError);
      expect(ddb.calls().length).toBeGreaterThan(0);
    },
  );

  test('delete: the email item failing after the id item is gone is TableUnavailableError', async () => {
    const sdkError = throughputExceeded();
    ddb
      .on(DeleteCommand, { Key: keyOf(userKey(alice.id)) })
      .resolves({ Attributes: userItems(alice, 3)[1] });
    ddb.on(DeleteCommand, { Key: keyOf(emailKey(alice.email)) }).rejects(sdkError);

    const error = await failure(store().delete(alice.id));

    expect(error).toBeInstanceOf(TableUnavailableError);
    expect((error as Error).cause).toBe(sdkError);
  });
});

describe('DynamoThrottleCounters', () => {
  function counters(): DynamoThrottleCounters {
    return new DynamoThrottleCounters(documentClient, TABLE);
  }

  const KEY = throttleCounterKey('source', 1700000000, 'tag', '192.0.2.1');

  /**
   * Plays DynamoDB's conditional ADD: a condition `#count < :limit` (or no item yet) holds or the
   * write fails with ConditionalCheckFailedException; otherwise the count grows by :by.
   */
  function countInMemory(): Map<string, number> {
    const table = new Map<string, number>();
    ddb.on(UpdateCommand).callsFake((input: UpdateCommand['input']) => {
      const key = String(partitionKeyOf(input.Key));
      const values = input.ExpressionAttributeValues ?? {};
      const count = table.get(key);
      if (input.ConditionExpression !== undefined) {
        expect(input.ConditionExpression).toBe('attribute_not_exists(#count) OR #count < :limit');
        if (count !== undefined && count >= Number(values[':limit'])) {
          throw new ConditionalCheckFailedException({
            message: 'The conditional request failed',
            $metadata: {},
          });
        }
      }
      table.set(key, (count ?? 0) + Number(values[':by']));
      return {};
    });
    return table;
  }

  const updates = () => ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input);

  test('addBelow raises the counter by one with a single conditional UpdateItem ADD', async () => {
    countInMemory();
    await counters().addBelow(KEY, 5, 1700001800);

    expect(ddb.calls()).toHaveLength(1);
    const [update] = updates();
    expect(update?.TableName).toBe(TABLE);
    expect(update?.Key).toEqual(keyOf(KEY));
    expect(update?.UpdateExpression).toMatch(/^ADD #count :by\b/);
    expect(update?.ExpressionAttributeNames?.['#count']).toBe('count');
    expect(update?.ExpressionAttributeValues).toMatchObject({ ':by': 1, ':limit': 5 });
  });

  test('addBelow says whether it counted: yes below the limit, no at it, and the count stays', async () => {
    const table = countInMemory();
    const store = counters();

    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await store.addBelow(KEY, 3, 1700001800));

    expect(answers).toEqual([true, true, true, false]);
    expect(table.get(KEY)).toBe(3);
  });

  test('add raises or lowers the counter by any amount, without a condition', async () => {
    const table = countInMemory();
    const store = counters();
    await store.addBelow(KEY, 3, 1700001800);
    await store.addBelow(KEY, 3, 1700001800);

    await store.add(KEY, -1, 1700001800);

    expect(table.get(KEY)).toBe(1);
    const give = updates().at(-1);
    expect(give?.ConditionExpression).toBeUndefined();
    expect(give?.UpdateExpression).toMatch(/^ADD #count :by\b/);
    expect(give?.ExpressionAttributeValues?.[':by']).toBe(-1);
  });

  test.each([
    ['addBelow', (store: DynamoThrottleCounters) => store.addBelow(KEY, 3, 1700001800)],
    ['add', (store: DynamoThrottleCounters) => store.add(KEY, -1, 1700001800)],
  ])('%s sets the expiry only when the counter is created', async (_name, write) => {
    countInMemory();
    await write(counters());

    const [update] = updates();
    expect(update?.UpdateExpression).toContain(
      '#expiresAt = if_not_exists(#expiresAt, :expiresAt)',
    );
    expect(update?.ExpressionAttributeNames?.['#expiresAt']).toBe(TTL_ATTRIBUTE);
    expect(update?.ExpressionAttributeValues?.[':expiresAt']).toBe(1700001800);
  });

  test('clear deletes the counter by its key', async () => {
    await counters().clear(KEY);

    expect(ddb.commandCalls(DeleteCommand).map((call) => call.args[0].input)).toEqual([
      { TableName: TABLE, Key: keyOf(KEY) },
    ]);
  });

  test.each([
    ['ProvisionedThroughputExceededException', throughputExceeded],
    ['a networking error', () => new Error('socket hang up')],
  ])('an addBelow or add failing with %s is TableUnavailableError', async (_kind, makeError) => {
    const sdkError = makeError();
    ddb.on(UpdateCommand).rejects(sdkError);

    for (const error of [
      await failure(counters().addBelow(KEY, 3, 2)),
      await failure(counters().add(KEY, -1, 2)),
    ]) {
      expect(error).toBeInstanceOf(TableUnavailableError);
      expect((error as Error).cause).toBe(sdkError);
    }
  });

  test('a failed condition on add (which has none) is not taken for a refusal', async () => {
    ddb.on(UpdateCommand).rejects(
      new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: {},
      }),
    );

    expect(await counters().addBelow(KEY, 3, 2)).toBe(false);
    expect(await failure(counters().add(KEY, 1, 2))).toBeInstanceOf(TableUnavailableError);
  });

  test('a clear failing is TableUnavailableError', async () => {
    const sdkError = throughputExceeded();
    ddb.on(DeleteCommand).rejects(sdkError);
    const error = await failure(counters().clear(KEY));

    expect(error).toBeInstanceOf(TableUnavailableError);
    expect((error as Error).cause).toBe(sdkError);
  });
});
