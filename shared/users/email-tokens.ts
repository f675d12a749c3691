/**
 * The links we mail (reset a password, verify an email, finish a sign-up, confirm a new email), in the users table
 * under `token#<sha256 of the token>` (./table): only the hash is stored, so a copy of the table
 * opens no link. Each record says what it is for, whose it is and until when it works
 * (`validUntil`, checked here in code; DynamoDB's TTL, a day later, only cleans up, and keeps
 * a used or expired link recognisable until then). A link is consumed by one conditional write:
 * of two tabs submitting the same link, one wins, the other is told it was used.
 */
import type { DocumentClient } from '../aws/dynamodb';
import { emailTokenKey, IS_NEW, keyOf, TableUnavailableError, TTL_ATTRIBUTE } from './table';

export type EmailTokenPurpose = 'reset' | 'verify' | 'signup' | 'email-change';

export interface EmailToken {
  purpose: EmailTokenPurpose;
  /** The normalized email the link was mailed to. */
  email: string;
  /** The user's id (reset, verify); none for a sign-up (there is no user yet). */
  subject?: string;
  /** The sign-in the user came from (the way back), when there was one. */
  loginChallenge?: string;
  /** An email change: the address the user had when it was asked (the link works while it has). */
  previousEmail?: string;
  /** Epoch seconds: the link works until then. */
  validUntilSeconds: number;
  /**
   * Epoch milliseconds: when the link was made. A user's link (reset, email change) stops working
   * once the user's sessions were ended after it (../flows/email-links `endedSince`). Absent on
   * links made before it was recorded (they expire within the hour as before).
   */
  issuedAtMs?: number;
}

export interface StoredEmailToken extends EmailToken {
  /** Epoch seconds: when the link was used; absent while it was not. */
  usedAtSeconds?: number;
}

/** How long after its end a link's record is kept (to tell "used" and "expired" from "unknown"). */
export const EMAIL_TOKEN_KEPT_SECONDS = 24 * 60 * 60;

export interface EmailTokens {
  /** Stores a new link under its hash (never over another). */
  save(hash: string, token: EmailToken): Promise<void>;
  /** The link under this hash, used or expired too; undefined when there is none. */
  find(hash: string): Promise<StoredEmailToken | undefined>;
  /**
   * Marks the link used, in one conditional write, if it is for `purpose`, unused, and still
   * valid at `nowSeconds`: the link, when this call consumed it; undefined otherwise.
   */
  consume(
    hash: string,
    purpose: EmailTokenPurpose,
    nowSeconds: number,
  ): Promise<StoredEmailToken | undefined>;
}

const PURPOSES: readonly EmailTokenPurpose[] = ['reset', 'verify', 'signup', 'email-change'];

/** The link an item holds, or undefined for an item that is not one. */
export function emailTokenOf(
  item: Record<string, unknown> | undefined,
): StoredEmailToken | undefined {
  if (!item) return undefined;
  const { purpose, email, subject, loginChallenge, previousEmail, validUntil, usedAt, issuedAt } =
    item;
  if (!PURPOSES.includes(purpose as EmailTokenPurpose)) return undefined;
  if (typeof email !== 'string' || typeof validUntil !== 'number') return undefined;
  return {
    purpose: purpose as EmailTokenPurpose,
    email,
    ...(typeof subject === 'string' ? { subject } : {}),
    ...(typeof loginChallenge === 'string' ? { loginChallenge } : {}),
    ...(typeof previousEmail === 'string' ? { previousEmail } : {}),
    validUntilSeconds: validUntil,
    ...(typeof issuedAt === 'number' ? { issuedAtMs: issuedAt } : {}),
    ...(typeof usedAt === 'number' ? { usedAtSeconds: usedAt } : {}),
  };
}

function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';
}

export class DynamoEmailTokens implements EmailTokens {
  constructor(
    private readonly client: DocumentClient,
    private readonly tableName: string,
  ) {}

  async save(hash: string, token: EmailToken): Promise<void> {
    const attributes: Record<string, unknown> = {
      purpose: token.purpose,
      email: token.email,
      subject: token.subject,
      loginChallenge: token.loginChallenge,
      previousEmail: token.previousEmail,
      validUntil: token.validUntilSeconds,
      issuedAt: token.issuedAtMs,
      [TTL_ATTRIBUTE]: token.validUntilSeconds + EMAIL_TOKEN_KEPT_SECONDS,
    };
    const names = Object.keys(attributes).filter((name) => attributes[name] !== undefined);
    try {
      // UpdateItem, not PutItem: the functions may only update (serverless.yml).
      await this.client.update({
        TableName: this.tableName,
        Key: keyOf(emailTokenKey(hash)),
        UpdateExpression: `SET ${names.map((name) => `#${name} = :${name}`).join(', ')}`,
        ConditionExpression: IS_NEW,
        ExpressionAttributeNames: Object.fromEntries(names.map((name) => [`#${name}`, name])),
        ExpressionAttributeValues: Object.fromEntries(
          names.map((name) => [`:${name}`, attributes[name]]),
        ),
      });
    } catch (error) {
      throw new TableUnavailableError(error);
    }
  }

  async find(hash: string): Promise<StoredEmailToken | undefined> {
    try {
      const result = await this.client.get({
        TableName: this.tableName,
        Key: keyOf(emailTokenKey(hash)),
        ConsistentRead: true,
      });
      return emailTokenOf(result.Item);
    } catch (error) {
      throw new TableUnavailableError(error);
    }
  }

  async consume(
    hash: string,
    purpose: EmailTokenPurpose,
    nowSeconds: number,
  ): Promise<StoredEmailToken | undefined> {
    try {
      const result = await this.client.update({
        TableName: this.tableName,
        Key: keyOf(emailTokenKey(hash)),
        UpdateExpression: 'SET #usedAt = :now',
        ConditionExpression:
          'attribute_exists(#purpose) AND #purpose = :purpose AND attribute_not_exists(#usedAt) AND #validUntil > :now',
        ExpressionAttributeNames: {
          '#usedAt': 'usedAt',
          '#purpose': 'purpose',
          '#validUntil': 'validUntil',
        },
        ExpressionAttributeValues: { ':now': nowSeconds, ':purpose': purpose },
        ReturnValues: 'ALL_NEW',
      });
      return emailTokenOf(result.Attributes);
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw new TableUnavailableError(error);
    }
  }
}
