/**
 * The users table's document client in the functions: DynamoDB's JSON protocol (a signed
 * `POST /` with `X-Amz-Target: DynamoDB_20120810.<Operation>`) for the operations the stores
 * make, GetItem, PutItem, UpdateItem, DeleteItem and Scan, over the node:http(s) transport the
 * Hydra adapter uses. The AWS SDK's document client would load about 535 KB of SDK into every
 * function that touches the table (README, Performance); this is the same inputs and answers
 * (the SDK's own types, imported as types only), its marshalling (./dynamodb-values) and its
 * retries, and nothing else. The users CLI keeps the SDK (scripts/lib/sdk-document-client.ts),
 * for its credential chain (profiles, SSO).
 *
 * - Credentials: the function's own, from the environment Lambda sets (./sigv4); none is a
 *   DynamoDbError named `MissingCredentials` (the handlers' 503).
 * - Errors: an answer other than 200 is a DynamoDbError named after DynamoDB's error type
 *   (`ConditionalCheckFailedException`, …); no request or item value is in it, nor DynamoDB's
 *   message (which may quote one).
 * - Retries as the SDK's standard mode with `maxAttempts: 3` (its retry quota aside): throttling,
 *   5xx answers, timeouts and network failures are tried again after a jittered backoff (full
 *   jitter: up to 50 ms × 2^n, 1 s × 2^n for throttling); any other answer (a failed condition,
 *   a validation error, a missing table) is final. So is a caller's abort signal that fired.
 * - Each attempt has its deadline (2 s, the SDK's requestTimeout here) besides the caller's.
 */
import type {
  DeleteCommandInput,
  DeleteCommandOutput,
  GetCommandInput,
  GetCommandOutput,
  PutCommandInput,
  PutCommandOutput,
  ScanCommandInput,
  ScanCommandOutput,
  UpdateCommandInput,
  UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { createNodeTransport, type HydraTransport } from '../hydra/transport';
import { fromWireMap, toWireMap, type WireMap } from './dynamodb-values';
import { signedJsonRequest, type AwsCredentials } from './sigv4';

/*
 * The document client's inputs without the legacy parameters that carry values (Expected,
 * AttributeUpdates, ScanFilter: we do not marshal them), and its answers without $metadata.
 */
export type GetInput = GetCommandInput;
export type PutInput = Omit<PutCommandInput, 'Expected'>;
export type UpdateInput = Omit<UpdateCommandInput, 'Expected' | 'AttributeUpdates'>;
export type DeleteInput = Omit<DeleteCommandInput, 'Expected'>;
export type ScanInput = Omit<ScanCommandInput, 'ScanFilter'>;
export type GetOutput = Omit<GetCommandOutput, '$metadata'>;
export type PutOutput = Omit<PutCommandOutput, '$metadata'>;
export type UpdateOutput = Omit<UpdateCommandOutput, '$metadata'>;
export type DeleteOutput = Omit<DeleteCommandOutput, '$metadata'>;
export type ScanOutput = Omit<ScanCommandOutput, '$metadata'>;

export interface CallOptions {
  /** Ends the call (and its retries) when it fires. */
  abortSignal?: AbortSignal;
}

/** What the stores (shared/users) call: DynamoDB's item operations, with plain values. */
export interface DocumentClient {
  get(input: GetInput, options?: CallOptions): Promise<GetOutput>;
  put(input: PutInput, options?: CallOptions): Promise<PutOutput>;
  update(input: UpdateInput, options?: CallOptions): Promise<UpdateOutput>;
  delete(input: DeleteInput, options?: CallOptions): Promise<DeleteOutput>;
  scan(input: ScanInput, options?: CallOptions): Promise<ScanOutput>;
}

/** A call that failed: `name` is DynamoDB's error type, or what became of the request. */
export class DynamoDbError extends Error {
  override readonly name: string;
  constructor(
    name: string,
    readonly operation: string,
    /** The HTTP status of DynamoDB's answer; undefined when none came. */
    readonly status: number | undefined,
    /** How many requests the call made. */
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(
      `DynamoDB ${operation}: ${name}${status === undefined ? '' : ` (status ${status})`}${
        attempts > 1 ? ` after ${attempts} attempts` : ''
      }`,
      options,
    );
    this.name = name;
  }
}

/** The error types DynamoDB throttles with. */
const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);

/** No answer: the attempt's own deadline passed, or the connection failed. */
const TIMEOUT = 'TimeoutError';
const NETWORK = 'NetworkError';

export type RetryKind = 'throttling' | 'transient';

/** Whether a failed attempt is worth another, and which backoff it takes. Pure. */
export function retryKind(error: DynamoDbError): RetryKind | undefined {
  if (THROTTLING.has(error.name)) return 'throttling';
  if (error.status !== undefined && error.status >= 500) return 'transient';
  if (error.status === undefined && (error.name === TIMEOUT || error.name === NETWORK)) {
    return 'transient';
  }
  return undefined;
}

/** The SDK's standard backoff: full jitter over 2^retry × its base (`random` in [0, 1)). Pure. */
export function backoffMs(kind: RetryKind, retry: number, random: number): number {
  const base = kind === 'throttling' ? 1000 : 50;
  return Math.floor(random * Math.min(base * 2 ** retry, 20_000));
}

