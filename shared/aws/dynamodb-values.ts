/**
 * DynamoDB's attribute values as its JSON protocol carries them, to and from the plain values the
 * stores read and write: what the AWS SDK's document client does (@aws-sdk/util-dynamodb's
 * marshall/unmarshall, with `removeUndefinedValues: true` and numbers read back as `number`),
 * checked against it in test/unit/aws/dynamodb-values.test.ts.
 *
 *   string → S, number and bigint → N, boolean → BOOL, null → NULL, array → L, plain object and
 *   Map → M, Set of strings / numbers (or bigints) / bytes → SS / NS / BS, bytes (Uint8Array,
 *   Buffer, any ArrayBuffer view, ArrayBuffer) → B, as base64 on the wire.
 *
 * Undefined values (and functions) are left out of maps, lists and sets, as the SDK does with
 * `removeUndefinedValues`. Refused, as by the SDK: NaN and ±Infinity, numbers beyond
 * ±Number.MAX_SAFE_INTEGER (a bigint holds those), empty sets, instances of other classes (a
 * Date, say). Read back, N is a `number`, or a `bigint` beyond the safe integers; B is a
 * Uint8Array. The SDK's NumberValue, Blob and wrapper objects (`new String`) are not ours.
 *
 * Errors say what kind of value was refused, never the value.
 */

/** An attribute value on the wire (B and BS in base64). */
export type WireValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { L: WireValue[] }
  | { M: WireMap }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] };

export type WireMap = Record<string, WireValue>;

/** A value DynamoDB cannot store (or an answer we cannot read); the message names its kind only. */
export class AttributeValueError extends Error {
  override readonly name = 'AttributeValueError';
}

const SET_IS_EMPTY = 'DynamoDB cannot store an empty set';

function numberText(value: number): string {
  if (!Number.isFinite(value))
    throw new AttributeValueError('DynamoDB cannot store NaN or ±Infinity');
  if (value > Number.MAX_SAFE_INTEGER || value < Number.MIN_SAFE_INTEGER) {
    throw new AttributeValueError(
      'a number beyond ±Number.MAX_SAFE_INTEGER would lose precision: pass a bigint',
    );
  }
  return value.toString();
}

/** The bytes of a binary value, or undefined for any other value. */
function bytesOf(value: object): Buffer | undefined {
  if (ArrayBuffer.isView(value))
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (value.constructor?.name === 'ArrayBuffer') return Buffer.from(value as ArrayBuffer);
  return undefined;
}

const kept = (value: unknown) => value !== undefined && typeof value !== 'function';

/** A map's attributes (the SDK: a top-level Key, Item or ExpressionAttributeValues too). */
export function toWireMap(values: Record<string, unknown>): WireMap {
  const map: WireMap = {};
  for (const [name, value] of Object.entries(values)) {
    if (kept(value)) map[name] = toWireValue(value);
  }
  return map;
}

function toWireSet(set: Set<unknown>): WireValue {
  const members = [...set].filter((member) => member !== undefined);
  const first = members[0];
  if (first === undefined) throw new AttributeValueError(SET_IS_EMPTY);
  const all = <T>(guard: (member: unknown) => member is T): T[] => {
    if (!members.every(guard)) {
      throw new AttributeValueError('DynamoDB cannot store a set of mixed types');
    }
    return members as T[];
  };
  if (typeof first === 'string') {
    return { SS: all((member): member is string => typeof member === 'string') };
  }
  if (typeof first === 'number' || typeof first === 'bigint') {
    const numbers = all(
      (member): member is number | bigint =>
        typeof member === 'number' || typeof member === 'bigint',
    );
    return {
      NS: numbers.map((member) =>
        typeof member === 'number' ? numberText(member) : member.toString(),
      ),
    };
  }
  const bytes = members.map((member) =>
    typeof member === 'object' && member !== null ? bytesOf(member) : undefined,
  );
  if (bytes.every((member) => member !== undefined)) {
    return { BS: bytes.map((member) => member.toString('base64')) };
  }
  throw new AttributeValueError('DynamoDB sets hold strings, numbers or bytes only');
}

/** One value as an attribute value. */
export function toWireValue(value: unknown): WireValue {
  switch (typeof value) {
    case 'string':
      return { S: value };
    case 'number':
      return { N: numberText(value) };
    case 'bigint':
      return { N: value.toString() };
    case 'boolean':
      return { BOOL: value };
    case 'object':
      break;
    default:
      throw new AttributeValueError(`DynamoDB cannot store a value of type ${typeof value}`);
  }
  if (value === null) return { NULL: true };
  if (Array.isArray(value)) return { L: value.filter(kept).map(toWireValue) };
  // By constructor name, as the SDK does: values made in another realm count too.
  const kind = (value as { constructor?: { name?: string } }).constructor?.name;
  if (kind === 'Set') return toWireSet(value as Set<unknown>);
  if (kind === 'Map') {
    const map: WireMap = {};
    for (const [name, inner] of value as Map<string, unknown>) {
      if (kept(inner)) map[name] = toWireValue(inner);
    }
    return { M: map };
  }
  if (kind === 'Object' || kind === undefined) {
    return { M: toWireMap(value as Record<string, unknown>) };
  }
  const bytes = bytesOf(value);
  if (bytes) return { B: bytes.toString('base64') };
  throw new AttributeValueError(`DynamoDB cannot store an instance of ${kind}`);
}

function fromNumberText(text: string): number | bigint {
  const number = Number(text);
  if (
    (number > Number.MAX_SAFE_INTEGER || number < Number.MIN_SAFE_INTEGER) &&
    Number.isFinite(number)
  ) {
    try {
      return BigInt(text);
    } catch {
      throw new AttributeValueError('a number beyond ±Number.MAX_SAFE_INTEGER that is no integer');
    }
  }
  return number;
}

function fromBase64(text: string): Uint8Array {
  const buffer = Buffer.from(text, 'base64');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** A map's attributes as plain values. */
export function fromWireMap(map: WireMap): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(map).map(([name, value]) => [name, fromWireValue(value)]),
  );
}

/** One attribute value as a plain value. */
export function fromWireValue(value: WireValue): unknown {
  const [type, inner] = Object.entries(value).find(([, held]) => held !== undefined) ?? [];
  switch (type) {
    case 'S':
      return inner as string;
    case 'N':
      return fromNumberText(inner as string);
    case 'B':
      return fromBase64(inner as string);
    case 'BOOL':
      return Boolean(inner);
    case 'NULL':
      return null;
    case 'L':
      return (inner as WireValue[]).map(fromWireValue);
    case 'M':
      return fromWireMap(inner as WireMap);
    case 'SS':
      return new Set(inner as string[]);
    case 'NS':
      return new Set((inner as string[]).map(fromNumberText));
    case 'BS':
      return new Set((inner as string[]).map(fromBase64));
    default:
      throw new AttributeValueError('an attribute value of no type we know');
  }
}
