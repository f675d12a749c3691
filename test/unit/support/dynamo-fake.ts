/**
 * The users table in memory, behind aws-sdk-client-mock: every DynamoDBDocumentClient (the one
 * shared/wiring.ts makes included) answers from a map, the way DynamoDB would for the
 * few commands the sign-in path sends (Get, the throttle counters' `ADD` with and without their
 * `< :limit` condition, the rehash's conditional `SET`, a login session's `SET`, Put and Delete). Records every command, and can fail any of them, so tests
 * assert on what was read and written and on what a DynamoDB fault becomes.
 */
import {
  ConditionalCheckFailedException,
  ProvisionedThroughputExceededException,
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
import type { User } from '../../../shared/users/types';

export type DynamoCommandName = 'Get' | 'Put' | 'Update' | 'Delete' | 'Scan';

export interface DynamoCall {
  command: DynamoCommandName;
  key: string | undefined;
  input: Record<string, unknown>;
}

type Item = Record<string, unknown>;

export function throughputExceeded(): ProvisionedThroughputExceededException {
  return new ProvisionedThroughputExceededException({
    message: 'The level of configured provisioned throughput for the table was exceeded.',
    $metadata: { httpStatusCode: 400, attempts: 3 },
  });
}

function conditionFailed(): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: { httpStatusCode: 400 },
  });
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
      (call) => !call.key?.startsWith('throttle#') && !call.key?.startsWith('login#'),
    );
  }

  /** Writes of login session records (`login#<sid>`). */
  get sessionWrites(): DynamoCall[] {
    return this.writes.filter((call) => call.key?.startsWith('login#'));
  }

  /** A user as DynamoUserStore keeps it: the record under email#, a pointer under user#. */
  putUser(user: User): void {
    this.items.set(`email#${user.email}`, { pk: `email#${user.email}`, ...user });
    this.items.set(`user#${user.id}`, { pk: `user#${user.id}`, email: user.email });
  }

  async handle(command: DynamoCommandName, input: Record<string, unknown>): Promise<unknown> {
    const key = (input.Key as { pk?: string } | undefined)?.pk ?? (input.Item as Item)?.pk;
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
        if (input.ConditionExpression === 'attribute_not_exists(pk)' && this.items.has(call.key!)) {
          throw conditionFailed();
        }
        this.items.set(call.key!, structuredClone(input.Item as Item));
        return {};
      }
      case 'Delete':
        this.items.delete(call.key!);
        return {};
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
      const condition = input.ConditionExpression;
      if (condition !== undefined) {
        if (condition !== 'attribute_not_exists(#count) OR #count < :limit') {
          throw new Error(`the fake table does not know the condition "${String(condition)}"`);
        }
        // A counter that does not exist yet starts at counterStart: a busy window.
        if (before >= Number(values[':limit'])) throw conditionFailed();
      }
      const count = before + Number(values[':by']);
      const expiresAt = item?.expiresAt ?? values[':expiresAt'];
      this.items.set(key, { pk: key, count, expiresAt });
      return {};
    }
    if (expression === 'SET #subject = :subject, #at = :at, #expiresAt = :expiresAt') {
      this.items.set(key, {
        ...item,
        pk: key,
        subject: values[':subject'],
        authenticatedAt: values[':at'],
        expiresAt: values[':expiresAt'],
      });
      return {};
    }
    if (expression === 'SET passwordHash = :new') {
      if (!item || item.id !== values[':id'] || item.passwordHash !== values[':expected']) {
        throw conditionFailed();
      }
      this.items.set(key, { ...item, passwordHash: values[':new'] });
      return {};
    }
    throw new Error(`the fake table does not know the update "${expression}"`);
  }
}

/**
 * Mocks every DynamoDBDocumentClient of the tests of this file (or of the `describe` it is
 * called in); each test gets a fresh table (and `reset()` gives one within a test, e.g. per
 * property-based case).
 */
export function useFakeDynamo(): { (): FakeDynamo; reset(): FakeDynamo } {
  let current = new FakeDynamo();
  const mock = () => mockClient(DynamoDBDocumentClient);
  let ddb: ReturnType<typeof mock>;
  const forward =
    (command: DynamoCommandName) =>
    (input: object): Promise<never> =>
      current.handle(command, input as Record<string, unknown>) as Promise<never>;
  beforeAll(() => {
    ddb = mock();
  });
  beforeEach(() => {
    current = new FakeDynamo();
    ddb.reset();
    ddb.on(GetCommand).callsFake(forward('Get'));
    ddb.on(PutCommand).callsFake(forward('Put'));
    ddb.on(UpdateCommand).callsFake(forward('Update'));
    ddb.on(DeleteCommand).callsFake(forward('Delete'));
    ddb.on(ScanCommand).callsFake(forward('Scan'));
  });
  afterAll(() => {
    ddb.restore();
  });
  const table = () => current;
  table.reset = () => (current = new FakeDynamo());
  return table;
}