export interface DynamoDbClientOptions {
  region: string;
  /** A local endpoint (dynalite), or the region's public one. */
  endpoint?: string | undefined;
  credentials: () => AwsCredentials | undefined;
  /** Requests per call, the first included (3, as the SDK was set up). */
  maxAttempts?: number;
  /** Each attempt's deadline (2 s). */
  attemptTimeoutMs?: number;
  transport?: HydraTransport;
  now?: () => Date;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** A Scan page can hold 1 MB of items; their JSON is larger. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Json = Record<string, unknown>;

/** The request's attributes (Key, Item, values, start key) marshalled; the rest as it is. */
function marshalled(input: object): Json {
  const body: Json = { ...input };
  for (const field of ['Key', 'Item', 'ExpressionAttributeValues', 'ExclusiveStartKey']) {
    const values = body[field];
    if (values !== undefined) body[field] = toWireMap(values as Json);
  }
  return body;
}

/** The answer's attributes (Item, Attributes, Items, keys) read back; the rest as it is. */
function unmarshalled(answer: Json): Json {
  const output: Json = { ...answer };
  for (const field of ['Item', 'Attributes', 'LastEvaluatedKey']) {
    if (output[field] !== undefined) output[field] = fromWireMap(output[field] as WireMap);
  }
  if (Array.isArray(output.Items)) output.Items = (output.Items as WireMap[]).map(fromWireMap);
  const metrics = output.ItemCollectionMetrics as { ItemCollectionKey?: WireMap } | undefined;
  if (metrics?.ItemCollectionKey) {
    output.ItemCollectionMetrics = {
      ...metrics,
      ItemCollectionKey: fromWireMap(metrics.ItemCollectionKey),
    };
  }
  return output;
}

/** `com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException` → its last part. */
function errorType(text: string, header: string | undefined): string {
  let type: unknown;
  try {
    type = (JSON.parse(text) as { __type?: unknown }).__type;
  } catch {
    type = undefined;
  }
  const named = typeof type === 'string' ? type : header?.split(':')[0];
  return named?.split('#').pop() || 'UnknownError';
}

export class DynamoDbClient implements DocumentClient {
  private readonly endpoint: string;
  private readonly send: HydraTransport;

  constructor(private readonly options: DynamoDbClientOptions) {
    this.endpoint = options.endpoint ?? `https://dynamodb.${options.region}.amazonaws.com`;
    this.send = options.transport ?? createNodeTransport({ maxBodyBytes: MAX_ANSWER_BYTES });
  }

  get(input: GetInput, options?: CallOptions): Promise<GetOutput> {
    return this.call('GetItem', input, options);
  }

  put(input: PutInput, options?: CallOptions): Promise<PutOutput> {
    return this.call('PutItem', input, options);
  }

  update(input: UpdateInput, options?: CallOptions): Promise<UpdateOutput> {
    return this.call('UpdateItem', input, options);
  }

  delete(input: DeleteInput, options?: CallOptions): Promise<DeleteOutput> {
    return this.call('DeleteItem', input, options);
  }

  scan(input: ScanInput, options?: CallOptions): Promise<ScanOutput> {
    return this.call('Scan', input, options);
  }

  private async call<T>(operation: string, input: object, options?: CallOptions): Promise<T> {
    const body = JSON.stringify(marshalled(input));
    const maxAttempts = this.options.maxAttempts ?? 3;
    const caller = options?.abortSignal;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(operation, body, attempt, caller);
      if (!(outcome instanceof DynamoDbError)) return unmarshalled(outcome) as T;
      const kind = retryKind(outcome);
      if (!kind || attempt >= maxAttempts || caller?.aborted) throw outcome;
      const random = (this.options.random ?? Math.random)();
      await (this.options.sleep ?? sleepFor)(backoffMs(kind, attempt - 1, random));
      if (caller?.aborted) throw outcome;
    }
  }

  /** One request: DynamoDB's answer, or the error it makes. */
  private async attempt(
    operation: string,
    body: string,
    attempt: number,
    caller: AbortSignal | undefined,
  ): Promise<Json | DynamoDbError> {
    const credentials = this.options.credentials();
    if (!credentials) {
      return new DynamoDbError(
        'MissingCredentials',
        operation,
        undefined,
        attempt,
        // The names only: the values never go into an error.
        { cause: new Error('no AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment') },
      );
    }
    const request = signedJsonRequest({
      endpoint: this.endpoint,
      region: this.options.region,
      service: 'dynamodb',
      target: `DynamoDB_20120810.${operation}`,
      body,
      credentials,
      now: this.options.now?.() ?? new Date(),
      jsonVersion: '1.0',
    });
    const deadline = AbortSignal.timeout(this.options.attemptTimeoutMs ?? 2000);
    const signal = caller ? AbortSignal.any([caller, deadline]) : deadline;
    let status: number;
    let text: string;
    let typeHeader: string | undefined;
    try {
      const response = await this.send(request.url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        signal,
      });
      status = response.status;
      typeHeader = response.header('x-amzn-errortype');
      text = await response.text();
    } catch (error) {
      const name = (error as { name?: string } | undefined)?.name;
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      return new DynamoDbError(timedOut ? TIMEOUT : NETWORK, operation, undefined, attempt, {
        cause: error,
      });
    }
    if (status !== 200) {
      return new DynamoDbError(errorType(text, typeHeader), operation, status, attempt);
    }
    try {
      return JSON.parse(text) as Json;
    } catch {
      return new DynamoDbError('InvalidAnswer', operation, status, attempt);
    }
  }
}
