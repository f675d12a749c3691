/**
 * The Hydra admin adapter against a real HTTP server on loopback that plays Hydra's admin API.
 * The stub records every request it receives, so the tests assert on what went over the wire
 * (method, path, query, headers, body, how many times) and on what the adapter made of Hydra's
 * answers. Payloads are typed with @ory/hydra-client's own models.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import type {
  AcceptOAuth2ConsentRequest,
  AcceptOAuth2LoginRequest,
  ErrorOAuth2,
  OAuth2ConsentRequest,
  OAuth2ConsentSession,
  OAuth2LoginRequest,
  OAuth2LogoutRequest,
  OAuth2RedirectTo,
  RejectOAuth2Request,
} from '@ory/hydra-client';
import { createHydraAdmin, type HydraAdmin } from '../../../shared/hydra/admin';
import {
  ChallengeNotFoundError,
  DeviceFlowUnsupportedError,
  HydraUnavailableError,
  RequestAlreadyHandledError,
  RequestConflictError,
} from '../../../shared/hydra/errors';

// ---------------------------------------------------------------------------------------------
// The stub
// ---------------------------------------------------------------------------------------------

interface Received {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

type Reply =
  | { status: number; json?: unknown; text?: string; headers?: Record<string, string> }
  /** Never answer (the adapter's deadline has to end it). */
  | 'hang'
  /** Cut the connection without an answer (a network error for the client). */
  | 'drop'
  /** Send 200 and the start of a JSON body, then never finish it. */
  | 'stall';

