import {
  INVALID_CREDENTIALS,
  MAX_IDENTIFIER_LENGTH,
  startLogin,
  submitLogin,
  type LoginDeps,
  type LoginSubmission,
} from '../../../shared/flows/login';
import type { AcceptOAuth2LoginRequest, RejectOAuth2Request } from '@ory/hydra-client';
import { UserStoreUnavailableError } from '../../../shared/users/types';
import { createLoginThrottle } from '../../../shared/throttle/throttle';
import {
  FakeHydra,
  FakePasswordHasher,
  HYDRA_PUBLIC,
  InMemoryCounters,
  InMemoryUserStore,
} from '../support/fakes';
import { captureLogs } from '../support/logs';
import { loginRequest } from '../support/payloads';

const CHALLENGE = 'login-challenge-1';
const PASSWORD = 'correct horse battery staple';
const REMEMBER_FOR = 7 * 24 * 3600;

const logs = captureLogs();

function setup(settings: { maxPerAccount?: number; maxPerIp?: number } = {}) {
  const hydra = new FakeHydra();
  const passwords = new FakePasswordHasher();
  const users = new InMemoryUserStore(passwords);
  const counters = new InMemoryCounters();
  const throttle = createLoginThrottle(
    counters,
    {
      windowSeconds: 900,
      maxPerAccount: settings.maxPerAccount ?? 5,
      maxPerIp: settings.maxPerIp ?? 100,
    },
    () => Date.parse('2024-05-01T10:05:00Z'),
  );
  const deps: LoginDeps = {
    hydra,
    users,
    passwords,
    throttle,
    rememberForSeconds: REMEMBER_FOR,
    accessTokenClaims: ['roles'],
  };
  hydra.loginRequests.set(CHALLENGE, loginRequest({ challenge: CHALLENGE }));
  const alice = users.add({
    email: 'alice@example.com',
    password: PASSWORD,
    profile: { name: 'Alice Liddell', roles: ['admin'] },
  });
  return { hydra, passwords, users, counters, deps, alice };
}

