/**
 * shared/aws/dynamodb.ts, our DynamoDB document client, in memory (a transport of the test's
 * own): it sends what the AWS SDK's document client sends for the same input, reads DynamoDB's
 * answers as the SDK does, signs as the SDK's signer does, and fails and retries as the SDK was
 * set up to (maxAttempts 3). Against dynalite, over HTTP: test/integration (the stores).
 */
import { Readable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  backoffMs,
  DynamoDbClient,
  DynamoDbError,
  retryKind,
  type DynamoDbClientOptions,
} from '../../../shared/aws/dynamodb';
import type { HydraRequestInit, HydraResponse } from '../../../shared/hydra/transport';
import { Sha256 } from '../support/sha256';

const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session-token-example',
};
const NOW = new Date('2026-12-02T03:04:05.678Z');
const REGION = 'eu-central-1';

interface Sent {
  url: string;
  init: HydraRequestInit;
}

type Answer = { status: number; body: string; headers?: Record<string, string> } | Error;

/** A transport answering each request with the next of `answers` (the last one repeats). */
function transport(...answers: Answer[]) {
  const sent: Sent[] = [];
  const send = (url: string, init: HydraRequestInit): Promise<HydraResponse> => {
    sent.push({ url, init });
    const answer = answers[Math.min(sent.length, answers.length) - 1]!;
    if (answer instanceof Error) return Promise.reject(answer);
    return Promise.resolve({
      status: answer.status,
      header: (name: string) => answer.headers?.[name.toLowerCase()],
      text: () => Promise.resolve(answer.body),
    });
  };
  return { send, sent };
}

function client(
  send: ReturnType<typeof transport>['send'],
  options: Partial<DynamoDbClientOptions> = {},
): { client: DynamoDbClient; sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    client: new DynamoDbClient({
      region: REGION,
      credentials: () => CREDENTIALS,
      transport: send,
      now: () => NOW,
      random: () => 0.5,
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      ...options,
    }),
    sleeps,
  };
}

const ok = (body: object = {}): Answer => ({ status: 200, body: JSON.stringify(body) });
const failure = (status: number, type: string, message = 'The request failed'): Answer => ({
  status,
  body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message }),
});

/** The AWS SDK's document client as the functions had it, on a handler that records. */
function sdkClient(answer: string) {
  const requests: { headers: Record<string, string>; body: string; path: string }[] = [];
  const sdk = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: REGION,
      credentials: CREDENTIALS,
      requestHandler: {
        handle: (request: { headers: Record<string, string>; body: Uint8Array; path: string }) => {
          requests.push({ ...request, body: Buffer.from(request.body).toString('utf8') });
          return Promise.resolve({
            response: {
              statusCode: 200,
              headers: {},
              body: Readable.from([Buffer.from(answer)]),
            },
          });
        },
      } as never,
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  return { sdk, requests };
}

const KEY = { pk: 'factors#user-1' };
const VALUES = {
  ':codes': new Set(['tag-a', 'tag-b']),
  ':steps': new Set([3, 1]),
  ':totp': { secret: 'sealed', lastStep: 42, createdAt: undefined },
  ':amr': ['pwd', 'otp'],
  ':bytes': new Uint8Array([0, 1, 254]),
  ':nothing': null,
  ':enabled': true,
  ':missing': undefined,
};
const ITEM = {
  pk: 'email#alice@example.com',
  id: 'user-1',
  revision: 3,
  enabled: false,
  profile: { name: 'Alice', email_verified: true, locale: undefined },
  recoveryCodes: new Set(['x', 'y']),
};
/** An item as DynamoDB answers it. */
const STORED = {
  pk: { S: 'email#alice@example.com' },
  revision: { N: '3' },
  big: { N: '12345678901234567890' },
  codes: { SS: ['x', 'y'] },
  counts: { NS: ['1', '2.5'] },
  bytes: { B: 'AAH+' },
  profile: { M: { name: { S: 'Alice' }, tags: { L: [{ S: 'a' }, { NULL: true }] } } },
  enabled: { BOOL: false },
};

