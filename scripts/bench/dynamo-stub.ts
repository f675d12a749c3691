/**
 * A stand-in for DynamoDB's JSON protocol (the calls our functions make: GetItem, UpdateItem,
 * DeleteItem, PutItem on the users table), answering at once from a fixed set of items and
 * counting every call. Served over loopback to the cold-start runs (./dynamo-server) and over an
 * in-memory socket to the warm runs (./memory-connection). No imports at run time.
 */
import { count, type CallCounts } from './hydra-stub';

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

/** `DynamoDB_20120810.GetItem` → `GetItem` */
export function operationOf(target: string | undefined): string {
  return (target ?? '').split('.').pop() ?? '';
}

/** The JSON answer to one call; throttle counters always come back as 1 (a first attempt). */
export function answerDynamo(
  target: string | undefined,
  body: string,
  items: StubItems,
  counts: CallCounts,
): string {
  const operation = operationOf(target);
  count(counts, operation);
  const request = JSON.parse(body || '{}') as { Key?: { pk?: { S?: string } } };
  switch (operation) {
    case 'GetItem': {
      const item = items[request.Key?.pk?.S ?? ''];
      return JSON.stringify(item ? { Item: (marshal(item) as { M: object }).M } : {});
    }
    case 'UpdateItem':
      return JSON.stringify({ Attributes: { count: { N: '1' } } });
    default:
      return '{}';
  }
}
