import type { AcceptOAuth2LoginRequest } from '@ory/hydra-client';
import { SignInRequirementError } from '../../../shared/flows/acr';
import { beginEnrolment, confirmEnrolment, type Enrolled } from '../../../shared/flows/factors';
import {
  secondFactorUrl,
  startLogin,
  submitLogin,
  type LoginDeps,
  type LoginSubmission,
} from '../../../shared/flows/login';
import type { PendingSignIn } from '../../../shared/flows/outcome';
import { startSecondFactor } from '../../../shared/flows/second-factor-form';
import {
  submitSecondFactor,
  type SecondFactorDeps,
  type SecondFactorSubmission,
} from '../../../shared/flows/second-factor';
import { createLoginThrottle, SECOND_FACTOR_COUNTERS } from '../../../shared/throttle/throttle';
import { factorKeyRing, open } from '../../../shared/users/factor-keys';
import { createIdentifierTags } from '../../../shared/users/tags';
import { TOTP_PERIOD_SECONDS, totpCode } from '../../../shared/users/totp';
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
import { CLIENT, loginRequest } from '../support/payloads';

const CHALLENGE = 'login-challenge-1';
const SKIP_CHALLENGE = 'login-challenge-skip';
const SESSION_ID = 'hydra-login-session-1';
const PASSWORD = 'correct horse battery staple';
const OLD_KEY = Buffer.alloc(32, 1);
const KEY = Buffer.alloc(32, 2);
const LEVELS = { password: 'aal1', secondFactor: 'aal2' };

const logs = captureLogs();

const T0 = Date.parse('2024-05-01T10:05:00Z');
beforeEach(() => {
  jest.useFakeTimers({
    now: T0,
    doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate', 'setTimeout', 'setInterval'],
  });
});
afterEach(() => jest.useRealTimers());
const later = (seconds: number) => jest.setSystemTime(Date.now() + seconds * 1000);
const step = () => Math.floor(Date.now() / 1000 / TOTP_PERIOD_SECONDS);

async function setup(options: { enrol?: boolean; keys?: Buffer[] } = {}) {
  const hydra = new FakeHydra();
  const passwords = new FakePasswordHasher();
  const users = new InMemoryUserStore(passwords);
  const counters = new InMemoryCounters();
  const loginSessions = new InMemoryLoginSessions();
  const factors = new InMemoryFactorStore();
  const tags = createIdentifierTags('unit-test-tag-secret-0123456789abcdef');
  const [current = KEY, ...previous] = options.keys ?? [KEY];
  const factorKeys = factorKeyRing({ current, previous });
  const throttleSettings = {
    windowSeconds: 900,
    maxPerAccount: 3,
    maxPerIp: 100,
    maxPerAccountTotal: 50,
  };
  const shared = {
    hydra,
    loginSessions,
    factors,
    tags,
    rememberForSeconds: 7 * 24 * 3600,
    browserSessionMaxSeconds: 12 * 3600,
    acrLevels: LEVELS,
    accessTokenClaims: [],
  };
  const login: LoginDeps = {
    ...shared,
    users,
    passwords,
    throttle: createLoginThrottle(counters, throttleSettings),
  };
  const second: SecondFactorDeps = {
    ...shared,
    users,
    factorKeys,
    throttle: createLoginThrottle(counters, throttleSettings, undefined, SECOND_FACTOR_COUNTERS),
  };
  hydra.loginRequests.set(
    CHALLENGE,
    loginRequest({ challenge: CHALLENGE, session_id: SESSION_ID }),
  );
  const alice = users.add({ email: 'alice@example.com', password: PASSWORD });
  let enrolled: Enrolled | undefined;
  if (options.enrol !== false) {
    enrolled = await confirmEnrolment(
      { factors, keys: factorKeyRing({ current, previous: [] }) },
      alice,
      beginEnrolment(alice),
    );
  }
  return { hydra, counters, loginSessions, factors, login, second, alice, enrolled, factorKeys };
}
type Context = Awaited<ReturnType<typeof setup>>;

const passwordSubmission = (overrides: Partial<LoginSubmission> = {}): LoginSubmission => ({
  action: 'login',
  identifier: 'alice@example.com',
  password: PASSWORD,
  remember: false,
  sourceIp: '203.0.113.7',
  device: undefined,
  ...overrides,
});

function pendingOf(context: Context, stepUp = false): PendingSignIn {
  return {
    challenge: stepUp ? SKIP_CHALLENGE : CHALLENGE,
    subject: context.alice.id,
    remember: false,
    stepUp,
  };
}

const codeSubmission = (
  pending: PendingSignIn | undefined,
  code: string,
  overrides: Partial<SecondFactorSubmission> = {},
): SecondFactorSubmission => ({
  action: 'verify',
  method: 'totp',
  code,
  pending,
  sourceIp: '203.0.113.7',
  device: undefined,
  ...overrides,
});

