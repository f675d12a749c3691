/** Throttle counters in the users table: one atomic `UpdateItem ADD` per counter per attempt. */
import { DeleteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { UserStoreUnavailableError } from '../users/types';
import type { ThrottleCounters } from './throttle';

export class DynamoThrottleCounters implements ThrottleCounters {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async add(key: string, by: number, expiresAtSeconds: number): Promise<number> {
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: key },
          UpdateExpression: 'ADD #count :by SET #expiresAt = if_not_exists(#expiresAt, :expiresAt)',
          ExpressionAttributeNames: { '#count': 'count', '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: { ':by': by, ':expiresAt': expiresAtSeconds },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const count = result.Attributes?.count;
      return typeof count === 'number' ? count : Number(count ?? 0);
    } catch (error) {
      // Fail closed: no counter, no sign-in.
      throw new UserStoreUnavailableError(error);
    }
  }

  async clear(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: key } }));
    } catch (error) {
      throw new UserStoreUnavailableError(error);
    }
  }
}
