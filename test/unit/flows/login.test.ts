import { freshSignInUrl } from '../../../shared/flows/fresh-sign-in';
import {
  INVALID_CREDENTIALS,
  startLogin,
  submitLogin,
  type BrowserSession,
  type LoginDeps,
  type LoginOutcome,
  type LoginSubmission,
} from '../../../shared/flows/login';
import type { AcceptOAuth2LoginRequest, RejectOAuth2Request } from '@ory/hydra-client';
import { ChallengeNotFoundError } from '../../../shared/hydra/errors';
import { MAX_IDENTIFIER_LENGTH } from '../../../shared/users/identifier';
import { TableUnavailableError } from '../../../shared/users/table';
import {
  createLoginThrottle,
  type KnownDevice,
  type ThrottleSettings,
} from '../../../shared/throttle/throttle';
import { createIdentifierTags } from '../../../shared/users/tags';
import {
  FakeHydra,
  FakePasswordHasher,
  HYDRA_PUBLIC,
  InMemoryCounters,
  InMemoryFactorStore,
  InMemoryLoginSessions,
  InMemoryUserStore,
} from '../support/fakes';
import { captureLogs } from '../support/logs';
import { loginRequest } from '../support/payloads';

const CHALLENGE = 'login-challenge-1';
const SKIP_CHALLENGE = 'login-challenge-skip';
const SESSION_ID = 'hydra-login-session-1';
const REQUEST_URL = `${HYDRA_PUBLIC}/oauth2/auth?client_id=demo-app&response_type=code&scope=openid&state=s-123`;
const PASSWORD = 'correct horse battery staple';
const REMEMBER_FOR = 7 * 24 * 3600;
const BROWSER_SESSION_MAX = 12 * 3600;
const ACR_PASSWORD = 'aal1';
const TAG_SECRET = 'unit-test-tag-secret-0123456789abcdef';
const DAY = 24 * 3600;

const logs = captureLogs();

// One clock for the flow, the throttle, the session records and the user store's stamps.
const T0 = Date.parse('2024-05-01T10:05:00Z');
beforeEach(() => {
  jest.useFakeTimers({
    now: T0,
    doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate', 'setTimeout', 'setInterval'],
  });
});
afterEach(() => {
  jest.useRealTimers();
});
const later = (seconds: number) => jest.setSystemTime(Date.now() + seconds * 1000);
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A browser that holds our session cookie of no session (none, or a forged one). */
const NO_SESSION_COOKIE: BrowserSession = { holds: () => false };
/** A browser that holds our session cookie of the session `sid`. */
const holding = (sid: string): BrowserSession => ({ holds: (asked) => asked === sid });

function setup(settings: Partial<ThrottleSettings> = {}) {
  const hydra = new FakeHydra();
  const passwords = new FakePasswordHasher();
  const users = new InMemoryUserStore(passwords);
  const counters = new InMemoryCounters();
  const loginSessions = new InMemoryLoginSessions();
  const factors = new InMemoryFactorStore();
  const tags = createIdentifierTags(TAG_SECRET);
  const throttle = createLoginThrottle(counters, {
    windowSeconds: 900,
    maxPerAccount: 5,
    maxPerIp: 100,
    maxPerAccountTotal: 50,
    ...settings,
  });
  const deps: LoginDeps = {
    hydra,
    users,
    passwords,
    throttle,
    loginSessions,
    factors,
    tags,
    rememberForSeconds: REMEMBER_FOR,
    browserSessionMaxSeconds: BROWSER_SESSION_MAX,
    acrLevels: { password: ACR_PASSWORD, secondFactor: 'aal2' },
    accessTokenClaims: ['roles'],
  };
  hydra.loginRequests.set(
    CHALLENGE,
    loginRequest({ challenge: CHALLENGE, session_id: SESSION_ID, request_url: REQUEST_URL }),
  );
  const alice = users.add({
    email: 'alice@example.com',
    password: PASSWORD,
    profile: { name: 'Alice Liddell', roles: ['admin'] },
  });
  return { hydra, passwords, users, counters, loginSessions, factors, tags, deps, alice };
}
type Context = ReturnType<typeof setup>;

function submission(overrides: Partial<LoginSubmission> = {}): LoginSubmission {
  return {
    action: 'login',
    identifier: 'alice@example.com',
    password: PASSWORD,
    remember: false,
    sourceIp: '203.0.113.7',
    device: undefined,
    ...overrides,
  };
}

function acceptBody(hydra: FakeHydra): AcceptOAuth2LoginRequest {
  const decision = hydra.only('login');
  if (decision.decision !== 'accept' || !('body' in decision)) {
    throw new Error(`expected an accept, got ${JSON.stringify(decision)}`);
  }
  return decision.body as AcceptOAuth2LoginRequest;
}

function rejectBody(hydra: FakeHydra): RejectOAuth2Request {
  const decision = hydra.only('login');
  if (decision.decision !== 'reject' || !('body' in decision)) {
    throw new Error(`expected a reject, got ${JSON.stringify(decision)}`);
  }
  return decision.body;
}

function audits(event: string): Record<string, unknown>[] {
  return logs.entries().filter((entry) => entry.message === 'audit' && entry.event === event);
}

