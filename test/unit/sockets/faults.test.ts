/**
 * Faults, with real sockets: Hydra's admin API refusing connections (a closed port), never
 * answering (a local server that keeps the request open past HYDRA_TIMEOUT_MS), dropping the
 * connection or answering 5xx; DynamoDB unreachable (a closed port), throttling through our own
 * client, shared/aws/dynamodb (a local endpoint answering ProvisionedThroughputExceededException)
 * and throttling after the client's retries (the fake table of support/dynamo-fake). Each must end in a 502/503/504 page within a bounded
 * time, with a log line naming the cause, no stack trace, and nothing accepted at Hydra; reads are
 * retried once, accepts and rejects never.
 *
 * The handlers are the deployed ones: their deps made by shared/wiring.ts from a configuration
 * whose HYDRA_ADMIN_URL is the local Hydra server's (or a closed port), and whose
 * DYNAMODB_ENDPOINT is a closed port or a throttling endpoint where a case needs one.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { WebResponse } from '../../../shared/http/response';
import { createPasswordHasher } from '../../../shared/users/password';
import { useFakeDynamo, throughputExceeded } from '../support/dynamo-fake';
import { event, formPost } from '../support/events';
import {
  configFrom,
  deployed,
  expectSecurityHeaders,
  formSecrets,
  invoke,
} from '../support/handlers';
import {
  closedPortUrl,
  startHydraServer,
  startThrottlingDynamo,
  type LocalServer,
} from '../support/local-servers';
import { captureLogs } from '../support/logs';

const TIMEOUT_MS = 400;
/** Time allowed on top of the deadlines, for a loaded machine. */
const MARGIN_MS = 2500;
const PASSWORD = 'alice-correct-horse-battery-staple';

// Room above every bound asserted below, so a missing deadline fails an assertion, not a timer.
jest.setTimeout(20_000);

const logs = captureLogs();

let hydraServer: LocalServer;
let HANDLERS: Handlers;
beforeAll(async () => {
  hydraServer = await startHydraServer();
  HANDLERS = deployedWith({});
});
afterAll(() => hydraServer.close());
beforeEach(() => {
  hydraServer.calls.length = 0;
});

const alice = {
  id: 'user-alice-0001',
  email: 'alice@example.com',
  enabled: true,
  passwordHash: '',
  passwordChangedAt: '2024-05-01T10:00:00.000Z',
  createdAt: '2024-05-01T10:00:00.000Z',
  updatedAt: '2024-05-01T10:00:00.000Z',
  profile: { name: 'Alice' },
};
beforeAll(async () => {
  alice.passwordHash = await createPasswordHasher({
    memoryCost: 19456,
    timeCost: 2,
    parallelism: 1,
  }).hash(PASSWORD);
});
/** The users table in memory (support/dynamo-fake), with alice, for each test. */
function useUsersTable() {
  const table = useFakeDynamo();
  beforeEach(() => {
    table().putUser(alice);
  });
  return table;
}

type Kind = 'login' | 'consent' | 'logout';
type Handlers = ReturnType<typeof deployed>;

/** The functions as deployed, with the local Hydra server, this file's deadline and `env`. */
function deployedWith(env: Record<string, string>): Handlers {
  return deployed(
    configFrom({ HYDRA_ADMIN_URL: hydraServer.url, HYDRA_TIMEOUT_MS: String(TIMEOUT_MS), ...env }),
  );
}
const PATH: Record<Kind, string> = { login: '/login', consent: '/consent', logout: '/logout' };
const FIELDS: Record<Kind, Record<string, string | string[]>> = {
  login: { action: 'login', identifier: 'alice@example.com', password: PASSWORD },
  consent: { action: 'allow', scope: ['openid', 'profile'] },
  logout: { action: 'logout' },
};

const getEvent = (kind: Kind, challenge: string) =>
  event({ path: PATH[kind], query: `${kind}_challenge=${challenge}` });

/** Our form page for `challenge` (read from a Hydra that answers), then its POST. */
async function postEvent(
  handlers: Handlers,
  kind: Kind,
  challenge: string,
  fields = FIELDS[kind],
): Promise<APIGatewayProxyEventV2> {
  const page = await invoke(handlers[`${kind}-get`], getEvent(kind, challenge));
  const { cookie, token } = formSecrets(page);
  return formPost(PATH[kind], { challenge, csrf: token, ...fields }, { cookies: [cookie] });
}

