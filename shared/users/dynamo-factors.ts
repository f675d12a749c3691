/** The second factors' item in the users table (./factors, ./table). */
import type { DocumentClient, UpdateInput } from '../aws/dynamodb';
import type { Factors, FactorStore, RecoveryCodes, TotpFactor } from './factors';
import {
  MAX_PASSKEYS,
  storedPasskeysOf,
  type PasskeyStore,
  type PasskeyUse,
  type StoredPasskey,
} from './passkeys';
import { factorsKey, keyOf, TableUnavailableError } from './table';

const isConditionFailure = (error: unknown) =>
  (error as { name?: string }).name === 'ConditionalCheckFailedException';

export class DynamoFactorStore implements FactorStore, PasskeyStore {
  constructor(
    private readonly client: DocumentClient,
    private readonly tableName: string,
  ) {}

  /** A call of the table: a failed condition as it is, anything else unavailable. */
  private async send<T>(call: (client: DocumentClient) => Promise<T>): Promise<T> {
    try {
      return await call(this.client);
    } catch (error) {
      if (isConditionFailure(error)) throw error;
      throw new TableUnavailableError(error);
    }
  }

  async find(userId: string): Promise<Factors | undefined> {
    const { Item: item } = await this.send((client) =>
      client.get({
        TableName: this.tableName,
        Key: keyOf(factorsKey(userId)),
        ConsistentRead: true,
      }),
    );
    if (!item) return undefined;
    const passkeys = storedPasskeysOf(item.passkeys);
    return { ...totpOf(item.totp), ...recoveryCodesOf(item), ...(passkeys ? { passkeys } : {}) };
  }

  async enrol(userId: string, totp: TotpFactor, recoveryCodes: RecoveryCodes): Promise<void> {
    // An update, not a put: the item's passkeys stay.
    const codes = recoveryCodesWrite(recoveryCodes);
    await this.send((client) =>
      client.update({
        TableName: this.tableName,
        Key: keyOf(factorsKey(userId)),
        UpdateExpression: `SET #totp = :totp, ${codes.expression}`,
        ExpressionAttributeNames: { '#totp': 'totp', ...codes.names },
        ExpressionAttributeValues: { ':totp': { ...totp }, ...codes.values },
      }),
    );
  }

