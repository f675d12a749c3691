/**
 * The DynamoDB user store (layout in ./table). The identifier is unique because the user is
 * written under its `email#` key on condition that the key does not exist yet: one atomic
 * conditional write, no read-then-write. Anything the store cannot answer (unreachable,
 * throttled after the SDK's retries, missing table) is a TableUnavailableError: sign-in
 * fails closed.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  DeleteCommand,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { DEFAULT_AWS_REGION } from '../config';
import { checkIdentifier } from './identifier';
import type { PasswordHasher } from './password';
import { newPasswordProblem } from './password-policy';
import {
  emailKey,
  IS_NEW,
  KEY_PREFIX,
  keyOf,
  PARTITION_KEY,
  TableUnavailableError,
  userItems,
  userKey,
  userOf,
} from './table';
import { UserExistsError, type NewUser, type User, type UserStore } from './types';

/**
 * The document client of the users table. `region`: the configuration's `awsRegion` on Lambda;
 * DEFAULT_AWS_REGION when not given (a local endpoint, a script).
 */
export function createDocumentClient(options: {
  region?: string | undefined;
  endpoint?: string | undefined;
}): DynamoDBDocumentClient {
  const local = options.endpoint !== undefined;
  const client = new DynamoDBClient({
    region: options.region ?? DEFAULT_AWS_REGION,
    ...(local
      ? {
          endpoint: options.endpoint,
          // dynalite accepts any key; a real endpoint override still uses the default chain.
          ...(options.endpoint?.includes('127.0.0.1') || options.endpoint?.includes('localhost')
            ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
            : {}),
        }
      : {}),
    maxAttempts: 3,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 1000, requestTimeout: 2000 }),
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
}

/** Thrown for input the store refuses to write (the CLI shows the message). */
export class InvalidUserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidUserError';
  }
}

/**
 * Thrown by `create` when writing the id pointer failed and taking the user item back out failed
 * too: the item under `left` stays in the table, possibly without its pointer (`missing`). Such a
 * user can sign in with its email, but is not found by its id, so nothing that changes a user by
 * id (disable, delete, set a password) reaches it until the pointer is there.
 */
export class IncompleteWriteError extends TableUnavailableError {
  readonly left: string;
  readonly missing: string;

  constructor(
    readonly user: Pick<User, 'id' | 'email'>,
    cause: unknown,
    readonly cleanupError: unknown,
  ) {
    super(cause);
    this.left = emailKey(user.email);
    this.missing = userKey(user.id);
    this.message = `the user item ${this.left} (id ${user.id}) was written but its id pointer ${this.missing} may not have been, and removing the item again failed`;
    this.name = 'IncompleteWriteError';
  }
}

function errorName(error: unknown): string | undefined {
  return (error as { name?: string } | undefined)?.name;
}

function isConditionFailure(error: unknown): boolean {
  return errorName(error) === 'ConditionalCheckFailedException';
}