function submission(overrides: Partial<LoginSubmission> = {}): LoginSubmission {
  return {
    action: 'login',
    identifier: 'alice@example.com',
    password: PASSWORD,
    remember: false,
    sourceIp: '203.0.113.7',
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
  return decision.body as RejectOAuth2Request;
}

describe('GET /login (startLogin)', () => {
  describe('when Hydra remembers the user (skip)', () => {
    it('accepts a remembered session for an enabled user with the same subject and context', async () => {
      const { hydra, deps, alice } = setup();
      hydra.loginRequests.set(CHALLENGE, loginRequest({ skip: true, subject: alice.id }));

      const outcome = await startLogin(deps, CHALLENGE);

      expect(outcome).toEqual({
        kind: 'redirect',
        to: `${HYDRA_PUBLIC}/oauth2/auth?login_verifier=accept-${CHALLENGE}`,
      });
      const body = acceptBody(hydra);
      expect(body.subject).toBe(alice.id);
      expect(body.context).toMatchObject({
        v: 1,
        claims: { email: 'alice@example.com', name: 'Alice Liddell' },
        accessTokenClaims: { roles: ['admin'] },
      });
      expect(hydra.revokedSubjects).toEqual([]);
    });

    it('rejects a remembered session for a disabled user with login_required and revokes its sessions', async () => {
      const { hydra, users, deps, alice } = setup();
      await users.setEnabled(alice.id, false);
      hydra.loginRequests.set(CHALLENGE, loginRequest({ skip: true, subject: alice.id }));

      const outcome = await startLogin(deps, CHALLENGE);

      expect(outcome).toEqual({
        kind: 'redirect',
        to: `${HYDRA_PUBLIC}/oauth2/auth?login_verifier=reject-${CHALLENGE}`,
      });
      expect(rejectBody(hydra).error).toBe('login_required');
      expect(hydra.revokedSubjects).toEqual([alice.id]);
    });

    it('rejects a remembered session for a deleted user with login_required and revokes its sessions', async () => {
      const { hydra, users, deps, alice } = setup();
      await users.delete(alice.id);
      hydra.loginRequests.set(CHALLENGE, loginRequest({ skip: true, subject: alice.id }));

      await startLogin(deps, CHALLENGE);

      expect(rejectBody(hydra).error).toBe('login_required');
      expect(hydra.revokedSubjects).toEqual([alice.id]);
    });

    it('still rejects a remembered session for a gone user when revoking its sessions fails', async () => {
      const { hydra, deps } = setup();
      hydra.failRevocation = true;
      hydra.loginRequests.set(CHALLENGE, loginRequest({ skip: true, subject: 'user-gone' }));

      const outcome = await startLogin(deps, CHALLENGE);

      expect(outcome.kind).toBe('redirect');
      expect(rejectBody(hydra).error).toBe('login_required');
    });
  });

  describe('when the user must sign in', () => {
    it('shows the form, naming the client, and decides nothing', async () => {
      const { hydra, deps } = setup();

      const outcome = await startLogin(deps, CHALLENGE);

      expect(outcome).toMatchObject({
        kind: 'show',
        status: 200,
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

      const outcome = await startLogin(deps, CHALLENGE);

      expect(outcome).toMatchObject({ kind: 'show', view: { identifier: 'bob@example.com' } });
    });

    it('drops an over-long login_hint instead of prefilling it', async () => {
      const { hydra, deps } = setup();
      const hint = `${'b'.repeat(MAX_IDENTIFIER_LENGTH - 12)}@example.com!`;
      expect(hint.length).toBe(MAX_IDENTIFIER_LENGTH + 1);
      hydra.loginRequests.set(CHALLENGE, loginRequest({ oidc_context: { login_hint: hint } }));

      const outcome = await startLogin(deps, CHALLENGE);

      expect(outcome).toMatchObject({ kind: 'show', view: { identifier: '' } });
    });
  });
});

describe('POST /login (submitLogin)', () => {
  it('accepts with the user id as subject (never the email) and amr pwd', async () => {
    const { hydra, deps, alice } = setup();

    const outcome = await submitLogin(deps, CHALLENGE, submission());

    expect(outcome).toEqual({
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

  it('remembers the session for the configured time only when the box is ticked', async () => {
    const ticked = setup();
    await submitLogin(ticked.deps, CHALLENGE, submission({ remember: true }));
    expect(acceptBody(ticked.hydra)).toMatchObject({ remember: true, remember_for: REMEMBER_FOR });

    const unticked = setup();
    await submitLogin(unticked.deps, CHALLENGE, submission({ remember: false }));
    expect(acceptBody(unticked.hydra)).toMatchObject({ remember: false, remember_for: 0 });
  });

  it('finds the user whatever the case and surrounding spaces of the email', async () => {
    const { hydra, deps, alice } = setup();

    await submitLogin(deps, CHALLENGE, submission({ identifier: '  Alice@Example.COM ' }));

    expect(acceptBody(hydra).subject).toBe(alice.id);
  });

  describe('refusing credentials without saying which part was wrong', () => {
    async function failedAttempt(
      prepare: (context: ReturnType<typeof setup>) => Promise<void> | void,
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
          kind: 'show',
          status: 401,
          view: { error: INVALID_CREDENTIALS, client: { name: 'Demo App' } },
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

    it('refuses an over-long password without looking it up, at the cost of a dummy verify', async () => {
      const { hydra, passwords, outcome } = await failedAttempt(() => {}, {
        password: 'x'.repeat(257),
      });

      expect(outcome).toMatchObject({ status: 401, view: { error: INVALID_CREDENTIALS } });
      expect(passwords.verifyCalls).toBe(0);
      expect(passwords.dummyCalls).toBe(1);
      expect(hydra.decisions).toEqual([]);
    });

    it('refuses an over-long identifier and keeps only its first characters on the page', async () => {
      const identifier = `${'a'.repeat(300)}@example.com`;
      const { outcome, passwords } = await failedAttempt(() => {}, { identifier });

      expect(outcome).toMatchObject({ status: 401, view: { error: INVALID_CREDENTIALS } });
      expect(outcome.kind === 'show' && outcome.view.identifier.length).toBe(MAX_IDENTIFIER_LENGTH);
      expect(passwords.dummyCalls).toBe(1);
    });

    it('refuses an empty identifier', async () => {
      const { outcome, hydra } = await failedAttempt(() => {}, { identifier: '   ' });

      expect(outcome).toMatchObject({ status: 401, view: { error: INVALID_CREDENTIALS } });
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

  describe('throttling', () => {
    it('answers 429 with retry-after and does no password work once over the account limit', async () => {
      const { hydra, passwords, deps } = setup({ maxPerAccount: 2 });
      await submitLogin(deps, CHALLENGE, submission({ password: 'wrong 1' }));
      await submitLogin(deps, CHALLENGE, submission({ password: 'wrong 2' }));
      const workBefore = passwords.work;

      const outcome = await submitLogin(deps, CHALLENGE, submission());

      // The clock is at 10:05 in a 15-minute window that started at 10:00: 600 s are left.
      expect(outcome).toMatchObject({
        kind: 'show',
        status: 429,
        headers: { 'retry-after': '600' },
        view: { error: 'Too many sign-in attempts. Try again in 10 minutes.' },
      });
      expect(passwords.work).toBe(workBefore);
      expect(hydra.decisions).toEqual([]);
    });

    it('throttles per source IP across different accounts', async () => {
      const { hydra, passwords, deps } = setup({ maxPerIp: 2 });
      await submitLogin(deps, CHALLENGE, submission({ identifier: 'one@example.com' }));
      await submitLogin(deps, CHALLENGE, submission({ identifier: 'two@example.com' }));
      const workBefore = passwords.work;

      const outcome = await submitLogin(deps, CHALLENGE, submission());

      expect(outcome).toMatchObject({ status: 429 });
      expect(passwords.work).toBe(workBefore);
      expect(hydra.decisions).toEqual([]);
    });

    it('counts an unknown account the same as a known one', async () => {
      const { deps } = setup({ maxPerAccount: 1 });
      await submitLogin(deps, CHALLENGE, submission({ identifier: 'ghost@example.com' }));

      const outcome = await submitLogin(
        deps,
        CHALLENGE,
        submission({ identifier: 'Ghost@Example.com', sourceIp: '198.51.100.1' }),
      );

      expect(outcome).toMatchObject({ status: 429 });
    });

    it('clears the account counter after a successful sign-in', async () => {
      const { counters, deps } = setup({ maxPerAccount: 2 });
      await submitLogin(deps, CHALLENGE, submission({ password: 'wrong' }));
      expect(counters.countOf('throttle#account#')).toBe(1);

      await submitLogin(deps, CHALLENGE, submission());

      expect(counters.countOf('throttle#account#')).toBe(0);
    });

    it('fails closed when the counters cannot be reached', async () => {
      const { hydra, passwords, counters, deps } = setup();
      counters.failing = new UserStoreUnavailableError(new Error('throttled'));

      await expect(submitLogin(deps, CHALLENGE, submission())).rejects.toBeInstanceOf(
        UserStoreUnavailableError,
      );
      expect(hydra.decisions).toEqual([]);
      expect(passwords.work).toBe(0);
    });
  });

  describe('rehashing', () => {
    it('rehashes the password when the stored hash was made with other parameters', async () => {
      const { users, deps, passwords } = setup();
      const old = users.add({ email: 'old@example.com', password: PASSWORD, hashVersion: 'v1' });

      await submitLogin(deps, CHALLENGE, submission({ identifier: 'old@example.com' }));

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

  it('never logs the password, the challenge or the raw email', async () => {
    const { deps } = setup();
    await submitLogin(deps, CHALLENGE, submission({ password: 'wrong password' }));
    await submitLogin(deps, CHALLENGE, submission());

    expect(logs.lines.length).toBeGreaterThan(0);
    for (const line of logs.lines) {
      expect(line).not.toContain(PASSWORD);
      expect(line).not.toContain('wrong password');
      expect(line).not.toContain(CHALLENGE);
      expect(line).not.toContain('alice@example.com');
    }
  });
});
