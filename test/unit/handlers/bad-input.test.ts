/**
 * The bad-input matrix: one row per hostile or broken request, each through the real handler
 * (handed the in-memory fakes of the flow tests, support/fakes.ts, as its deps), each asserting
 * the status, a page that says what happened (its title), and that nothing changed: no accept,
 * reject or revocation reached Hydra and nothing was written to the users table.
 *
 * argon2 is the real one, wrapped to record what it is given (see support/argon2-recorder.ts):
 * the wrapper is in place before the first password is hashed (argon2 is loaded on first use).
 */
import type { AcceptOAuth2ConsentRequest } from '@ory/hydra-client';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { loadArgon2Parameters } from '../../../shared/config';
import { translator } from '../../../shared/i18n/messages';
import { INVALID_CREDENTIALS } from '../../../shared/flows/login';
import type { WebResponse } from '../../../shared/http/response';
import { createPasswordHasher } from '../../../shared/users/password';
import type { User } from '../../../shared/users/types';
import { argon2Calls, recordingArgon2 } from '../support/argon2-recorder';
import { event, formPost, HOST } from '../support/events';
import { expectSecurityHeaders, formSecrets, invoke, useFakeSite } from '../support/handlers';
import { captureLogs } from '../support/logs';
import { consentRequest, loginRequest, logoutRequest } from '../support/payloads';

jest.mock('@node-rs/argon2', () => recordingArgon2());

const argon2id = createPasswordHasher(loadArgon2Parameters({}));
const site = useFakeSite({ passwords: argon2id });
const hydra = () => site().hydra;
captureLogs();

type Kind = 'login' | 'consent' | 'logout';
type HandlerName = `${Kind}-get` | `${Kind}-post`;
const HANDLERS = {
  'login-get': 'loginGet',
  'login-post': 'loginPost',
  'consent-get': 'consentGet',
  'consent-post': 'consentPost',
  'logout-get': 'logoutGet',
  'logout-post': 'logoutPost',
} as const satisfies Record<HandlerName, string>;

const CHALLENGE: Record<Kind, string> = {
  login: 'Login-Challenge_0123456789abcdef',
  consent: 'Consent-Challenge_0123456789abcdef',
  logout: 'Logout-Challenge_0123456789abcdef',
};
/** Another request Hydra knows, of every kind. */
const OTHER = 'Other-Challenge_fedcba9876543210';
const PASSWORD = 'alice-correct-horse-battery-staple';

let alice: User;

beforeAll(async () => {
  const at = '2024-05-01T10:00:00.000Z';
  alice = {
    id: 'user-alice-0001',
    email: 'alice@example.com',
    enabled: true,
    passwordHash: await argon2id.hash(PASSWORD),
    passwordChangedAt: at,
    createdAt: at,
    updatedAt: at,
    profile: { name: 'Alice' },
  };
});

beforeEach(() => {
  for (const challenge of [CHALLENGE.login, CHALLENGE.consent, CHALLENGE.logout, OTHER]) {
    hydra().loginRequests.set(challenge, loginRequest({ challenge }));
    hydra().consentRequests.set(
      challenge,
      consentRequest({ challenge, requested_scope: ['openid', 'email'] }),
    );
    hydra().logoutRequests.set(challenge, logoutRequest({ challenge }));
  }
  // The consent challenge is only a consent request: /login must not know it.
  hydra().loginRequests.delete(CHALLENGE.consent);
  site().users.users.set(alice.id, alice);
  argon2Calls.length = 0;
});

afterEach(() => {
  jest.restoreAllMocks();
});

const send = (name: HandlerName, request: APIGatewayProxyEventV2): Promise<WebResponse> =>
  invoke(site()[HANDLERS[name]], request);

/** The body of the one consent accept Hydra was sent. */
function acceptBody(): AcceptOAuth2ConsentRequest {
  const accept = hydra().only('consent');
  if (accept.kind !== 'consent' || accept.decision !== 'accept') {
    throw new Error(`expected a consent accept, got ${JSON.stringify(accept)}`);
  }
  return accept.body;
}

