/**
 * DynamoLoginSessions (when each remembered Hydra login session began) against a real
 * (embedded) dynalite. DynamoDB's TTL removes expired records some time after their expiry, and
 * dynalite never does: the expiry is checked by the code, which these tests prove.
 */
import { DynamoLoginSessions } from '../../shared/users/login-sessions';
import {
  keyOf,
  loginSessionKey,
  TableUnavailableError,
  TTL_ATTRIBUTE,
} from '../../shared/users/table';
import { startTestDynamo, type TestDynamo } from './support/dynamo';

jest.setTimeout(30_000);

const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);
const NOW_SECONDS = NOW / 1000;
const SID = 'a5b1c9d0-hydra-login-session';
const SESSION = {
  subject: 'user-3f1c',
  authenticatedAtSeconds: NOW_SECONDS - 3600,
  amr: ['pwd'],
  browserBound: true,
};

let dynamo: TestDynamo;

beforeAll(async () => {
  dynamo = await startTestDynamo();
});

afterAll(async () => {
  await dynamo?.stop();
});

/** Login sessions in a new table, read at a time the test sets. */
async function fresh() {
  const table = await dynamo.newTable();
  let now = NOW;
  const sessions = new DynamoLoginSessions(dynamo.client, table, () => now);
  return {
    table,
    sessions,
    setNow: (value: number) => {
      now = value;
    },
  };
}

async function rawItem(table: string, key: string): Promise<Record<string, unknown> | undefined> {
  const result = await dynamo.sdk.get({ TableName: table, Key: keyOf(key), ConsistentRead: true });
  return result.Item;
}

describe('DynamoLoginSessions on dynalite', () => {
  it('finds a recorded session by its id', async () => {
    const { sessions } = await fresh();

    await sessions.record(SID, SESSION, NOW_SECONDS + 86_400);

    expect(await sessions.find(SID)).toEqual(SESSION);
  });

  it('finds nothing for a session that was never recorded', async () => {
    const { sessions } = await fresh();
    await sessions.record(SID, SESSION, NOW_SECONDS + 86_400);

    expect(await sessions.find(`${SID}-other`)).toBeUndefined();
  });

  it('stores the record under login#<sid> with the expiry in the TTL attribute', async () => {
    const { table, sessions } = await fresh();

    await sessions.record(SID, SESSION, NOW_SECONDS + 86_400);

    expect(await rawItem(table, loginSessionKey(SID))).toEqual({
      ...keyOf(loginSessionKey(SID)),
      subject: SESSION.subject,
      authenticatedAt: SESSION.authenticatedAtSeconds,
      amr: ['pwd'],
      browserBound: true,
      [TTL_ATTRIBUTE]: NOW_SECONDS + 86_400,
    });
  });

  it('finds nothing once the record has expired, while the item is still in the table', async () => {
    const { table, sessions, setNow } = await fresh();
    const expiresAt = NOW_SECONDS + 60;
    await sessions.record(SID, SESSION, expiresAt);

    setNow(expiresAt * 1000 - 1);
    expect(await sessions.find(SID)).toEqual(SESSION);

    setNow(expiresAt * 1000);
    expect(await sessions.find(SID)).toBeUndefined();
    expect(await rawItem(table, loginSessionKey(SID))).toBeDefined();
  });

  it('keeps only the latest sign-in of a session', async () => {
    const { sessions } = await fresh();
    await sessions.record(SID, SESSION, NOW_SECONDS + 60);
    const later = {
      subject: 'user-9a8b',
      authenticatedAtSeconds: NOW_SECONDS,
      amr: ['pwd', 'otp'],
      browserBound: false,
    };

    await sessions.record(SID, later, NOW_SECONDS + 86_400);

    expect(await sessions.find(SID)).toEqual(later);
  });

  it('reads a record written before the methods were recorded as a password sign-in with "keep me signed in"', async () => {
    const { table, sessions } = await fresh();
    await dynamo.sdk.put({
      TableName: table,
      Item: {
        ...keyOf(loginSessionKey(SID)),
        subject: 'user-1',
        authenticatedAt: NOW_SECONDS - 60,
        [TTL_ATTRIBUTE]: NOW_SECONDS + 60,
      },
    });

    expect(await sessions.find(SID)).toEqual({
      subject: 'user-1',
      authenticatedAtSeconds: NOW_SECONDS - 60,
      amr: ['pwd'],
      browserBound: false,
    });
  });

  const valid = {
    subject: 'user-1',
    authenticatedAt: NOW_SECONDS,
    [TTL_ATTRIBUTE]: NOW_SECONDS + 60,
  };

  it.each([
    ['with methods that are not a list', { ...valid, amr: 'pwd', browserBound: false }],
    ['with no methods', { ...valid, amr: [], browserBound: false }],
    ['with methods but no browser binding', { ...valid, amr: ['pwd'] }],
    ['with a browser binding but no methods', { ...valid, browserBound: true }],
    ['without a subject', { authenticatedAt: NOW_SECONDS, [TTL_ATTRIBUTE]: NOW_SECONDS + 60 }],
    [
      'with a start that is not a number',
      { subject: 'user-1', authenticatedAt: '1735732800', [TTL_ATTRIBUTE]: NOW_SECONDS + 60 },
    ],
    ['without an expiry', { subject: 'user-1', authenticatedAt: NOW_SECONDS }],
    [
      'with an expiry that is not a number',
      {
        subject: 'user-1',
        authenticatedAt: NOW_SECONDS,
        [TTL_ATTRIBUTE]: String(NOW_SECONDS + 60),
      },
    ],
  ])('finds nothing in a record %s', async (_name, attributes) => {
    const { table, sessions } = await fresh();
    await dynamo.sdk.put({
      TableName: table,
      Item: { ...keyOf(loginSessionKey(SID)), ...attributes },
    });

    expect(await sessions.find(SID)).toBeUndefined();
  });

  it('fails closed when the table cannot be reached', async () => {
    const sessions = new DynamoLoginSessions(dynamo.client, 'no-such-table', () => NOW);

    await expect(sessions.record(SID, SESSION, NOW_SECONDS + 60)).rejects.toBeInstanceOf(
      TableUnavailableError,
    );
    await expect(sessions.find(SID)).rejects.toBeInstanceOf(TableUnavailableError);
  });
});
