/**
 * The health check's read of the users table: one GetItem of HEALTH_PROBE_KEY (an item that need
 * not exist), only its key projected, within the check's deadline. Any failure is the table's.
 */
import type { DocumentClient } from '../aws/dynamodb';
import { HEALTH_PROBE_KEY, keyOf, PARTITION_KEY, TableUnavailableError } from './table';

export interface TableProbe {
  probe(timeoutMs: number): Promise<void>;
}

export class DynamoTableProbe implements TableProbe {
  constructor(
    private readonly client: DocumentClient,
    private readonly tableName: string,
  ) {}

  async probe(timeoutMs: number): Promise<void> {
    try {
      await this.client.get(
        {
          TableName: this.tableName,
          Key: keyOf(HEALTH_PROBE_KEY),
          ProjectionExpression: PARTITION_KEY,
        },
        { abortSignal: AbortSignal.timeout(timeoutMs) },
      );
    } catch (error) {
      throw new TableUnavailableError(error);
    }
  }
}