/** The accepts, rejects and revocations Hydra was sent. */
const hydraChanges = () =>
  hydra().calls.filter((call) => /^(accept|reject|revoke)/.test(call.method));

const PATH: Record<Kind, string> = { login: '/login', consent: '/consent', logout: '/logout' };

const GOOD_FIELDS: Record<Kind, Record<string, string | string[]>> = {
  login: { action: 'login', identifier: 'alice@example.com', password: 'not-her-password' },
  consent: { action: 'allow', scope: ['openid', 'email'] },
  logout: { action: 'logout' },
};

/** The CSRF cookie and token the form page of `kind` gives for `challenge`. */
async function secrets(kind: Kind, challenge = CHALLENGE[kind]) {
  const page = await send(
    `${kind}-get`,
    event({ path: PATH[kind], query: `${kind}_challenge=${challenge}` }),
  );
  return formSecrets(page);
}

/** A form post of `kind` as our page sends it, with `change` applied to the fields. */
async function post(
  kind: Kind,
  change: (fields: Record<string, string | string[]>) => Record<string, string | string[]> = (f) =>
    f,
  options: Parameters<typeof formPost>[2] = {},
  tokenFrom: { kind?: Kind; challenge?: string } = {},
): Promise<APIGatewayProxyEventV2> {
  const { cookie, token } = await secrets(tokenFrom.kind ?? kind, tokenFrom.challenge);
  const fields = change({ challenge: CHALLENGE[kind], csrf: token, ...GOOD_FIELDS[kind] });
  return formPost(PATH[kind], fields, { cookies: [cookie], ...options });
}

/** A raw POST with a valid CSRF cookie, for bodies the form helper cannot make. */
async function rawPost(
  kind: Kind,
  body: string,
  options: { contentType?: string; base64?: boolean } = {},
): Promise<APIGatewayProxyEventV2> {
  const { cookie } = await secrets(kind);
  return event({
    method: 'POST',
    path: PATH[kind],
    body,
    isBase64Encoded: options.base64 ?? false,
    cookies: [cookie],
    headers: {
      ...(options.contentType === '' ? {} : { 'content-type': options.contentType ?? FORM_TYPE }),
      origin: `https://${HOST}`,
      'sec-fetch-site': 'same-origin',
    },
  });
}

const FORM_TYPE = 'application/x-www-form-urlencoded';
const without =
  (name: string) =>
  (fields: Record<string, string | string[]>): Record<string, string | string[]> => {
    const { [name]: _dropped, ...rest } = fields;
    return rest;
  };
const withField =
  (name: string, value: string | string[]) => (fields: Record<string, string | string[]>) => ({
    ...fields,
    [name]: value,
  });

interface Row {
  name: string;
  handler: HandlerName;
  request: () => Promise<APIGatewayProxyEventV2>;
  status: number;
  title: string;
}

const getRows = (kind: Kind): Row[] => {
  const get = (query: string) => async () => event({ path: PATH[kind], query });
  const param = `${kind}_challenge`;
  return [
    { name: 'no challenge', request: get(''), status: 400, title: 'Bad request' },
    { name: 'an empty challenge', request: get(`${param}=`), status: 400, title: 'Bad request' },
    {
      name: 'an oversized challenge (8193 characters)',
      request: get(`${param}=${'a'.repeat(8193)}`),
      status: 400,
      title: 'Bad request',
    },
    {
      name: 'a non-ASCII challenge',
      request: get(`${param}=${encodeURIComponent('défi-çà-😀')}`),
      status: 400,
      title: 'Bad request',
    },
    {
      name: 'a challenge with quotes and angle brackets',
      request: get(`${param}=${encodeURIComponent('abc"\'><script>')}`),
      status: 400,
      title: 'Bad request',
    },
    {
      name: 'a challenge sent twice',
      request: get(`${param}=${CHALLENGE[kind]}&${param}=${OTHER}`),
      status: 400,
      title: 'Bad request',
    },
    {
      name: 'broken percent-encoding in the query',
      request: get(`${param}=%ZZ${CHALLENGE[kind]}`),
      status: 400,
      title: 'Bad request',
    },
    {
      name: 'a forged challenge (well-formed, unknown to Hydra)',
      request: get(`${param}=Forged_${'x'.repeat(40)}`),
      status: 404,
      title: 'This link has expired',
    },
    {
      name: 'a POST to the GET route',
      request: async () => formPost(PATH[kind], { challenge: CHALLENGE[kind] }),
      status: 405,
      title: 'Method not allowed',
    },
  ].map((row) => ({ ...row, name: `GET ${PATH[kind]}: ${row.name}`, handler: `${kind}-get` }));
};

