/**
 * The users table in memory, behind our own DynamoDB client (shared/aws/dynamodb): every
 * DynamoDbClient (the one shared/wiring.ts makes included) answers from a map, the way DynamoDB
 * would: Get, Put, Update and Delete with their conditions and return values (the expressions
 * below), Scan, and the throttle counters' `ADD` with a busy window on request (`counterStart`).
 * Records every command, and can fail any of them, so tests assert on what was read and written
 * and on what a DynamoDB fault becomes. The client's methods are replaced, so nothing is
 * marshalled, signed or sent (that is test/unit/aws/dynamodb.test.ts's and test/integration's).
 */
import { DynamoDbClient, DynamoDbError } from '../../../shared/aws/dynamodb';
import {
  KEY_PREFIX,
  keyOf,
  partitionKeyOf,
  TTL_ATTRIBUTE,
  userItems,
} from '../../../shared/users/table';
import type { User } from '../../../shared/users/types';

export type DynamoCommandName = 'Get' | 'Put' | 'Update' | 'Delete' | 'Scan';

export interface DynamoCall {
  command: DynamoCommandName;
  key: string | undefined;
  input: Record<string, unknown>;
}

type Item = Record<string, unknown>;

/** DynamoDB's answer when a table's throughput is exceeded, after the client's retries. */
export function throughputExceeded(): DynamoDbError {
  return new DynamoDbError('ProvisionedThroughputExceededException', 'UpdateItem', 400, 3);
}

function conditionFailed(): DynamoDbError {
  return new DynamoDbError('ConditionalCheckFailedException', 'UpdateItem', 400, 1);
}

export class FakeDynamo {
  readonly items = new Map<string, Item>();
  readonly calls: DynamoCall[] = [];
  /** Faults that were actually thrown at the code under test. */
  readonly servedFaults: Error[] = [];
  /** Decides whether a command fails (and with what) before it touches the table. */
  fault: ((call: DynamoCall) => Error | undefined) | undefined;
  /** What a throttle counter holds before its first `ADD` (a busy window: set it high). */
  counterStart = 0;

  /** Commands that change the table (the throttle counters' `ADD` included). */
  get writes(): DynamoCall[] {
    return this.calls.filter((call) => call.command !== 'Get' && call.command !== 'Scan');
  }

  /** Writes to anything but a throttle counter or a login session: users, pointers, hashes. */
  get userWrites(): DynamoCall[] {
    return this.writes.filter(
      (call) =>
        !call.key?.startsWith(KEY_PREFIX.throttle) &&
        !call.key?.startsWith(KEY_PREFIX.loginSession),
    );
  }

  /** Writes of login session records. */
  get sessionWrites(): DynamoCall[] {
    return this.writes.filter((call) => call.key?.startsWith(KEY_PREFIX.loginSession));
  }

  /** A user as DynamoUserStore writes it (shared/users/table). */
  putUser(user: User): void {
    for (const item of userItems(user)) this.items.set(partitionKeyOf(item)!, item);
  }

  async handle(command: DynamoCommandName, input: Record<string, unknown>): Promise<unknown> {
    const key =
      partitionKeyOf(input.Key as Item | undefined) ??
      partitionKeyOf(input.Item as Item | undefined);
    const call: DynamoCall = { command, key: typeof key === 'string' ? key : undefined, input };
    this.calls.push(call);
    const error = this.fault?.(call);
    if (error) {
      this.servedFaults.push(error);
      throw error;
    }
    switch (command) {
      case 'Get': {
        const item = call.key === undefined ? undefined : this.items.get(call.key);
        return item ? { Item: structuredClone(item) } : {};
      }
      case 'Put': {
        const before = this.items.get(call.key!);
        if (!holds(input, before)) throw conditionFailed();
        this.items.set(call.key!, structuredClone(input.Item as Item));
        return {};
      }
      case 'Delete': {
        const before = this.items.get(call.key!);
        if (!holds(input, before)) throw conditionFailed();
        this.items.delete(call.key!);
        return input.ReturnValues === 'ALL_OLD' && before ? { Attributes: before } : {};
      }
      case 'Scan':
        return { Items: [...this.items.values()].map((item) => structuredClone(item)) };
      case 'Update':
        return this.update(call.key!, input);
    }
  }

  private update(key: string, input: Record<string, unknown>): unknown {
    const expression = String(input.UpdateExpression);
    const values = (input.ExpressionAttributeValues ?? {}) as Item;
    const item = this.items.get(key);
    if (expression.startsWith('ADD #count :by')) {
      const before = Number(item?.count ?? this.counterStart);
      const condition = input.ConditionExpression as string | undefined;
      if (condition !== undefined) {
        if (condition !== 'attribute_not_exists(#count) OR #count < :limit') {
          throw new Error(`the fake table does not know the condition "${condition}"`);
        }
        // A counter that does not exist yet starts at counterStart: a busy window.
        if (before >= Number(values[':limit'])) throw conditionFailed();
      }
      const count = before + Number(values[':by']);
      const expiresAt = item?.[TTL_ATTRIBUTE] ?? values[':expiresAt'];
      this.items.set(key, { ...keyOf(key), count, [TTL_ATTRIBUTE]: expiresAt });
      return {};
    }
    if (!holds(input, item)) throw conditionFailed();
    const after = assign(expression, { ...keyOf(key), ...item }, input);
    this.items.set(key, after);
    return input.ReturnValues === 'ALL_NEW' ? { Attributes: structuredClone(after) } : {};
  }
}

/*
 * The expressions the adapters send, evaluated as DynamoDB does: conditions of
 * attribute_exists / attribute_not_exists / comparisons joined by AND, OR and parentheses, and
 * `SET` lists of `:value`, `if_not_exists(#name, :value)` and `a + b`. Anything else throws, so a
 * new expression is taught here rather than silently misread.
 */
