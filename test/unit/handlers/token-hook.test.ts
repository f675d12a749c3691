/**
 * POST /token-hook through the real handler: the key check, JSON in and out, the body limits,
 * and the user read from the in-memory user store of the flow tests (support/fakes.ts), handed
 * to the route as its deps; the misconfigured cases with the deps shared/wiring.ts makes.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { tokenHook } from '../../../functions/token-hook';
import type { WebResponse } from '../../../shared/http/response';
import { TableUnavailableError } from '../../../shared/users/table';
import type { User } from '../../../shared/users/types';
import { tokenHookDeps } from '../../../shared/wiring';
import { event } from '../support/events';
import { configFrom, expectSecurityHeaders, invoke, useFakeSite } from '../support/handlers';
import { captureLogs } from '../support/logs';
import { SID, tokenHookBody } from '../support/token-hook-payloads';

const KEY = 'unit-test-token-hook-key-0123456789abcdef';
const site = useFakeSite({ tokenHookApiKey: KEY });
const logs = captureLogs();

const AT = '2024-05-01T10:00:00.000Z';
const ALICE: User = {
  id: 'user-alice-0001',
  email: 'alice@example.com',
  enabled: true,
  passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA',
  passwordChangedAt: AT,
  createdAt: AT,
  updatedAt: AT,
  profile: { name: 'Alice Liddell', email_verified: true, roles: ['reader'] },
};

function hookEvent(
  options: {
    body?: unknown;
    key?: string | undefined;
    headers?: Record<string, string>;
    raw?: string;
    method?: string;
  } = {},
): APIGatewayProxyEventV2 {
  const key = 'key' in options ? options.key : KEY;
  return event({
    method: options.method ?? 'POST',
    path: '/token-hook',
    body: options.raw ?? JSON.stringify(options.body ?? tokenHookBody({ subject: ALICE.id })),
    headers: {
      'content-type': 'application/json; charset=UTF-8',
      'user-agent': 'Go-http-client/1.1',
      ...(key === undefined ? {} : { 'X-Token-Hook-Key': key }),
      ...options.headers,
    },
  });
}

const call = (e: APIGatewayProxyEventV2) => invoke(site().tokenHook, e);

function json(response: WebResponse): Record<string, unknown> {
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  return JSON.parse(response.body ?? '') as Record<string, unknown>;
}

beforeEach(() => {
  site().users.users.set(ALICE.id, ALICE);
});

describe('POST /token-hook: the key', () => {
  it('answers Hydra with the current claims when it sends the right key', async () => {
    const response = await call(hookEvent());

    expect(response.statusCode).toBe(200);
    expect(json(response)).toEqual({
      session: {
        access_token: { roles: ['reader'] },
        id_token: {
          name: 'Alice Liddell',
          updated_at: Date.parse(AT) / 1000,
          sid: SID,
        },
      },
    });
    expectSecurityHeaders(response);
  });

  it.each([
    ['no key', undefined],
    ['an empty key', ''],
    ['a wrong key of the same length', KEY.replace(/.$/, 'x')],
    ['a prefix of the key', KEY.slice(0, 16)],
    ['the key with more after it', `${KEY}0`],
    ['the key in another case', KEY.toUpperCase()],
  ])('refuses %s with 401 JSON, before reading the body or any user', async (_name, key) => {
    const response = await call(hookEvent({ key, raw: 'not even json' }));

    expect(response.statusCode).toBe(401);
    expect(json(response)).toMatchObject({ error: 'unauthorized' });
    expectSecurityHeaders(response);
    expect(site().tableCalls()).toEqual([]);
  });

  it('takes the key from the header only, not from a query string or cookie', async () => {
    const response = await call({
      ...hookEvent({ key: undefined }),
      rawQueryString: `x-token-hook-key=${KEY}`,
      cookies: [`x-token-hook-key=${KEY}`],
    });

    expect(response.statusCode).toBe(401);
  });

  it('never logs the key', async () => {
    await call(hookEvent());
    await call(hookEvent({ key: `${KEY}-wrong` }));

    expect(logs.lines.join('\n')).not.toContain(KEY.slice(0, 20));
  });
});

describe('POST /token-hook: the decision', () => {
  it('refuses a disabled user with 403 (Hydra: access_denied)', async () => {
    site().users.users.set(ALICE.id, {
      ...ALICE,
      enabled: false,
      sessionsValidAfter: '2024-06-01T00:00:00.000Z',
    });

    const response = await call(hookEvent());

    expect(response.statusCode).toBe(403);
    expect(json(response)).toMatchObject({ error: 'access_denied' });
  });

  it('refuses a deleted user with 403', async () => {
    site().users.users.clear();

    expect((await call(hookEvent())).statusCode).toBe(403);
  });

  it('issues client_credentials tokens as they are (204, no body), reading no user', async () => {
    const response = await call(
      hookEvent({ body: tokenHookBody({ grant: 'client_credentials' }) }),
    );

    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    expect(site().tableCalls()).toEqual([]);
  });

  it('fails closed with 503 when DynamoDB cannot answer', async () => {
    jest
      .spyOn(site().users, 'findById')
      .mockRejectedValue(new TableUnavailableError(new Error('throttled')));

    const response = await call(hookEvent());

    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toMatch(/^\d+$/);
    expect(json(response)).toMatchObject({ error: 'temporarily_unavailable' });
  });
});

describe('POST /token-hook: bodies and methods', () => {
  it.each<{ name: string; options: Parameters<typeof hookEvent>[0]; status: number; code: string }>(
    [
      {
        name: 'a body that is not JSON',
        options: { raw: '{"session": ' },
        status: 400,
        code: 'invalid_request',
      },
      {
        name: 'JSON that is not Hydra’s',
        options: { body: { hello: 'world' } },
        status: 400,
        code: 'invalid_request',
      },
      { name: 'an empty body', options: { raw: '' }, status: 400, code: 'invalid_request' },
      {
        name: 'a form',
        options: { headers: { 'content-type': 'application/x-www-form-urlencoded' } },
        status: 415,
        code: 'unsupported_media_type',
      },
      {
        name: 'no content type',
        options: { headers: { 'content-type': '' } },
        status: 415,
        code: 'unsupported_media_type',
      },
      {
        name: 'a body over 64 KiB',
        options: { raw: JSON.stringify({ pad: 'x'.repeat(65 * 1024) }) },
        status: 413,
        code: 'request_too_large',
      },
      { name: 'a GET', options: { method: 'GET' }, status: 405, code: 'method_not_allowed' },
    ],
  )('answers $name with $status JSON and no stack trace', async ({ options, status, code }) => {
    const response = await call(hookEvent(options));

    expect(response.statusCode).toBe(status);
    const body = json(response);
    expect(body.error).toBe(code);
    expect(typeof body.error_description).toBe('string');
    expect(response.body).not.toMatch(/at .+\.(ts|js):\d+/);
    expectSecurityHeaders(response);
    expect(site().tableCalls()).toEqual([]);
  });

  it('reads a base64-encoded body (API Gateway may deliver one)', async () => {
    const e = hookEvent();
    const response = await call({
      ...e,
      body: Buffer.from(e.body ?? '').toString('base64'),
      isBase64Encoded: true,
    });

    expect(response.statusCode).toBe(200);
  });
});

describe('POST /token-hook without TOKEN_HOOK_API_KEY', () => {
  /** The function as deployed with this environment (its deps made by shared/wiring.ts). */
  const deployed = (env: Record<string, string>) => tokenHook(tokenHookDeps(configFrom(env)));

  it('refuses every call, even one with a key, and logs why', async () => {
    // Nothing may reach DynamoDB; if it did, it would fail here instead of going to AWS.
    const fresh = deployed({ TOKEN_HOOK_API_KEY: '', DYNAMODB_ENDPOINT: 'http://127.0.0.1:9' });

    for (const key of [undefined, KEY, '']) {
      const response = await invoke(fresh, hookEvent({ key }));
      expect(response.statusCode).toBe(500);
      expect(json(response)).toMatchObject({ error: 'server_error' });
    }
    const errors = logs.entries().filter((entry) => entry.level === 'error');
    expect(errors).toHaveLength(3);
    expect(String(errors[0]?.problem)).toContain('TOKEN_HOOK_API_KEY is not set');
  });

  it('refuses a key shorter than 32 characters as a misconfiguration', async () => {
    const fresh = deployed({ TOKEN_HOOK_API_KEY: 'short-key' });

    const response = await invoke(fresh, hookEvent({ key: 'short-key' }));

    expect(response.statusCode).toBe(500);
    expect(logs.lines.join('\n')).toContain('TOKEN_HOOK_API_KEY must be at least 32 characters');
  });
});