async function timed(handler: unknown, request: APIGatewayProxyEventV2) {
  const start = performance.now();
  const response = await invoke(handler, request);
  return { response, elapsed: performance.now() - start };
}

function expectUnavailablePage(response: WebResponse, status: number, challenge: string): void {
  expect(response.statusCode).toBe(status);
  expect(response.body).toContain('<title>Sign-in is unavailable</title>');
  expect(response.body).not.toContain('    at ');
  expect(response.body).not.toContain(challenge);
  expect(response.headers.location).toBeUndefined();
  expectSecurityHeaders(response);
}

/** Waits until `done()` (or `limitMs`), then a little longer to see that nothing else comes. */
async function settled(done: () => boolean, limitMs: number): Promise<void> {
  const until = Date.now() + limitMs;
  while (!done() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 25));
  await new Promise((resolve) => setTimeout(resolve, 200));
}

type Entry = Record<string, unknown>;

function expectCauseLogged(lines: string[], expected: Entry, challenge: string): void {
  const entries = lines.map((line) => JSON.parse(line) as Entry);
  expect(entries).toContainEqual(expect.objectContaining(expected));
  for (const line of lines) {
    expect(line).not.toContain('    at ');
    expect(line).not.toContain(challenge);
    expect(line).not.toContain(PASSWORD);
  }
}

const callsTo = (server: LocalServer, method: string) =>
  server.calls.filter((call) => call.method === method);

/** Runs `body` with the handlers deployed with `env` (see `deployed`) and this file's log lines. */
async function withFreshHandlers(
  env: Record<string, string>,
  body: (handlers: Handlers, lines: string[]) => Promise<void>,
): Promise<void> {
  await body(deployedWith(env), logs.lines);
}

describe('Hydra admin API faults on reads (retried once)', () => {
  it.each([
    ['login', 'hang', 504, 'timeout'],
    ['login', 'fail500', 502, 'server'],
    ['login', 'reset', 502, 'network'],
    ['consent', 'hang', 504, 'timeout'],
    ['consent', 'fail503', 502, 'server'],
    ['consent', 'reset', 502, 'network'],
    ['logout', 'hang', 504, 'timeout'],
    ['logout', 'fail500', 502, 'server'],
    ['logout', 'reset', 502, 'network'],
  ] as const)(
    'GET /%s when Hydra answers "%s": %i within the deadlines, the cause logged',
    async (kind, behaviour, status, failure) => {
      const challenge = `${behaviour}-${kind}-challenge-0123456789`;

      const { response, elapsed } = await timed(HANDLERS[`${kind}-get`], getEvent(kind, challenge));

      expectUnavailablePage(response, status, challenge);
      // Two attempts, each within the deadline.
      expect(elapsed).toBeLessThan(2 * TIMEOUT_MS + MARGIN_MS);
      if (failure === 'timeout') expect(elapsed).toBeGreaterThanOrEqual(2 * TIMEOUT_MS - 50);
      expect(callsTo(hydraServer, 'GET')).toHaveLength(2);
      expect(hydraServer.calls.filter((call) => call.method !== 'GET')).toEqual([]);
      expectCauseLogged(
        logs.lines,
        { message: 'hydra unavailable', failure, operation: `get ${kind} request` },
        challenge,
      );
    },
  );

  it.each(['login', 'consent', 'logout'] as const)(
    'GET /%s when the admin API refuses connections (a closed port): 502, tried twice',
    async (kind) => {
      const closed = await closedPortUrl();
      // Every request the adapter starts, as node:http reports it (nothing listens to count).
      const attempts: string[] = [];
      const onRequest = (message: unknown) => {
        const { request } = message as { request: ClientRequest };
        attempts.push(`${request.method} ${new URL(request.path, closed).pathname}`);
      };
      subscribe('http.client.request.start', onRequest);
      const challenge = `${kind}-challenge-0123456789`;
      try {
        await withFreshHandlers({ HYDRA_ADMIN_URL: closed }, async (handlers, lines) => {
          const { response, elapsed } = await timed(
            handlers[`${kind}-get`],
            getEvent(kind, challenge),
          );

          expectUnavailablePage(response, 502, challenge);
          expect(elapsed).toBeLessThan(2 * TIMEOUT_MS + MARGIN_MS);
          expect(attempts).toEqual([
            `GET /admin/oauth2/auth/requests/${kind}`,
            `GET /admin/oauth2/auth/requests/${kind}`,
          ]);
          expectCauseLogged(
            lines,
            { message: 'hydra unavailable', failure: 'network', operation: `get ${kind} request` },
            challenge,
          );
        });
      } finally {
        unsubscribe('http.client.request.start', onRequest);
      }
    },
  );
});