class HydraStub {
  readonly received: Received[] = [];
  private reply: (request: Received, index: number) => Reply = () => ({ status: 200, json: {} });
  private readonly server: Server;

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://stub');
        const request: Received = {
          method: req.method ?? '',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        this.received.push(request);
        const reply = this.reply(request, this.received.length - 1);
        if (reply === 'hang') return;
        if (reply === 'drop') {
          req.socket.destroy();
          return;
        }
        if (reply === 'stall') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"challenge":"');
          return;
        }
        const body = reply.text ?? (reply.json === undefined ? '' : JSON.stringify(reply.json));
        res.writeHead(reply.status, {
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...reply.headers,
        });
        res.end(body);
      });
    });
  }

  /** Answers every request the same way. */
  answer(reply: Reply): void {
    this.reply = () => reply;
  }

  /** Answers request n (0-based) with replies[n], and every later one with the last reply. */
  answerInTurn(...replies: Reply[]): void {
    this.reply = (_request, index) => replies[Math.min(index, replies.length - 1)] as Reply;
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

// ---------------------------------------------------------------------------------------------
// Fixtures typed by Hydra's models
// ---------------------------------------------------------------------------------------------

/** Distinctive, with characters that need encoding in a query string. */
const CHALLENGE = 'chAll3nge-SECRET_0123456789+/=&x=y';
const REDIRECT: OAuth2RedirectTo = {
  redirect_to: 'https://hydra.example.test/oauth2/auth?client_id=app&login_verifier=v-123',
};

const loginRequest: OAuth2LoginRequest = {
  challenge: CHALLENGE,
  client: { client_id: 'app', client_name: 'The App', skip_consent: false },
  request_url: 'https://hydra.example.test/oauth2/auth?client_id=app',
  requested_scope: ['openid', 'email'],
  requested_access_token_audience: [],
  skip: false,
  subject: '',
  oidc_context: { login_hint: 'alice@example.com' },
};

const consentRequest: OAuth2ConsentRequest = {
  challenge: CHALLENGE,
  client: { client_id: 'app' },
  requested_scope: ['openid', 'profile'],
  requested_access_token_audience: ['https://api.example.test'],
  skip: false,
  subject: '3f1c1b9e-6a2d-4f59-9d8e-0d9a1f2f3a4b',
  context: { claims: { email: 'alice@example.com' } },
};

const logoutRequest: OAuth2LogoutRequest = {
  challenge: CHALLENGE,
  subject: '3f1c1b9e-6a2d-4f59-9d8e-0d9a1f2f3a4b',
  sid: 'session-1',
  rp_initiated: true,
  request_url: 'https://hydra.example.test/oauth2/sessions/logout',
};

const acceptLogin: AcceptOAuth2LoginRequest = {
  subject: '3f1c1b9e-6a2d-4f59-9d8e-0d9a1f2f3a4b',
  remember: true,
  remember_for: 3600,
  acr: '1',
  amr: ['pwd'],
  context: { claims: { email: 'alice@example.com', email_verified: true } },
};

const acceptConsent: AcceptOAuth2ConsentRequest = {
  grant_scope: ['openid', 'profile'],
  grant_access_token_audience: ['https://api.example.test'],
  remember: false,
  remember_for: 0,
  session: { id_token: { name: 'Alice' }, access_token: {} },
};

const rejectBody: RejectOAuth2Request = {
  error: 'access_denied',
  error_description: 'The resource owner denied the request',
};

/** Hydra's error body; error_debug carries the challenge to prove it never reaches our errors. */
function hydraError(status: number, error: string): { status: number; json: ErrorOAuth2 } {
  return {
    status,
    json: {
      error,
      error_description: `Hydra says ${error}`,
      error_debug: `challenge ${CHALLENGE} at /admin/oauth2/auth/requests?challenge=${CHALLENGE}`,
      status_code: status,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The ten operations, as the wire should see them
// ---------------------------------------------------------------------------------------------

interface Operation {
  name: string;
  method: 'GET' | 'PUT';
  path: string;
  challengeParam: string;
  /** The JSON body we hand the adapter (and expect on the wire), if any. */
  body?: unknown;
  /** What Hydra answers on success. */
  success: { status: number; json?: unknown };
  read: boolean;
  call: (hydra: HydraAdmin) => Promise<unknown>;
}

const REQUESTS = '/admin/oauth2/auth/requests';

const reads: Operation[] = [
  {
    name: 'getLoginRequest',
    method: 'GET',
    path: `${REQUESTS}/login`,
    challengeParam: 'login_challenge',
    success: { status: 200, json: loginRequest },
    read: true,
    call: (hydra) => hydra.getLoginRequest(CHALLENGE),
  },
  {
    name: 'getConsentRequest',
    method: 'GET',
    path: `${REQUESTS}/consent`,
    challengeParam: 'consent_challenge',
    success: { status: 200, json: consentRequest },
    read: true,
    call: (hydra) => hydra.getConsentRequest(CHALLENGE),
  },
  {
    name: 'getLogoutRequest',
    method: 'GET',
    path: `${REQUESTS}/logout`,
    challengeParam: 'logout_challenge',
    success: { status: 200, json: logoutRequest },
    read: true,
    call: (hydra) => hydra.getLogoutRequest(CHALLENGE),
  },
];

const decisions: Operation[] = [
  {
    name: 'acceptLoginRequest',
    method: 'PUT',
    path: `${REQUESTS}/login/accept`,
    challengeParam: 'login_challenge',
    body: acceptLogin,
    success: { status: 200, json: REDIRECT },
    read: false,
    call: (hydra) => hydra.acceptLoginRequest(CHALLENGE, acceptLogin),
  },
  {
    name: 'rejectLoginRequest',
    method: 'PUT',
    path: `${REQUESTS}/login/reject`,
    challengeParam: 'login_challenge',
    body: rejectBody,
    success: { status: 200, json: REDIRECT },
    read: false,
    call: (hydra) => hydra.rejectLoginRequest(CHALLENGE, rejectBody),
  },
  {
    name: 'acceptConsentRequest',
    method: 'PUT',
    path: `${REQUESTS}/consent/accept`,
    challengeParam: 'consent_challenge',
    body: acceptConsent,
    success: { status: 200, json: REDIRECT },
    read: false,
    call: (hydra) => hydra.acceptConsentRequest(CHALLENGE, acceptConsent),
  },
  {
    name: 'rejectConsentRequest',
    method: 'PUT',
    path: `${REQUESTS}/consent/reject`,
    challengeParam: 'consent_challenge',
    body: rejectBody,
    success: { status: 200, json: REDIRECT },
    read: false,
    call: (hydra) => hydra.rejectConsentRequest(CHALLENGE, rejectBody),
  },
  {
    name: 'acceptLogoutRequest',
    method: 'PUT',
    path: `${REQUESTS}/logout/accept`,
    challengeParam: 'logout_challenge',
    success: { status: 200, json: REDIRECT },
    read: false,
    call: (hydra) => hydra.acceptLogoutRequest(CHALLENGE),
  },
  {
    name: 'rejectLogoutRequest',
    method: 'PUT',
    path: `${REQUESTS}/logout/reject`,
    challengeParam: 'logout_challenge',
    success: { status: 204 },
    read: false,
    call: (hydra) => hydra.rejectLogoutRequest(CHALLENGE),
  },
];

const challengeOperations = [...reads, ...decisions];
/** The decisions that hand back a redirect_to (all but the logout reject). */
const redirecting = decisions.filter((operation) => operation.name !== 'rejectLogoutRequest');

// ---------------------------------------------------------------------------------------------

let stub: HydraStub;
let baseUrl: string;

beforeEach(async () => {
  stub = new HydraStub();
  baseUrl = await stub.listen();
});

afterEach(async () => {
  await stub.close();
});

function admin(options: { token?: string; timeoutMs?: number } = {}): HydraAdmin {
  return createHydraAdmin({ baseUrl, timeoutMs: options.timeoutMs ?? 2000, token: options.token });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, it succeeded');
}

describe('Hydra admin adapter: requests on the wire', () => {
  test.each(challengeOperations)(
    '$name sends $method $path with the challenge as $challengeParam',
    async (operation) => {
      stub.answer(operation.success);
      await operation.call(admin());

      expect(stub.received).toHaveLength(1);
      const [request] = stub.received;
      expect(request?.method).toBe(operation.method);
      expect(request?.path).toBe(operation.path);
      expect([...(request?.query.entries() ?? [])]).toEqual([
        [operation.challengeParam, CHALLENGE],
      ]);
    },
  );

  test('revoking a subject deletes its consent sessions with all=true, never its login sessions', async () => {
    stub.answer({ status: 204 });
    const subject = 'user 3f1c&all=false';
    await admin().revokeConsentSessions(subject);

    expect(stub.received.map((request) => [request.method, request.path])).toEqual([
      ['DELETE', '/admin/oauth2/auth/sessions/consent'],
    ]);
    expect([...(stub.received[0]?.query.entries() ?? [])]).toEqual([
      ['subject', subject],
      ['all', 'true'],
    ]);
  });

  test("removing one app's access deletes the subject's consent sessions with that client only", async () => {
    stub.answer({ status: 204 });
    await admin().revokeClientConsentSessions('user-1', 'app&all=true');

    expect(stub.received.map((request) => [request.method, request.path])).toEqual([
      ['DELETE', '/admin/oauth2/auth/sessions/consent'],
    ]);
    expect([...(stub.received[0]?.query.entries() ?? [])]).toEqual([
      ['subject', 'user-1'],
      ['client', 'app&all=true'],
    ]);
  });

  test('lists the remembered consents of a subject, and refuses an answer that is not a list', async () => {
    const sessions: OAuth2ConsentSession[] = [
      { consent_request: consentRequest, grant_access_token_audience: ['https://api.example'] },
    ];
    stub.answer({ status: 200, json: sessions });
    expect(await admin().listConsentSessions('user 1&all=true')).toEqual(sessions);
    const [request] = stub.received;
    expect([request?.method, request?.path]).toEqual([
      'GET',
      '/admin/oauth2/auth/sessions/consent',
    ]);
    expect(request?.query.get('subject')).toBe('user 1&all=true');

    stub.answer({ status: 200, json: { not: 'a list' } });
    expect(await failure(admin().listConsentSessions('user-1'))).toBeInstanceOf(
      HydraUnavailableError,
    );
  });

  describe('consent sessions come in pages', () => {
    const PATH = '/admin/oauth2/auth/sessions/consent';
    const session = (id: string): OAuth2ConsentSession => ({
      consent_request_id: id,
      consent_request: consentRequest,
      grant_scope: ['openid'],
      remember: true,
    });
    /** A Link header as Hydra writes it: relative, each page's query re-encoded. */
    const link = (...pages: Array<[rel: string, token: string]>) =>
      pages
        .map(
          ([rel, token]) =>
            `<${PATH}?${new URLSearchParams({ page_size: '500', page_token: token, subject: 'user-1' }).toString()}>; rel="${rel}"`,
        )
        .join(',');

    test('follows v26.2.0\'s keyset pages (rel="next" and its page_token) to the last one', async () => {
      stub.answerInTurn(
        {
          status: 200,
          json: [session('a'), session('b')],
          headers: { link: link(['first', 'start'], ['next', 'key/after+b=']) },
        },
        { status: 200, json: [session('c')], headers: { link: link(['first', 'start']) } },
      );
      const sessions = await admin().listConsentSessions('user-1');

      expect(sessions.map((found) => found.consent_request_id)).toEqual(['a', 'b', 'c']);
      expect(stub.received.map((request) => [request.path, ...request.query.entries()])).toEqual([
        [PATH, ['subject', 'user-1'], ['page_size', '500']],
        [PATH, ['subject', 'user-1'], ['page_size', '500'], ['page_token', 'key/after+b=']],
      ]);
    });

    test("reads v2.3.0's one page: its Link names the first and previous pages, no next", async () => {
      stub.answer({
        status: 200,
        json: [session('a')],
        headers: {
          link: link(['first', 'eyJvZmZzZXQiOiIwIn0'], ['prev', 'eyJvZmZzZXQiOiI0OTkifQ']),
        },
      });
      expect(await admin().listConsentSessions('user-1')).toHaveLength(1);
      expect(stub.received).toHaveLength(1);
    });

    test('stops at an empty page even when it links a next one (v2.3.0, for a subject without consents)', async () => {
      stub.answer({
        status: 200,
        json: [],
        headers: { link: link(['first', 'zero'], ['next', 'one'], ['prev', 'minus-one']) },
      });
      expect(await admin().listConsentSessions('user-1')).toEqual([]);
      expect(stub.received).toHaveLength(1);
    });

    test('stops when a next link gives a page token it gave before', async () => {
      stub.answer({
        status: 200,
        json: [session('same')],
        headers: { link: `<${PATH}?page_token=again>; rel=next` },
      });
      expect(await admin().listConsentSessions('user-1')).toHaveLength(2);
      expect(stub.received).toHaveLength(2);
    });

    test('reads at most 10 pages (5,000 sessions)', async () => {
      stub.answerInTurn(
        ...Array.from({ length: 12 }, (_, page) => ({
          status: 200,
          json: [session(`page-${page}`)],
          headers: { link: link(['next first', `after-${page}`]) },
        })),
      );
      expect(await admin().listConsentSessions('user-1')).toHaveLength(10);
      expect(stub.received).toHaveLength(10);
    });

    test('a page that is not a list fails the whole listing', async () => {
      stub.answerInTurn(
        { status: 200, json: [session('a')], headers: { link: link(['next', 'two']) } },
        { status: 200, json: { not: 'a list' } },
      );
      expect(await failure(admin().listConsentSessions('user-1'))).toBeInstanceOf(
        HydraUnavailableError,
      );
    });
  });

  test('a failed consent revocation surfaces', async () => {
    stub.answer(hydraError(500, 'Internal Server Error'));
    const error = await failure(admin().revokeConsentSessions('subject-1'));

    expect(error).toBeInstanceOf(HydraUnavailableError);
  });

  test.each(decisions.filter((operation) => operation.body !== undefined))(
    '$name sends the body exactly as given, as JSON',
    async (operation) => {
      stub.answer(operation.success);
      await operation.call(admin());

      const [request] = stub.received;
      expect(request?.headers['content-type']).toBe('application/json');
      expect(JSON.parse(request?.body ?? '')).toEqual(operation.body);
    },
  );

  test.each([...reads, ...decisions].filter((operation) => operation.body === undefined))(
    '$name sends no body and no content-type',
    async (operation) => {
      stub.answer(operation.success);
      await operation.call(admin());

      const [request] = stub.received;
      expect(request?.body).toBe('');
      expect(request?.headers['content-type']).toBeUndefined();
    },
  );

  test('every call asks for JSON', async () => {
    stub.answer({ status: 200, json: loginRequest });
    await admin().getLoginRequest(CHALLENGE);

    expect(stub.received[0]?.headers.accept).toBe('application/json');
  });

  test('sends the bearer token on reads, decisions and revocations when one is configured', async () => {
    const hydra = admin({ token: 'admin-token-123' });
    stub.answer({ status: 200, json: loginRequest });
    await hydra.getLoginRequest(CHALLENGE);
    stub.answer({ status: 200, json: REDIRECT });
    await hydra.acceptLoginRequest(CHALLENGE, acceptLogin);
    stub.answer({ status: 204 });
    await hydra.revokeConsentSessions('subject-1');

    expect(stub.received).toHaveLength(3);
    for (const request of stub.received) {
      expect(request.headers.authorization).toBe('Bearer admin-token-123');
    }
  });

  test('sends no authorization header when no token is configured', async () => {
    const hydra = admin();
    stub.answer({ status: 200, json: loginRequest });
    await hydra.getLoginRequest(CHALLENGE);
    stub.answer({ status: 200, json: REDIRECT });
    await hydra.acceptLoginRequest(CHALLENGE, acceptLogin);

    expect(stub.received).toHaveLength(2);
    for (const request of stub.received) {
      expect(request.headers.authorization).toBeUndefined();
    }
  });

  test('a base URL with a trailing slash does not double the slash in the path', async () => {
    stub.answer({ status: 200, json: loginRequest });
    await createHydraAdmin({ baseUrl: `${baseUrl}/`, timeoutMs: 2000 }).getLoginRequest(CHALLENGE);

    expect(stub.received[0]?.path).toBe(`${REQUESTS}/login`);
  });
});

describe('Hydra admin adapter: answers', () => {
  test('returns the login request Hydra sent', async () => {
    stub.answer({ status: 200, json: loginRequest });
    await expect(admin().getLoginRequest(CHALLENGE)).resolves.toEqual(loginRequest);
  });

  test('returns the consent request Hydra sent, context included', async () => {
    stub.answer({ status: 200, json: consentRequest });
    await expect(admin().getConsentRequest(CHALLENGE)).resolves.toEqual(consentRequest);
  });

  test('returns the logout request Hydra sent', async () => {
    stub.answer({ status: 200, json: logoutRequest });
    await expect(admin().getLogoutRequest(CHALLENGE)).resolves.toEqual(logoutRequest);
  });

  test.each(redirecting)('$name returns the redirect_to Hydra answered', async (operation) => {
    stub.answer(operation.success);
    await expect(operation.call(admin())).resolves.toBe(REDIRECT.redirect_to);
  });

  test.each(reads)(
    '$name refuses a 200 whose body is not a JSON object (HydraUnavailableError)',
    async (read) => {
      for (const reply of [
        { status: 200, text: '<html>Sign in to the proxy</html>' },
        { status: 200, text: '' },
        { status: 200, json: null },
        { status: 200, json: 'a string' },
        { status: 200, json: [loginRequest] },
      ]) {
        stub.answer(reply);
        const error = await failure(read.call(admin()));
        expect(error).toBeInstanceOf(HydraUnavailableError);
        expect((error as HydraUnavailableError).failure).toBe('unexpected');
      }
    },
  );

  test('rejecting a logout resolves with nothing on 204', async () => {
    stub.answer({ status: 204 });
    await expect(admin().rejectLogoutRequest(CHALLENGE)).resolves.toBeUndefined();
  });

  test.each(redirecting)(
    '$name refuses a success without a usable redirect_to',
    async (operation) => {
      stub.answer({ status: 200, json: { redirect_to: 'javascript:alert(1)' } });
      const error = await failure(operation.call(admin()));

      expect(error).toBeInstanceOf(HydraUnavailableError);
      expect((error as HydraUnavailableError).failure).toBe('unexpected');
    },
  );

  test('does not follow an HTTP redirect from the admin API', async () => {
    stub.answerInTurn({ status: 302, headers: { location: `${baseUrl}/elsewhere` } });
    const error = await failure(admin().getLoginRequest(CHALLENGE));

    expect(error).toBeInstanceOf(HydraUnavailableError);
    expect(stub.received.map((request) => request.path)).toEqual([`${REQUESTS}/login`]);
  });
});

describe('Hydra admin adapter: Hydra error statuses', () => {
  test.each(challengeOperations)(
    '$name: 410 becomes RequestAlreadyHandledError carrying redirect_to',
    async (operation) => {
      const gone: OAuth2RedirectTo = {
        redirect_to: 'https://hydra.example.test/oauth2/auth?client_id=app&state=done',
      };
      stub.answer({ status: 410, json: gone });
      const error = await failure(operation.call(admin()));

      expect(error).toBeInstanceOf(RequestAlreadyHandledError);
      expect((error as RequestAlreadyHandledError).redirectTo).toBe(gone.redirect_to);
    },
  );

  test.each([
    ['a javascript: URL', 'javascript:alert(document.cookie)'],
    ['a data: URL', 'data:text/html,<script>alert(1)</script>'],
    ['a relative path', '/oauth2/auth?client_id=app'],
    ['a protocol-relative URL', '//evil.example/steal'],
    ['an empty string', ''],
    ['a number', 42],
  ])('a 410 whose redirect_to is %s is never followed', async (_kind, redirectTo) => {
    stub.answer({ status: 410, json: { redirect_to: redirectTo } });
    const error = await failure(admin().acceptLoginRequest(CHALLENGE, acceptLogin));

    // Already handled (Hydra v2.3.0 answers a used logout challenge with a path-only
    // redirect_to), but with nowhere to send the browser.
    expect(error).toBeInstanceOf(RequestAlreadyHandledError);
    expect((error as RequestAlreadyHandledError).redirectTo).toBeUndefined();
  });

  test('a 410 without a body is never followed', async () => {
    stub.answer({ status: 410 });
    const error = await failure(admin().getConsentRequest(CHALLENGE));

    expect(error).toBeInstanceOf(RequestAlreadyHandledError);
    expect((error as RequestAlreadyHandledError).redirectTo).toBeUndefined();
  });

  test('a 410 whose body is not JSON is never followed', async () => {
    stub.answer({
      status: 410,
      text: `<a href="${REDIRECT.redirect_to}">Gone</a>`,
      headers: { 'content-type': 'text/html' },
    });
    const error = await failure(admin().getConsentRequest(CHALLENGE));

    expect(error).toBeInstanceOf(RequestAlreadyHandledError);
    expect((error as RequestAlreadyHandledError).redirectTo).toBeUndefined();
  });

  test.each([404, 400, 401])('%i becomes ChallengeNotFoundError', async (status) => {
    stub.answer(hydraError(status, 'Not Found'));
    const error = await failure(admin().getLoginRequest(CHALLENGE));

    expect(error).toBeInstanceOf(ChallengeNotFoundError);
    expect((error as ChallengeNotFoundError).status).toBe(status);
  });

  test.each(redirecting)('$name: 404 becomes ChallengeNotFoundError', async (operation) => {
    stub.answer(hydraError(404, 'Not Found'));
    await expect(operation.call(admin())).rejects.toBeInstanceOf(ChallengeNotFoundError);
  });

  test('409 on a double accept becomes RequestConflictError', async () => {
    stub.answer(hydraError(409, 'Conflict'));
    await expect(admin().acceptLoginRequest(CHALLENGE, acceptLogin)).rejects.toBeInstanceOf(
      RequestConflictError,
    );
  });

  test('409 on a double accept re-reads the request once and follows its 410', async () => {
    stub.answerInTurn(hydraError(409, 'Conflict'), { status: 410, json: REDIRECT });
    const error = await failure(admin().acceptLoginRequest(CHALLENGE, acceptLogin));

    expect(error).toBeInstanceOf(RequestAlreadyHandledError);
    expect((error as RequestAlreadyHandledError).redirectTo).toBe(REDIRECT.redirect_to);
    expect(stub.received.map((request) => request.method)).toEqual(['PUT', 'GET']);
  });

  test.each([500, 502, 503])('%i becomes HydraUnavailableError "server"', async (status) => {
    stub.answer(hydraError(status, 'Internal Server Error'));
    const error = await failure(admin().acceptConsentRequest(CHALLENGE, acceptConsent));

    expect(error).toBeInstanceOf(HydraUnavailableError);
    expect((error as HydraUnavailableError).failure).toBe('server');
    expect((error as HydraUnavailableError).status).toBe(status);
  });

  test('another 4xx becomes HydraUnavailableError "unexpected", a 403 "refused"', async () => {
    stub.answer(hydraError(422, 'Unprocessable Entity'));
    const unexpected = await failure(admin().getLoginRequest(CHALLENGE));
    stub.answer(hydraError(403, 'Forbidden'));
    const refused = await failure(admin().getLoginRequest(CHALLENGE));

    expect(unexpected).toBeInstanceOf(HydraUnavailableError);
    expect((unexpected as HydraUnavailableError).failure).toBe('unexpected');
    expect(refused).toBeInstanceOf(HydraUnavailableError);
    expect((refused as HydraUnavailableError).failure).toBe('refused');
    expect((refused as HydraUnavailableError).reason).toBe(
      "Hydra's admin API refused the request (HTTP 403): check HYDRA_ADMIN_TOKEN",
    );
  });

  test.each([
    ['list consent sessions', (hydra: HydraAdmin) => hydra.listConsentSessions('user-1')],
    ['revoke consent sessions', (hydra: HydraAdmin) => hydra.revokeConsentSessions('user-1')],
    [
      'revoke consent sessions of a client',
      (hydra: HydraAdmin) => hydra.revokeClientConsentSessions('user-1', 'app'),
    ],
  ])(
    '%s: a 404, 400 or 401 is about the admin API, not a challenge (a call that names none)',
    async (_name, call) => {
      const failures: Array<[number, string | undefined]> = [];
      for (const status of [404, 400, 401]) {
        stub.answer(hydraError(status, 'scripted'));
        const error = await failure(call(admin()));
        expect(error).toBeInstanceOf(HydraUnavailableError);
        failures.push([status, (error as HydraUnavailableError).failure]);
      }

      expect(failures).toEqual([
        [404, 'unexpected'],
        [400, 'unexpected'],
        [401, 'refused'],
      ]);
    },
  );

  test.each(challengeOperations)(
    '$name: no error, whatever the failure, carries the challenge',
    async (operation) => {
      const replies: Reply[] = [
        hydraError(404, 'Not Found'),
        hydraError(400, 'Bad Request'),
        hydraError(401, 'Unauthorized'),
        hydraError(409, 'Conflict'),
        hydraError(500, 'Internal Server Error'),
        { status: 410, json: REDIRECT },
        { status: 410, json: { redirect_to: `javascript:alert('${CHALLENGE}')` } },
        'drop',
        'hang',
      ];
      for (const reply of replies) {
        stub.answer(reply);
        const error = await failure(operation.call(admin({ timeoutMs: 100 })));
        expect(error).toBeInstanceOf(Error);
        const everything = [
          String(error),
          (error as Error).stack ?? '',
          inspect(error, { depth: 5 }),
          JSON.stringify(error),
        ].join('\n');
        expect(everything).not.toContain(CHALLENGE);
        expect(everything).not.toContain(encodeURIComponent(CHALLENGE));
        expect(everything).not.toContain('chAll3nge');
      }
    },
    10_000,
  );
});

describe('Hydra admin adapter: retries and deadlines', () => {
  test.each(reads)('$name retries once on a 5xx and returns the second answer', async (read) => {
    stub.answerInTurn(hydraError(503, 'Service Unavailable'), read.success);
    await expect(read.call(admin())).resolves.toEqual(read.success.json);

    expect(stub.received).toHaveLength(2);
    expect(stub.received[1]?.path).toBe(stub.received[0]?.path);
    expect(stub.received[1]?.query.toString()).toBe(stub.received[0]?.query.toString());
  });

  test.each(reads)('$name tries exactly twice when Hydra keeps failing with 5xx', async (read) => {
    stub.answer(hydraError(500, 'Internal Server Error'));
    const error = await failure(read.call(admin()));

    expect((error as HydraUnavailableError).failure).toBe('server');
    expect(stub.received).toHaveLength(2);
  });

  test('a read retries once after a network error and returns the second answer', async () => {
    stub.answerInTurn('drop', { status: 200, json: loginRequest });
    await expect(admin().getLoginRequest(CHALLENGE)).resolves.toEqual(loginRequest);

    expect(stub.received).toHaveLength(2);
  });

  test('a read tries exactly twice on repeated network errors, then reports "network"', async () => {
    stub.answer('drop');
    const error = await failure(admin().getConsentRequest(CHALLENGE));

    expect(error).toBeInstanceOf(HydraUnavailableError);
    expect((error as HydraUnavailableError).failure).toBe('network');
    expect(stub.received).toHaveLength(2);
  });

  test('a read retries once after a timeout and returns the second answer', async () => {
    stub.answerInTurn('hang', { status: 200, json: logoutRequest });
    await expect(admin({ timeoutMs: 100 }).getLogoutRequest(CHALLENGE)).resolves.toEqual(
      logoutRequest,
    );

    expect(stub.received).toHaveLength(2);
  });

  test('a read that never gets an answer ends with "timeout" after two bounded attempts', async () => {
    stub.answer('hang');
    const started = Date.now();
    const error = await failure(admin({ timeoutMs: 100 }).getLoginRequest(CHALLENGE));
    const elapsed = Date.now() - started;

    expect(error).toBeInstanceOf(HydraUnavailableError);
    expect((error as HydraUnavailableError).failure).toBe('timeout');
    expect(stub.received).toHaveLength(2);
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(elapsed).toBeLessThan(1500);
  });

  test('a read retries only once in all: a 5xx then a network error is not tried a third time', async () => {
    stub.answerInTurn(hydraError(503, 'Service Unavailable'), 'drop', {
      status: 200,
      json: loginRequest,
    });
    const error = await failure(admin().getLoginRequest(CHALLENGE));

    expect(error).toBeInstanceOf(HydraUnavailableError);
    expect((error as HydraUnavailableError).failure).toBe('network');
    expect(stub.received).toHaveLength(2);
  });

  test('a read retries only once in all: a 5xx then a timeout ends with "timeout" after two attempts', async () => {
    stub.answerInTurn(hydraError(503, 'Service Unavailable'), 'hang', {
      status: 200,
      json: loginRequest,
    });
    const started = Date.now();
    const error = await failure(admin({ timeoutMs: 100 }).getLoginRequest(CHALLENGE));

    expect((error as HydraUnavailableError).failure).toBe('timeout');
    expect(stub.received).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test('a network error then a 5xx is not tried a third time', async () => {
    stub.answerInTurn('drop', hydraError(503, 'Service Unavailable'), {
      status: 200,
      json: loginRequest,
    });
    const error = await failure(admin().getLoginRequest(CHALLENGE));

    expect((error as HydraUnavailableError).failure).toBe('server');
    expect(stub.received).toHaveLength(2);
  });

  test.each(reads)('$name fails within the deadline when the body never ends', async (read) => {
    stub.answer('stall');
    const started = Date.now();
    const error = await failure(read.call(admin({ timeoutMs: 100 })));

    expect(error).toBeInstanceOf(HydraUnavailableError);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test.each(decisions)('$name is never retried on a 5xx', async (operation) => {
    stub.answer(hydraError(503, 'Service Unavailable'));
    const error = await failure(operation.call(admin()));

    expect((error as HydraUnavailableError).failure).toBe('server');
    expect(stub.received).toHaveLength(1);
  });

  test.each(decisions)(
    '$name is never sent twice after a network error: the request is re-read once instead',
    async (operation) => {
      stub.answer('drop');
      const error = await failure(operation.call(admin()));

      expect((error as HydraUnavailableError).failure).toBe('network');
      expect(stub.received.map((request) => request.method)).toEqual([operation.method, 'GET']);
    },
  );

  test.each(decisions)(
    '$name whose answer was lost follows the 410 of the re-read (Hydra took the decision)',
    async (operation) => {
      stub.answerInTurn('drop', { status: 410, json: REDIRECT });
      const error = await failure(operation.call(admin()));

      expect(error).toBeInstanceOf(RequestAlreadyHandledError);
      expect((error as RequestAlreadyHandledError).redirectTo).toBe(REDIRECT.redirect_to);
      expect(stub.received.map((request) => request.method)).toEqual([operation.method, 'GET']);
    },
  );

  test.each(decisions)(
    '$name is never sent twice after a timeout, and reports "timeout" within a bounded time',
    async (operation) => {
      stub.answer('hang');
      const started = Date.now();
      const error = await failure(operation.call(admin({ timeoutMs: 100 })));

      expect(error).toBeInstanceOf(HydraUnavailableError);
      expect((error as HydraUnavailableError).failure).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(1000);
      expect(stub.received.map((request) => request.method)).toEqual([operation.method, 'GET']);
    },
  );

  test.each([404, 409, 410, 401])('a read is not retried on %i', async (status) => {
    stub.answer(status === 410 ? { status, json: REDIRECT } : hydraError(status, 'Client error'));
    await failure(admin().getLoginRequest(CHALLENGE));

    expect(stub.received).toHaveLength(1);
  });

  test('revoking sessions retries the delete once on a 5xx, not twice', async () => {
    stub.answerInTurn(
      hydraError(503, 'Service Unavailable'),
      hydraError(503, 'Service Unavailable'),
      { status: 204 },
    );
    const error = await failure(admin().revokeConsentSessions('subject-1'));

    expect(error).toBeInstanceOf(HydraUnavailableError);
    expect(stub.received.map((request) => request.path)).toEqual([
      '/admin/oauth2/auth/sessions/consent',
      '/admin/oauth2/auth/sessions/consent',
    ]);
  });
});

describe('Hydra admin adapter: the device user code (Hydra v25.4+)', () => {
  const accept = () => admin().acceptDeviceRequest(CHALLENGE, { user_code: 'WDJBMJHT' });

  test('sends PUT …/device/accept with the challenge as device_challenge and the code as JSON, once', async () => {
    stub.answer({ status: 200, json: REDIRECT });

    expect(await accept()).toEqual({ accepted: true, redirectTo: REDIRECT.redirect_to });
    expect(stub.received).toHaveLength(1);
    const [request] = stub.received;
    expect(request?.method).toBe('PUT');
    expect(request?.path).toBe('/admin/oauth2/auth/requests/device/accept');
    expect(request?.query.get('device_challenge')).toBe(CHALLENGE);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({ user_code: 'WDJBMJHT' });
  });

  test("says the code was refused on Hydra's 400 invalid_request (unknown, mistyped, expired or used)", async () => {
    stub.answer(hydraError(400, 'invalid_request'));

    expect(await accept()).toEqual({ accepted: false });
  });

  test("takes Hydra's JSON 404 for an unknown challenge, as for every challenge", async () => {
    stub.answer({
      status: 404,
      json: { error: 'Not Found', error_description: 'Unable to locate the requested resource' },
    });

    expect(await failure(accept())).toBeInstanceOf(ChallengeNotFoundError);
  });

  test("takes a 404 that is not Hydra's JSON (v2.3.0's route-not-found page) for a Hydra without the device flow", async () => {
    stub.answer({
      status: 404,
      text: '<!DOCTYPE html><title>404 - Route not found</title>',
      headers: { 'content-type': 'text/html; charset=utf-8' },
    });

    expect(await failure(accept())).toBeInstanceOf(DeviceFlowUnsupportedError);
  });

  test('never sends the code twice, not even after a timeout', async () => {
    stub.answer('hang');
    const error = await failure(
      admin({ timeoutMs: 200 }).acceptDeviceRequest(CHALLENGE, { user_code: 'WDJBMJHT' }),
    );

    expect(error).toBeInstanceOf(HydraUnavailableError);
    expect(stub.received).toHaveLength(1);
  });

  test('does not follow a redirect_to that is not an absolute http(s) URL', async () => {
    stub.answer({ status: 200, json: { redirect_to: 'javascript:alert(1)' } });

    expect(await failure(accept())).toBeInstanceOf(HydraUnavailableError);
  });
});
