/** API Gateway HTTP API (payload v2) events, as the functions receive them. */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

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
  const method = options.method ?? 'GET';
  const path = options.path ?? '/login';
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: options.query ?? '',
    ...(options.cookies ? { cookies: options.cookies } : {}),
    headers: { host: HOST, ...options.headers },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: HOST,
      domainPrefix: 'auth',
      http: {
        method,
        path,
        protocol: 'HTTP/1.1',
        sourceIp: options.sourceIp ?? '203.0.113.7',
        userAgent: 'jest',
      },
      requestId: 'request-1',
      routeKey: `${method} ${path}`,
      stage: '$default',
      time: '01/May/2024:10:00:00 +0000',
      timeEpoch: Date.parse('2024-05-01T10:00:00Z'),
    },
    ...(options.body !== undefined ? { body: options.body } : {}),
    isBase64Encoded: options.isBase64Encoded ?? false,
  };
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

export const CONTEXT = {
  awsRequestId: 'aws-request-1',
  functionName: 'test',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;