const postRows = (kind: Kind): Row[] =>
  [
    { name: 'no challenge', request: () => post(kind, without('challenge')), status: 400 },
    {
      name: 'an empty challenge',
      request: () => post(kind, withField('challenge', '')),
      status: 400,
    },
    {
      name: 'an oversized challenge',
      request: () => post(kind, withField('challenge', 'a'.repeat(8193))),
      status: 400,
    },
    {
      name: 'a non-ASCII challenge',
      request: () => post(kind, withField('challenge', 'défi-😀')),
      status: 400,
    },
    {
      name: 'a forged challenge (with the token of the real one)',
      request: () => post(kind, withField('challenge', `Forged_${'x'.repeat(40)}`)),
      status: 403,
    },
    { name: 'no CSRF token', request: () => post(kind, without('csrf')), status: 403 },
    {
      name: 'no CSRF cookie',
      request: async () => ({ ...(await post(kind)), cookies: [] }),
      status: 403,
    },
    {
      name: 'a wrong CSRF token',
      request: () => post(kind, withField('csrf', `9999999999.${'A'.repeat(43)}`)),
      status: 403,
    },
    {
      name: 'the CSRF token of another challenge',
      request: () => post(kind, undefined, {}, { challenge: OTHER }),
      status: 403,
    },
    {
      name: 'the CSRF token of another form',
      request: () =>
        post(
          kind,
          withField('challenge', OTHER),
          {},
          {
            kind: kind === 'login' ? 'consent' : 'login',
            challenge: OTHER,
          },
        ),
      status: 403,
    },
    {
      name: 'an expired CSRF token',
      request: async () => {
        const request = await post(kind);
        const later = Date.now() + (3600 + 60) * 1000;
        jest.spyOn(Date, 'now').mockReturnValue(later);
        return request;
      },
      status: 403,
    },
    {
      name: 'Sec-Fetch-Site: cross-site',
      request: () => post(kind, undefined, { headers: { 'sec-fetch-site': 'cross-site' } }),
      status: 403,
    },
    {
      name: 'a foreign Origin',
      request: () => post(kind, undefined, { headers: { origin: 'https://evil.example' } }),
      status: 403,
    },
    {
      name: 'a body over 16 KiB',
      request: () => post(kind, withField('pad', 'a'.repeat(16 * 1024))),
      status: 413,
    },
    {
      name: 'a base64 body over 16 KiB',
      request: () =>
        rawPost(kind, Buffer.from(`pad=${'a'.repeat(16 * 1024)}`).toString('base64'), {
          base64: true,
        }),
      status: 413,
    },
    {
      name: 'a JSON body',
      request: () => rawPost(kind, '{"challenge":"x"}', { contentType: 'application/json' }),
      status: 415,
    },
    {
      name: 'a multipart body',
      request: () =>
        rawPost(kind, '--x\r\n\r\n--x--', { contentType: 'multipart/form-data; boundary=x' }),
      status: 415,
    },
    {
      name: 'no content type',
      request: () => rawPost(kind, 'a=b', { contentType: '' }),
      status: 415,
    },
    {
      name: 'malformed urlencoding',
      request: () => rawPost(kind, `challenge=${CHALLENGE[kind]}&csrf=%ZZ`),
      status: 400,
    },
    {
      name: 'percent-encoded invalid UTF-8',
      request: () => rawPost(kind, `challenge=${CHALLENGE[kind]}&x=%C3%28`),
      status: 400,
    },
    {
      name: 'raw invalid UTF-8 (base64)',
      request: () =>
        rawPost(
          kind,
          Buffer.concat([
            Buffer.from(`challenge=${CHALLENGE[kind]}&x=`),
            Buffer.from([0xff, 0xfe]),
          ]).toString('base64'),
          { base64: true },
        ),
      status: 400,
    },
    {
      name: 'a duplicated single-value field',
      request: () => post(kind, withField('action', [GOOD_FIELDS[kind].action as string, 'x'])),
      status: 400,
    },
    {
      name: 'an action that is not one of its buttons',
      request: () => post(kind, withField('action', 'accept-everything')),
      status: 400,
    },
    {
      name: 'a GET to the POST route',
      request: async () =>
        event({ path: PATH[kind], query: `${kind}_challenge=${CHALLENGE[kind]}` }),
      status: 405,
    },
    {
      name: 'a PUT',
      request: async () => {
        const request = await post(kind);
        request.requestContext.http.method = 'PUT';
        return request;
      },
      status: 405,
    },
  ].map((row) => ({
    ...row,
    name: `POST ${PATH[kind]}: ${row.name}`,
    handler: `${kind}-post` as HandlerName,
    title: TITLES[row.status]!,
  }));

