/**
 * What the logs may hold. Every flow runs through the real handlers and pipeline (sign-in success,
 * failure, unknown user, throttled, cancel, remembered user accepted and refused, rehash; consent
 * form, allow, deny, first-party; logout confirm, accept, stay; refusals and faults) with the log
 * lines captured. Then every line must be JSON with the request id, and none may hold a password
 * (or a piece of it), a password hash (or its salt or digest), a challenge, a cookie value, a CSRF
 * token or a raw identifier: identifiers appear only as `identifierHash`.
 */
import { handler as consentGet } from '../../../functions/consent-get';
import { handler as consentPost } from '../../../functions/consent-post';
import { handler as loginGet } from '../../../functions/login-get';
import { handler as loginPost } from '../../../functions/login-post';
import { handler as logoutGet } from '../../../functions/logout-get';
import { handler as logoutPost } from '../../../functions/logout-post';
import { loadArgon2Parameters } from '../../../shared/config';
import { loginContext } from '../../../shared/flows/claims';
import type { WebResponse } from '../../../shared/http/response';
import { identifierHash } from '../../../shared/log';
import { createPasswordHasher } from '../../../shared/users/password';
import type { User } from '../../../shared/users/types';
import { throughputExceeded, useFakeDynamo } from '../support/dynamo-fake';
import { CONTEXT, event, formPost } from '../support/events';
import { formSecrets, invoke, useConfigEnv } from '../support/handlers';
import { useHydraStub } from '../support/hydra-http';
import { captureLogs } from '../support/logs';
import { CLIENT, consentRequest, loginRequest, logoutRequest } from '../support/payloads';

useConfigEnv();
const hydra = useHydraStub();
const table = useFakeDynamo();
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
  const policy = loadArgon2Parameters({});
  const current = createPasswordHasher(policy);
  const older = createPasswordHasher({ ...policy, timeCost: policy.timeCost + 1 });
  users = [
    user('alice', true, await current.hash(PASSWORDS.alice)),
    user('bob', false, await current.hash(PASSWORDS.bob)),
    user('carol', true, await older.hash(PASSWORDS.carol)),
  ];
  for (const password of Object.values(PASSWORDS)) secrets.add(password);
  for (const { passwordHash } of users) secrets.add(passwordHash);
});

beforeEach(() => {
  for (const each of users) table().putUser(each);
});

/** A challenge of every kind known to Hydra, remembered as a secret. */
function challenge(kind: 'login' | 'consent' | 'logout', name: string, overrides = {}): string {
  const value = `${kind}-challenge-${name}-${'x'.repeat(24)}`;
  secrets.add(value);
  if (kind === 'login') {
    hydra().requests.login.set(value, loginRequest({ challenge: value, ...overrides }));
  } else if (kind === 'consent') {
    hydra().requests.consent.set(
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
    hydra().requests.logout.set(value, logoutRequest({ challenge: value, ...overrides }));
  }
  return value;
}

/** Opens the form page and posts it back like a browser, remembering its cookie and token. */
async function submit(
  kind: 'login' | 'consent' | 'logout',
  value: string,
  fields: Record<string, string | string[]>,
): Promise<WebResponse> {
  const get = { login: loginGet, consent: consentGet, logout: logoutGet }[kind];
  const post = { login: loginPost, consent: consentPost, logout: logoutPost }[kind];
  const page = await invoke(get, event({ path: `/${kind}`, query: `${kind}_challenge=${value}` }));
  const { cookie, token } = formSecrets(page);
  secrets.add(cookie.split('=')[1]!);
  secrets.add(token);
  secrets.add(token.split('.')[1]!);
  return invoke(
    post,
    formPost(`/${kind}`, { challenge: value, csrf: token, ...fields }, { cookies: [cookie] }),
  );
}

const signIn = (identifier: string, password: string, name: string, remember = '1') =>
  submit('login', challenge('login', name), {
    action: 'login',
    identifier,
    password,
    remember,
  });

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
  }
}

function audits(): Record<string, unknown>[] {
  return logs
    .entries()
    .filter((entry) => entry.message === 'audit')
    .map(({ time: _time, level: _level, requestId: _id, route: _route, ...rest }) => rest);
}

