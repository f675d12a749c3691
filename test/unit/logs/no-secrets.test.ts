/**
 * What the logs may hold. Every flow runs through the real handlers and pipeline, handed the
 * in-memory fakes of the flow tests and the real argon2id as their deps (sign-in success,
 * failure, unknown user, throttled, cancel, a known device, remembered user accepted and refused,
 * rehash; consent form, allow, deny, first-party; logout confirm, accept, stay; refusals and
 * faults) with the log lines captured. Then every line must be JSON with the request id, and none
 * may hold a password (or a piece of it), a password hash (or its salt or digest), a challenge, a
 * cookie value (the CSRF and device cookies), a CSRF token, a device id, Hydra's session id or a
 * raw identifier: identifiers appear only as a keyed `identifierTag`. Audit lines name who asked:
 * the source IP and user agent API Gateway saw.
 */
import { loadArgon2Parameters } from '../../../shared/config';
import { loginContext } from '../../../shared/flows/claims';
import { HydraUnavailableError } from '../../../shared/hydra/errors';
import { METRIC_OF_EVENT } from '../../../shared/log';
import type { WebResponse } from '../../../shared/http/response';
import { createPasswordHasher } from '../../../shared/users/password';
import { createIdentifierTags } from '../../../shared/users/tags';
import { TableUnavailableError } from '../../../shared/users/table';
import type { User } from '../../../shared/users/types';
import { throughputExceeded } from '../support/dynamo-fake';
import { CONTEXT, event, formPost } from '../support/events';
import { COOKIE_SECRET, formSecrets, invoke, useFakeSite } from '../support/handlers';
import { captureLogs } from '../support/logs';
import { CLIENT, consentRequest, loginRequest, logoutRequest } from '../support/payloads';

// The real argon2id: the password hashes, their salts and digests, are secrets to look for.
const policy = loadArgon2Parameters({});
const site = useFakeSite({ passwords: createPasswordHasher(policy) });
const hydra = () => site().hydra;
const logs = captureLogs();

const PASSWORDS = {
  alice: 'Alice-Passphrase-Orchid-7431',
  bob: 'Bob-Passphrase-Lantern-2298',
  carol: 'Carol-Passphrase-Meadow-5517',
  wrong: 'Wrong-Passphrase-Glacier-8802',
};
// Opaque subject ids: nothing in them repeats an email.
const IDS = {
  alice: '3f9c1a2e-0b4d-4e6f-8a1b-2c3d4e5f6a7b',
  bob: '7d2e4f6a-1c3b-4d5e-9f0a-1b2c3d4e5f60',
  carol: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
};
const IDENTIFIERS = ['alice@example.com', 'bob@example.com', 'carol@example.com'];
const SESSION_ID = 'hydra-login-session-4b1d9e7c2a';
/** The keyed log tag of a normalized identifier, as the functions make it from their secret. */
const identifierTag = (identifier: string) => createIdentifierTags(COOKIE_SECRET).log(identifier);
/** Who asked, as API Gateway saw it (support/events.ts). */
const CALLER = { sourceIp: '203.0.113.7', userAgent: 'jest' };
const TYPED_IDENTIFIERS = [...IDENTIFIERS, 'Alice@Example.COM', 'nobody-at-all@example.com'];

let users: User[] = [];
/** Everything that must never reach a log line, collected as the flows run. */
const secrets = new Set<string>();

function user(name: 'alice' | 'bob' | 'carol', enabled: boolean, passwordHash: string): User {
  const at = '2024-05-01T10:00:00.000Z';
  return {
    id: IDS[name],
    email: `${name}@example.com`,
    enabled,
    passwordHash,
    passwordChangedAt: at,
    createdAt: at,
    updatedAt: at,
    profile: { name: `${name} Example`, phone_number: '+15555550100' },
  };
}