  async useTotpStep(userId: string, step: number, resealed?: string): Promise<boolean> {
    try {
      await this.send((client) =>
        client.update({
          TableName: this.tableName,
          Key: keyOf(factorsKey(userId)),
          UpdateExpression: `SET #totp.#lastStep = :step${resealed ? ', #totp.#secret = :secret' : ''}`,
          ConditionExpression: 'attribute_exists(#totp) AND #totp.#lastStep < :step',
          ExpressionAttributeNames: {
            '#totp': 'totp',
            '#lastStep': 'lastStep',
            ...(resealed ? { '#secret': 'secret' } : {}),
          },
          ExpressionAttributeValues: {
            ':step': step,
            ...(resealed ? { ':secret': resealed } : {}),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async replaceRecoveryCodes(userId: string, recoveryCodes: RecoveryCodes): Promise<boolean> {
    const codes = recoveryCodesWrite(recoveryCodes);
    try {
      await this.send((client) =>
        client.update({
          TableName: this.tableName,
          Key: keyOf(factorsKey(userId)),
          UpdateExpression: `SET ${codes.expression}`,
          ConditionExpression: 'attribute_exists(#totp)',
          ExpressionAttributeNames: { '#totp': 'totp', ...codes.names },
          ExpressionAttributeValues: codes.values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async useRecoveryCode(userId: string, tag: string): Promise<boolean> {
    try {
      await this.send((client) =>
        client.update({
          TableName: this.tableName,
          Key: keyOf(factorsKey(userId)),
          UpdateExpression: 'DELETE #codes :tags',
          ConditionExpression: 'contains(#codes, :tag)',
          ExpressionAttributeNames: { '#codes': RECOVERY_ATTRIBUTES.tags },
          ExpressionAttributeValues: { ':tags': new Set([tag]), ':tag': tag },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** A conditional update: false when its condition fails. */
  private async conditional(update: Omit<UpdateInput, 'TableName' | 'Key'>, userId: string) {
    try {
      await this.send((client) =>
        client.update({
          TableName: this.tableName,
          Key: keyOf(factorsKey(userId)),
          ...update,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async addPasskey(userId: string, id: string, passkey: StoredPasskey): Promise<boolean> {
    // Into the map, while the id is new and the user has fewer than MAX_PASSKEYS; the map itself
    // when the item has none yet (a nested path cannot be set in a map that does not exist).
    // Another request may make the map in between: then into the map, once more.
    const intoMap = () =>
      this.conditional(
        {
          UpdateExpression: 'SET #passkeys.#id = :passkey',
          ConditionExpression:
            'attribute_exists(#passkeys) AND attribute_not_exists(#passkeys.#id) AND size(#passkeys) < :max',
          ExpressionAttributeNames: { '#passkeys': 'passkeys', '#id': id },
          ExpressionAttributeValues: { ':passkey': { ...passkey }, ':max': MAX_PASSKEYS },
        },
        userId,
      );
    if (await intoMap()) return true;
    const made = await this.conditional(
      {
        UpdateExpression: 'SET #passkeys = :passkeys',
        ConditionExpression: 'attribute_not_exists(#passkeys)',
        ExpressionAttributeNames: { '#passkeys': 'passkeys' },
        ExpressionAttributeValues: { ':passkeys': { [id]: { ...passkey } } },
      },
      userId,
    );
    return made || intoMap();
  }

  usePasskey(userId: string, id: string, use: PasskeyUse): Promise<boolean> {
    return this.conditional(
      {
        UpdateExpression:
          'SET #passkeys.#id.#counter = :counter, #passkeys.#id.#backedUp = :backedUp, #passkeys.#id.#lastUsedAt = :usedAt',
        ConditionExpression: '#passkeys.#id.#counter = :previous',
        ExpressionAttributeNames: {
          '#passkeys': 'passkeys',
          '#id': id,
          '#counter': 'counter',
          '#backedUp': 'backedUp',
          '#lastUsedAt': 'lastUsedAt',
        },
        ExpressionAttributeValues: {
          ':counter': use.counter,
          ':previous': use.previousCounter,
          ':backedUp': use.backedUp,
          ':usedAt': use.usedAt,
        },
      },
      userId,
    );
  }

  removePasskey(userId: string, id: string): Promise<boolean> {
    return this.conditional(
      {
        UpdateExpression: 'REMOVE #passkeys.#id',
        ConditionExpression: 'attribute_exists(#passkeys.#id)',
        ExpressionAttributeNames: { '#passkeys': 'passkeys', '#id': id },
      },
      userId,
    );
  }

  async reset(userId: string): Promise<boolean> {
    const { Attributes: old } = await this.send((client) =>
      client.delete({
        TableName: this.tableName,
        Key: keyOf(factorsKey(userId)),
        ReturnValues: 'ALL_OLD',
      }),
    );
    return old !== undefined;
  }
}

function totpOf(value: unknown): { totp?: TotpFactor } {
  if (typeof value !== 'object' || value === null) return {};
  const { secret, lastStep, createdAt } = value as Record<string, unknown>;
  if (typeof secret !== 'string' || typeof lastStep !== 'number') return {};
  return { totp: { secret, lastStep, createdAt: typeof createdAt === 'string' ? createdAt : '' } };
}

/** Where the factors item keeps a set of recovery codes. */
const RECOVERY_ATTRIBUTES = {
  tags: 'recoveryCodes',
  keyId: 'recoveryKeyId',
  createdAt: 'recoveryCreatedAt',
} as const;

/**
 * The part of an update expression (after its SET) that writes a set of recovery codes, with
 * its names and values. A string set cannot be empty: no codes, no attribute (REMOVE).
 */
function recoveryCodesWrite(recoveryCodes: RecoveryCodes) {
  const hasCodes = recoveryCodes.tags.length > 0;
  return {
    expression: `#keyId = :keyId, #createdAt = :createdAt${
      hasCodes ? ', #codes = :codes' : ' REMOVE #codes'
    }`,
    names: {
      '#codes': RECOVERY_ATTRIBUTES.tags,
      '#keyId': RECOVERY_ATTRIBUTES.keyId,
      '#createdAt': RECOVERY_ATTRIBUTES.createdAt,
    },
    values: {
      ':keyId': recoveryCodes.keyId,
      ':createdAt': recoveryCodes.createdAt,
      ...(hasCodes ? { ':codes': new Set(recoveryCodes.tags) } : {}),
    },
  };
}

function recoveryCodesOf(item: Record<string, unknown>): { recoveryCodes?: RecoveryCodes } {
  const {
    [RECOVERY_ATTRIBUTES.tags]: tags,
    [RECOVERY_ATTRIBUTES.keyId]: keyId,
    [RECOVERY_ATTRIBUTES.createdAt]: createdAt,
  } = item;
  if (typeof keyId !== 'string') return {};
  const list = tags instanceof Set ? [...(tags as Set<unknown>)] : [];
  return {
    recoveryCodes: {
      keyId,
      tags: list.filter((tag): tag is string => typeof tag === 'string'),
      createdAt: typeof createdAt === 'string' ? createdAt : '',
    },
  };
}
