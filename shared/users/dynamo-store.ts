/**
 * The DynamoDB user store (layout and write order in ./table). The identifier is unique because
 * the user is written under its email key on condition that the key does not exist yet: one
 * atomic conditional write, no read-then-write. A user is one read by email (sign-in) and one by
 * id (Hydra's skip path, the token hook): both keys hold the whole user. Anything the store
 * cannot answer (unreachable, throttled after the client's retries, missing table) is a
 * TableUnavailableError: sign-in fails closed.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { DynamoDbClient, type DocumentClient } from '../aws/dynamodb';
import { environmentCredentials } from '../aws/sigv4';
import { DEFAULT_AWS_REGION } from '../config';
import { log } from '../log';
import { checkIdentifier } from './identifier';
import type { PasswordHasher } from './password';
import { newPasswordProblem } from './password-policy';
import { profileProblems } from './profile';
import {
  emailKey,
  IS_NEW,
  KEY_PREFIX,
  keyOf,
  PARTITION_KEY,
  pointerOf,
  REVISION_ATTRIBUTE,
  revisionOf,
  TableUnavailableError,
  userAttributes,
  userItems,
  userKey,
  userOf,
  type Item,
} from './table';
import {
  UserExistsError,
  type EmailChange,
  type NewUser,
  type User,
  type UserProfile,
  type UserStore,
} from './types';

/** dynalite's credentials: it takes any key. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * The document client of the users table in the functions (../aws/dynamodb). `region`: the
 * configuration's `awsRegion` on Lambda; DEFAULT_AWS_REGION when not given (a local endpoint).
 * `endpoint`: DYNAMODB_ENDPOINT (dynalite), else the region's. Signed with the function's
 * credentials from the environment, or dynalite's on a 127.0.0.1 / localhost endpoint.
 */