const secretOf = (context: Context) => context.enrolled?.secret ?? '';
const currentCode = (context: Context) => totpCode(secretOf(context), step());

function acceptBody(hydra: FakeHydra): AcceptOAuth2LoginRequest {
  const decision = hydra.only('login');
  if (decision.decision !== 'accept' || !('body' in decision)) {
    throw new Error(`expected an accept, got ${JSON.stringify(decision)}`);
  }
  return decision.body as AcceptOAuth2LoginRequest;
}

const audits = (event: string) =>
  logs.entries().filter((entry) => entry.message === 'audit' && entry.event === event);

describe('the password of a user with an authenticator app', () => {
  it('leads to the second step, with a pending sign-in for this challenge, and Hydra not told', async () => {
    const context = await setup();

    const outcome = await submitLogin(
      context.login,
      CHALLENGE,
      passwordSubmission({ remember: true }),
    );

    expect(outcome).toEqual({
      kind: 'redirect',
      to: secondFactorUrl(CHALLENGE),
      pendingSignIn: {
        challenge: CHALLENGE,
        subject: context.alice.id,
        remember: true,
        stepUp: false,
      },
    });
    expect(context.hydra.decisions).toEqual([]);
    expect(context.loginSessions.calls).toEqual([]);
  });

  it('of a user without one signs in as before, by password alone (one factor read)', async () => {
    const context = await setup({ enrol: false });

    await submitLogin(context.login, CHALLENGE, passwordSubmission());

    expect(acceptBody(context.hydra)).toMatchObject({ amr: ['pwd'], acr: 'aal1' });
    expect(context.factors.calls).toEqual([`find ${context.alice.id}`]);
  });

  it('a wrong password never reads the factors', async () => {
    const context = await setup();

    await submitLogin(
      context.login,
      CHALLENGE,
      passwordSubmission({ password: 'wrong password!' }),
    );

    expect(context.factors.calls.filter((call) => call.startsWith('find'))).toEqual([]);
  });
});

