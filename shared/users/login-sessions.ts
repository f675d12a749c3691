/**
 * When each of Hydra's remembered login sessions was authenticated. Hydra's login request for a
 * remembered session (`skip`) names the session (`session_id`) but not when it began, so we
 * record that time when we accept a sign-in that Hydra will remember, and compare it with the
 * user's `sessionsValidAfter` when the session comes back (shared/users/sessions.ts).
 */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keyOf, loginSessionKey, TableUnavailableError, TTL_ATTRIBUTE } from './table';

export interface LoginSession {
  subject: string;
  authenticatedAtSeconds: number;
}

export interface LoginSessions {
  /** Records a session; `expiresAtSeconds` is when it no longer counts (checked by `find`). */
  record(sid: string, session: LoginSession, expiresAtSeconds: number): Promise<void>;
  /** The session, if it was recorded and has not expired. */
  find(sid: string): Promise<LoginSession | undefined>;
}

export class DynamoLoginSessions implements LoginSessions {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async record(sid: string, session: LoginSession, expiresAtSeconds: number): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(loginSessionKey(sid)),
          UpdateExpression: 'SET #subject = :subject, #at = :at, #expiresAt = :expiresAt',
          ExpressionAttributeNames: {
            '#subject': 'subject',
            '#at': 'authenticatedAt',
            '#expiresAt': TTL_ATTRIBUTE,
          },
          ExpressionAttributeValues: {
            ':subject': session.subject,
            ':at': session.authenticatedAtSeconds,
            ':expiresAt': expiresAtSeconds,
          },
        }),
      );
    } catch (error) {
      throw new TableUnavailableError(error);
    }
  }

  async find(sid: string): Promise<LoginSession | undefined> {
    let item: Record<string, unknown> | undefined;
    try {
      const result = await this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keyOf(loginSessionKey(sid)),
          // Hydra may come back with the session as soon as the sign-in that recorded it is
          // accepted: an eventually consistent read could miss the record and refuse the session.
          ConsistentRead: true,
        }),
      );
      item = result.Item;
    } catch (error) {
      throw new TableUnavailableError(error);
    }
    const subject = item?.subject;
    const authenticatedAt = item?.authenticatedAt;
    const expiresAt = item?.[TTL_ATTRIBUTE];
    if (typeof subject !== 'string' || typeof authenticatedAt !== 'number') return undefined;
    if (typeof expiresAt !== 'number' || expiresAt * 1000 <= this.now()) return undefined;
    return { subject, authenticatedAtSeconds: authenticatedAt };
  }
}
