/**
 * DynamoLoginSessions against aws-sdk-client-mock: the commands it sends and what it makes of
 * DynamoDB's answers, including one a real table can give and dynalite never does (a read from a
 * replica that has not seen the latest write yet). The SDK's document client is behind the
 * stores' interface as the CLI has it (scripts/lib/sdk-document-client).
 */
import { DynamoDBClient, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  UpdateCommand,
  type GetCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { sdkDocumentClient } from '../../../scripts/lib/sdk-document-client';
import { DynamoLoginSessions } from '../../../shared/users/login-sessions';
import {
  keyOf,
  loginSessionKey,
  partitionKeyOf,
  TableUnavailableError,
  TTL_ATTRIBUTE,
} from '../../../shared/users/table';

const TABLE = 'users-test';
const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);
const SID = 'hydra-login-session-1';
const SESSION = {
  subject: 'user-1',
  authenticatedAtSeconds: NOW / 1000 - 60,
  amr: ['pwd'],
  browserBound: true,
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
const sessions = () => new DynamoLoginSessions(documentClient, TABLE, () => NOW);

/**
 * A table with a replica behind: a write is seen at once by a strongly consistent read, and by
 * an eventually consistent one only later (here: never).
 */
function laggingTable(): void {
  const written = new Map<string, Record<string, unknown>>();
  ddb.on(UpdateCommand).callsFake((input: UpdateCommandInput) => {
    const key = String(partitionKeyOf(input.Key));
    const values = input.ExpressionAttributeValues ?? {};
    written.set(key, {
      ...keyOf(key),
      subject: values[':subject'],
      authenticatedAt: values[':at'],
      amr: values[':amr'],
      browserBound: values[':bound'],
      [TTL_ATTRIBUTE]: values[':expiresAt'],
    });
    return {};
  });
  ddb.on(GetCommand).callsFake((input: GetCommandInput) => {
    const item = input.ConsistentRead ? written.get(String(partitionKeyOf(input.Key))) : undefined;
    return item ? { Item: item } : {};
  });
}

beforeEach(() => {
  ddb.reset();
});

afterAll(() => {
  ddb.restore();
});

describe('DynamoLoginSessions', () => {
  it('records a session with one UpdateItem under login#<sid>, its expiry in the TTL attribute', async () => {
    ddb.on(UpdateCommand).resolves({});

    await sessions().record(SID, SESSION, NOW / 1000 + 3600);

    const [update] = ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(ddb.calls()).toHaveLength(1);
    expect(update?.TableName).toBe(TABLE);
    expect(update?.Key).toEqual(keyOf(loginSessionKey(SID)));
    const names = update?.ExpressionAttributeNames ?? {};
    const values = update?.ExpressionAttributeValues ?? {};
    expect(names['#expiresAt']).toBe(TTL_ATTRIBUTE);
    expect(values).toEqual({
      ':subject': SESSION.subject,
      ':at': SESSION.authenticatedAtSeconds,
      ':amr': ['pwd'],
      ':bound': true,
      ':expiresAt': NOW / 1000 + 3600,
    });
  });

  it('finds a session right after it was recorded, whichever replica answers', async () => {
    laggingTable();
    const store = sessions();

    await store.record(SID, SESSION, NOW / 1000 + 3600);

    expect(await store.find(SID)).toEqual(SESSION);
  });

  it('fails closed when DynamoDB fails', async () => {
    const sdkError = new ProvisionedThroughputExceededException({
      message: 'The level of configured provisioned throughput for the table was exceeded.',
      $metadata: {},
    });
    ddb.on(UpdateCommand).rejects(sdkError);
    ddb.on(GetCommand).rejects(sdkError);

    await expect(sessions().record(SID, SESSION, NOW / 1000 + 60)).rejects.toBeInstanceOf(
      TableUnavailableError,
    );
    await expect(sessions().find(SID)).rejects.toBeInstanceOf(TableUnavailableError);
  });
});