describe('POST /login/second-factor', () => {
  it('accepts the current authenticator code: amr pwd, otp, mfa and the second level, session recorded so', async () => {
    const context = await setup();

    const outcome = await submitSecondFactor(
      context.second,
      CHALLENGE,
      codeSubmission(pendingOf(context), currentCode(context)),
    );

    expect(outcome).toMatchObject({ kind: 'redirect', endPendingSignIn: true });
    expect(acceptBody(context.hydra)).toMatchObject({
      subject: context.alice.id,
      amr: ['pwd', 'otp', 'mfa'],
      acr: 'aal2',
    });
    expect(context.loginSessions.sessions.get(SESSION_ID)?.session.amr).toEqual([
      'pwd',
      'otp',
      'mfa',
    ]);
    expect(audits('second_factor.success')).toHaveLength(1);
  });

  it('accepts the code of the step before (a clock a little behind)', async () => {
    const context = await setup();

    await submitSecondFactor(
      context.second,
      CHALLENGE,
      codeSubmission(pendingOf(context), totpCode(secretOf(context), step() - 1)),
    );

    expect(acceptBody(context.hydra)).toMatchObject({ acr: 'aal2' });
  });

  it('refuses a code used once already (replayed), and any older one', async () => {
    const context = await setup();
    const code = currentCode(context);
    const previous = totpCode(secretOf(context), step() - 1);
    await submitSecondFactor(context.second, CHALLENGE, codeSubmission(pendingOf(context), code));
    context.hydra.decisions.length = 0;

    const replayed = await submitSecondFactor(
      context.second,
      CHALLENGE,
      codeSubmission(pendingOf(context), code),
    );
    const older = await submitSecondFactor(
      context.second,
      CHALLENGE,
      codeSubmission(pendingOf(context), previous),
    );

    expect(replayed).toMatchObject({ kind: 'refused', refusal: { reason: 'wrong-code' } });
    expect(older).toMatchObject({ kind: 'refused', refusal: { reason: 'wrong-code' } });
    expect(context.hydra.decisions).toEqual([]);
  });

  it('refuses a wrong code, a code two steps old and one that is no code, and tells Hydra nothing', async () => {
    const context = await setup();
    const right = currentCode(context);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');

    // Three: the throttle's limit in this file.
    for (const code of [wrong, totpCode(secretOf(context), step() - 2), 'abcdef']) {
      const outcome = await submitSecondFactor(
        context.second,
        CHALLENGE,
        codeSubmission(pendingOf(context), code),
      );
      expect(outcome).toMatchObject({
        kind: 'refused',
        view: { invalidCode: true, error: { key: 'page.secondFactor.wrongCode' } },
      });
    }
    expect(context.hydra.decisions).toEqual([]);
  });

  it('counts wrong codes per account and source: past the limit even the right code waits', async () => {
    const context = await setup();
    for (let attempt = 0; attempt < 3; attempt++) {
      await submitSecondFactor(
        context.second,
        CHALLENGE,
        codeSubmission(pendingOf(context), '000000'),
      );
    }

    const outcome = await submitSecondFactor(
      context.second,
      CHALLENGE,
      codeSubmission(pendingOf(context), currentCode(context)),
    );

    expect(outcome).toMatchObject({ kind: 'refused', refusal: { reason: 'throttled' } });
    expect(context.hydra.decisions).toEqual([]);
    expect(audits('second_factor.throttled')).toHaveLength(1);
  });

  it('counts codes apart from passwords', async () => {
    const context = await setup();
    for (let attempt = 0; attempt < 3; attempt++) {
      await submitSecondFactor(
        context.second,
        CHALLENGE,
        codeSubmission(pendingOf(context), '000000'),
      );
    }

    const outcome = await submitLogin(context.login, CHALLENGE, passwordSubmission());

    expect(outcome).toMatchObject({ kind: 'redirect', to: secondFactorUrl(CHALLENGE) });
  });

  it('takes a recovery code once, and refuses it the second time', async () => {
    const context = await setup();
    const [code = ''] = context.enrolled?.recoveryCodes ?? [];

    const first = await submitSecondFactor(
      context.second,
      CHALLENGE,
      codeSubmission(pendingOf(context), code.toLowerCase(), { method: 'recovery' }),
    );
    const body = acceptBody(context.hydra);
    context.hydra.decisions.length = 0;
    const again = await submitSecondFactor(
      context.second,
      CHALLENGE,
      codeSubmission(pendingOf(context), code, { method: 'recovery' }),
    );

    expect(first.kind).toBe('redirect');
    expect(body).toMatchObject({ amr: ['pwd', 'otp', 'mfa'], acr: 'aal2' });
    expect(again).toMatchObject({ kind: 'refused', refusal: { reason: 'wrong-code' } });
    expect(context.factors.factors.get(context.alice.id)?.recoveryCodes?.tags).toHaveLength(9);
  });

  it('refuses a recovery code of another user', async () => {
    const context = await setup();
    const bob = context.second.users as InMemoryUserStore;
    const other = bob.add({ email: 'bob@example.com', password: PASSWORD });
    const enrolled = await confirmEnrolment(
      { factors: context.factors, keys: context.factorKeys },
      other,
      beginEnrolment(other),
    );

    const outcome = await submitSecondFactor(
      context.second,
      CHALLENGE,
      codeSubmission(pendingOf(context), enrolled?.recoveryCodes[0] ?? '', { method: 'recovery' }),
    );

    expect(outcome).toMatchObject({ kind: 'refused', refusal: { reason: 'wrong-code' } });
  });

  it('without a pending sign-in for the challenge: the expired page, nothing counted', async () => {
    const context = await setup();

    await expect(
      submitSecondFactor(
        context.second,
        CHALLENGE,
        codeSubmission(undefined, currentCode(context)),
      ),
    ).rejects.toEqual(new SignInRequirementError('second-step-expired'));
    await expect(startSecondFactor(context.second, CHALLENGE, undefined, 'totp')).rejects.toThrow(
      SignInRequirementError,
    );
    expect(context.counters.calls).toEqual([]);
    expect(context.hydra.decisions).toEqual([]);
  });

  it('refuses a pending step-up for a challenge Hydra does not remember anyone on', async () => {
    const context = await setup();

    await expect(
      submitSecondFactor(
        context.second,
        CHALLENGE,
        codeSubmission({ ...pendingOf(context), stepUp: true }, currentCode(context)),
      ),
    ).rejects.toEqual(new SignInRequirementError('second-step-expired'));
  });

  it('cancel rejects the sign-in and ends the pending one', async () => {
    const context = await setup();

    const outcome = await submitSecondFactor(
      context.second,
      CHALLENGE,
      codeSubmission(pendingOf(context), '', { action: 'cancel' }),
    );

    expect(outcome).toMatchObject({ kind: 'redirect', endPendingSignIn: true });
    expect(context.hydra.only('login')).toMatchObject({
      decision: 'reject',
      body: { error: 'access_denied' },
    });
  });

  it('opens a secret sealed under a previous key, and seals it again under the current one', async () => {
    const context = await setup({ keys: [OLD_KEY] });
    const rotated = {
      ...context.second,
      factorKeys: factorKeyRing({ current: KEY, previous: [OLD_KEY] }),
    };

    await submitSecondFactor(
      rotated,
      CHALLENGE,
      codeSubmission(pendingOf(context), currentCode(context)),
    );

    const stored = context.factors.factors.get(context.alice.id)?.totp?.secret ?? '';
    expect(acceptBody(context.hydra)).toMatchObject({ acr: 'aal2' });
    expect(open(factorKeyRing({ current: KEY, previous: [] }), context.alice.id, stored)).toEqual({
      plaintext: secretOf(context),
      stale: false,
    });
  });
});