const TITLES: Record<number, string> = {
  400: 'Bad request',
  403: 'Not allowed',
  404: 'This link has expired',
  405: 'Method not allowed',
  413: 'Too large',
  415: 'Unsupported form',
};

const ROWS: Row[] = [
  ...getRows('login'),
  ...getRows('consent'),
  ...getRows('logout'),
  {
    name: 'GET /login: a consent challenge (Hydra answers 404 for the wrong kind)',
    handler: 'login-get',
    request: async () => event({ path: '/login', query: `login_challenge=${CHALLENGE.consent}` }),
    status: 404,
    title: 'This link has expired',
  },
  ...postRows('login'),
  {
    name: 'POST /login: a challenge Hydra no longer knows (the form outlived it), nothing counted',
    handler: 'login-post',
    request: async () => {
      const request = await post('login');
      hydra().loginRequests.delete(CHALLENGE.login);
      return request;
    },
    status: 404,
    title: 'This link has expired',
  },
  ...postRows('consent'),
  ...postRows('logout'),
];

function expectNothingChanged(): void {
  expect(hydraChanges()).toEqual([]);
  expect(site().tableWrites()).toEqual([]);
}

describe('bad input is refused with a clear page, changing nothing', () => {
  it.each(ROWS)('$name → $status', async (row) => {
    const request = await row.request();
    hydra().calls.length = 0;

    const response = await send(row.handler, request);

    expect(response.statusCode).toBe(row.status);
    expect(response.body).toContain(`<title>${row.title}</title>`);
    expect(response.headers.location).toBeUndefined();
    if (row.status === 405)
      expect(response.headers.allow).toBe(row.handler.endsWith('get') ? 'GET' : 'POST');
    expectSecurityHeaders(response);
    expectNothingChanged();
  });
});