beforeAll(async () => {
  const current = createPasswordHasher(policy);
  const older = createPasswordHasher({ ...policy, timeCost: policy.timeCost + 1 });
  users = [
    user('alice', true, await current.hash(PASSWORDS.alice)),
    user('bob', false, await current.hash(PASSWORDS.bob)),
    user('carol', true, await older.hash(PASSWORDS.carol)),
  ];
  for (const password of Object.values(PASSWORDS)) secrets.add(password);
  for (const { passwordHash } of users) secrets.add(passwordHash);
  secrets.add(SESSION_ID);
});

beforeEach(() => {
  for (const each of users) site().users.users.set(each.id, each);
});

/** A challenge of every kind known to Hydra, remembered as a secret. */
function challenge(kind: 'login' | 'consent' | 'logout', name: string, overrides = {}): string {
  const value = `${kind}-challenge-${name}-${'x'.repeat(24)}`;
  secrets.add(value);
  if (kind === 'login') {
    hydra().loginRequests.set(
      value,
      loginRequest({ challenge: value, session_id: SESSION_ID, ...overrides }),
    );
  } else if (kind === 'consent') {
    hydra().consentRequests.set(
      value,
      consentRequest({
        challenge: value,
        subject: IDS.alice,
        requested_scope: ['openid', 'profile', 'email', 'phone'],
        context: loginContext(users[0]!, ['roles']),
        ...overrides,
      }),
    );
  } else {
    hydra().logoutRequests.set(value, logoutRequest({ challenge: value, ...overrides }));
  }
  return value;
}

/** Opens the form page and posts it back like a browser, remembering its cookie and token. */
async function submit(
  kind: 'login' | 'consent' | 'logout',
  value: string,
  fields: Record<string, string | string[]>,
  cookies: string[] = [],
): Promise<WebResponse> {
  const get = { login: site().loginGet, consent: site().consentGet, logout: site().logoutGet }[
    kind
  ];
  const post = {
    login: site().loginPost,
    consent: site().consentPost,
    logout: site().logoutPost,
  }[kind];
  const page = await invoke(get, event({ path: `/${kind}`, query: `${kind}_challenge=${value}` }));
  const { cookie, token } = formSecrets(page);
  secrets.add(cookie.split('=')[1]!);
  secrets.add(token);
  secrets.add(token.split('.')[1]!);
  const response = await invoke(
    post,
    formPost(
      `/${kind}`,
      { challenge: value, csrf: token, ...fields },
      { cookies: [cookie, ...cookies] },
    ),
  );
  // A device cookie is a secret too, and so is the device id in it.
  for (const setCookie of response.cookies ?? []) {
    const cookieValue = setCookie.split(';')[0]!.split('=').slice(1).join('=');
    secrets.add(cookieValue);
    for (const part of cookieValue.split('.')) if (part.length >= 16) secrets.add(part);
  }
  return response;
}

const signIn = (
  identifier: string,
  password: string,
  name: string,
  remember = '1',
  cookies: string[] = [],
) =>
  submit(
    'login',
    challenge('login', name),
    { action: 'login', identifier, password, remember },
    cookies,
  );

/** Every line: JSON with the request id, and nothing secret. */
function expectCleanLogs(): void {
  expect(logs.lines.length).toBeGreaterThan(0);
  const pieces = [...secrets].flatMap((secret) => [
    secret,
    // A hash's salt and digest, a token's MAC: any long piece of a secret.
    ...secret.split(/[$.=,]/).filter((piece) => piece.length >= 16),
  ]);
  for (const line of logs.lines) {
    const entry = JSON.parse(line) as Record<string, unknown>;
    expect(entry.requestId).toBe(CONTEXT.awsRequestId);
    expect(typeof entry.message).toBe('string');
    for (const piece of pieces) expect(line).not.toContain(piece);
    for (const identifier of TYPED_IDENTIFIERS) {
      expect(line.toLowerCase()).not.toContain(identifier.toLowerCase());
      expect(line.toLowerCase()).not.toContain(identifier.split('@')[0]!.toLowerCase());
    }
    expect(line).not.toContain('    at ');
    // Identifiers are tagged with a key, never hashed bare (anyone with a list of emails could
    // reverse that).
    expect(line).not.toContain('identifierHash');
  }
}

