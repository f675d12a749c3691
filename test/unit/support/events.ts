/** API Gateway HTTP API (payload v2) events as the functions receive them: scripts/lib/lambda-events. */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { httpApiEvent, lambdaContext } from '../../../scripts/lib/lambda-events';

export const HOST = 'auth.example';

export interface EventOptions {
  method?: string;
  path?: string;
  query?: string;
  headers?: Record<string, string>;
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
  sourceIp?: string;
}

export function event(options: EventOptions = {}): APIGatewayProxyEventV2 {
  return httpApiEvent({
    method: options.method ?? 'GET',
    host: HOST,
    path: options.path ?? '/login',
    rawQueryString: options.query ?? '',
    headers: { host: HOST, ...options.headers },
    cookies: options.cookies,
    body: options.body,
    isBase64Encoded: options.isBase64Encoded ?? false,
    sourceIp: options.sourceIp ?? '203.0.113.7',
    userAgent: 'jest',
    requestId: 'request-1',
    timeEpoch: Date.parse('2024-05-01T10:00:00Z'),
  });
}

/** A same-origin form POST, the way a browser sends our own forms. */
export function formPost(
  path: string,
  fields: Record<string, string | string[]>,
  options: EventOptions = {},
): APIGatewayProxyEventV2 {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const one of Array.isArray(value) ? value : [value]) body.append(name, one);
  }
  return event({
    method: 'POST',
    path,
    body: body.toString(),
    ...options,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: `https://${HOST}`,
      'sec-fetch-site': 'same-origin',
      ...options.headers,
    },
  });
}

/** One context for every call in a test file: its remaining time stays 10 s (middy reads it). */
export const CONTEXT: Context = {
  ...lambdaContext('test', { requestId: 'aws-request-1' }),
  getRemainingTimeInMillis: () => 10_000,
};
