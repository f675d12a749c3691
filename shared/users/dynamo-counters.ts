/**
 * The sign-in throttle's counters (shared/throttle) in the users table: one atomic
 * `UpdateItem ADD` per counter per attempt.
 */
import type { DocumentClient } from '../aws/dynamodb';
import type { ThrottleCounters } from '../throttle/throttle';
import { keyOf, TableUnavailableError, TTL_ATTRIBUTE } from './table';

const NAMES = { '#count': 'count', '#expiresAt': TTL_ATTRIBUTE };
const ADD = 'ADD #count :by SET #expiresAt = if_not_exists(#expiresAt, :expiresAt)';
const BELOW_LIMIT = 'attribute_not_exists(#count) OR #count < :limit';

export class DynamoThrottleCounters implements ThrottleCounters {
  constructor(
    private readonly client: DocumentClient,
    private readonly tableName: string,
  ) {}

  async addBelow(key: string, limit: number, expiresAtSeconds: number): Promise<boolean> {
    try {
      await this.update(key, 1, expiresAtSeconds, limit);
      return true;
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      // Fail closed: no counter, no sign-in.
      throw new TableUnavailableError(error);
    }
  }

  async add(key: string, by: number, expiresAtSeconds: number): Promise<void> {
    try {
      await this.update(key, by, expiresAtSeconds);
    } catch (error) {
      throw new TableUnavailableError(error);
    }
  }

  /** `ADD by`; with a limit, only while the count is below it. */
  private async update(key: string, by: number, expiresAtSeconds: number, limit?: number) {
    const below = limit === undefined ? {} : { ConditionExpression: BELOW_LIMIT };
    await this.client.update({
      TableName: this.tableName,
      Key: keyOf(key),
      UpdateExpression: ADD,
      ...below,
      ExpressionAttributeNames: NAMES,
      ExpressionAttributeValues: {
        ':by': by,
        ':expiresAt': expiresAtSeconds,
        ...(limit === undefined ? {} : { ':limit': limit }),
      },
    });
  }

  async clear(key: string): Promise<void> {
    try {
      await this.client.delete({ TableName: this.tableName, Key: keyOf(key) });
    } catch (error) {
      throw new TableUnavailableError(error);
    }
  }
}