/** The audit lines, without their time and request and without their metric (./metrics.test.ts). */
function audits(): Record<string, unknown>[] {
  const metricFields = new Set(['_aws', 'Stage', ...Object.values(METRIC_OF_EVENT)]);
  return logs
    .entries()
    .filter((entry) => entry.message === 'audit')
    .map(({ time: _time, level: _level, requestId: _id, route: _route, ...rest }) =>
      Object.fromEntries(Object.entries(rest).filter(([name]) => !metricFields.has(name))),
    );
}

describe('the logs of every flow hold no secret', () => {
  afterEach(() => {
    expectCleanLogs();
  });

  it('sign-in success (with "keep me signed in")', async () => {
    const response = await signIn('alice@example.com', PASSWORDS.alice, 'success');
    expect(response.statusCode).toBe(303);
    expect(audits()).toEqual([
      {
        message: 'audit',
        event: 'login.success',
        ...CALLER,
        subject: IDS.alice,
        client: 'demo-app',
        remember: true,
        knownDevice: false,
      },
    ]);
  });

  it('sign-in from a known device (its device cookie)', async () => {
    const first = await signIn('alice@example.com', PASSWORDS.alice, 'first', '0');
    const device = first.cookies?.find((cookie) => cookie.startsWith('__Host-hlc-device='));
    expect(device).toBeDefined();
    logs.lines.length = 0;

    const again = await signIn('alice@example.com', PASSWORDS.alice, 'again', '0', [
      device!.split(';')[0]!,
    ]);

    expect(again.statusCode).toBe(303);
    expect(audits()).toEqual([
      expect.objectContaining({ event: 'login.success', subject: IDS.alice, knownDevice: true }),
    ]);
  });

  it('sign-in failures: wrong password, unknown user, disabled user; identifiers only tagged', async () => {
    for (const [identifier, password, name] of [
      ['Alice@Example.COM', PASSWORDS.wrong, 'wrong'],
      ['nobody-at-all@example.com', PASSWORDS.wrong, 'unknown'],
      ['bob@example.com', PASSWORDS.bob, 'disabled'],
    ] as const) {
      const response = await signIn(identifier, password, name);
      expect(response.statusCode).toBe(401);
    }
    const failure = (identifier: string) => ({
      message: 'audit',
      event: 'login.failure',
      ...CALLER,
      identifierTag: identifierTag(identifier),
      client: 'demo-app',
    });
    expect(audits()).toEqual([
      // The tag of the normalized identifier: one account, however it was typed.
      failure('alice@example.com'),
      failure('nobody-at-all@example.com'),
      failure('bob@example.com'),
    ]);
  });

  it('sign-in throttled', async () => {
    site().counters.counterStart = 1000;
    const response = await signIn('alice@example.com', PASSWORDS.wrong, 'throttled');
    expect(response.statusCode).toBe(429);
    expect(audits()).toEqual([
      {
        message: 'audit',
        event: 'login.throttled',
        ...CALLER,
        identifierTag: identifierTag('alice@example.com'),
        client: 'demo-app',
        limitedBy: expect.any(String),
      },
    ]);
  });

  it('sign-in with a rehash of an old hash (the new hash is a secret too)', async () => {
    const response = await signIn('carol@example.com', PASSWORDS.carol, 'rehash', '0');
    expect(response.statusCode).toBe(303);
    const stored = site().users.users.get(IDS.carol)?.passwordHash;
    expect(stored).not.toBe(users[2]!.passwordHash);
    secrets.add(String(stored));
    expect(audits().map((entry) => entry.event)).toEqual(['password.rehashed', 'login.success']);
  });

  it('sign-in cancelled', async () => {
    const response = await submit('login', challenge('login', 'cancel'), { action: 'cancel' });
    expect(response.statusCode).toBe(303);
    expect(audits().map((entry) => entry.event)).toEqual(['login.cancelled']);
  });

  it('remembered users: accepted when active, refused and restarted when disabled', async () => {
    await site().loginSessions.record(
      SESSION_ID,
      {
        subject: IDS.alice,
        authenticatedAtSeconds: Math.floor(Date.now() / 1000) - 60,
        amr: ['pwd'],
        browserBound: false,
      },
      Math.floor(Date.now() / 1000) + 3600,
    );
    const accepted = await invoke(
      site().loginGet,
      event({
        path: '/login',
        query: `login_challenge=${challenge('login', 'skip', { skip: true, subject: IDS.alice })}`,
      }),
    );
    const refused = await invoke(
      site().loginGet,
      event({
        path: '/login',
        query: `login_challenge=${challenge('login', 'skip-bob', { skip: true, subject: IDS.bob })}`,
      }),
    );
    expect([accepted.statusCode, refused.statusCode]).toEqual([303, 303]);
    expect(audits()).toEqual([
      { message: 'audit', event: 'login.skip', ...CALLER, subject: IDS.alice, client: 'demo-app' },
      {
        message: 'audit',
        event: 'login.skip_rejected',
        ...CALLER,
        subject: IDS.bob,
        client: 'demo-app',
        reason: 'disabled',
      },
    ]);
  });

  it('consent: the form, allow, deny, and a first-party client', async () => {
    const allowed = await submit('consent', challenge('consent', 'allow'), {
      action: 'allow',
      scope: ['openid', 'email'],
      remember: '1',
    });
    const denied = await submit('consent', challenge('consent', 'deny'), { action: 'deny' });
    const firstParty = await invoke(
      site().consentGet,
      event({
        path: '/consent',
        query: `consent_challenge=${challenge('consent', 'first-party', {
          client: { ...CLIENT, skip_consent: true },
        })}`,
      }),
    );
    expect([allowed.statusCode, denied.statusCode, firstParty.statusCode]).toEqual([303, 303, 303]);
    expect(audits().map((entry) => entry.event)).toEqual([
      'consent.granted',
      'consent.denied',
      'consent.granted',
    ]);
  });

  it('logout: the question, yes and no', async () => {
    const yes = await submit('logout', challenge('logout', 'yes'), { action: 'logout' });
    const no = await submit('logout', challenge('logout', 'no'), { action: 'stay' });
    expect([yes.statusCode, no.statusCode]).toEqual([303, 200]);
    expect(audits().map((entry) => entry.event)).toEqual(['logout.accepted', 'logout.declined']);
  });

  it('refusals and faults: a forged CSRF token, Hydra down, DynamoDB throttling', async () => {
    const value = challenge('login', 'refusals');
    const page = await invoke(
      site().loginGet,
      event({ path: '/login', query: `login_challenge=${value}` }),
    );
    const { cookie, token } = formSecrets(page);
    secrets.add(cookie.split('=')[1]!);
    secrets.add(token);
    // Well-formed, so it is checked all the way to its MAC (and is a token all the same).
    const forgedToken = `${token.split('.')[0]}.${'A'.repeat(43)}`;
    secrets.add(forgedToken);
    const forged = await invoke(
      site().loginPost,
      formPost(
        '/login',
        {
          challenge: value,
          csrf: forgedToken,
          identifier: 'alice@example.com',
          password: PASSWORDS.alice,
        },
        { cookies: [cookie] },
      ),
    );
    hydra().failures.set(value, new HydraUnavailableError('server', 'get login request', 500));
    const hydraDown = await invoke(
      site().loginGet,
      event({ path: '/login', query: `login_challenge=${value}` }),
    );
    hydra().failures.delete(value);
    site().counters.failing = new TableUnavailableError(throughputExceeded());
    const throttled = await invoke(
      site().loginPost,
      formPost(
        '/login',
        {
          challenge: value,
          csrf: token,
          identifier: 'alice@example.com',
          password: PASSWORDS.alice,
        },
        { cookies: [cookie] },
      ),
    );
    expect([forged.statusCode, hydraDown.statusCode, throttled.statusCode]).toEqual([
      403, 502, 503,
    ]);
    expect(logs.entries().map((entry) => entry.message)).toEqual(
      expect.arrayContaining(['request refused', 'hydra unavailable', 'user store unavailable']),
    );
  });
});