describe('GET /login (startLogin)', () => {
  describe('when Hydra remembers the user (skip)', () => {
    /** Hydra's skip request for the remembered session, as it comes back later. */
    function remembered(
      { hydra }: Context,
      subject: string,
      overrides: Parameters<typeof loginRequest>[0] = {},
    ) {
      hydra.loginRequests.set(
        SKIP_CHALLENGE,
        loginRequest({
          challenge: SKIP_CHALLENGE,
          skip: true,
          subject,
          session_id: SESSION_ID,
          request_url: REQUEST_URL,
          ...overrides,
        }),
      );
    }

    /** A sign-in with "keep me signed in": Hydra remembers it as SESSION_ID. */
    async function signInRemembered(
      context: Context,
      identifier = 'alice@example.com',
      remember = true,
    ) {
      const outcome = await submitLogin(
        context.deps,
        CHALLENGE,
        submission({ identifier, remember }),
      );
      expect(outcome.kind).toBe('redirect');
      context.hydra.decisions.length = 0;
    }

    /** A sign-in without "keep me signed in": SESSION_ID, bound to the browser session. */
    const signInForTheBrowserSession = (context: Context) =>
      signInRemembered(context, 'alice@example.com', false);

    /** The outcome is Hydra's own authorization request again, with prompt=login added. */
    function expectFreshSignIn(outcome: LoginOutcome, requestUrl = REQUEST_URL) {
      if (outcome.kind !== 'redirect') throw new Error(`expected a redirect, got ${outcome.kind}`);
      const to = new URL(outcome.to);
      const from = new URL(requestUrl);
      expect(`${to.origin}${to.pathname}`).toBe(`${from.origin}${from.pathname}`);
      expect(Object.fromEntries(to.searchParams)).toEqual({
        ...Object.fromEntries(from.searchParams),
        prompt: 'login',
      });
    }

    it('accepts a remembered login as remembered, with the same subject and context', async () => {
      const context = setup();
      await signInRemembered(context);
      later(3600);
      remembered(context, context.alice.id);

      const outcome = await startLogin(context.deps, SKIP_CHALLENGE, NO_SESSION_COOKIE);

      expect(outcome).toEqual({
        kind: 'redirect',
        to: `${HYDRA_PUBLIC}/oauth2/auth?login_verifier=accept-${SKIP_CHALLENGE}`,
      });
      const body = acceptBody(context.hydra);
      expect(body.subject).toBe(context.alice.id);
      expect(body.remember).toBe(true);
      expect(body.context).toMatchObject({
        v: 1,
        claims: { email: 'alice@example.com', name: 'Alice Liddell' },
        accessTokenClaims: { roles: ['admin'] },
      });
      expect(context.hydra.revokedSubjects).toEqual([]);
    });

    it('accepts a remembered login that began after the user’s sessions were last ended', async () => {
      const context = setup();
      await context.users.revokeSessions(context.alice.id);
      later(60);
      await signInRemembered(context);
      later(60);
      remembered(context, context.alice.id);

      await startLogin(context.deps, SKIP_CHALLENGE, NO_SESSION_COOKIE);

      expect(acceptBody(context.hydra)).toMatchObject({
        subject: context.alice.id,
        remember: true,
      });
    });

    it('accepts a remembered login with the methods and level it was established by', async () => {
      const context = setup();
      await signInRemembered(context);
      later(3600);
      remembered(context, context.alice.id);

      await startLogin(context.deps, SKIP_CHALLENGE, NO_SESSION_COOKIE);

      expect(acceptBody(context.hydra)).toMatchObject({ amr: ['pwd'], acr: ACR_PASSWORD });
    });

    it('restarts a remembered login we hold no record of (from before sessions were recorded), even for a user whose sessions were never ended', async () => {
      const context = setup();
      remembered(context, context.alice.id, { session_id: 'session-from-before-the-records' });

      const outcome = await startLogin(context.deps, SKIP_CHALLENGE, NO_SESSION_COOKIE);

      expectFreshSignIn(outcome);
      expect(context.hydra.decisions).toEqual([]);
      expect(audits('login.skip_rejected')).toEqual([
        expect.objectContaining({ subject: context.alice.id, reason: 'unrecorded' }),
      ]);
    });

    describe('a sign-in without "keep me signed in" (bound to the browser session)', () => {
      it('is accepted silently while the browser holds the session cookie of that session', async () => {
        const context = setup();
        await signInForTheBrowserSession(context);
        later(3600);
        remembered(context, context.alice.id);

        await startLogin(context.deps, SKIP_CHALLENGE, holding(SESSION_ID));

        expect(acceptBody(context.hydra)).toMatchObject({
          subject: context.alice.id,
          remember: true,
          amr: ['pwd'],
          acr: ACR_PASSWORD,
        });
      });

      it('restarts with prompt=login once the browser closed (no session cookie)', async () => {
        const context = setup();
        await signInForTheBrowserSession(context);
        remembered(context, context.alice.id);

        const outcome = await startLogin(context.deps, SKIP_CHALLENGE, NO_SESSION_COOKIE);

        expectFreshSignIn(outcome);
        expect(context.hydra.decisions).toEqual([]);
        expect(audits('login.skip_rejected')).toEqual([
          expect.objectContaining({ subject: context.alice.id, reason: 'browser-closed' }),
        ]);
      });

      it('does not count with the session cookie of another session', async () => {
        const context = setup();
        await signInForTheBrowserSession(context);
        remembered(context, context.alice.id);

        expectFreshSignIn(
          await startLogin(context.deps, SKIP_CHALLENGE, holding('another-hydra-session')),
        );
      });

      it('answers login_required to prompt=none once the browser closed', async () => {
        const context = setup();
        await signInForTheBrowserSession(context);
        remembered(context, context.alice.id, { request_url: `${REQUEST_URL}&prompt=none` });

        await startLogin(context.deps, SKIP_CHALLENGE, NO_SESSION_COOKIE);

        expect(rejectBody(context.hydra).error).toBe('login_required');
      });

      it('ends after LOGIN_BROWSER_SESSION_MAX even while the browser stays open', async () => {
        const context = setup();
        await signInForTheBrowserSession(context);
        later(BROWSER_SESSION_MAX);
        remembered(context, context.alice.id);

        expectFreshSignIn(await startLogin(context.deps, SKIP_CHALLENGE, holding(SESSION_ID)));
      });

      it('is still refused for a disabled user while the browser holds its cookie', async () => {
        const context = setup();
        await signInForTheBrowserSession(context);
        await context.users.setEnabled(context.alice.id, false);
        remembered(context, context.alice.id);

        expectFreshSignIn(await startLogin(context.deps, SKIP_CHALLENGE, holding(SESSION_ID)));
        expect(audits('login.skip_rejected')).toEqual([
          expect.objectContaining({ reason: 'disabled' }),
        ]);
      });
    });

    it('a remembered login of a user whose password changed after it began restarts the sign-in with prompt=login', async () => {
      const context = setup();
      await signInRemembered(context);
      later(60);
      await context.users.setPassword(context.alice.id, 'a brand new passphrase');
      remembered(context, context.alice.id);

      const outcome = await startLogin(context.deps, SKIP_CHALLENGE, NO_SESSION_COOKIE);

      expectFreshSignIn(outcome);
      expect(context.hydra.decisions).toEqual([]);
      expect(context.hydra.revokedSubjects).toEqual([]);
      expect(audits('login.skip_rejected')).toEqual([
        expect.objectContaining({ subject: context.alice.id, reason: 'revoked' }),
      ]);
    });

    it('restarts a remembered login whose sessions were revoked after it began', async () => {
      const context = setup();
      await signInRemembered(context);
      later(60);
      await context.users.revokeSessions(context.alice.id);
      remembered(context, context.alice.id);

      expectFreshSignIn(await startLogin(context.deps, SKIP_CHALLENGE, NO_SESSION_COOKIE));
      expect(context.hydra.decisions).toEqual([]);
    });

    it('restarts a remembered login that began in the very second the sessions were ended', async () => {
      const context = setup();
      await context.users.revokeSessions(context.alice.id);
      later(0.5);
      await signInRemembered(context);
      remembered(context, context.alice.id);

      expectFreshSignIn(await startLogin(context.deps, SKIP_CHALLENGE, NO_SESSION_COOKIE));
    });

    it('a remembered login is never accepted for a disabled user, and no Hydra session is deleted', async () => {
      const context = setup();
      await context.users.setEnabled(context.alice.id, false);
      // Even a session begun after the user was disabled (its start is on record).
      later(60);
      await context.loginSessions.record(
        SESSION_ID,
        {
          subject: context.alice.id,
          authenticatedAtSeconds: nowSeconds(),
          amr: ['pwd'],
          browserBound: false,
        },
        nowSeconds() + DAY,
      );
      remembered(context, context.alice.id);

      const outcome = await startLogin(context.deps, SKIP_CHALLENGE, NO_SESSION_COOKIE);

      expectFreshSignIn(outcome);
      expect(context.hydra.decisions).toEqual([]);
      expect(context.hydra.revokedSubjects).toEqual([]);
      expect(audits('login.skip_rejected')).toEqual([
        expect.objectContaining({ subject: context.alice.id, reason: 'disabled' }),
      ]);
    });

    it('restarts a remembered login of a deleted user', async () => {
      const context = setup();
      await signInRemembered(context);
      await context.users.delete(context.alice.id);
      remembered(context, context.alice.id);

      expectFreshSignIn(await startLogin(context.deps, SKIP_CHALLENGE, NO_SESSION_COOKIE));
      expect(context.hydra.decisions).toEqual([]);
      expect(audits('login.skip_rejected')).toEqual([
        expect.objectContaining({ reason: 'deleted' }),
      ]);
    });

    it('restarts a remembered login whose start was never recorded, once the user’s sessions were ended', async () => {
      const context = setup();
      await context.users.revokeSessions(context.alice.id);
      later(60);
      remembered(context, context.alice.id, { session_id: 'session-from-before-the-records' });

      expectFreshSignIn(await startLogin(context.deps, SKIP_CHALLENGE, NO_SESSION_COOKIE));
    });

    it('does not take the recorded start of another subject’s session', async () => {
      const context = setup();
      const bob = context.users.add({ email: 'bob@example.com', password: PASSWORD });
      await context.users.revokeSessions(context.alice.id);
      later(60);
      // Bob signs in later, and his session is on record under the id Hydra now names for Alice.
      await signInRemembered(context, 'bob@example.com');
      expect(await context.loginSessions.find(SESSION_ID)).toMatchObject({ subject: bob.id });
      remembered(context, context.alice.id);

      expectFreshSignIn(await startLogin(context.deps, SKIP_CHALLENGE, NO_SESSION_COOKIE));
    });

    it('restarts a remembered login whose record expired', async () => {
      const context = setup();
      await signInRemembered(context);
      later(REMEMBER_FOR);
      remembered(context, context.alice.id);

      expectFreshSignIn(await startLogin(context.deps, SKIP_CHALLENGE, NO_SESSION_COOKIE));
    });

    it('keeps the prompt values the client asked for when it restarts', async () => {
      const context = setup();
      await context.users.setEnabled(context.alice.id, false);
      const requestUrl = `${REQUEST_URL}&prompt=consent`;
      remembered(context, context.alice.id, { request_url: requestUrl });

      const outcome = await startLogin(context.deps, SKIP_CHALLENGE, NO_SESSION_COOKIE);

      expect(outcome.kind === 'redirect' && new URL(outcome.to).searchParams.get('prompt')).toBe(
        'consent login',
      );
    });

    it.each([
      ['the client asked for no interaction (prompt=none)', `${REQUEST_URL}&prompt=none`],
      ['Hydra gave no request URL', undefined],
      ['the request URL is not a URL', 'not a url'],
      ['the request URL is not http(s)', 'javascript:alert(1)'],
    ])(
      'rejects a refused remembered login with login_required when %s',
      async (_name, requestUrl) => {
        const context = setup();
        await context.users.setEnabled(context.alice.id, false);
        remembered(context, context.alice.id, { request_url: requestUrl as string });

        const outcome = await startLogin(context.deps, SKIP_CHALLENGE, NO_SESSION_COOKIE);

        expect(outcome).toEqual({
          kind: 'redirect',
          to: `${HYDRA_PUBLIC}/oauth2/auth?login_verifier=reject-${SKIP_CHALLENGE}`,
        });
        expect(rejectBody(context.hydra).error).toBe('login_required');
        expect(context.hydra.revokedSubjects).toEqual([]);
      },
    );
  });

  describe('when the user must sign in', () => {
    it('shows the form, naming the client, and decides nothing', async () => {
      const { hydra, deps } = setup();

      const outcome = await startLogin(deps, CHALLENGE, NO_SESSION_COOKIE);

      expect(outcome).toMatchObject({
        kind: 'show',
        view: { client: { name: 'Demo App' }, identifier: '', remember: false },
      });
      expect(hydra.decisions).toEqual([]);
    });

    it('prefills the form from the login_hint', async () => {
      const { hydra, deps } = setup();
      hydra.loginRequests.set(
        CHALLENGE,
        loginRequest({ oidc_context: { login_hint: 'bob@example.com' } }),
      );

      const outcome = await startLogin(deps, CHALLENGE, NO_SESSION_COOKIE);

      expect(outcome).toMatchObject({ kind: 'show', view: { identifier: 'bob@example.com' } });
    });

    it('drops an over-long login_hint instead of prefilling it', async () => {
      const { hydra, deps } = setup();
      const hint = `${'b'.repeat(MAX_IDENTIFIER_LENGTH - 12)}@example.com!`;
      expect(hint.length).toBe(MAX_IDENTIFIER_LENGTH + 1);
      hydra.loginRequests.set(CHALLENGE, loginRequest({ oidc_context: { login_hint: hint } }));

      const outcome = await startLogin(deps, CHALLENGE, NO_SESSION_COOKIE);

      expect(outcome).toMatchObject({ kind: 'show', view: { identifier: '' } });
    });
  });
});