describe('oversized credentials get the generic sign-in failure, with no oversized hashing', () => {
  const credentials = (identifier: string, password: string) => () =>
    post('login', (fields) => ({ ...fields, identifier, password }));

  it.each([
    ['an identifier of 255 characters', credentials(`${'a'.repeat(243)}@example.com`, PASSWORD)],
    ['an identifier of 5000 characters', credentials(`${'a'.repeat(4988)}@example.com`, PASSWORD)],
    ['a password of 257 characters', credentials('alice@example.com', 'p'.repeat(257))],
    ['a password of 10 KiB', credentials('alice@example.com', 'p'.repeat(10 * 1024))],
    ['a password over 1 KiB in UTF-8', credentials('alice@example.com', '€'.repeat(400))],
    [
      'a password that NFKC expands past the cap',
      credentials('alice@example.com', '\uFDFA'.repeat(100)),
    ],
    [
      'an unknown user with a 10 KiB password',
      credentials('nobody@example.com', 'p'.repeat(10240)),
    ],
  ])('%s → 401', async (_name, request) => {
    const reference = await send('login-post', await credentials('alice@example.com', 'wrong')());
    const built = await request();
    hydra().calls.length = 0;
    argon2Calls.length = 0;
    const countedBefore = site().counters.calls.length;

    const response = await send('login-post', built);

    expect(response.statusCode).toBe(401);
    expect(response.body).toContain('<title>Sign in</title>');
    expect(response.body).toContain(translator('en').text(INVALID_CREDENTIALS.key));
    expect(response.statusCode).toBe(reference.statusCode);
    expect(Object.keys(response.headers).sort()).toEqual(Object.keys(reference.headers).sort());
    expectSecurityHeaders(response);
    // Nothing reached Hydra but the read that confirms the challenge; only the throttle counted,
    // once per counter (this source at this account, this source, this account).
    expect(hydra().calls.filter((call) => !call.method.startsWith('get'))).toEqual([]);
    expect(site().users.writes).toEqual([]);
    expect(site().loginSessions.calls.filter((call) => call.startsWith('record '))).toEqual([]);
    // Each counter raised by one (`addBelow`; a give-back would be an `add`).
    const counted = site()
      .counters.calls.slice(countedBefore)
      .map((call) => call.split(' '));
    expect(counted.map(([, key]) => key?.split('#')[1]).sort()).toEqual([
      'account',
      'ip',
      'source',
    ]);
    for (const [operation] of counted) expect(operation).toBe('addBelow');
    // argon2 never saw more than the cap (256 characters, 1 KiB).
    for (const call of argon2Calls) {
      expect(call.characters).toBeLessThanOrEqual(256);
      expect(call.bytes).toBeLessThanOrEqual(1024);
    }
  });
});

describe('consent fields that were never requested are ignored', () => {
  it('grants only requested ∩ chosen: an unrequested scope or audience never reaches the accept', async () => {
    const request = await post('consent', (fields) => ({
      ...fields,
      scope: ['openid', 'email', 'admin', 'offline_access'],
      audience: ['https://api.example', 'https://evil.example'],
    }));
    hydra().calls.length = 0;

    const response = await send('consent-post', request);

    expect(response.statusCode).toBe(303);
    expectSecurityHeaders(response);
    expect(hydraChanges().map((call) => call.method)).toEqual(['acceptConsentRequest']);
    const body = acceptBody();
    expect(body.grant_scope).toEqual(['openid', 'email']);
    expect(body.grant_access_token_audience).toEqual(['https://api.example']);
    expect(site().tableCalls()).toEqual([]);
  });
});

describe('scope names that are also names of Object.prototype members', () => {
  const HOSTILE_SCOPES = ['openid', 'toString', '__proto__', 'constructor', 'valueOf'];

  it('shows them as plain scope names on the consent page', async () => {
    hydra().consentRequests.set(
      CHALLENGE.consent,
      consentRequest({ challenge: CHALLENGE.consent, requested_scope: HOSTILE_SCOPES }),
    );

    const response = await send(
      'consent-get',
      event({ path: '/consent', query: `consent_challenge=${CHALLENGE.consent}` }),
    );

    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain('[native code]');
    for (const scope of HOSTILE_SCOPES.slice(1)) {
      expect(response.body).toContain(`<code>${scope}</code>`);
    }
  });

  it('accepts them for a first-party client without a 500, releasing no claims for them', async () => {
    hydra().consentRequests.set(
      CHALLENGE.consent,
      consentRequest({
        challenge: CHALLENGE.consent,
        requested_scope: HOSTILE_SCOPES,
        client: { client_id: 'first-party', skip_consent: true },
        context: { v: 1, claims: { name: 'Alice', email: 'alice@example.com' } },
      }),
    );

    const response = await send(
      'consent-get',
      event({ path: '/consent', query: `consent_challenge=${CHALLENGE.consent}` }),
    );

    expect(response.statusCode).toBe(303);
    const body = acceptBody();
    expect(body.grant_scope).toEqual(HOSTILE_SCOPES);
    expect(body.session?.id_token).toEqual({});
  });
});
