/**
 * The DynamoDB adapters (user store and throttle counters) against aws-sdk-client-mock: the
 * tests assert on the commands our code sends (keys, conditions, expressions, order) and on
 * what it makes of DynamoDB's answers and errors. Mocked answers are tied to the keys they
 * belong to, so a read under the wrong key finds nothing.
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
import { DynamoThrottleCounters } from '../../../shared/users/dynamo-counters';
import {
  DynamoUserStore,
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
  TableUnavailableError,
  throttleCounterKey,
  TTL_ATTRIBUTE,
  userKey,
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
const documentClient = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  }),
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

/** What DynamoDB holds for a user, and its pointer. */
function storeAlice(user: User = alice): void {
  ddb
    .on(GetCommand, { Key: keyOf(userKey(user.id)) })
    .resolves({ Item: { ...keyOf(userKey(user.id)), email: user.email } });
  ddb
    .on(GetCommand, { Key: keyOf(emailKey(user.email)) })
    .resolves({ Item: { ...keyOf(emailKey(user.email)), ...user } });
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
  test('writes the user under its email# key only if that key is free', async () => {
    await store().create({ email: 'alice@example.com', password: PASSWORD });

    const [first] = putInputs();
    expect(first?.TableName).toBe(TABLE);
    expect(partitionKeyOf(first?.Item)).toBe(emailKey('alice@example.com'));
    expect(first?.Item?.email).toBe('alice@example.com');
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
      .map((input) => input.Item?.id);
    expect(ids).toHaveLength(2);
    expect(ids[0]).not.toBe(ids[1]);
  });

  test('then writes the user# pointer to the email, also only if free', async () => {
    await store().create({ email: 'alice@example.com', password: PASSWORD });

    const [first, second] = putInputs();
    expect(putInputs()).toHaveLength(2);
    expect(second).toEqual({
      TableName: TABLE,
      Item: { ...keyOf(userKey(first?.Item?.id)), email: 'alice@example.com' },
      ConditionExpression: IS_NEW,
    });
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

  test('a failure writing the pointer deletes the email# item again and surfaces TableUnavailableError', async () => {
    const sdkError = throughputExceeded();
    ddb.on(PutCommand).resolvesOnce({}).rejectsOnce(sdkError);
    const error = await failure(store().create({ email: 'Alice@Example.com', password: PASSWORD }));

    expect(error).toBeInstanceOf(TableUnavailableError);
    expect((error as Error).cause).toBe(sdkError);
    const deletes = ddb.commandCalls(DeleteCommand).map((call) => call.args[0].input);
    expect(deletes).toEqual([
      expect.objectContaining({ TableName: TABLE, Key: keyOf(emailKey('alice@example.com')) }),
    ]);
    // The clean-up comes after the failed pointer write.
    const order = ddb.calls().map((call) => call.args[0].constructor.name);
    expect(order).toEqual(['PutCommand', 'PutCommand', 'DeleteCommand']);
  });

  test('reports an incomplete write (IncompleteWriteError naming what is left) when the clean-up fails too', async () => {
    const sdkError = throughputExceeded();
    const cleanupError = new Error('socket hang up');
    ddb.on(PutCommand).resolvesOnce({}).rejectsOnce(sdkError);
    ddb.on(DeleteCommand).rejects(cleanupError);
    const error = await failure(store().create({ email: 'alice@example.com', password: PASSWORD }));

    expect(ddb.commandCalls(DeleteCommand)).toHaveLength(1);
    expect(error).toBeInstanceOf(IncompleteWriteError);
    // Still a store failure for whoever only knows that one (sign-in fails closed on it).
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
    expect(user?.id).toBe(alice.id);
  });

  test('looks the identifier up as given: normalizing it is the caller’s, once', async () => {
    storeAlice();

    await expect(store().findByIdentifier('ALICE@Example.COM')).resolves.toBeUndefined();
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input.Key).toEqual(
      keyOf(emailKey('ALICE@Example.COM')),
    );
  });

  test('returns the user without the table key, with an empty profile when none is stored', async () => {
    const { profile: _profile, ...withoutProfile } = alice;
    ddb
      .on(GetCommand, { Key: keyOf(emailKey('alice@example.com')) })
      .resolves({ Item: { ...keyOf(emailKey('alice@example.com')), ...withoutProfile } });
    const user = await store().findByIdentifier('alice@example.com');

    expect(user).toEqual({ ...withoutProfile, profile: {} });
    expect(user).not.toHaveProperty(PARTITION_KEY);
  });

  test('an unknown identifier is undefined', async () => {
    await expect(store().findByIdentifier('nobody@example.com')).resolves.toBeUndefined();
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input.Key).toEqual({
      ...keyOf(emailKey('nobody@example.com')),
    });
  });

  test('an empty identifier is undefined without reading the table', async () => {
    await expect(store().findByIdentifier('')).resolves.toBeUndefined();
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('DynamoUserStore.findById', () => {
  test('follows the user# pointer to the email# item, reading consistently', async () => {
    storeAlice();
    const user = await store().findById(alice.id);

    expect(ddb.commandCalls(GetCommand).map((call) => call.args[0].input)).toEqual([
      { TableName: TABLE, Key: keyOf(userKey(alice.id)), ConsistentRead: true },
      { TableName: TABLE, Key: keyOf(emailKey('alice@example.com')), ConsistentRead: true },
    ]);
    expect(user?.id).toBe(alice.id);
    expect(user?.email).toBe('alice@example.com');
  });

  test('refuses a pointer whose target belongs to another id (the email was taken since)', async () => {
    ddb
      .on(GetCommand, { Key: keyOf(userKey(alice.id)) })
      .resolves({ Item: { ...keyOf(userKey(alice.id)), email: alice.email } });
    ddb.on(GetCommand, { Key: keyOf(emailKey('alice@example.com')) }).resolves({
      Item: {
        ...keyOf(emailKey('alice@example.com')),
        ...alice,
        id: 'b7e1a0c2-0000-4000-8000-000000000000',
      },
    });

    await expect(store().findById(alice.id)).resolves.toBeUndefined();
  });

  test('refuses a pointer whose target is gone', async () => {
    ddb
      .on(GetCommand, { Key: keyOf(userKey(alice.id)) })
      .resolves({ Item: { ...keyOf(userKey(alice.id)), email: alice.email } });

    await expect(store().findById(alice.id)).resolves.toBeUndefined();
  });

  test('an id without a pointer is undefined after a single read', async () => {
    await expect(store().findById(alice.id)).resolves.toBeUndefined();
    expect(ddb.commandCalls(GetCommand)).toHaveLength(1);
  });
});

describe('DynamoUserStore.restoreIdPointer', () => {
  /** The state an interrupted create leaves: the user item, no pointer. */
  function storeAliceWithoutPointer(): void {
    ddb
      .on(GetCommand, { Key: keyOf(emailKey('alice@example.com')) })
      .resolves({ Item: { ...keyOf(emailKey('alice@example.com')), ...alice } });
  }

  test('writes the missing user# pointer to the email, only if there is none', async () => {
    storeAliceWithoutPointer();

    await expect(store().restoreIdPointer('alice@example.com')).resolves.toBe('restored');

    expect(putInputs()).toEqual([
      {
        TableName: TABLE,
        Item: { ...keyOf(userKey(alice.id)), email: 'alice@example.com' },
        ConditionExpression: IS_NEW,
      },
    ]);
  });

  test('writes nothing for a complete user', async () => {
    storeAlice();

    await expect(store().restoreIdPointer('alice@example.com')).resolves.toBe('complete');

    expect(putInputs()).toEqual([]);
  });

  test('writes nothing for an unknown identifier', async () => {
    await expect(store().restoreIdPointer('nobody@example.com')).resolves.toBeUndefined();

    expect(putInputs()).toEqual([]);
  });

  test('leaves a pointer that leads elsewhere alone (condition failed): conflict', async () => {
    storeAliceWithoutPointer();
    ddb.on(PutCommand).rejects(conditionFailed());

    await expect(store().restoreIdPointer('alice@example.com')).resolves.toBe('conflict');
  });

  test('any other failure is TableUnavailableError', async () => {
    storeAliceWithoutPointer();
    ddb.on(PutCommand).rejects(throughputExceeded());

    expect(await failure(store().restoreIdPointer('alice@example.com'))).toBeInstanceOf(
      TableUnavailableError,
    );
  });
});

describe('DynamoUserStore writes to an existing user', () => {
  test('replacePasswordHash updates the hash only if it is still the old one, for this user, reading nothing', async () => {
    storeAlice();
    await expect(store().replacePasswordHash(alice, 'fake$new')).resolves.toBe(true);

    expect(ddb.commandCalls(GetCommand)).toHaveLength(0);
    const updates = ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(updates).toHaveLength(1);
    const [update] = updates;
    expect(update?.TableName).toBe(TABLE);
    expect(update?.Key).toEqual(keyOf(emailKey('alice@example.com')));
    expect(update?.UpdateExpression).toBe('SET passwordHash = :new');
    expect(update?.ConditionExpression).toMatch(/\bpasswordHash = :expected\b/);
    expect(update?.ConditionExpression).toMatch(/\bid = :id\b/);
    expect(update?.ExpressionAttributeValues).toEqual({
      ':new': 'fake$new',
      ':expected': 'fake$old',
      ':id': alice.id,
    });
  });

  test('replacePasswordHash is false when the hash or the user changed meanwhile (condition failed)', async () => {
    storeAlice();
    ddb.on(UpdateCommand).rejects(conditionFailed());

    await expect(store().replacePasswordHash(alice, 'fake$new')).resolves.toBe(false);
  });

  test('setEnabled updates the email# item on condition it still holds this user', async () => {
    storeAlice();
    ddb
      .on(UpdateCommand)
      .resolves({ Attributes: { ...keyOf(emailKey('alice@example.com')), ...alice } });
    await store().setEnabled(alice.id, false);

    const [update] = ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(update?.Key).toEqual(keyOf(emailKey('alice@example.com')));
    expect(update?.ConditionExpression).toBe('id = :id');
    expect(update?.UpdateExpression).toMatch(/\benabled = :enabled\b/);
    expect(update?.ExpressionAttributeValues).toMatchObject({ ':enabled': false, ':id': alice.id });
  });

  test('setPassword writes a fresh hash from the hasher, never the password', async () => {
    storeAlice();
    ddb
      .on(UpdateCommand)
      .resolves({ Attributes: { ...keyOf(emailKey('alice@example.com')), ...alice } });
    await store().setPassword(alice.id, PASSWORD);

    const [update] = ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(update?.ConditionExpression).toBe('id = :id');
    expect(update?.ExpressionAttributeValues?.[':hash']).toBe(await fakeHasher.hash(PASSWORD));
    expect(JSON.stringify(update)).not.toContain('horse battery');
  });

  test('delete removes the email# item on condition it holds this user, then the pointer', async () => {
    storeAlice();
    await expect(store().delete(alice.id)).resolves.toBe(true);

    expect(ddb.commandCalls(DeleteCommand).map((call) => call.args[0].input)).toEqual([
      {
        TableName: TABLE,
        Key: keyOf(emailKey('alice@example.com')),
        ConditionExpression: 'id = :id',
        ExpressionAttributeValues: { ':id': alice.id },
      },
      { TableName: TABLE, Key: keyOf(userKey(alice.id)) },
    ]);
  });

  test('list scans only email# items and follows the pages', async () => {
    ddb
      .on(ScanCommand)
      .resolvesOnce({
        Items: [{ ...keyOf(emailKey('alice@example.com')), ...alice }],
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
    expect(users.map((user) => user.id)).toEqual([alice.id]);
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

  test.each([
    ['setEnabled', (users: DynamoUserStore) => users.setEnabled(alice.id, true)],
    ['delete', (users: DynamoUserStore) => users.delete(alice.id)],
  ])(
    '%s: a throttled write after a successful read is TableUnavailableError',
    async (_name, run) => {
      storeAlice();
      const sdkError = throughputExceeded();
      ddb.on(UpdateCommand).rejects(sdkError);
      ddb.on(DeleteCommand).rejects(sdkError);
      const error = await failure(run(store()));

      expect(error).toBeInstanceOf(TableUnavailableError);
      expect((error as Error).cause).toBe(sdkError);
    },
  );
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