describe('Hydra admin API faults on accepts and rejects (never re-sent)', () => {
  useUsersTable();
  // A decision whose answer was lost (timeout, dropped connection) is re-read once, not re-sent.
  // Every POST reads its request before deciding (POST /login: before any counter moves).
  it.each([
    ['consent', 'puthang', 504, 'timeout', 'accept consent request', 1 + 1],
    ['consent', 'putfail500', 502, 'server', 'accept consent request', 1],
    ['consent', 'putreset', 502, 'network', 'accept consent request', 1 + 1],
    ['logout', 'puthang', 504, 'timeout', 'accept logout request', 1 + 1],
    ['logout', 'putfail503', 502, 'server', 'accept logout request', 1],
    ['login', 'puthang', 504, 'timeout', 'accept login request', 1 + 1],
    ['login', 'putfail500', 502, 'server', 'accept login request', 1],
  ] as const)(
    'POST /%s when Hydra answers "%s" to the decision: %i, sent once',
    async (kind, behaviour, status, failure, operation, reads) => {
      const challenge = `${behaviour}-${kind}-challenge-0123456789`;
      const request = await postEvent(HANDLERS, kind, challenge);
      hydraServer.calls.length = 0;
      logs.lines.length = 0;

      const { response, elapsed } = await timed(HANDLERS[`${kind}-post`], request);

      expectUnavailablePage(response, status, challenge);
      // One deadline for the decision, one for each read (none of them retried here).
      expect(elapsed).toBeLessThan((reads + 1) * TIMEOUT_MS + MARGIN_MS);
      expect(callsTo(hydraServer, 'PUT')).toEqual([
        { method: 'PUT', path: `/admin/oauth2/auth/requests/${kind}/accept`, challenge },
      ]);
      expect(callsTo(hydraServer, 'GET')).toHaveLength(reads);
      expectCauseLogged(
        logs.lines,
        { message: 'hydra unavailable', failure, operation },
        challenge,
      );
    },
  );

  it.each(['login', 'consent', 'logout'] as const)(
    'POST /%s when the accept was taken but its answer lost: follows the re-read 410, sent once',
    async (kind) => {
      const challenge = `putlost-${kind}-challenge-0123456789`;
      const request = await postEvent(HANDLERS, kind, challenge);
      hydraServer.calls.length = 0;

      const { response, elapsed } = await timed(HANDLERS[`${kind}-post`], request);

      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe(`https://hydra.example/oauth2/auth?lost=${challenge}`);
      expectSecurityHeaders(response);
      expect(elapsed).toBeLessThan(3 * TIMEOUT_MS + MARGIN_MS);
      expect(callsTo(hydraServer, 'PUT')).toHaveLength(1);
    },
  );

  it('POST /login cancel when the reject never answers: 504, the reject sent once', async () => {
    const challenge = 'puthang-login-cancel-0123456789';
    const request = await postEvent(HANDLERS, 'login', challenge, { action: 'cancel' });
    hydraServer.calls.length = 0;

    const { response, elapsed } = await timed(HANDLERS['login-post'], request);

    expectUnavailablePage(response, 504, challenge);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
    expect(callsTo(hydraServer, 'PUT').map((call) => call.path)).toEqual([
      '/admin/oauth2/auth/requests/login/reject',
    ]);
  });
});

function expectStoreUnavailable(response: WebResponse, challenge: string): void {
  expect(response.statusCode).toBe(503);
  expect(response.headers['retry-after']).toMatch(/^\d+$/);
  expect(response.body).toContain('<title>Sign-in is unavailable</title>');
  expect(response.body).not.toContain('    at ');
  expect(response.body).not.toContain(challenge);
  expectSecurityHeaders(response);
  expect(hydraServer.calls.filter((call) => call.method !== 'GET')).toEqual([]);
}