export class DynamoUserStore implements UserStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly hasher: PasswordHasher;

  constructor(options: {
    client: DynamoDBDocumentClient;
    tableName: string;
    hasher: PasswordHasher;
  }) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.hasher = options.hasher;
  }

  private async call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw new TableUnavailableError(error);
    }
  }

  private async get(key: string): Promise<Record<string, unknown> | undefined> {
    const result = await this.call(() =>
      this.client.send(
        new GetCommand({ TableName: this.tableName, Key: keyOf(key), ConsistentRead: true }),
      ),
    );
    return result.Item;
  }

  async findByIdentifier(identifier: string): Promise<User | undefined> {
    if (identifier.length === 0) return undefined;
    return userOf(await this.get(emailKey(identifier)));
  }

  async findById(id: string): Promise<User | undefined> {
    const pointer = await this.get(userKey(id));
    if (typeof pointer?.email !== 'string') return undefined;
    const user = userOf(await this.get(emailKey(pointer.email)));
    // A pointer left behind by a deleted user must not lead to whoever took the email since.
    return user?.id === id ? user : undefined;
  }

  async create(input: NewUser): Promise<User> {
    const check = checkIdentifier(input.email);
    if (!check.ok) throw new InvalidUserError(check.problem);
    const problem = newPasswordProblem(input.password);
    if (problem) throw new InvalidUserError(problem);
    const now = new Date().toISOString();
    const user: User = {
      id: randomUUID(),
      email: check.identifier,
      enabled: input.enabled ?? true,
      passwordHash: await this.hasher.hash(input.password),
      passwordChangedAt: now,
      createdAt: now,
      updatedAt: now,
      profile: input.profile ?? {},
    };
    const [emailItem, idItem] = userItems(user);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: emailItem,
          ConditionExpression: IS_NEW,
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new UserExistsError();
      throw new TableUnavailableError(error);
    }
    try {
      await this.client.send(
        new PutCommand({ TableName: this.tableName, Item: idItem, ConditionExpression: IS_NEW }),
      );
    } catch (error) {
      // Nothing half-written: take the user back out before reporting the failure, and say so
      // when that fails too.
      try {
        await this.client.send(
          new DeleteCommand({ TableName: this.tableName, Key: keyOf(emailKey(user.email)) }),
        );
      } catch (cleanupError) {
        throw new IncompleteWriteError(user, error, cleanupError);
      }
      throw new TableUnavailableError(error);
    }
    return user;
  }

  /**
   * Completes a user item that an interrupted `create` left without its id pointer (see
   * IncompleteWriteError): writes `user#<id>` → email, on condition that there is none yet.
   * 'restored' when it wrote it; 'complete' when the user is found by its id already;
   * 'conflict' when a pointer for that id exists but leads elsewhere (left alone); undefined
   * when no user has this (normalized) identifier.
   */
  async restoreIdPointer(
    identifier: string,
  ): Promise<'restored' | 'complete' | 'conflict' | undefined> {
    const user = await this.findByIdentifier(identifier);
    if (!user) return undefined;
    if ((await this.findById(user.id))?.email === user.email) return 'complete';
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: userItems(user)[1],
          ConditionExpression: IS_NEW,
        }),
      );
      return 'restored';
    } catch (error) {
      if (isConditionFailure(error)) return 'conflict';
      throw new TableUnavailableError(error);
    }
  }

  async replacePasswordHash(
    user: Pick<User, 'id' | 'email' | 'passwordHash'>,
    newHash: string,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(emailKey(user.email)),
          UpdateExpression: 'SET passwordHash = :new',
          ConditionExpression: 'id = :id AND passwordHash = :expected',
          ExpressionAttributeValues: {
            ':new': newHash,
            ':expected': user.passwordHash,
            ':id': user.id,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw new TableUnavailableError(error);
    }
  }

  private async update(
    id: string,
    expression: string,
    values: Record<string, unknown>,
  ): Promise<User | undefined> {
    const user = await this.findById(id);
    if (!user) return undefined;
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(emailKey(user.email)),
          UpdateExpression: expression,
          ConditionExpression: 'id = :id',
          ExpressionAttributeValues: { ...values, ':id': id },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return userOf(result.Attributes);
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw new TableUnavailableError(error);
    }
  }

  async setPassword(id: string, password: string): Promise<User | undefined> {
    const problem = newPasswordProblem(password);
    if (problem) throw new InvalidUserError(problem);
    return this.update(
      id,
      'SET passwordHash = :hash, passwordChangedAt = :now, sessionsValidAfter = :now, updatedAt = :now',
      { ':hash': await this.hasher.hash(password), ':now': new Date().toISOString() },
    );
  }

  async setEnabled(id: string, enabled: boolean): Promise<User | undefined> {
    return this.update(
      id,
      enabled
        ? 'SET enabled = :enabled, updatedAt = :now'
        : 'SET enabled = :enabled, sessionsValidAfter = :now, updatedAt = :now',
      { ':enabled': enabled, ':now': new Date().toISOString() },
    );
  }

  async revokeSessions(id: string): Promise<User | undefined> {
    return this.update(id, 'SET sessionsValidAfter = :now, updatedAt = :now', {
      ':now': new Date().toISOString(),
    });
  }

  /** The user record first (sign-in stops at once), then its pointer. */
  async delete(id: string): Promise<boolean> {
    const user = await this.findById(id);
    if (!user) return false;
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keyOf(emailKey(user.email)),
          ConditionExpression: 'id = :id',
          ExpressionAttributeValues: { ':id': id },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw new TableUnavailableError(error);
    }
    await this.call(() =>
      this.client.send(new DeleteCommand({ TableName: this.tableName, Key: keyOf(userKey(id)) })),
    );
    return true;
  }

  async *list(): AsyncIterable<User> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.call(() =>
        this.client.send(
          new ScanCommand({
            TableName: this.tableName,
            FilterExpression: `begins_with(${PARTITION_KEY}, :prefix)`,
            ExpressionAttributeValues: { ':prefix': KEY_PREFIX.email },
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        const user = userOf(item);
        if (user) yield user;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
}