const OPERATIONS = [
  {
    operation: 'GetItem',
    input: { TableName: 'users', Key: KEY, ConsistentRead: true },
    ours: (c: DynamoDbClient, input: object) => c.get(input as never),
    sdk: (input: object) => new GetCommand(input as never),
    answer: { Item: STORED },
  },
  {
    operation: 'PutItem',
    input: { TableName: 'users', Item: ITEM, ConditionExpression: 'attribute_not_exists(pk)' },
    ours: (c: DynamoDbClient, input: object) => c.put(input as never),
    sdk: (input: object) => new PutCommand(input as never),
    answer: {},
  },
  {
    operation: 'UpdateItem',
    input: {
      TableName: 'users',
      Key: KEY,
      UpdateExpression: 'SET #a = :totp, #b = :codes',
      ConditionExpression: '#c = :enabled',
      ExpressionAttributeNames: { '#a': 'totp', '#b': 'recoveryCodes', '#c': 'enabled' },
      ExpressionAttributeValues: VALUES,
      ReturnValues: 'ALL_NEW',
    },
    ours: (c: DynamoDbClient, input: object) => c.update(input as never),
    sdk: (input: object) => new UpdateCommand(input as never),
    answer: {
      Attributes: STORED,
      ItemCollectionMetrics: { ItemCollectionKey: { pk: { S: 'x' } }, SizeEstimateRangeGB: [1] },
    },
  },
  {
    operation: 'DeleteItem',
    input: { TableName: 'users', Key: KEY, ReturnValues: 'ALL_OLD' },
    ours: (c: DynamoDbClient, input: object) => c.delete(input as never),
    sdk: (input: object) => new DeleteCommand(input as never),
    answer: { Attributes: STORED },
  },
  {
    operation: 'Scan',
    input: {
      TableName: 'users',
      FilterExpression: 'begins_with(pk, :prefix)',
      ExpressionAttributeValues: { ':prefix': 'email#' },
      ExclusiveStartKey: { pk: 'email#a' },
    },
    ours: (c: DynamoDbClient, input: object) => c.scan(input as never),
    sdk: (input: object) => new ScanCommand(input as never),
    answer: {
      Items: [STORED, { pk: { S: 'email#b' } }],
      Count: 2,
      LastEvaluatedKey: { pk: { S: 'email#b' } },
    },
  },
];

describe.each(OPERATIONS)('$operation', ({ operation, input, ours, sdk, answer }) => {
  it("sends what the SDK's document client sends: the target, the type and the body", async () => {
    const { send, sent } = transport(ok(answer));
    await ours(client(send).client, input);
    const reference = sdkClient(JSON.stringify(answer));
    await reference.sdk.send(sdk(input) as never);

    const [request] = sent;
    const [expected] = reference.requests;
    expect(sent).toHaveLength(1);
    expect(request!.url).toBe(`https://dynamodb.${REGION}.amazonaws.com/`);
    expect(request!.init.method).toBe('POST');
    expect(request!.init.headers['x-amz-target']).toBe(`DynamoDB_20120810.${operation}`);
    expect(request!.init.headers['x-amz-target']).toBe(expected!.headers['x-amz-target']);
    expect(request!.init.headers['content-type']).toBe(expected!.headers['content-type']);
    expect(JSON.parse(request!.init.body!)).toStrictEqual(JSON.parse(expected!.body));
  });

  it('reads the answer as the SDK does', async () => {
    const { send } = transport(ok(answer));
    const read = await ours(client(send).client, input);
    const reference = sdkClient(JSON.stringify(answer));
    const { $metadata: _metadata, ...expected } = (await reference.sdk.send(
      sdk(input) as never,
    )) as Record<string, unknown>;

    expect(read).toStrictEqual(expected);
  });
});

