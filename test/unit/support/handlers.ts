/** Shared set-up for driving the real handlers: configuration and response checks. */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { WebSettings } from '../../../shared/http/cookies';
import type { WebResponse } from '../../../shared/http/response';
import { CONTEXT } from './events';
import { HYDRA_ADMIN } from './hydra-http';

export const COOKIE_SECRET = 'unit-test-cookie-secret-0123456789abcdef';

/** The site settings the handlers are given: what useConfigEnv's environment configures. */
export const WEB: WebSettings = { secret: COOKIE_SECRET, secure: true, csrfTtlSeconds: 3600 };

/** The environment a deployed function gets, read by shared/config.ts on first use. */
export function useConfigEnv(): void {
  const saved = { ...process.env };
  beforeAll(() => {
    Object.assign(process.env, {
      HYDRA_ADMIN_URL: HYDRA_ADMIN,
      HYDRA_TIMEOUT_MS: '100',
      USERS_TABLE: 'users-unit',
      COOKIE_SECRET,
      COOKIE_SECURE: 'true',
      CONSENT_REMEMBER_FOR: '3600',
      LOGIN_REMEMBER_FOR: '7200',
      ACCESS_TOKEN_CLAIMS: 'roles',
      AWS_REGION: 'eu-west-1',
    });
  });
  afterAll(() => {
    process.env = saved;
  });
}

type Handler = (event: APIGatewayProxyEventV2, context: typeof CONTEXT) => Promise<WebResponse>;

export async function invoke(
  handler: unknown,
  event: APIGatewayProxyEventV2,
): Promise<WebResponse> {
  return (handler as Handler)(event, CONTEXT);
}

/** The headers every response must carry, errors and redirects included. */
export function expectSecurityHeaders(response: WebResponse): void {
  const headers = response.headers;
  const csp = headers['content-security-policy'] ?? '';
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("base-uri 'none'");
  expect(csp).toMatch(/form-action 'self' https:(;|$)/);
  expect(csp).not.toContain('unsafe-inline');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['strict-transport-security']).toMatch(/^max-age=\d+/);
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['cache-control']).toBe('no-store');
  expect(headers['x-content-type-options']).toBe('nosniff');
}

/** The CSRF cookie and token a form page gave the browser. */
export function formSecrets(response: WebResponse): { cookie: string; token: string } {
  const token = /name="csrf" value="([^"]+)"/.exec(response.body ?? '')?.[1];
  const cookie = response.cookies?.[0]?.split(';')[0];
  if (!token || !cookie) throw new Error('expected a form page with a CSRF token and cookie');
  return { cookie, token };
}