export function createDocumentClient(options: {
  region?: string | undefined;
  endpoint?: string | undefined;
}): DocumentClient {
  const local =
    options.endpoint?.includes('127.0.0.1') === true ||
    options.endpoint?.includes('localhost') === true;
  return new DynamoDbClient({
    region: options.region ?? DEFAULT_AWS_REGION,
    endpoint: options.endpoint,
    credentials: local ? () => LOCAL_CREDENTIALS : () => environmentCredentials(process.env),
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
 * Thrown by `create` when writing the id item failed and taking the email item back out failed
 * too: the item under `left` stays in the table, possibly without its copy under `missing`. Such
 * a user can sign in with its email, but is not found by its id, so nothing that changes a user
 * by id (disable, delete, set a password) reaches it until `repair` writes the copy.
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
    this.message = `the user item ${this.left} (id ${user.id}) was written but its id item ${this.missing} may not have been, and removing the item again failed`;
    this.name = 'IncompleteWriteError';
  }
}

/**
 * Thrown when a change reached the user's id item but not its email item, the copy the sign-in
 * reads: the re-check by id (remembered logins, the token hook) sees the change, the sign-in
 * does not (a user disabled this way can still sign in with its password) until the same change
 * is made again, any later change is made, or `repair` copies the id item over.
 */
export class IncompleteChangeError extends TableUnavailableError {
  constructor(
    readonly user: Pick<User, 'id' | 'email'>,
    cause: unknown,
  ) {
    super(cause);
    this.message = `the user item ${userKey(user.id)} was changed but its copy ${emailKey(user.email)}, which sign-in reads, was not: make the same change again, or repair ${user.email}`;
    this.name = 'IncompleteChangeError';
  }
}

function errorName(error: unknown): string | undefined {
  return (error as { name?: string } | undefined)?.name;
}

function isConditionFailure(error: unknown): boolean {
  return errorName(error) === 'ConditionalCheckFailedException';
}

/** `#a = :a, …` for each attribute: placeholders named after their attributes. */
function assignments(attributes: Item): { set: string; values: Item } {
  const names = Object.keys(attributes).filter((name) => attributes[name] !== undefined);
  return {
    set: names.map((name) => `#${name} = :${name}`).join(', '),
    values: Object.fromEntries(names.map((name) => [`:${name}`, attributes[name]])),
  };
}

/** The ExpressionAttributeNames of expressions written so: `#a` stands for `a`. */
function namesIn(...expressions: string[]): Record<string, string> {
  const names = expressions.flatMap((expression) => [...expression.matchAll(/#(\w+)/g)]);
  return Object.fromEntries(names.map(([placeholder, name]) => [placeholder, name!]));
}

const REVISION = `#${REVISION_ATTRIBUTE}`;
/** The email item may take a copy: it holds this user, at an older revision. */
const OLDER_COPY_OF_THIS_USER = `#id = :id AND (attribute_not_exists(${REVISION}) OR ${REVISION} < :${REVISION_ATTRIBUTE})`;

/** What a change of a user sets, and what must hold of its id item besides being a copy. */
interface Change {
  attributes: Partial<User>;
  /** SET clauses beside the attributes' own (a path inside a map: `#profile.#name = :value`). */
  paths?: { expression: string; values: Item };
  condition?: { expression: string; values: Item };
}

export type RepairResult = 'restored' | 'complete' | 'conflict' | undefined;

export class DynamoUserStore implements UserStore {
  private readonly client: DocumentClient;
  private readonly tableName: string;
  private readonly hasher: PasswordHasher;

  constructor(options: { client: DocumentClient; tableName: string; hasher: PasswordHasher }) {
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

  private async get(key: string): Promise<Item | undefined> {
    const result = await this.call(() =>
      this.client.get({ TableName: this.tableName, Key: keyOf(key), ConsistentRead: true }),
    );
    return result.Item;
  }

  async findByIdentifier(identifier: string): Promise<User | undefined> {
    if (identifier.length === 0) return undefined;
    return userOf(await this.get(emailKey(identifier)));
  }

  async findById(id: string): Promise<User | undefined> {
    const item = await this.get(userKey(id));
    const user = userOf(item);
    if (user) return user.id === id ? user : undefined;
    const email = pointerOf(item);
    return email === undefined ? undefined : this.followPointer(id, email);
  }

  /**
   * An id item from before the copies (`{ email }`): the user is read by its email, as it always
   * was, and the pointer replaced by the copy, so that the next read by id is one. The sign-in
   * does not wait on a failed replacement: the next read tries again.
   */
  private async followPointer(id: string, email: string): Promise<User | undefined> {
    const emailItem = await this.get(emailKey(email));
    const user = userOf(emailItem);
    // A pointer left behind by a deleted user must not lead to whoever took the email since.
    if (user?.id !== id) return undefined;
    await this.replacePointer(emailItem!).catch((error: unknown) =>
      log.warn('could not replace an id pointer by the user item', { errorName: errorName(error) }),
    );
    return user;
  }

  /**
   * Writes the email item's user over its id item while that is still the pointer to this email.
   * With UpdateItem (the functions may not PutItem). Whether it wrote.
   */
  private async replacePointer(emailItem: Item): Promise<boolean> {
    const user = userOf(emailItem)!;
    const { set, values } = assignments(userAttributes(user, revisionOf(emailItem)));
    const condition = 'attribute_not_exists(#id) AND #email = :email';
    try {
      await this.client.update({
        TableName: this.tableName,
        Key: keyOf(userKey(user.id)),
        UpdateExpression: `SET ${set}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: namesIn(set, condition),
        ExpressionAttributeValues: values,
      });
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw new TableUnavailableError(error);
    }
  }

  async create(input: NewUser): Promise<User> {
    const check = checkIdentifier(input.email);
    if (!check.ok) throw new InvalidUserError(check.problem);
    const problem = newPasswordProblem(input.password);
    if (problem) throw new InvalidUserError(problem);
    const [profileProblem] = profileProblems(input.profile ?? {});
    if (profileProblem) {
      throw new InvalidUserError(`${profileProblem.claim} ${profileProblem.problem}`);
    }
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
      await this.client.put({
        TableName: this.tableName,
        Item: emailItem,
        ConditionExpression: IS_NEW,
      });
    } catch (error) {
      if (isConditionFailure(error)) throw new UserExistsError();
      throw new TableUnavailableError(error);
    }
    try {
      await this.client.put({
        TableName: this.tableName,
        Item: idItem,
        ConditionExpression: IS_NEW,
      });
    } catch (error) {
      // Nothing half-written: take the user back out (the id item too: a write whose answer was
      // lost may have landed) before reporting the failure, and say so when that fails too.
      try {
        await this.deleteIfItHolds(userKey(user.id), user.id);
        await this.deleteIfItHolds(emailKey(user.email), user.id);
      } catch (cleanupError) {
        throw new IncompleteWriteError(user, error, cleanupError);
      }
      throw new TableUnavailableError(error);
    }
    return user;
  }

  /** Deletes the item under `key` if it holds the user `id`. Whether it did. */
  private async deleteIfItHolds(key: string, id: string): Promise<boolean> {
    try {
      await this.client.delete({
        TableName: this.tableName,
        Key: keyOf(key),
        ConditionExpression: '#id = :id',
        ExpressionAttributeNames: { '#id': 'id' },
        ExpressionAttributeValues: { ':id': id },
      });
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /**
   * Makes the two items of the user with this (normalized) identifier one again: writes its id
   * item from its email item when there is none (a create or a delete stopped half-way) or only
   * a pointer from before the copies; copies the id item over the email item when the email item
   * is behind (a change stopped half-way); makes the email item's user the current one when it
   * differs at the same revision (a change by a version from before the copies, which wrote the
   * email item alone). 'restored' when it wrote; 'complete' when both agree; 'conflict' when the
   * id item belongs to another email (left alone); undefined when no user has this identifier.
   */
  async repair(identifier: string): Promise<RepairResult> {
    const emailItem = await this.get(emailKey(identifier));
    const user = userOf(emailItem);
    if (!user) return undefined;
    const idItem = await this.get(userKey(user.id));
    if (!idItem) {
      const restored = await this.putIfNew(userItems(user, revisionOf(emailItem))[1]);
      return restored ? 'restored' : 'conflict';
    }
    const copy = userOf(idItem);
    if (!copy) {
      if (pointerOf(idItem) !== user.email) return 'conflict';
      return (await this.replacePointer(emailItem!)) ? 'restored' : 'conflict';
    }
    if (copy.email !== user.email) return 'conflict';
    if (revisionOf(idItem) > revisionOf(emailItem)) {
      await this.copyToEmailItem(idItem);
      return 'restored';
    }
    if (isDeepStrictEqual(copy, user)) return 'complete';
    return (await this.change(user.id, { attributes: user })) ? 'restored' : 'conflict';
  }

  private async putIfNew(item: Item): Promise<boolean> {
    try {
      await this.client.put({ TableName: this.tableName, Item: item, ConditionExpression: IS_NEW });
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw new TableUnavailableError(error);
    }
  }

  async replacePasswordHash(
    user: Pick<User, 'id' | 'email' | 'passwordHash'>,
    newHash: string,
  ): Promise<boolean> {
    const changed = await this.change(user.id, {
      attributes: { passwordHash: newHash },
      condition: {
        expression: '#passwordHash = :expected',
        values: { ':expected': user.passwordHash },
      },
    });
    return changed !== undefined;
  }

  /**
   * A change of the user `id`: its id item first (revision + 1, the new user back in one call),
   * then that user over its email item. An id item that is still a pointer is replaced by the
   * copy first. Undefined when there is no such user by id, or the condition does not hold.
   */
  private async change(id: string, change: Change): Promise<User | undefined> {
    let changed = await this.changeIdItem(id, change);
    if (!changed) {
      const current = await this.get(userKey(id));
      const email = pointerOf(current);
      if (email !== undefined) {
        const emailItem = await this.get(emailKey(email));
        if (userOf(emailItem)?.id === id) {
          await this.replacePointer(emailItem!);
          changed = await this.changeIdItem(id, change);
        }
      } else if (userOf(current)) {
        // Refused by the condition. The email item may still be behind a change stopped
        // half-way (a rehash that keeps failing on it, for one): bring it up to date.
        await this.copyToEmailItem(current!);
      }
    }
    if (!changed) return undefined;
    await this.copyToEmailItem(changed);
    return userOf(changed);
  }

  /** The id item after the change; undefined when refused (no copy under the id, or `condition`). */
  private async changeIdItem(id: string, change: Change): Promise<Item | undefined> {
    const { set, values } = assignments(change.attributes);
    const paths = change.paths ? `, ${change.paths.expression}` : '';
    const update = `SET ${set}${paths}, ${REVISION} = if_not_exists(${REVISION}, :zero) + :one`;
    const condition = ['attribute_exists(#id)', change.condition?.expression]
      .filter((part) => part !== undefined)
      .join(' AND ');
    try {
      const result = await this.client.update({
        TableName: this.tableName,
        Key: keyOf(userKey(id)),
        UpdateExpression: update,
        ConditionExpression: condition,
        ExpressionAttributeNames: namesIn(update, condition),
        ExpressionAttributeValues: {
          ...values,
          ...change.paths?.values,
          ':zero': 0,
          ':one': 1,
          ...change.condition?.values,
        },
        ReturnValues: 'ALL_NEW',
      });
      return result.Attributes;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw new TableUnavailableError(error);
    }
  }

  /** The id item's user over its email item, if that one is older (see ./table). */
  private async copyToEmailItem(idItem: Item): Promise<void> {
    const user = userOf(idItem)!;
    const { set, values } = assignments(userAttributes(user, revisionOf(idItem)));
    try {
      await this.client.update({
        TableName: this.tableName,
        Key: keyOf(emailKey(user.email)),
        UpdateExpression: `SET ${set}`,
        ConditionExpression: OLDER_COPY_OF_THIS_USER,
        ExpressionAttributeNames: namesIn(set, OLDER_COPY_OF_THIS_USER),
        ExpressionAttributeValues: values,
      });
    } catch (error) {
      // Refused: the email item is as new already (a later change copied itself over), or it
      // holds this user no more (deleted meanwhile). Nothing to bring up to date.
      if (isConditionFailure(error)) return;
      throw new IncompleteChangeError(user, error);
    }
  }

  async setPassword(id: string, password: string): Promise<User | undefined> {
    const problem = newPasswordProblem(password);
    if (problem) throw new InvalidUserError(problem);
    const passwordHash = await this.hasher.hash(password);
    const now = new Date().toISOString();
    return this.change(id, {
      attributes: {
        passwordHash,
        passwordChangedAt: now,
        sessionsValidAfter: now,
        updatedAt: now,
      },
    });
  }

  async setProfile(id: string, profile: UserProfile): Promise<User | undefined> {
    const [problem] = profileProblems(profile);
    if (problem) throw new InvalidUserError(`${problem.claim} ${problem.problem}`);
    return this.change(id, { attributes: { profile, updatedAt: new Date().toISOString() } });
  }

  async setEnabled(id: string, enabled: boolean): Promise<User | undefined> {
    const now = new Date().toISOString();
    return this.change(id, {
      attributes: enabled
        ? { enabled, updatedAt: now }
        : { enabled, sessionsValidAfter: now, updatedAt: now },
    });
  }

  /**
   * Marks the address verified while it is still the user's. First without a read: one
   * conditional update of the id item (`profile.email_verified` only, the address its condition),
   * then its copy to the email item. Refused (another address now, an id item that is still a
   * pointer, no profile yet), the user is read and the whole profile written, as any change is.
   */
  async setEmailVerified(id: string, email: string): Promise<User | undefined> {
    const marked = await this.changeIdItem(id, {
      attributes: { updatedAt: new Date().toISOString() },
      paths: { expression: '#profile.#email_verified = :verified', values: { ':verified': true } },
      condition: {
        expression: '#email = :verifiedEmail AND attribute_exists(#profile)',
        values: { ':verifiedEmail': email },
      },
    });
    if (marked) {
      await this.copyToEmailItem(marked);
      return userOf(marked);
    }
    const current = await this.findById(id);
    if (current?.email !== email) return undefined;
    return this.change(id, {
      attributes: {
        profile: { ...current.profile, email_verified: true },
        updatedAt: new Date().toISOString(),
      },
      condition: { expression: '#email = :verifiedEmail', values: { ':verifiedEmail': email } },
    });
  }

  /**
   * Three conditional writes, in the order that keeps the address unique at every moment and the
   * id item (what every re-check reads) the truth: (1) the new address's email item is written
   * while no item is there (the uniqueness claim: refused, the address is taken); (2) the id item
   * takes the new address while it still holds `from` at the revision read (refused: the user
   * changed meanwhile, the claim is taken back and the change read again, once); (3) the old
   * email item, a copy now, is deleted while it holds this user. Updates, not puts: the
   * functions may only update. Not a TransactWriteItems: dynalite (the local stack and every
   * test) has none, and these conditions give the same guarantees but the last: stopped between
   * (2) and (3), the old address still signs in to the user until the delete is made again
   * (IncompleteChangeError, which names it).
   */
  async changeEmail(id: string, from: string, to: string): Promise<EmailChange> {
    const check = checkIdentifier(to);
    if (!check.ok) throw new InvalidUserError(check.problem);
    if (check.identifier !== to) throw new InvalidUserError('the new email is not normalized');
    if (to === from) throw new InvalidUserError('the new email is the current one');
    for (let attempt = 0; attempt < 2; attempt++) {
      // A pointer from before the copies is replaced by the copy by this read.
      const current = await this.findById(id);
      if (current?.email !== from) return { status: 'gone' };
      const revision = revisionOf(await this.get(userKey(id)));
      const user: User = {
        ...current,
        email: to,
        profile: { ...current.profile, email_verified: true },
        updatedAt: new Date().toISOString(),
      };
      const attributes = userAttributes(user, revision + 1);
      if (!(await this.writeIfNew(emailKey(to), attributes))) return { status: 'taken' };
      let moved: boolean;
      try {
        moved = await this.moveIdItem(id, from, revision, attributes);
      } catch (error) {
        // The write's answer may be lost after it landed: the id item says which.
        const now = await this.get(userKey(id)).catch(() => undefined);
        if (userOf(now)?.email !== to) {
          await this.takeBackClaim(user, error);
          throw new TableUnavailableError(error);
        }
        moved = true;
      }
      if (!moved) {
        await this.takeBackClaim(user, undefined);
        continue;
      }
      try {
        await this.deleteIfItHolds(emailKey(from), id);
      } catch (error) {
        throw new IncompleteChangeError({ id, email: from }, error);
      }
      return { status: 'changed', user };
    }
    return { status: 'gone' };
  }

  /** Writes `attributes` under `key` with UpdateItem, while no item is there. Whether it did. */
  private async writeIfNew(key: string, attributes: Item): Promise<boolean> {
    const { set, values } = assignments(attributes);
    try {
      await this.client.update({
        TableName: this.tableName,
        Key: keyOf(key),
        UpdateExpression: `SET ${set}`,
        ConditionExpression: IS_NEW,
        ExpressionAttributeNames: namesIn(set),
        ExpressionAttributeValues: values,
      });
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw new TableUnavailableError(error);
    }
  }

  /** The id item takes `attributes` while it holds `from` at `revision`. Whether it did. */
  private async moveIdItem(
    id: string,
    from: string,
    revision: number,
    attributes: Item,
  ): Promise<boolean> {
    const { set, values } = assignments(attributes);
    const sameRevision =
      revision === 0 ? `attribute_not_exists(${REVISION})` : `${REVISION} = :expectedRevision`;
    const condition = `#id = :id AND #email = :from AND ${sameRevision}`;
    try {
      await this.client.update({
        TableName: this.tableName,
        Key: keyOf(userKey(id)),
        UpdateExpression: `SET ${set}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: namesIn(set, condition),
        ExpressionAttributeValues: {
          ...values,
          ':from': from,
          ...(revision === 0 ? {} : { ':expectedRevision': revision }),
        },
      });
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Deletes a new address's claim again; when that fails too, says what is left. */
  private async takeBackClaim(user: User, cause: unknown): Promise<void> {
    try {
      await this.deleteIfItHolds(emailKey(user.email), user.id);
    } catch (cleanupError) {
      throw new IncompleteWriteError(user, cause ?? cleanupError, cleanupError);
    }
  }

  async revokeSessions(id: string): Promise<User | undefined> {
    const now = new Date().toISOString();
    return this.change(id, { attributes: { sessionsValidAfter: now, updatedAt: now } });
  }

  /**
   * The id item first (the re-check by id stops at once), then the email item, if it still
   * holds this user. A pointer from before the copies is removed the same way. Stopped half-way,
   * the user is found by its email only, like a create stopped half-way: `repair`, then delete.
   */
  async delete(id: string): Promise<boolean> {
    const removed = await this.call(() =>
      this.client.delete({
        TableName: this.tableName,
        Key: keyOf(userKey(id)),
        ReturnValues: 'ALL_OLD',
      }),
    );
    const item = removed.Attributes;
    const email = userOf(item)?.email ?? pointerOf(item);
    if (email === undefined) return false;
    const deleted = await this.call(() => this.deleteIfItHolds(emailKey(email), id));
    // A copy was the user; a pointer only if it led to this user's email item.
    return userOf(item) !== undefined || deleted;
  }

  async *list(): AsyncIterable<User> {
    let startKey: Item | undefined;
    do {
      const page = await this.call(() =>
        this.client.scan({
          TableName: this.tableName,
          FilterExpression: `begins_with(${PARTITION_KEY}, :prefix)`,
          ExpressionAttributeValues: { ':prefix': KEY_PREFIX.email },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const user = userOf(item);
        if (user) yield user;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
}