describe('the signature', () => {
  it.each([
    ['with a session token (Lambda)', CREDENTIALS],
    ['without one', { ...CREDENTIALS, sessionToken: undefined }],
  ])("is the one the AWS SDK's signer makes, %s", async (_name, credentials) => {
    const { send, sent } = transport(ok());
    await client(send, { credentials: () => credentials }).client.get({
      TableName: 'users',
      Key: KEY,
    });
    const { headers, body } = sent[0]!.init;
    const { authorization, ...unsigned } = headers;
    const signed = await new SignatureV4({
      credentials,
      region: REGION,
      service: 'dynamodb',
      sha256: Sha256,
      applyChecksum: false,
    }).sign(
      {
        method: 'POST',
        protocol: 'https:',
        hostname: `dynamodb.${REGION}.amazonaws.com`,
        path: '/',
        headers: unsigned,
        body,
      },
      { signingDate: NOW },
    );

    expect(authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261202\/eu-central-1\/dynamodb\/aws4_request, /,
    );
    expect(authorization).toBe(signed.headers.authorization);
  });

  it('goes to the configured endpoint (dynalite), signed for the region', async () => {
    const { send, sent } = transport(ok());
    await client(send, { endpoint: 'http://127.0.0.1:4567' }).client.get({
      TableName: 'users',
      Key: KEY,
    });

    expect(sent[0]!.url).toBe('http://127.0.0.1:4567/');
    expect(sent[0]!.init.headers.host).toBe('127.0.0.1:4567');
    expect(sent[0]!.init.headers.authorization).toContain(`/${REGION}/dynamodb/aws4_request`);
  });

  it('is not made without credentials: a MissingCredentials error, nothing sent', async () => {
    const { send, sent } = transport(ok());
    const call = client(send, { credentials: () => undefined }).client.get({
      TableName: 'users',
      Key: KEY,
    });

    await expect(call).rejects.toMatchObject({ name: 'MissingCredentials', attempts: 1 });
    expect(sent).toHaveLength(0);
  });
});

describe('errors', () => {
  it("is named after DynamoDB's error type, with the status", async () => {
    const { send } = transport(failure(400, 'ConditionalCheckFailedException'));
    const error = await client(send)
      .client.update({ TableName: 'users', Key: KEY, UpdateExpression: 'SET a = :a' })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(DynamoDbError);
    expect(error).toMatchObject({
      name: 'ConditionalCheckFailedException',
      status: 400,
      operation: 'UpdateItem',
    });
  });

  it('takes the type from the x-amzn-ErrorType header when the body has none', async () => {
    const { send } = transport({
      status: 413,
      body: '<html>too large</html>',
      headers: { 'x-amzn-errortype': 'RequestEntityTooLarge:http://internal.amazon.com/' },
    });

    await expect(client(send).client.get({ TableName: 'users', Key: KEY })).rejects.toMatchObject({
      name: 'RequestEntityTooLarge',
      status: 413,
    });
  });

  it("carries neither the request's values nor DynamoDB's message", async () => {
    const secret = 'argon2id$secret-hash-value';
    const { send } = transport(
      failure(400, 'ValidationException', `Invalid value ${secret} for attribute passwordHash`),
    );
    const error = (await client(send)
      .client.put({ TableName: 'users', Item: { pk: 'email#a', passwordHash: secret } })
      .catch((caught: unknown) => caught)) as DynamoDbError;

    expect(error.name).toBe('ValidationException');
    expect(JSON.stringify({ ...error, message: error.message, stack: error.stack })).not.toContain(
      'secret-hash-value',
    );
  });

  it('refuses a value DynamoDB cannot store before sending anything', async () => {
    const { send, sent } = transport(ok());
    await expect(
      client(send).client.put({ TableName: 'users', Item: { pk: 'x', at: new Date() } }),
    ).rejects.toThrow('an instance of Date');
    expect(sent).toHaveLength(0);
  });
});

