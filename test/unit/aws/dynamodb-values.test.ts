/**
 * shared/aws/dynamodb-values.ts against the AWS SDK's own marshalling (@aws-sdk/util-dynamodb,
 * as the document client calls it with `removeUndefinedValues: true`): for any value the stores
 * could write, the same attribute value; for any attribute value, the same value read back; the
 * same values refused. On the wire B and BS are base64 (the SDK's JSON serializer does that
 * step, so the SDK's side is put in wire form here).
 */
import { marshall, unmarshall, type NativeAttributeValue } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import {
  AttributeValueError,
  fromWireMap,
  fromWireValue,
  toWireMap,
  toWireValue,
  type WireValue,
} from '../../../shared/aws/dynamodb-values';

const OPTIONS = { removeUndefinedValues: true } as const;

/** The SDK's attribute value in wire form: bytes as base64. */
function wire(value: AttributeValue): WireValue {
  const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.L !== undefined) return { L: value.L.map(wire) };
  if (value.M !== undefined) return { M: wireMap(value.M) };
  return value as WireValue;
}

function wireMap(map: Record<string, AttributeValue>): Record<string, WireValue> {
  return Object.fromEntries(Object.entries(map).map(([name, value]) => [name, wire(value)]));
}

const sdkValue = (value: unknown): AttributeValue =>
  marshall(value as NativeAttributeValue, {
    ...OPTIONS,
    convertTopLevelContainer: true,
  }) as AttributeValue;
const sdkRead = (value: AttributeValue): unknown =>
  unmarshall(value, { convertWithoutMapWrapper: true });

/** Attribute names: any string but `__proto__` (the SDK's reader assigns it to a prototype). */
const names = fc.string().filter((name) => name !== '__proto__');
const safeNumbers = fc.oneof(
  fc.maxSafeInteger(),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }),
);
const bytes = fc.uint8Array({ maxLength: 24 });
const scalars = fc.oneof(
  fc.string(),
  safeNumbers,
  fc.bigInt(),
  fc.boolean(),
  fc.constant(null),
  bytes,
);
const sets = fc.oneof(
  fc.uniqueArray(fc.string(), { minLength: 1, maxLength: 5 }).map((members) => new Set(members)),
  fc
    .uniqueArray(fc.maxSafeInteger(), { minLength: 1, maxLength: 5 })
    .map((members) => new Set(members)),
  fc.uniqueArray(fc.bigInt(), { minLength: 1, maxLength: 5 }).map((members) => new Set(members)),
  fc.array(bytes, { minLength: 1, maxLength: 4 }).map((members) => new Set(members)),
);

/** What the stores may write: scalars, sets, lists and maps of them, undefined inside. */
const { value: values } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalars,
    sets,
    fc.array(fc.oneof(tie('value'), fc.constant(undefined)), { maxLength: 4 }),
    fc.dictionary(names, fc.oneof(tie('value'), fc.constant(undefined)), { maxKeys: 4 }),
    fc.array(fc.tuple(names, tie('value')), { maxLength: 3 }).map((entries) => new Map(entries)),
  ),
}));
const items = fc.dictionary(names, fc.oneof(values, fc.constant(undefined)), { maxKeys: 6 });

describe('writing values', () => {
  it('marshals any value as the SDK does', () => {
    fc.assert(
      fc.property(values, (value) => {
        expect(toWireValue(value)).toStrictEqual(wire(sdkValue(value)));
      }),
      { numRuns: 500 },
    );
  });

  it('marshals an item (a Key, an Item, the expression values) as the SDK does, undefined left out', () => {
    fc.assert(
      fc.property(items, (item) => {
        expect(toWireMap(item)).toStrictEqual(wireMap(marshall(item, OPTIONS)));
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a number beyond the safe integers', 2 ** 60],
    ['below them', -(2 ** 60)],
    ['an empty set', new Set()],
    ['a set of undefined only', new Set([undefined])],
    ['a Date', new Date('2026-01-02T03:04:05Z')],
    ['an instance of a class', new (class Token {})()],
    ['a symbol', Symbol('s')],
    ['undefined itself', undefined],
  ])('refuses %s, as the SDK does', (_name, value) => {
    expect(() => sdkValue(value as unknown)).toThrow();
    expect(() => toWireValue(value)).toThrow(AttributeValueError);
  });

  it('refuses a set of mixed types (the SDK would turn one into strings)', () => {
    expect(() => toWireValue(new Set(['a', 1]))).toThrow(AttributeValueError);
  });

  it('names the kind of value it refuses, never the value', () => {
    const refusals = [2 ** 60 + 1024, new Date(1_234_567_890_123), { nested: [Number.NaN] }];
    for (const value of refusals) {
      const message = (() => {
        try {
          toWireValue(value);
        } catch (error) {
          return (error as Error).message;
        }
        return 'not refused';
      })();
      expect(message).not.toBe('not refused');
      expect(message).not.toMatch(/1152921504606848000|1234567890123|2009|nested/);
    }
  });
});

describe('reading values', () => {
  it('unmarshals any attribute value as the SDK does', () => {
    fc.assert(
      fc.property(values, (value) => {
        const attribute = sdkValue(value);
        expect(fromWireValue(wire(attribute))).toStrictEqual(sdkRead(attribute));
      }),
      { numRuns: 500 },
    );
  });

  it('unmarshals an item as the SDK does', () => {
    fc.assert(
      fc.property(items, (item) => {
        const attributes = marshall(item, OPTIONS);
        expect(fromWireMap(wireMap(attributes))).toStrictEqual(unmarshall(attributes));
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['a safe integer as a number', { N: '9007199254740991' }, 9007199254740991],
    ['a larger integer as a bigint', { N: '9007199254740993' }, 9007199254740993n],
    ['a decimal', { N: '-12.5' }, -12.5],
    ['a number set', { NS: ['1', '2.5'] }, new Set([1, 2.5])],
    ['a string set', { SS: ['b', 'a'] }, new Set(['b', 'a'])],
    ['bytes', { B: 'AAEC/w==' }, new Uint8Array([0, 1, 2, 255])],
    ['a byte set', { BS: ['AA==', 'AQ=='] }, new Set([new Uint8Array([0]), new Uint8Array([1])])],
  ])('reads %s', (_name, attribute, expected) => {
    expect(fromWireValue(attribute as WireValue)).toStrictEqual(expected);
  });

  it('reads bytes as a Uint8Array, as the SDK hands them over', () => {
    const read = fromWireValue({ B: 'AAEC' });
    expect(Object.prototype.toString.call(read)).toBe('[object Uint8Array]');
  });

  it('refuses an attribute value of no known type (the SDK too)', () => {
    expect(() => fromWireValue({ X: 'secret' } as unknown as WireValue)).toThrow(
      AttributeValueError,
    );
    expect(() => sdkRead({ X: 'secret' } as unknown as AttributeValue)).toThrow();
  });

  it('reads an own `__proto__` attribute as an attribute, not a prototype', () => {
    const read = fromWireMap({ ['__proto__']: { S: 'x' } });
    expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
    expect(Object.getOwnPropertyNames(read)).toStrictEqual(['__proto__']);
  });
});
