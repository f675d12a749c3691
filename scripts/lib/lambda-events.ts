/**
 * What a function receives on AWS: the API Gateway HTTP API (payload 2.0) event for a request,
 * and the Lambda context. Built here, the one way, for the local adapter, the benchmark and the
 * unit tests. Nothing is imported at run time: the benchmark's cold-start runner bundles this and
 * must load nothing a function would not.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

export interface HttpApiRequest {
  method?: string;
  /** The host the browser asked for: the event's `domainName`. */
  host: string;
  path: string;
  /** The query as on the request line, without `?`, kept raw as API Gateway keeps it. */
  rawQueryString?: string;
  headers?: Record<string, string>;
  /** The `cookies` API Gateway splits out of the Cookie header (none unless given). */
  cookies?: string[];
  /** No body unless given. */
  body?: string;
  isBase64Encoded?: boolean;
  /** API Gateway's `requestContext.http.sourceIp`. */
  sourceIp: string;
  /** `requestContext.http.userAgent`: the User-Agent header unless given. */
  userAgent?: string;
  /** A fresh UUID unless given. */
  requestId?: string;
  /** When the request arrived (ms since the epoch); now unless given. */
  timeEpoch?: number;
}

const MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');

/** API Gateway's `requestContext.time`: `01/May/2024:10:00:00 +0000`. */
function requestTime(epoch: number): string {
  const at = new Date(epoch);
  const two = (value: number) => String(value).padStart(2, '0');
  return (
    `${two(at.getUTCDate())}/${MONTHS[at.getUTCMonth()]}/${at.getUTCFullYear()}:` +
    `${two(at.getUTCHours())}:${two(at.getUTCMinutes())}:${two(at.getUTCSeconds())} +0000`
  );
}

/** The cookies of a Cookie header, as API Gateway lists them in the event. */
export function cookiesOf(header: string | undefined): string[] | undefined {
  const cookies = header?.split(/;\s*/).filter(Boolean);
  return cookies && cookies.length > 0 ? cookies : undefined;
}

/** The event API Gateway would send for this request. */
export function httpApiEvent(request: HttpApiRequest): APIGatewayProxyEventV2 {
  const method = request.method ?? 'GET';
  const routeKey = `${method} ${request.path}`;
  const headers = request.headers ?? {};
  const rawQueryString = request.rawQueryString ?? '';
  const timeEpoch = request.timeEpoch ?? Date.now();
  return {
    version: '2.0',
    routeKey,
    rawPath: request.path,
    rawQueryString,
    ...(request.cookies ? { cookies: request.cookies } : {}),
    headers,
    ...(rawQueryString
      ? { queryStringParameters: Object.fromEntries(new URLSearchParams(rawQueryString)) }
      : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: request.host,
      domainPrefix: request.host.split('.')[0] ?? request.host,
      http: {
        method,
        path: request.path,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp,
        userAgent: request.userAgent ?? headers['user-agent'] ?? '',
      },
      requestId: request.requestId ?? crypto.randomUUID(),
      routeKey,
      stage: '$default',
      time: requestTime(timeEpoch),
      timeEpoch,
    },
    ...(request.body !== undefined ? { body: request.body } : {}),
    isBase64Encoded: request.isBase64Encoded ?? false,
  };
}

export interface ContextOptions {
  /** A fresh UUID unless given. */
  requestId?: string;
  /**
   * serverless.yml's memorySize for the function; unless given, what the process was told
   * (AWS_LAMBDA_FUNCTION_MEMORY_SIZE, as the bench's runners are), else 1024.
   */
  memoryMb?: number;
  /** The function's timeout, counted from now (serverless.yml: 10 s). */
  timeoutMs?: number;
}

/** The Lambda context of one invocation. */
export function lambdaContext(functionName: string, options: ContextOptions = {}): Context {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: String(
      options.memoryMb ?? (Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE) || 1024),
    ),
    awsRequestId: options.requestId ?? crypto.randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