type Names = Record<string, string>;

function placeholders(input: Record<string, unknown>): { names: Names; values: Item } {
  return {
    names: (input.ExpressionAttributeNames ?? {}) as Names,
    values: (input.ExpressionAttributeValues ?? {}) as Item,
  };
}

function attributeName(token: string, names: Names): string {
  if (token.startsWith('#')) {
    const name = names[token];
    if (name === undefined) throw new Error(`the fake table: no name for ${token}`);
    return name;
  }
  if (!/^[A-Za-z_]\w*$/.test(token)) throw new Error(`the fake table: not a name: ${token}`);
  return token;
}

function tokenize(expression: string): string[] {
  return expression.match(/\(|\)|,|\.|<=|>=|<>|[=<>+-]|[#:]?\w+/g) ?? [];
}

function holds(input: Record<string, unknown>, item: Item | undefined): boolean {
  const condition = input.ConditionExpression as string | undefined;
  if (condition === undefined) return true;
  const { names, values } = placeholders(input);
  const tokens = tokenize(condition);
  let at = 0;
  const next = () => tokens[at++] ?? '';
  const expect = (token: string) => {
    if (next() !== token) throw new Error(`the fake table: cannot read "${condition}"`);
  };
  const operand = (token: string): unknown =>
    token.startsWith(':') ? values[token] : item?.[attributeName(token, names)];
  const factor = (): boolean => {
    const token = next();
    if (token === '(') {
      const inner = or();
      expect(')');
      return inner;
    }
    if (token === 'attribute_exists' || token === 'attribute_not_exists') {
      expect('(');
      const exists = item?.[attributeName(next(), names)] !== undefined;
      expect(')');
      return token === 'attribute_exists' ? exists : !exists;
    }
    const left = operand(token);
    const comparator = next();
    const right = operand(next());
    if (left === undefined || right === undefined) return false;
    switch (comparator) {
      case '=':
        return left === right;
      case '<>':
        return left !== right;
      case '<':
        return (left as number) < (right as number);
      case '>':
        return (left as number) > (right as number);
      default:
        throw new Error(`the fake table: no comparator ${comparator}`);
    }
  };
  const and = (): boolean => {
    let result = factor();
    while (tokens[at] === 'AND') {
      at += 1;
      result = factor() && result;
    }
    return result;
  };
  const or = (): boolean => {
    let result = and();
    while (tokens[at] === 'OR') {
      at += 1;
      result = and() || result;
    }
    return result;
  };
  const result = or();
  if (at !== tokens.length) throw new Error(`the fake table: cannot read "${condition}"`);
  return result;
}

function assign(expression: string, item: Item, input: Record<string, unknown>): Item {
  const { names, values } = placeholders(input);
  const tokens = tokenize(expression);
  if (tokens[0] !== 'SET')
    throw new Error(`the fake table does not know the update "${expression}"`);
  const after = structuredClone(item);
  let at = 1;
  const value = (): unknown => {
    const token = tokens[at++] ?? '';
    if (token === 'if_not_exists') {
      const name = attributeName(tokens[at + 1] ?? '', names);
      const fallback = values[tokens[at + 3] ?? ''];
      at += 5; // ( #name , :value )
      return item[name] ?? fallback;
    }
    return token.startsWith(':') ? values[token] : item[attributeName(token, names)];
  };
  while (at < tokens.length) {
    // A name, or a path into maps that exist (`#a.#b`: DynamoDB refuses one into nothing).
    const path = [attributeName(tokens[at++] ?? '', names)];
    while (tokens[at] === '.') {
      path.push(attributeName(tokens[at + 1] ?? '', names));
      at += 2;
    }
    if (tokens[at] !== '=') throw new Error(`the fake table does not know "${expression}"`);
    at += 1;
    let result = value();
    while (tokens[at] === '+' || tokens[at] === '-') {
      const sign = tokens[at++] === '+' ? 1 : -1;
      result = (result as number) + sign * (value() as number);
    }
    let target: Item = after;
    for (const step of path.slice(0, -1)) {
      const inner = target[step];
      if (typeof inner !== 'object' || inner === null) {
        throw new Error(`the fake table: the path ${path.join('.')} leads into nothing`);
      }
      target = inner as Item;
    }
    target[path[path.length - 1]!] = structuredClone(result);
    if (tokens[at] === ',') at += 1;
    else if (at < tokens.length) throw new Error(`the fake table does not know "${expression}"`);
  }
  return after;
}

const METHODS = {
  get: 'Get',
  put: 'Put',
  update: 'Update',
  delete: 'Delete',
  scan: 'Scan',
} as const satisfies Record<string, DynamoCommandName>;

/**
 * Replaces the methods of every DynamoDbClient in the tests of this file (or of the `describe` it
 * is called in); each test gets a fresh table (and `reset()` gives one within a test, e.g. per
 * property-based case).
 */
export function useFakeDynamo(): { (): FakeDynamo; reset(): FakeDynamo } {
  let current = new FakeDynamo();
  const spies: jest.SpyInstance[] = [];
  beforeAll(() => {
    for (const [method, command] of Object.entries(METHODS)) {
      spies.push(
        jest
          .spyOn(DynamoDbClient.prototype, method as keyof typeof METHODS)
          .mockImplementation(
            (...[input]: [object, ...unknown[]]) =>
              current.handle(command, input as Record<string, unknown>) as Promise<never>,
          ),
      );
    }
  });
  beforeEach(() => {
    current = new FakeDynamo();
  });
  afterAll(() => {
    for (const spy of spies.splice(0)) spy.mockRestore();
  });
  const table = () => current;
  table.reset = () => (current = new FakeDynamo());
  return table;
}