describe('freshSignInUrl (where a refused remembered login starts again)', () => {
  const params = (url: string | undefined) => Object.fromEntries(new URL(url ?? '').searchParams);

  it('is the authorization request with prompt=login added, every other parameter kept', () => {
    const url = freshSignInUrl(REQUEST_URL);

    expect(url?.startsWith(`${HYDRA_PUBLIC}/oauth2/auth?`)).toBe(true);
    expect(params(url)).toEqual({ ...params(REQUEST_URL), prompt: 'login' });
  });

  it('adds login to the prompt values already there, once', () => {
    expect(params(freshSignInUrl(`${REQUEST_URL}&prompt=consent`)).prompt).toBe('consent login');
    expect(params(freshSignInUrl(`${REQUEST_URL}&prompt=login`)).prompt).toBe('login');
    expect(params(freshSignInUrl(`${REQUEST_URL}&prompt=`)).prompt).toBe('login');
  });

  it('works for a local http Hydra too', () => {
    expect(freshSignInUrl('http://127.0.0.1:4444/oauth2/auth?client_id=a')).toBe(
      'http://127.0.0.1:4444/oauth2/auth?client_id=a&prompt=login',
    );
  });

  it.each([
    ['prompt=none', `${REQUEST_URL}&prompt=none`],
    ['prompt=none among others', `${REQUEST_URL}&prompt=${encodeURIComponent('consent none')}`],
    ['no URL', undefined],
    ['an empty URL', ''],
    ['something that is not a URL', '/oauth2/auth?client_id=a'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a data: URL', 'data:text/html,hello'],
  ])('is undefined for %s', (_name, url) => {
    expect(freshSignInUrl(url)).toBeUndefined();
  });
});

describe('POST /login (submitLogin)', () => {
  it('accepts with the user id as subject (never the email) and amr pwd', async () => {
    const { hydra, deps, alice } = setup();

    const outcome = await submitLogin(deps, CHALLENGE, submission());

    expect(outcome).toMatchObject({
      kind: 'redirect',
      to: `${HYDRA_PUBLIC}/oauth2/auth?login_verifier=accept-${CHALLENGE}`,
    });
    const body = acceptBody(hydra);
    expect(body.subject).toBe(alice.id);
    expect(body.subject).not.toContain('@');
    expect(body.amr).toEqual(['pwd']);
    expect(body.context).toMatchObject({
      v: 1,
      claims: { email: 'alice@example.com' },
      accessTokenClaims: { roles: ['admin'] },
    });
  });

  it('says how the user signed in: amr pwd, and the lowest level as acr', async () => {
    const { hydra, deps } = setup();

    await submitLogin(deps, CHALLENGE, submission());

    expect(acceptBody(hydra)).toMatchObject({ amr: ['pwd'], acr: ACR_PASSWORD });
  });

  it('names the level as configured', async () => {
    const { hydra, deps } = setup();

    await submitLogin(
      { ...deps, acrLevels: { password: 'urn:example:password', secondFactor: 'aal2' } },
      CHALLENGE,
      submission(),
    );

    expect(acceptBody(hydra).acr).toBe('urn:example:password');
  });

  it('answers with the level it reached whatever acr_values the client asked for (they are voluntary)', async () => {
    const { hydra, deps } = setup();
    hydra.loginRequests.set(
      CHALLENGE,
      loginRequest({
        challenge: CHALLENGE,
        session_id: SESSION_ID,
        oidc_context: { acr_values: ['aal3', 'urn:example:hardware-key'] },
      }),
    );

    const outcome = await submitLogin(deps, CHALLENGE, submission());

    expect(outcome.kind).toBe('redirect');
    expect(acceptBody(hydra).acr).toBe(ACR_PASSWORD);
  });

  it('remembers a ticked sign-in for LOGIN_REMEMBER_FOR, with no session cookie', async () => {
    const { hydra, deps } = setup();

    const outcome = await submitLogin(deps, CHALLENGE, submission({ remember: true }));

    expect(acceptBody(hydra)).toMatchObject({ remember: true, remember_for: REMEMBER_FOR });
    expect(outcome).not.toHaveProperty('browserSession');
  });

  it('keeps an unticked sign-in as a session of at most LOGIN_BROWSER_SESSION_MAX, bound to the browser session by its cookie', async () => {
    const { hydra, deps } = setup();

    const outcome = await submitLogin(deps, CHALLENGE, submission({ remember: false }));

    // Never remember_for 0: a browser session on Hydra v2, 30 days on v25.4+.
    expect(acceptBody(hydra)).toMatchObject({ remember: true, remember_for: BROWSER_SESSION_MAX });
    expect(outcome).toMatchObject({ kind: 'redirect', browserSession: SESSION_ID });
  });

  it('remembers nothing when Hydra names no session', async () => {
    const { hydra, deps, loginSessions } = setup();
    hydra.loginRequests.set(CHALLENGE, loginRequest({ challenge: CHALLENGE, session_id: '' }));

    const outcome = await submitLogin(deps, CHALLENGE, submission({ remember: false }));

    expect(acceptBody(hydra).remember).toBe(false);
    expect(outcome).not.toHaveProperty('browserSession');
    expect(loginSessions.sessions.size).toBe(0);
  });

  it('signs in a user with the longest email typed with spaces around it (its length counts trimmed)', async () => {
    const { hydra, deps, users } = setup();
    const email = `${'l'.repeat(MAX_IDENTIFIER_LENGTH - '@example.com'.length)}@example.com`;
    const longest = users.add({ email, password: PASSWORD });

    await submitLogin(deps, CHALLENGE, submission({ identifier: `  ${email} ` }));

    expect(acceptBody(hydra).subject).toBe(longest.id);
  });

  it('finds the user whatever the case and surrounding spaces of the email, normalized once', async () => {
    const { hydra, deps, alice } = setup();
    const lookups = jest.spyOn(deps.users, 'findByIdentifier');

    await submitLogin(deps, CHALLENGE, submission({ identifier: '  Alice@Example.COM ' }));

    expect(acceptBody(hydra).subject).toBe(alice.id);
    // The store looks up what it is given (InMemoryUserStore, like DynamoUserStore).
    expect(lookups.mock.calls).toEqual([[alice.email]]);
  });

  describe('recording how the session was established', () => {
    it('records the session Hydra will remember, before Hydra is told to accept it', async () => {
      const { hydra, deps, loginSessions, alice } = setup();
      const accept = hydra.acceptLoginRequest.bind(hydra);
      let onRecordAtAccept: unknown;
      jest.spyOn(hydra, 'acceptLoginRequest').mockImplementation(async (challenge, body) => {
        onRecordAtAccept = await loginSessions.find(SESSION_ID);
        return accept(challenge, body);
      });
      const signedInAt = nowSeconds();

      await submitLogin(deps, CHALLENGE, submission({ remember: true }));

      const expected = {
        subject: alice.id,
        authenticatedAtSeconds: signedInAt,
        amr: ['pwd'],
        browserBound: false,
      };
      expect(onRecordAtAccept).toEqual(expected);
      const record = loginSessions.sessions.get(SESSION_ID);
      expect(record?.session).toEqual(expected);
      // It counts as long as Hydra remembers the session, not a second longer.
      expect(record?.expiresAtSeconds).toBe(signedInAt + REMEMBER_FOR);
    });

    it('records an unticked sign-in as bound to the browser session, for LOGIN_BROWSER_SESSION_MAX', async () => {
      const { deps, loginSessions, alice } = setup();
      const signedInAt = nowSeconds();

      await submitLogin(deps, CHALLENGE, submission({ remember: false }));

      expect(loginSessions.sessions.get(SESSION_ID)).toEqual({
        session: {
          subject: alice.id,
          authenticatedAtSeconds: signedInAt,
          amr: ['pwd'],
          browserBound: true,
        },
        expiresAtSeconds: signedInAt + BROWSER_SESSION_MAX,
      });
    });

    it('records nothing when the sign-in fails', async () => {
      const { deps, loginSessions } = setup();

      await submitLogin(deps, CHALLENGE, submission({ remember: true, password: 'wrong' }));
      await submitLogin(deps, CHALLENGE, submission({ remember: false, password: 'wrong' }));

      expect(loginSessions.sessions.size).toBe(0);
    });

    it('accepts nothing when the record cannot be written (fail closed)', async () => {
      const { hydra, deps, loginSessions } = setup();
      const unavailable = new TableUnavailableError(new Error('throttled'));
      jest.spyOn(loginSessions, 'record').mockRejectedValue(unavailable);

      await expect(submitLogin(deps, CHALLENGE, submission({ remember: true }))).rejects.toBe(
        unavailable,
      );
      expect(hydra.decisions).toEqual([]);
    });
  });

  describe('the device cookie', () => {
    it('names a browser that signs in for the first time as a new device of this account', async () => {
      const { deps, tags } = setup();

      const outcome = await submitLogin(deps, CHALLENGE, submission());

      expect(outcome).toMatchObject({
        kind: 'redirect',
        device: {
          id: expect.stringMatching(/^[\w-]{22}$/),
          accounts: [tags.account('alice@example.com')],
        },
      });
    });

    it('keeps the id of a known browser and puts this account first', async () => {
      const { deps, tags } = setup();
      const device: KnownDevice = {
        id: 'known-device-id-000001',
        accounts: [tags.account('bob@example.com')],
      };

      const outcome = await submitLogin(
        deps,
        CHALLENGE,
        submission({ identifier: ' Alice@Example.com', device }),
      );

      expect(outcome).toMatchObject({
        device: {
          id: device.id,
          accounts: [tags.account('alice@example.com'), ...device.accounts],
        },
      });
    });

    it('is given for no failed sign-in', async () => {
      const { deps } = setup();

      const outcome = await submitLogin(deps, CHALLENGE, submission({ password: 'wrong' }));

      expect(outcome).not.toHaveProperty('device');
    });
  });

  describe('refusing credentials without saying which part was wrong', () => {
    async function failedAttempt(
      prepare: (context: Context) => Promise<void> | void,
      overrides: Partial<LoginSubmission>,
    ) {
      const context = setup();
      await prepare(context);
      const outcome = await submitLogin(context.deps, CHALLENGE, submission(overrides));
      return { ...context, outcome };
    }

    const cases = {
      'a wrong password': () => failedAttempt(() => {}, { password: 'wrong password' }),
      'an unknown user': () => failedAttempt(() => {}, { identifier: 'nobody@example.com' }),
      'a disabled user with the right password': () =>
        failedAttempt(async ({ users, alice }) => {
          await users.setEnabled(alice.id, false);
        }, {}),
    };

    it.each(Object.keys(cases) as (keyof typeof cases)[])(
      'answers %s with the generic 401 form and nothing sent to Hydra',
      async (name) => {
        const { hydra, outcome } = await cases[name]();

        expect(outcome).toMatchObject({
          kind: 'refused',
          refusal: { reason: 'wrong-credentials' },
          view: {
            error: INVALID_CREDENTIALS,
            invalidCredentials: true,
            client: { name: 'Demo App' },
          },
        });
        expect(hydra.decisions).toEqual([]);
      },
    );

    it('gives the very same view for a wrong password, an unknown user and a disabled user', async () => {
      const identifier = 'alice@example.com';
      const wrong = await cases['a wrong password']();
      const unknown = await failedAttempt(({ users, alice }) => {
        users.users.delete(alice.id);
      }, {});
      const disabled = await cases['a disabled user with the right password']();

      expect(unknown.outcome).toEqual(wrong.outcome);
      expect(disabled.outcome).toEqual(wrong.outcome);
      expect(wrong.outcome).toMatchObject({ view: { identifier } });
    });

    it('spends a dummy password verification on an unknown user', async () => {
      const { passwords } = await cases['an unknown user']();

      expect(passwords.dummyCalls).toBe(1);
      expect(passwords.verifyCalls).toBe(0);
    });

    it('verifies the password of a disabled user in full before refusing', async () => {
      const { passwords } = await cases['a disabled user with the right password']();

      expect(passwords.verifyCalls).toBe(1);
      expect(passwords.dummyCalls).toBe(0);
    });

    it('keeps the languages the application asked for (ui_locales) on the form shown again', async () => {
      const { outcome } = await failedAttempt(
        ({ hydra }) => {
          hydra.loginRequests.set(
            CHALLENGE,
            loginRequest({ challenge: CHALLENGE, oidc_context: { ui_locales: ['de'] } }),
          );
        },
        { password: 'wrong password' },
      );

      expect(outcome).toMatchObject({ kind: 'refused', view: { uiLocales: ['de'] } });
    });

    it('refuses an over-long password without looking it up, at the cost of a dummy verify', async () => {
      const { hydra, passwords, outcome } = await failedAttempt(() => {}, {
        password: 'x'.repeat(257),
      });

      expect(outcome).toMatchObject({
        refusal: { reason: 'wrong-credentials' },
        view: { error: INVALID_CREDENTIALS },
      });
      expect(passwords.verifyCalls).toBe(0);
      expect(passwords.dummyCalls).toBe(1);
      expect(hydra.decisions).toEqual([]);
    });

    it('refuses an over-long identifier and keeps only its first characters on the page', async () => {
      const identifier = `${'a'.repeat(300)}@example.com`;
      const { outcome, passwords } = await failedAttempt(() => {}, { identifier });

      expect(outcome).toMatchObject({
        refusal: { reason: 'wrong-credentials' },
        view: { error: INVALID_CREDENTIALS },
      });
      expect(outcome.kind === 'refused' && outcome.view.identifier.length).toBe(
        MAX_IDENTIFIER_LENGTH,
      );
      expect(passwords.dummyCalls).toBe(1);
    });

    it('judges the identifier’s length as it is looked up: normalized', async () => {
      // Longer than the maximum as NFKC spells it out (U+FDFA is 18 characters), not as typed.
      const grows = `${'\u{FDFA}'.repeat(14)}@example.com`;
      expect(grows.length).toBeLessThanOrEqual(MAX_IDENTIFIER_LENGTH);
      const lookups: string[] = [];
      const { outcome, passwords } = await failedAttempt(
        ({ users }) => {
          jest.spyOn(users, 'findByIdentifier').mockImplementation(async (identifier) => {
            lookups.push(identifier);
            return undefined;
          });
        },
        { identifier: grows },
      );

      expect(outcome).toMatchObject({
        refusal: { reason: 'wrong-credentials' },
        view: { error: INVALID_CREDENTIALS },
      });
      expect(lookups).toEqual([]);
      expect(passwords.dummyCalls).toBe(1);
    });

    it('refuses an empty identifier', async () => {
      const { outcome, hydra } = await failedAttempt(() => {}, { identifier: '   ' });

      expect(outcome).toMatchObject({
        refusal: { reason: 'wrong-credentials' },
        view: { error: INVALID_CREDENTIALS },
      });
      expect(hydra.decisions).toEqual([]);
    });
  });

  it('rejects with access_denied when the user cancels, without any password work', async () => {
    const { hydra, passwords, counters, deps } = setup();

    const outcome = await submitLogin(deps, CHALLENGE, submission({ action: 'cancel' }));

    expect(outcome).toEqual({
      kind: 'redirect',
      to: `${HYDRA_PUBLIC}/oauth2/auth?login_verifier=reject-${CHALLENGE}`,
    });
    expect(rejectBody(hydra).error).toBe('access_denied');
    expect(passwords.work).toBe(0);
    expect(counters.counts.size).toBe(0);
  });

  it('a form whose challenge Hydra no longer knows moves no counter', async () => {
    const { hydra, passwords, counters, deps } = setup();
    hydra.loginRequests.delete(CHALLENGE);

    await expect(submitLogin(deps, CHALLENGE, submission())).rejects.toBeInstanceOf(
      ChallengeNotFoundError,
    );
    await expect(
      submitLogin(deps, CHALLENGE, submission({ password: 'wrong' })),
    ).rejects.toBeInstanceOf(ChallengeNotFoundError);

    expect(counters.counts.size).toBe(0);
    expect(passwords.work).toBe(0);
    expect(hydra.decisions).toEqual([]);
  });

  describe('throttling', () => {
    const from = (sourceIp: string, overrides: Partial<LoginSubmission> = {}) =>
      submission({ sourceIp, ...overrides });

    async function fail(deps: LoginDeps, times: number, overrides: Partial<LoginSubmission>) {
      const outcomes: LoginOutcome[] = [];
      for (let i = 0; i < times; i++) {
        outcomes.push(
          await submitLogin(deps, CHALLENGE, submission({ password: `wrong ${i}`, ...overrides })),
        );
      }
      return outcomes;
    }

    it('answers 429 with retry-after and does no password work once over the account limit', async () => {
      const { hydra, passwords, deps } = setup({ maxPerAccount: 2 });
      await fail(deps, 2, {});
      const workBefore = passwords.work;

      const outcome = await submitLogin(deps, CHALLENGE, submission());

      // The clock is at 10:05 in a 15-minute window that started at 10:00: 600 s are left.
      expect(outcome).toMatchObject({
        kind: 'refused',
        refusal: { reason: 'throttled', retryAfterSeconds: 600 },
        view: {
          error: { key: 'page.signIn.throttled', count: 10 },
          invalidCredentials: false,
          client: { name: 'Demo App' },
          identifier: 'alice@example.com',
        },
      });
      expect(passwords.work).toBe(workBefore);
      expect(hydra.decisions).toEqual([]);
      expect(audits('login.throttled')).toEqual([
        expect.objectContaining({ limitedBy: 'account', client: 'demo-app' }),
      ]);
    });

    it("an attacker's failures from another address never refuse the victim's correct password", async () => {
      const { hydra, deps, alice } = setup({ maxPerAccount: 10 });
      const attacker = await fail(deps, 11, { sourceIp: '198.51.100.66' });
      expect(attacker.at(-1)).toMatchObject({ refusal: { reason: 'throttled' } });

      const victim = await submitLogin(deps, CHALLENGE, from('203.0.113.7'));

      expect(victim.kind).toBe('redirect');
      expect(acceptBody(hydra).subject).toBe(alice.id);
    });

    it('a known device signs in even when the account-wide ceiling is reached', async () => {
      const { hydra, deps, tags, alice } = setup({ maxPerAccount: 2, maxPerAccountTotal: 4 });
      for (const ip of ['192.0.2.1', '192.0.2.2']) await fail(deps, 2, { sourceIp: ip });
      const newDevice = await submitLogin(deps, CHALLENGE, from('203.0.113.7'));
      expect(newDevice).toMatchObject({ refusal: { reason: 'throttled' } });

      const device: KnownDevice = {
        id: 'alices-laptop-00000001',
        accounts: [tags.account('alice@example.com')],
      };
      const known = await submitLogin(deps, CHALLENGE, from('203.0.113.7', { device }));

      expect(known).toMatchObject({ kind: 'redirect', device: { id: device.id } });
      expect(acceptBody(hydra).subject).toBe(alice.id);
    });

    it('a device cookie of other accounts earns no allowance for this one', async () => {
      const { deps, tags } = setup({ maxPerAccount: 2, maxPerAccountTotal: 4 });
      for (const ip of ['192.0.2.1', '192.0.2.2']) await fail(deps, 2, { sourceIp: ip });

      const device: KnownDevice = {
        id: 'bobs-laptop-0000000001',
        accounts: [tags.account('bob@example.com')],
      };
      const outcome = await submitLogin(deps, CHALLENGE, from('203.0.113.7', { device }));

      expect(outcome).toMatchObject({ refusal: { reason: 'throttled' } });
      expect(audits('login.throttled').at(-1)).toMatchObject({ limitedBy: 'account-total' });
    });

    it('throttles per source IP across different accounts', async () => {
      const { hydra, passwords, deps } = setup({ maxPerIp: 2 });
      await submitLogin(deps, CHALLENGE, submission({ identifier: 'one@example.com' }));
      await submitLogin(deps, CHALLENGE, submission({ identifier: 'two@example.com' }));
      const workBefore = passwords.work;

      const outcome = await submitLogin(deps, CHALLENGE, submission());

      expect(outcome).toMatchObject({ refusal: { reason: 'throttled' } });
      expect(passwords.work).toBe(workBefore);
      expect(hydra.decisions).toEqual([]);
    });

    it('counts an unknown account the same as a known one, however it is typed', async () => {
      const { deps } = setup({ maxPerAccount: 1 });
      await submitLogin(deps, CHALLENGE, submission({ identifier: 'ghost@example.com' }));

      const outcome = await submitLogin(
        deps,
        CHALLENGE,
        submission({ identifier: ' Ghost@Example.com' }),
      );

      expect(outcome).toMatchObject({ refusal: { reason: 'throttled' } });
    });

    it('keys the counters on a keyed tag of the account, never the email', async () => {
      const { counters, deps, tags } = setup();

      await fail(deps, 1, {});

      const keys = [...counters.counts.keys()];
      expect(keys.join(' ')).not.toMatch(/alice|example/i);
      expect(keys.filter((key) => key.includes(tags.account('alice@example.com')))).toHaveLength(2);
    });

    it('clears the counter of the source that signed in, and gives its attempt back', async () => {
      const { counters, deps } = setup({ maxPerAccount: 2 });
      await fail(deps, 1, {});
      expect(counters.countOf('source')).toBe(1);

      await submitLogin(deps, CHALLENGE, submission());

      expect(counters.countOf('source')).toBe(0);
      // The failure stays counted in the shared counters; the success does not.
      expect(counters.countOf('ip')).toBe(1);
      expect(counters.countOf('account')).toBe(1);
    });

    it('still signs the user in when the counters cannot be reset afterwards', async () => {
      const { hydra, counters, deps } = setup();
      jest.spyOn(counters, 'clear').mockRejectedValue(new Error('unavailable'));

      const outcome = await submitLogin(deps, CHALLENGE, submission());

      expect(outcome.kind).toBe('redirect');
      expect(hydra.only('login').decision).toBe('accept');
    });

    it('fails closed when the counters cannot be reached', async () => {
      const { hydra, passwords, counters, deps } = setup();
      counters.failing = new TableUnavailableError(new Error('throttled'));

      await expect(submitLogin(deps, CHALLENGE, submission())).rejects.toBeInstanceOf(
        TableUnavailableError,
      );
      expect(hydra.decisions).toEqual([]);
      expect(passwords.work).toBe(0);
    });
  });

  describe('rehashing', () => {
    it('rehashes the password when the stored hash was made with other parameters', async () => {
      const { users, deps, passwords } = setup();
      const old = users.add({ email: 'old@example.com', password: PASSWORD, hashVersion: 'v1' });
      const replace = jest.spyOn(users, 'replacePasswordHash');
      const byId = jest.spyOn(users, 'findById');

      await submitLogin(deps, CHALLENGE, submission({ identifier: 'old@example.com' }));

      // With the user the sign-in read: no second look-up.
      expect(replace.mock.calls).toEqual([[old, passwords.hashSync(PASSWORD)]]);
      expect(byId).not.toHaveBeenCalled();
      expect((await users.findById(old.id))?.passwordHash).toBe(passwords.hashSync(PASSWORD));
      expect(passwords.needsRehash((await users.findById(old.id))?.passwordHash ?? '')).toBe(false);
    });

    it('leaves a hash made with the current parameters alone', async () => {
      const { users, deps, passwords, alice } = setup();

      await submitLogin(deps, CHALLENGE, submission());

      expect(passwords.hashCalls).toBe(0);
      expect((await users.findById(alice.id))?.passwordHash).toBe(alice.passwordHash);
    });

    it('still signs the user in when the rehash cannot be stored', async () => {
      const { hydra, users, deps } = setup();
      const old = users.add({ email: 'old@example.com', password: PASSWORD, hashVersion: 'v1' });
      users.failReplace = true;

      await submitLogin(deps, CHALLENGE, submission({ identifier: 'old@example.com' }));

      expect(acceptBody(hydra).subject).toBe(old.id);
    });
  });

  describe('audit lines', () => {
    it('name the account of a failure by its keyed log tag and the client', async () => {
      const { deps, tags } = setup();

      await submitLogin(
        deps,
        CHALLENGE,
        submission({ identifier: 'Alice@Example.COM ', password: 'wrong' }),
      );
      await submitLogin(
        deps,
        CHALLENGE,
        submission({ identifier: 'nobody@example.com', password: 'wrong' }),
      );

      expect(audits('login.failure')).toEqual([
        expect.objectContaining({
          identifierTag: tags.log('alice@example.com'),
          client: 'demo-app',
        }),
        expect.objectContaining({
          identifierTag: tags.log('nobody@example.com'),
          client: 'demo-app',
        }),
      ]);
      expect(tags.log('alice@example.com')).not.toBe(tags.log('nobody@example.com'));
    });

    it('name the subject, the client and whether the device was known on a success', async () => {
      const { deps, tags, alice } = setup();
      const device: KnownDevice = {
        id: 'alices-laptop-00000001',
        accounts: [tags.account('alice@example.com')],
      };

      await submitLogin(deps, CHALLENGE, submission({ remember: true }));
      await submitLogin(deps, CHALLENGE, submission({ device }));

      expect(audits('login.success')).toEqual([
        expect.objectContaining({
          subject: alice.id,
          client: 'demo-app',
          remember: true,
          knownDevice: false,
        }),
        expect.objectContaining({
          subject: alice.id,
          client: 'demo-app',
          remember: false,
          knownDevice: true,
        }),
      ]);
    });

    it('never hold the password, the challenge or the raw email', async () => {
      const { deps } = setup({ maxPerAccount: 1 });
      await submitLogin(deps, CHALLENGE, submission({ password: 'wrong password' }));
      await submitLogin(deps, CHALLENGE, submission());
      await submitLogin(deps, CHALLENGE, submission({ sourceIp: '198.51.100.2', remember: true }));

      expect(audits('login.throttled')).toHaveLength(1);
      expect(audits('login.success')).toHaveLength(1);
      for (const line of logs.lines) {
        expect(line).not.toContain(PASSWORD);
        expect(line).not.toContain('wrong password');
        expect(line).not.toContain(CHALLENGE);
        expect(line).not.toContain('alice@example.com');
        expect(line).not.toContain(SESSION_ID);
      }
    });
  });
});
