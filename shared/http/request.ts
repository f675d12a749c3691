/**
 * From an API Gateway HTTP API (payload v2) event to a validated request: method, headers,
 * query, cookies and, for POST, the urlencoded form within its limits. Machine-to-machine
 * endpoints (Hydra's token hook) get a JSON request instead: the same method check and body
 * limits, a JSON body read only when the handler asks for it (after it has authenticated the
 * caller).
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { parseCookies } from './cookies';
import { badRequest, HttpError } from './errors';
import { FormFields, parseUrlEncoded } from './form';

/** The largest form a page posts (after base64 decoding); JSON routes pass their own limit. */
export const MAX_FORM_BODY_BYTES = 16 * 1024;
export const MAX_CHALLENGE_LENGTH = 8192;
const CHALLENGE_PATTERN = /^[A-Za-z0-9_\-.~=]+$/;

export type Method = 'GET' | 'POST';

export interface WebRequest {
  method: Method;
  /** Header names in lower case. */
  headers: Record<string, string>;
  query: FormFields;
  form: FormFields;
  cookies: Map<string, string>;
  sourceIp: string | undefined;
}

function lowerCaseHeaders(headers: APIGatewayProxyEventV2['headers'] | undefined) {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (typeof value === 'string') out[name.toLowerCase()] = value;
  }
  return out;
}

function queryOf(event: APIGatewayProxyEventV2): FormFields {
  if (typeof event.rawQueryString === 'string') return parseUrlEncoded(event.rawQueryString);
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (typeof value === 'string') params.append(name, value);
  }
  return parseUrlEncoded(params.toString());
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function mediaType(headers: Record<string, string>): string | undefined {
  return (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
}

/** The body as text: at most `maxBytes` after base64 decoding, valid UTF-8. */
function bodyText(event: APIGatewayProxyEventV2, maxBytes: number, what: 'form' | 'body'): string {
  const tooLarge = () =>
    new HttpError(413, {
      title: { key: 'error.tooLarge.title' },
      message: { key: what === 'form' ? 'error.tooLarge.form' : 'error.tooLarge.body' },
    });
  const raw = event.body ?? '';
  // Refuse an oversized base64 body before decoding it (4 characters carry 3 bytes).
  if (event.isBase64Encoded && raw.length > Math.ceil(maxBytes / 3) * 4) throw tooLarge();
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > maxBytes) throw tooLarge();
  try {
    return utf8.decode(bytes);
  } catch {
    throw badRequest({ key: what === 'form' ? 'error.notUtf8.form' : 'error.notUtf8.body' });
  }
}

function formOf(event: APIGatewayProxyEventV2, headers: Record<string, string>): FormFields {
  if (mediaType(headers) !== 'application/x-www-form-urlencoded') {
    throw new HttpError(415, {
      title: { key: 'error.unsupportedForm.title' },
      message: { key: 'error.unsupportedForm.message' },
    });
  }
  return parseUrlEncoded(bodyText(event, MAX_FORM_BODY_BYTES, 'form'));
}

function checkMethod(event: APIGatewayProxyEventV2, method: Method): void {
  const actual = event.requestContext?.http?.method?.toUpperCase();
  if (actual !== method) {
    throw new HttpError(
      405,
      {
        title: { key: 'error.methodNotAllowed.title' },
        message: { key: 'error.methodNotAllowed.message' },
      },
      { allow: method },
    );
  }
}

export function parseRequest(event: APIGatewayProxyEventV2, method: Method): WebRequest {
  checkMethod(event, method);
  const headers = lowerCaseHeaders(event.headers);
  return {
    method,
    headers,
    query: queryOf(event),
    form: method === 'POST' ? formOf(event, headers) : parseUrlEncoded(''),
    cookies: parseCookies(event.cookies, headers.cookie),
    sourceIp: event.requestContext?.http?.sourceIp,
  };
}

/** A request to a JSON endpoint: no query, form or cookies; the body is read on demand. */
export interface JsonRequest {
  method: Method;
  /** Header names in lower case. */
  headers: Record<string, string>;
  sourceIp: string | undefined;
  /** The parsed JSON body (any JSON value); a body that is not JSON within the limit is a 4xx. */
  json(): unknown;
}

export function parseJsonRequest(
  event: APIGatewayProxyEventV2,
  method: Method,
  maxBodyBytes: number,
): JsonRequest {
  checkMethod(event, method);
  const headers = lowerCaseHeaders(event.headers);
  return {
    method,
    headers,
    sourceIp: event.requestContext?.http?.sourceIp,
    json() {
      if (mediaType(headers) !== 'application/json') {
        throw new HttpError(415, {
          title: { key: 'error.unsupportedMediaType.title' },
          message: { key: 'error.unsupportedMediaType.message' },
        });
      }
      const text = bodyText(event, maxBodyBytes, 'body');
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw badRequest({ key: 'error.notJson' });
      }
    },
  };
}

/** A Hydra challenge from a query or form field: present, not absurdly long, of its alphabet. */
export function challengeFrom(fields: FormFields, name: string): string {
  const value = fields.one(name);
  if (value === undefined || value === '') {
    throw badRequest({ key: 'error.noChallenge' });
  }
  if (value.length > MAX_CHALLENGE_LENGTH || !CHALLENGE_PATTERN.test(value)) {
    throw badRequest({ key: 'error.badChallenge' });
  }
  return value;
}
