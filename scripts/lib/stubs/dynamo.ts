/**
 * Stand-ins for DynamoDB's JSON protocol (the calls our functions make: GetItem, UpdateItem,
 * DeleteItem, PutItem on the users table): an answer from a fixed set of items, counting every
 * call (the bench), and DynamoDB's throttling answer (the fault tests and the failing proxy of
 * the CLI's integration tests). No imports at run time: the bench's warm runner bundles it.
 */
import { count, type CallCounts, type StubReply } from './reply';

/** Items by partition key, as plain values (marshalled on the way out). */
export type StubItems = Record<string, Record<string, unknown>>;

type AttributeValue =
  | { S: string }
  | { N: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { L: AttributeValue[] }
  | { M: Record<string, AttributeValue> };

function marshal(value: unknown): AttributeValue {
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(marshal) };
  if (value !== null && typeof value === 'object') {
    const map: Record<string, AttributeValue> = {};
    for (const [name, inner] of Object.entries(value)) {
      if (inner !== undefined) map[name] = marshal(inner);
    }
    return { M: map };
  }
  return { NULL: true };
}

/** `DynamoDB_20120810.GetItem` (the x-amz-target header) → `GetItem` */
export function operationOf(target: string | undefined): string {
  return (target ?? '').split('.').pop() ?? '';
}

/** The partition key a request is about: its Item's (PutItem) or its Key's. */
export function pkOf(body: string): string {
  const request = JSON.parse(body || '{}') as {
    Item?: { pk?: { S?: string } };
    Key?: { pk?: { S?: string } };
  };
  return request.Item?.pk?.S ?? request.Key?.pk?.S ?? '';
}

/**
 * The JSON answer to one call. The items never change: an UpdateItem of an item that is there and
 * asks for it back (a link used up, a user changed) gets the item as it is; any other UpdateItem
 * is a throttle counter, which always comes back as 1 (a first attempt).
 */
export function answerDynamo(
  target: string | undefined,
  body: string,
  items: StubItems,
  counts: CallCounts,
): string {
  const operation = operationOf(target);
  count(counts, operation);
  switch (operation) {
    case 'GetItem': {
      const item = items[pkOf(body)];
      return JSON.stringify(item ? { Item: (marshal(item) as { M: object }).M } : {});
    }
    case 'UpdateItem': {
      const item = items[pkOf(body)];
      const returns = (JSON.parse(body || '{}') as { ReturnValues?: string }).ReturnValues;
      if (item && (returns === 'ALL_NEW' || returns === 'ALL_OLD')) {
        return JSON.stringify({ Attributes: (marshal(item) as { M: object }).M });
      }
      return JSON.stringify({ Attributes: { count: { N: '1' } } });
    }
    default:
      return '{}';
  }
}

/** An answer of answerDynamo's as DynamoDB sends it. */
export function dynamoReply(body: string): StubReply {
  return {
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'bench' },
    body,
  };
}

/** What DynamoDB answers when it throttles a request. */
export const THROTTLED: StubReply = {
  status: 400,
  headers: {
    'content-type': 'application/x-amz-json-1.0',
    'x-amzn-requestid': 'THROTTLED0000000000000000000000000000000000000000000',
  },
  body: JSON.stringify({
    __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
    message: 'The level of configured provisioned throughput for the table was exceeded.',
  }),
};