describe('what a client asks for (acr_values, required_acr)', () => {
  async function rememberedByPassword(
    context: Context,
    overrides: Parameters<typeof loginRequest>[0] = {},
  ) {
    await context.loginSessions.record(
      SESSION_ID,
      {
        subject: context.alice.id,
        authenticatedAtSeconds: Date.now() / 1000,
        amr: ['pwd'],
        browserBound: false,
      },
      Date.now() / 1000 + 3600,
    );
    later(60);
    context.hydra.loginRequests.set(
      SKIP_CHALLENGE,
      loginRequest({
        challenge: SKIP_CHALLENGE,
        skip: true,
        subject: context.alice.id,
        session_id: SESSION_ID,
        ...overrides,
      }),
    );
  }
  const browser = { holds: () => true };
  const asking = (acr: string[]) => ({ oidc_context: { acr_values: acr } });

  it('a remembered password session asked for aal2 runs the second step, then counts as aal2', async () => {
    const context = await setup();
    await rememberedByPassword(context, asking(['aal2']));

    const started = await startLogin(context.login, SKIP_CHALLENGE, browser);
    expect(started).toEqual({
      kind: 'redirect',
      to: secondFactorUrl(SKIP_CHALLENGE),
      pendingSignIn: {
        challenge: SKIP_CHALLENGE,
        subject: context.alice.id,
        remember: true,
        stepUp: true,
      },
    });
    expect(context.hydra.decisions).toEqual([]);

    await submitSecondFactor(
      context.second,
      SKIP_CHALLENGE,
      codeSubmission(pendingOf(context, true), currentCode(context)),
    );
    expect(acceptBody(context.hydra)).toMatchObject({
      subject: context.alice.id,
      remember: true,
      amr: ['pwd', 'otp', 'mfa'],
      acr: 'aal2',
    });

    context.hydra.decisions.length = 0;
    const again = await startLogin(context.login, SKIP_CHALLENGE, browser);
    expect(again).toMatchObject({ kind: 'redirect' });
    expect(acceptBody(context.hydra)).toMatchObject({ acr: 'aal2' });
  });

  it('a remembered password session not asked for more is accepted as aal1, factors unread', async () => {
    const context = await setup();
    await rememberedByPassword(context, asking(['aal1', 'aal2']));

    await startLogin(context.login, SKIP_CHALLENGE, browser);

    expect(acceptBody(context.hydra)).toMatchObject({ acr: 'aal1', amr: ['pwd'] });
    expect(context.factors.calls.filter((call) => call.startsWith('find'))).toEqual([]);
  });

  it('a user without a second factor asked for aal2 gets the page that says so, on either path', async () => {
    const context = await setup({ enrol: false });
    context.hydra.loginRequests.set(
      CHALLENGE,
      loginRequest({ challenge: CHALLENGE, ...asking(['aal2']) }),
    );
    await rememberedByPassword(context, asking(['aal2']));

    await expect(submitLogin(context.login, CHALLENGE, passwordSubmission())).rejects.toEqual(
      new SignInRequirementError('no-second-factor'),
    );
    await expect(startLogin(context.login, SKIP_CHALLENGE, browser)).rejects.toEqual(
      new SignInRequirementError('no-second-factor'),
    );
    expect(context.hydra.decisions).toEqual([]);
  });

  it("a client's required_acr forces the level whatever acr_values says", async () => {
    const context = await setup({ enrol: false });
    context.hydra.loginRequests.set(
      CHALLENGE,
      loginRequest({
        challenge: CHALLENGE,
        client: { ...CLIENT, metadata: { required_acr: 'aal2' } },
        ...asking(['aal1']),
      }),
    );

    await expect(submitLogin(context.login, CHALLENGE, passwordSubmission())).rejects.toEqual(
      new SignInRequirementError('no-second-factor'),
    );
  });

  it.each([['urn:unknown'], [2], [['aal2']]])(
    'a required_acr of %p is refused before any attempt is counted',
    async (required) => {
      const context = await setup();
      context.hydra.loginRequests.set(
        CHALLENGE,
        loginRequest({
          challenge: CHALLENGE,
          client: { ...CLIENT, metadata: { required_acr: required } },
        }),
      );

      await expect(submitLogin(context.login, CHALLENGE, passwordSubmission())).rejects.toEqual(
        new SignInRequirementError('client-misconfigured'),
      );
      await expect(startLogin(context.login, CHALLENGE, browser)).rejects.toThrow(
        SignInRequirementError,
      );
      expect(context.counters.calls).toEqual([]);
    },
  );
});

void HYDRA_PUBLIC;