describe('the logs of every flow hold no secret', () => {
  afterEach(() => {
    expectCleanLogs();
  });

  it('sign-in success (with "keep me signed in")', async () => {
    const response = await signIn('alice@example.com', PASSWORDS.alice, 'success');
    expect(response.statusCode).toBe(303);
    expect(audits()).toEqual([
      { message: 'audit', event: 'login.success', subject: IDS.alice, remember: true },
    ]);
  });

  it('sign-in failures: wrong password, unknown user, disabled user; identifiers only hashed', async () => {
    for (const [identifier, password, name] of [
      ['Alice@Example.COM', PASSWORDS.wrong, 'wrong'],
      ['nobody-at-all@example.com', PASSWORDS.wrong, 'unknown'],
      ['bob@example.com', PASSWORDS.bob, 'disabled'],
    ] as const) {
      const response = await signIn(identifier, password, name);
      expect(response.statusCode).toBe(401);
    }
    expect(audits()).toEqual([
      {
        message: 'audit',
        event: 'login.failure',
        // The hash of the normalized identifier: one account, however it was typed.
        identifierHash: identifierHash('alice@example.com'),
      },
      {
        message: 'audit',
        event: 'login.failure',
        identifierHash: identifierHash('nobody-at-all@example.com'),
      },
      {
        message: 'audit',
        event: 'login.failure',
        identifierHash: identifierHash('bob@example.com'),
      },
    ]);
  });

  it('sign-in throttled', async () => {
    table().counterStart = 1000;
    const response = await signIn('alice@example.com', PASSWORDS.wrong, 'throttled');
    expect(response.statusCode).toBe(429);
    expect(audits()).toEqual([
      expect.objectContaining({
        event: 'login.throttled',
        identifierHash: identifierHash('alice@example.com'),
      }),
    ]);
  });

  it('sign-in with a rehash of an old hash (the new hash is a secret too)', async () => {
    const response = await signIn('carol@example.com', PASSWORDS.carol, 'rehash', '0');
    expect(response.statusCode).toBe(303);
    const stored = table().items.get('email#carol@example.com')?.passwordHash;
    expect(stored).not.toBe(users[2]!.passwordHash);
    secrets.add(String(stored));
    expect(audits().map((entry) => entry.event)).toEqual(['password.rehashed', 'login.success']);
  });

  it('sign-in cancelled', async () => {
    const response = await submit('login', challenge('login', 'cancel'), { action: 'cancel' });
    expect(response.statusCode).toBe(303);
    expect(audits().map((entry) => entry.event)).toEqual(['login.cancelled']);
  });

  it('remembered users: accepted when active, refused and revoked when disabled', async () => {
    const accepted = await invoke(
      loginGet,
      event({
        path: '/login',
        query: `login_challenge=${challenge('login', 'skip', { skip: true, subject: IDS.alice })}`,
      }),
    );
    const refused = await invoke(
      loginGet,
      event({
        path: '/login',
        query: `login_challenge=${challenge('login', 'skip-bob', { skip: true, subject: IDS.bob })}`,
      }),
    );
    expect([accepted.statusCode, refused.statusCode]).toEqual([303, 303]);
    expect(audits().map((entry) => entry.event)).toEqual(['login.skip', 'login.skip_rejected']);
  });

  it('consent: the form, allow, deny, and a first-party client', async () => {
    const allowed = await submit('consent', challenge('consent', 'allow'), {
      action: 'allow',
      scope: ['openid', 'email'],
      remember: '1',
    });
    const denied = await submit('consent', challenge('consent', 'deny'), { action: 'deny' });
    const firstParty = await invoke(
      consentGet,
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
      loginGet,
      event({ path: '/login', query: `login_challenge=${value}` }),
    );
    const { cookie, token } = formSecrets(page);
    secrets.add(cookie.split('=')[1]!);
    secrets.add(token);
    // Well-formed, so it is checked all the way to its MAC (and is a token all the same).
    const forgedToken = `${token.split('.')[0]}.${'A'.repeat(43)}`;
    secrets.add(forgedToken);
    const forged = await invoke(
      loginPost,
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
    hydra().failures.set(value, { status: 500 });
    const hydraDown = await invoke(
      loginGet,
      event({ path: '/login', query: `login_challenge=${value}` }),
    );
    hydra().failures.delete(value);
    table().fault = () => throughputExceeded();
    const throttled = await invoke(
      loginPost,
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
