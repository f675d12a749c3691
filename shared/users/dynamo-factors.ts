/** The second factors' item in the users table (./factors, ./table). */
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Factors, FactorStore, RecoveryCodes, TotpFactor } from './factors';
import { factorsKey, keyOf, TableUnavailableError } from './table';

const isConditionFailure = (error: unknown) =>
  (error as { name?: string }).name === 'ConditionalCheckFailedException';

export class DynamoFactorStore implements FactorStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** A call of the table: a failed condition as it is, anything else unavailable. */
  private async send<T>(call: (client: DynamoDBDocumentClient) => Promise<T>): Promise<T> {
    try {
      return await call(this.client);
    } catch (error) {
      if (isConditionFailure(error)) throw error;
      throw new TableUnavailableError(error);
    }
  }

  async find(userId: string): Promise<Factors | undefined> {
    const { Item: item } = await this.send((client) =>
      client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keyOf(factorsKey(userId)),
          ConsistentRead: true,
        }),
      ),
    );
    if (!item) return undefined;
    return { ...totpOf(item.totp), ...recoveryCodesOf(item) };
  }

  async enrol(userId: string, totp: TotpFactor, recoveryCodes: RecoveryCodes): Promise<void> {
    await this.send((client) =>
      client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keyOf(factorsKey(userId)),
            totp: { ...totp },
            // A string set cannot be empty: no codes, no attribute.
            ...(recoveryCodes.tags.length > 0
              ? { recoveryCodes: new Set(recoveryCodes.tags) }
              : {}),
            recoveryKeyId: recoveryCodes.keyId,
            recoveryCreatedAt: recoveryCodes.createdAt,
          },
        }),
      ),
    );
  }

  async useTotpStep(userId: string, step: number, resealed?: string): Promise<boolean> {
    try {
      await this.send((client) =>
        client.send(
          new UpdateCommand({
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
        ),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async replaceRecoveryCodes(userId: string, recoveryCodes: RecoveryCodes): Promise<boolean> {
    const hasCodes = recoveryCodes.tags.length > 0;
    try {
      await this.send((client) =>
        client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keyOf(factorsKey(userId)),
            // A string set cannot be empty: no codes, no attribute.
            UpdateExpression: hasCodes
              ? 'SET #keyId = :keyId, #createdAt = :createdAt, #codes = :tags'
              : 'SET #keyId = :keyId, #createdAt = :createdAt REMOVE #codes',
            ConditionExpression: 'attribute_exists(#totp)',
            ExpressionAttributeNames: {
              '#totp': 'totp',
              '#codes': 'recoveryCodes',
              '#keyId': 'recoveryKeyId',
              '#createdAt': 'recoveryCreatedAt',
            },
            ExpressionAttributeValues: {
              ':keyId': recoveryCodes.keyId,
              ':createdAt': recoveryCodes.createdAt,
              ...(hasCodes ? { ':tags': new Set(recoveryCodes.tags) } : {}),
            },
          }),
        ),
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
        client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keyOf(factorsKey(userId)),
            UpdateExpression: 'DELETE #codes :tags',
            ConditionExpression: 'contains(#codes, :tag)',
            ExpressionAttributeNames: { '#codes': 'recoveryCodes' },
            ExpressionAttributeValues: { ':tags': new Set([tag]), ':tag': tag },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async reset(userId: string): Promise<boolean> {
    const { Attributes: old } = await this.send((client) =>
      client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keyOf(factorsKey(userId)),
          ReturnValues: 'ALL_OLD',
        }),
      ),
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

function recoveryCodesOf(item: Record<string, unknown>): { recoveryCodes?: RecoveryCodes } {
  const { recoveryCodes: tags, recoveryKeyId: keyId, recoveryCreatedAt: createdAt } = item;
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