describe('DynamoDB faults fail closed: 503 with Retry-After, nothing accepted', () => {
  const table = useUsersTable();

  it.each([
    ['the throttle counters', 'Update'],
    ['the user lookup', 'Get'],
  ] as const)(
    'POST /login when DynamoDB throttles %s after the client retries (the fake table)',
    async (_what, command) => {
      const challenge = 'login-challenge-throttled-0123456789';
      const request = await postEvent(HANDLERS, 'login', challenge);
      hydraServer.calls.length = 0;
      logs.lines.length = 0;
      table().fault = (call) => (call.command === command ? throughputExceeded() : undefined);

      const { response, elapsed } = await timed(HANDLERS['login-post'], request);

      expectStoreUnavailable(response, challenge);
      expect(elapsed).toBeLessThan(MARGIN_MS);
      expect(table().servedFaults.length).toBeGreaterThan(0);
      expectCauseLogged(
        logs.lines,
        { message: 'user store unavailable', cause: 'ProvisionedThroughputExceededException' },
        challenge,
      );
    },
  );

  it('POST /login with "keep me signed in" when the session record cannot be written: 503, nothing accepted', async () => {
    const challenge = 'login-challenge-record-0123456789';
    const request = await postEvent(HANDLERS, 'login', challenge, {
      ...FIELDS.login,
      remember: '1',
    });
    hydraServer.calls.length = 0;
    table().fault = (call) => (call.key?.startsWith('login#') ? throughputExceeded() : undefined);

    const { response } = await timed(HANDLERS['login-post'], request);

    expectStoreUnavailable(response, challenge);
    expect(table().servedFaults).toHaveLength(1);
  });

  it('GET /login of a remembered user when DynamoDB throttles: 503, neither accepted nor rejected', async () => {
    const challenge = 'skip-login-challenge-0123456789';
    table().fault = () => throughputExceeded();

    const { response } = await timed(HANDLERS['login-get'], getEvent('login', challenge));

    expectStoreUnavailable(response, challenge);
    expect(callsTo(hydraServer, 'GET')).toHaveLength(1);
  });
});

describe('DynamoDB faults through our real client fail closed: 503 with Retry-After', () => {
  it('POST /login when DynamoDB is unreachable (a closed port): 503 within the retries', async () => {
    const closed = await closedPortUrl();
    await withFreshHandlers({ DYNAMODB_ENDPOINT: closed }, async (handlers, lines) => {
      const challenge = 'login-challenge-unreachable-0123456789';
      const request = await postEvent(handlers, 'login', challenge);
      hydraServer.calls.length = 0;

      const { response, elapsed } = await timed(handlers['login-post'], request);

      expectStoreUnavailable(response, challenge);
      // maxAttempts 3, backoff below 50 ms doubling: well under a second, plus the margin.
      expect(elapsed).toBeLessThan(1000 + MARGIN_MS);
      expectCauseLogged(lines, { message: 'user store unavailable' }, challenge);
    });
  });

  it('POST /login when a DynamoDB endpoint throttles every request: 3 attempts per write, then 503', async () => {
    const dynamo = await startThrottlingDynamo();
    try {
      await withFreshHandlers({ DYNAMODB_ENDPOINT: dynamo.url }, async (handlers, lines) => {
        const challenge = 'login-challenge-sdk-throttled-0123456789';
        const request = await postEvent(handlers, 'login', challenge);
        hydraServer.calls.length = 0;

        const { response, elapsed } = await timed(handlers['login-post'], request);

        expectStoreUnavailable(response, challenge);
        await settled(() => dynamo.calls.length >= 9, 5000);
        // Three counters (this source at this account, this source, this account), each tried
        // maxAttempts = 3 times; none counted, so nothing to give back; no user read.
        expect(dynamo.calls.map((call) => call.path)).toEqual(
          Array(9).fill('DynamoDB_20120810.UpdateItem'),
        );
        // Throttling backoff: up to 1 s then 2 s.
        expect(elapsed).toBeLessThan(3000 + MARGIN_MS);
        expectCauseLogged(
          lines,
          { message: 'user store unavailable', cause: 'ProvisionedThroughputExceededException' },
          challenge,
        );
      });
    } finally {
      await dynamo.close();
    }
  });
});