describe('retries', () => {
  const get = (c: DynamoDbClient) => c.get({ TableName: 'users', Key: KEY });

  it.each([
    [
      'ProvisionedThroughputExceededException',
      failure(400, 'ProvisionedThroughputExceededException'),
    ],
    ['ThrottlingException', failure(400, 'ThrottlingException')],
    ['RequestLimitExceeded', failure(400, 'RequestLimitExceeded')],
    ['InternalServerError (500)', failure(500, 'InternalServerError')],
    ['ServiceUnavailable (503)', failure(503, 'ServiceUnavailable')],
    ['a dropped connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    // What the transport rejects with when the attempt's deadline passes (the signal's reason).
    ['a timeout', Object.assign(new Error('The operation timed out'), { name: 'TimeoutError' })],
  ])('tries %s three times in all, then fails with it', async (_name, answer) => {
    const { send, sent } = transport(answer);
    const error = (await get(client(send).client).catch(
      (caught: unknown) => caught,
    )) as DynamoDbError;

    expect(sent).toHaveLength(3);
    expect(error).toBeInstanceOf(DynamoDbError);
    expect(error.attempts).toBe(3);
  });

  it.each([
    ['ConditionalCheckFailedException', failure(400, 'ConditionalCheckFailedException')],
    ['ValidationException', failure(400, 'ValidationException')],
    ['ResourceNotFoundException (no table)', failure(400, 'ResourceNotFoundException')],
    ['AccessDeniedException', failure(400, 'AccessDeniedException')],
    ['UnrecognizedClientException', failure(400, 'UnrecognizedClientException')],
  ])('never retries %s', async (name, answer) => {
    const { send, sent } = transport(answer);

    await expect(get(client(send).client)).rejects.toMatchObject({
      name: name.split(' ')[0],
      attempts: 1,
    });
    expect(sent).toHaveLength(1);
  });

  it('answers with the first attempt that succeeds', async () => {
    const { send, sent } = transport(
      failure(400, 'ProvisionedThroughputExceededException'),
      ok({ Item: { pk: { S: 'factors#user-1' } } }),
    );

    await expect(get(client(send).client)).resolves.toStrictEqual({
      Item: { pk: 'factors#user-1' },
    });
    expect(sent).toHaveLength(2);
  });

  it('waits a jittered backoff between attempts: longer for throttling', async () => {
    const throttled = client(transport(failure(400, 'ThrottlingException')).send);
    const failing = client(transport(failure(500, 'InternalServerError')).send);
    await get(throttled.client).catch(() => undefined);
    await get(failing.client).catch(() => undefined);

    // random() = 0.5: half of 1 s and 2 s; half of 50 ms and 100 ms.
    expect(throttled.sleeps).toEqual([500, 1000]);
    expect(failing.sleeps).toEqual([25, 50]);
  });

  it('stops when the caller gives up (its abort signal fired): no attempt after it', async () => {
    const caller = new AbortController();
    const { send, sent } = transport(failure(500, 'InternalServerError'));
    const { client: c } = client(send, {
      sleep: () => {
        caller.abort();
        return Promise.resolve();
      },
    });

    await expect(
      c.get({ TableName: 'users', Key: KEY }, { abortSignal: caller.signal }),
    ).rejects.toMatchObject({ name: 'InternalServerError' });
    expect(sent).toHaveLength(1);
  });

  it("gives each attempt its deadline, and the caller's signal", async () => {
    const caller = new AbortController();
    const { send, sent } = transport(ok());
    await client(send, { attemptTimeoutMs: 50 }).client.get(
      { TableName: 'users', Key: KEY },
      { abortSignal: caller.signal },
    );
    const { signal } = sent[0]!.init;
    expect(signal.aborted).toBe(false);

    caller.abort();
    expect(signal.aborted).toBe(true);
  });
});

describe('the retry decision (pure)', () => {
  const error = (name: string, status?: number) => new DynamoDbError(name, 'GetItem', status, 1);

  it.each([
    [error('ProvisionedThroughputExceededException', 400), 'throttling'],
    [error('ThrottlingException', 400), 'throttling'],
    [error('RequestLimitExceeded', 400), 'throttling'],
    [error('InternalServerError', 500), 'transient'],
    [error('UnknownError', 502), 'transient'],
    [error('TimeoutError'), 'transient'],
    [error('NetworkError'), 'transient'],
    [error('ConditionalCheckFailedException', 400), undefined],
    [error('TransactionCanceledException', 400), undefined],
    [error('MissingCredentials'), undefined],
    [error('InvalidAnswer', 200), undefined],
  ])('%s → %s', (failed, kind) => {
    expect(retryKind(failed)).toBe(kind);
  });

  it('backs off with full jitter below 2^retry × 50 ms, or × 1 s for throttling', () => {
    expect(backoffMs('transient', 0, 0.999)).toBe(49);
    expect(backoffMs('transient', 1, 0.999)).toBe(99);
    expect(backoffMs('throttling', 0, 0.999)).toBe(999);
    expect(backoffMs('throttling', 1, 0.999)).toBe(1998);
    expect(backoffMs('throttling', 1, 0)).toBe(0);
    expect(backoffMs('throttling', 10, 0.999)).toBeLessThan(20_000);
  });
});
