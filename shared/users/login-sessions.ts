/**
 * How each of Hydra's login sessions was established. Hydra's login request for a remembered
 * session (`skip`) names the session (`session_id`) but neither when it began nor how, so we
 * record both when we accept a sign-in: its start is compared with the user's
 * `sessionsValidAfter` when the session comes back (shared/users/sessions.ts), its methods
 * (`amr`) are what the skip accepts with, and a session bound to the browser session counts only
 * while the browser holds our session cookie (shared/http/session-cookie.ts).
 */
import type { DocumentClient } from '../aws/dynamodb';
import { keyOf, loginSessionKey, TableUnavailableError, TTL_ATTRIBUTE } from './table';

export interface LoginSession {
  subject: string;
  authenticatedAtSeconds: number;
  /** How the user authenticated (RFC 8176 values: `pwd`, later `otp`, `hwk`…). */
  amr: readonly string[];
  /** "Keep me signed in" unticked: the session ends when the browser closes. */
  browserBound: boolean;
}

/**
 * Records written before the methods were recorded: they are all sign-ins with "keep me signed
 * in" ticked (nothing else was recorded then) and by password (the only method there was).
 */
const BEFORE_METHODS_WERE_RECORDED = { amr: ['pwd'], browserBound: false } as const;

export interface LoginSessions {
  /**
   * Records a session; `expiresAtSeconds` is when it no longer counts (checked by `find`;
   * DynamoDB's TTL only removes the record some time later).
   */
  record(sid: string, session: LoginSession, expiresAtSeconds: number): Promise<void>;
  /** The session, if it was recorded and has not expired. */
  find(sid: string): Promise<LoginSession | undefined>;
  /**
   * A recorded session of `subject` was stepped up (a second factor after a remembered
   * password): its methods become `amr`; its start and expiry stay.
   */
  addMethods(sid: string, subject: string, amr: readonly string[]): Promise<void>;
}

export class DynamoLoginSessions implements LoginSessions {
  constructor(
    private readonly client: DocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async record(sid: string, session: LoginSession, expiresAtSeconds: number): Promise<void> {
    try {
      await this.client.update({
        TableName: this.tableName,
        Key: keyOf(loginSessionKey(sid)),
        UpdateExpression:
          'SET #subject = :subject, #at = :at, #amr = :amr, #bound = :bound, #expiresAt = :expiresAt',
        ExpressionAttributeNames: {
          '#subject': 'subject',
          '#at': 'authenticatedAt',
          '#amr': 'amr',
          '#bound': 'browserBound',
          '#expiresAt': TTL_ATTRIBUTE,
        },
        ExpressionAttributeValues: {
          ':subject': session.subject,
          ':at': session.authenticatedAtSeconds,
          ':amr': [...session.amr],
          ':bound': session.browserBound,
          ':expiresAt': expiresAtSeconds,
        },
      });
    } catch (error) {
      throw new TableUnavailableError(error);
    }
  }

  async addMethods(sid: string, subject: string, amr: readonly string[]): Promise<void> {
    try {
      await this.client.update({
        TableName: this.tableName,
        Key: keyOf(loginSessionKey(sid)),
        UpdateExpression: 'SET #amr = :amr',
        ConditionExpression: '#subject = :subject',
        ExpressionAttributeNames: { '#amr': 'amr', '#subject': 'subject' },
        ExpressionAttributeValues: { ':amr': [...amr], ':subject': subject },
      });
    } catch (error) {
      // Gone meanwhile (expired, another subject's): the next skip asks again.
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return;
      throw new TableUnavailableError(error);
    }
  }

  async find(sid: string): Promise<LoginSession | undefined> {
    let item: Record<string, unknown> | undefined;
    try {
      const result = await this.client.get({
        TableName: this.tableName,
        Key: keyOf(loginSessionKey(sid)),
        // Hydra may come back with the session as soon as the sign-in that recorded it is
        // accepted: an eventually consistent read could miss the record and refuse the session.
        ConsistentRead: true,
      });
      item = result.Item;
    } catch (error) {
      throw new TableUnavailableError(error);
    }
    const subject = item?.subject;
    const authenticatedAt = item?.authenticatedAt;
    const expiresAt = item?.[TTL_ATTRIBUTE];
    if (typeof subject !== 'string' || typeof authenticatedAt !== 'number') return undefined;
    if (typeof expiresAt !== 'number' || expiresAt * 1000 <= this.now()) return undefined;
    const { amr, browserBound } = item ?? {};
    if (amr === undefined && browserBound === undefined) {
      return { subject, authenticatedAtSeconds: authenticatedAt, ...BEFORE_METHODS_WERE_RECORDED };
    }
    if (!isMethodList(amr) || typeof browserBound !== 'boolean') return undefined;
    return { subject, authenticatedAtSeconds: authenticatedAt, amr, browserBound };
  }
}

function isMethodList(value: unknown): value is string[] {
  return (
    Array.isArray(value) && value.length > 0 && value.every((method) => typeof method === 'string')
  );
}
