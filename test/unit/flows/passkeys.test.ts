import type { AcceptOAuth2LoginRequest } from '@ory/hydra-client';
import { SignInRequirementError } from '../../../shared/flows/acr';
import type { PendingSignIn } from '../../../shared/flows/outcome';
import {
  registrationChallenge,
  signInChallenge,
  userHandleOf,
} from '../../../shared/flows/passkey-options';
import {
  changePasskeys,
  passkeySecondFactor,
  PASSKEY_FAILED,
  signInWithPasskey,
  type PasskeyDeps,
} from '../../../shared/flows/passkeys';
import type { StoredPasskey } from '../../../shared/users/passkeys';
import { createIdentifierTags } from '../../../shared/users/tags';
import { SoftAuthenticator, type Ceremony } from '../../../scripts/lib/webauthn-authenticator';
import {
  FakeHydra,
  FakePasswordHasher,
  InMemoryFactorStore,
  InMemoryLoginSessions,
  InMemoryUserStore,
} from '../support/fakes';
import { captureLogs } from '../support/logs';
import { loginRequest } from '../support/payloads';

const CHALLENGE = 'login-challenge-1';
const OTHER_CHALLENGE = 'login-challenge-2';
const SECRET = 'unit-test-cookie-secret-0123456789abcdef';
const ORIGIN = 'https://login.example.com';
const RP_ID = 'example.com';
const SETTINGS = { rpId: RP_ID, origins: [ORIGIN], rpName: 'Example' };

const logs = captureLogs();

function setup() {
  const hydra = new FakeHydra();
  const users = new InMemoryUserStore(new FakePasswordHasher());
  const factors = new InMemoryFactorStore();
  const loginSessions = new InMemoryLoginSessions();
  hydra.loginRequests.set(CHALLENGE, loginRequest({ challenge: CHALLENGE, session_id: 'sid-1' }));
  const deps: PasskeyDeps = {
    hydra,
    users,
    factors,
    loginSessions,
    passkeys: SETTINGS,
    keys: { secret: SECRET },
    tags: createIdentifierTags(SECRET),
    rememberForSeconds: 3600,
    browserSessionMaxSeconds: 3600,
    acrLevels: { password: 'aal1', secondFactor: 'aal2' },
    accessTokenClaims: [],
  };
  const alice = users.add({ email: 'alice@example.com', password: 'correct horse battery' });
  return { hydra, users, factors, deps, alice };
}
type Context = ReturnType<typeof setup>;

/** A passkey of `userId`, stored as registration stores it. */
function enrolled(
  context: Context,
  userId: string,
  options: ConstructorParameters<typeof SoftAuthenticator>[1] = {},
  stored: Partial<StoredPasskey> = {},
): SoftAuthenticator {
  const authenticator = new SoftAuthenticator(userId, options);
  const factors = context.factors.factors.get(userId) ?? {};
  context.factors.factors.set(userId, {
    ...factors,
    passkeys: {
      ...factors.passkeys,
      [authenticator.id]: {
        publicKey: authenticator.cosePublicKey().toString('base64url'),
        counter: authenticator.counter,
        name: 'Laptop',
        transports: ['internal'],
        deviceType: options.backupEligible ? 'multiDevice' : 'singleDevice',
        backedUp: options.backupEligible === true,
        createdAt: '2026-12-01T00:00:00.000Z',
        ...stored,
      },
    },
  });
  return authenticator;
}

const signInCeremony = (overrides: Partial<Ceremony> = {}): Ceremony => ({
  challenge: signInChallenge(SECRET, CHALLENGE),
  origin: ORIGIN,
  rpId: RP_ID,
  ...overrides,
});

const posted = (response: object) => ({ response: JSON.stringify(response), device: undefined });

function acceptBody(hydra: FakeHydra): AcceptOAuth2LoginRequest {
  const decision = hydra.only('login');
  if (decision.decision !== 'accept' || !('body' in decision)) {
    throw new Error(`expected an accept, got ${JSON.stringify(decision)}`);
  }
  return decision.body as AcceptOAuth2LoginRequest;
}

const reasons = () =>
  logs
    .entries()
    .filter((entry) => entry.message === 'audit' && entry.event === 'passkey.failure')
    .map((entry) => entry.reason);

describe('signing in with a passkey instead of a password', () => {
  it('accepts a user-verified passkey as two factors: amr hwk, user, mfa; acr aal2; the counter stored', async () => {
    const context = setup();
    const key = enrolled(context, context.alice.id);

    const outcome = await signInWithPasskey(
      context.deps,
      CHALLENGE,
      posted(key.assert(signInCeremony())),
    );

    expect(outcome.kind).toBe('redirect');
    expect(acceptBody(context.hydra)).toMatchObject({
      subject: context.alice.id,
      amr: ['hwk', 'user', 'mfa'],
      acr: 'aal2',
    });
    const stored = context.factors.factors.get(context.alice.id)?.passkeys?.[key.id];
    expect(stored).toMatchObject({ counter: 1, lastUsedAt: expect.any(String) });
  });

  it('names a synced (backup eligible) passkey swk', async () => {
    const context = setup();
    const key = enrolled(context, context.alice.id, { backupEligible: true });

    await signInWithPasskey(context.deps, CHALLENGE, posted(key.assert(signInCeremony())));

    expect(acceptBody(context.hydra).amr).toEqual(['swk', 'user', 'mfa']);
  });

  it('counts a passkey without user verification as one factor: amr hwk, acr aal1', async () => {
    const context = setup();
    const key = enrolled(context, context.alice.id, { userVerified: false });

    await signInWithPasskey(context.deps, CHALLENGE, posted(key.assert(signInCeremony())));

    expect(acceptBody(context.hydra)).toMatchObject({ amr: ['hwk'], acr: 'aal1' });
  });

  it('refuses a passkey without user verification for a client that needs aal2', async () => {
    const context = setup();
    context.hydra.loginRequests.set(
      CHALLENGE,
      loginRequest({ challenge: CHALLENGE, oidc_context: { acr_values: ['aal2'] } }),
    );
    const key = enrolled(context, context.alice.id, { userVerified: false });

    await expect(
      signInWithPasskey(context.deps, CHALLENGE, posted(key.assert(signInCeremony()))),
    ).rejects.toThrow(SignInRequirementError);
    expect(context.hydra.decisions).toEqual([]);
  });

  /** Each refusal: the sign-in page again with one message, Hydra not told, the counter as it was. */
  async function expectRefused(context: Context, response: object, reason: string) {
    const before = structuredClone(context.factors.factors.get(context.alice.id));

    const outcome = await signInWithPasskey(context.deps, CHALLENGE, posted(response));

    expect(outcome).toMatchObject({
      kind: 'refused',
      view: { error: PASSKEY_FAILED, passkey: { options: expect.any(String) } },
    });
    expect(context.hydra.decisions).toEqual([]);
    expect(context.factors.factors.get(context.alice.id)).toEqual(before);
    expect(reasons()).toEqual([reason]);
  }

  it('refuses a bad signature', async () => {
    const context = setup();
    const key = enrolled(context, context.alice.id);
    await expectRefused(context, key.assert(signInCeremony(), { tamper: true }), 'not-verified');
  });

  it('refuses an assertion made on another origin', async () => {
    const context = setup();
    const key = enrolled(context, context.alice.id);
    await expectRefused(
      context,
      key.assert(signInCeremony({ origin: 'https://login.example.com.evil.test' })),
      'not-verified',
    );
  });

  it('refuses an assertion for another RP ID', async () => {
    const context = setup();
    const key = enrolled(context, context.alice.id);
    await expectRefused(context, key.assert(signInCeremony({ rpId: 'evil.test' })), 'not-verified');
  });

  it('refuses the challenge of another sign-in, and one not made under our secret', async () => {
    const context = setup();
    const key = enrolled(context, context.alice.id);
    await expectRefused(
      context,
      key.assert(signInCeremony({ challenge: signInChallenge(SECRET, OTHER_CHALLENGE) })),
      'not-verified',
    );
    logs.lines.length = 0;
    await expectRefused(
      context,
      key.assert(
        signInCeremony({
          challenge: signInChallenge('another-secret-0123456789abcdef', CHALLENGE),
        }),
      ),
      'not-verified',
    );
  });

  it('refuses a counter that went backwards (a cloned key), and logs it', async () => {
    const context = setup();
    const key = enrolled(context, context.alice.id, {}, { counter: 7 });
    await expectRefused(context, key.assert(signInCeremony(), { counter: 7 }), 'counter-regressed');
    expect(
      logs
        .entries()
        .some((entry) => entry.level === 'warn' && /counter/.test(String(entry.message))),
    ).toBe(true);
  });

  it('accepts an authenticator that keeps no counter (0 every time), each time', async () => {
    const context = setup();
    const key = enrolled(context, context.alice.id);

    await signInWithPasskey(
      context.deps,
      CHALLENGE,
      posted(key.assert(signInCeremony(), { counter: 0 })),
    );
    expect(acceptBody(context.hydra).subject).toBe(context.alice.id);
  });

  it('refuses a credential the user does not have (never stored, or removed)', async () => {
    const context = setup();
    enrolled(context, context.alice.id);
    const stranger = new SoftAuthenticator(context.alice.id);
    await expectRefused(context, stranger.assert(signInCeremony()), 'unknown-credential');
  });

  it('refuses the passkey of a disabled user, and of a user who is gone', async () => {
    const context = setup();
    const key = enrolled(context, context.alice.id);
    await context.users.setEnabled(context.alice.id, false);
    await expectRefused(context, key.assert(signInCeremony()), 'unknown-user');

    logs.lines.length = 0;
    const ghost = new SoftAuthenticator('no-such-user');
    await expectRefused(context, ghost.assert(signInCeremony()), 'unknown-user');
  });

  it('refuses what is not an assertion at all', async () => {
    const context = setup();
    await expectRefused(context, { id: 'x', response: {} }, 'malformed');
  });

  it('takes one assertion once: the same one again is refused (its counter is used)', async () => {
    const context = setup();
    const key = enrolled(context, context.alice.id);
    const assertion = key.assert(signInCeremony());
    await signInWithPasskey(context.deps, CHALLENGE, posted(assertion));
    context.hydra.decisions.length = 0;
    logs.lines.length = 0;

    await expectRefused(context, assertion, 'counter-regressed');
  });
});

describe('a passkey as the second step', () => {
  const pendingFor = (subject: string): PendingSignIn => ({
    challenge: CHALLENGE,
    subject,
    remember: true,
    stepUp: false,
  });

  it('after the password: amr pwd, hwk, user, mfa; acr aal2; the pending sign-in ends', async () => {
    const context = setup();
    const key = enrolled(context, context.alice.id);

    const outcome = await passkeySecondFactor(context.deps, CHALLENGE, {
      ...posted(key.assert(signInCeremony())),
      pending: pendingFor(context.alice.id),
    });

    expect(outcome).toMatchObject({ kind: 'redirect', endPendingSignIn: true });
    expect(acceptBody(context.hydra)).toMatchObject({
      amr: ['pwd', 'hwk', 'user', 'mfa'],
      acr: 'aal2',
    });
  });

  it("refuses another user's passkey for the pending sign-in", async () => {
    const context = setup();
    const bob = context.users.add({ email: 'bob@example.com', password: 'bob password 123' });
    const bobs = enrolled(context, bob.id);

    const outcome = await passkeySecondFactor(context.deps, CHALLENGE, {
      ...posted(bobs.assert(signInCeremony())),
      pending: pendingFor(context.alice.id),
    });

    expect(outcome).toMatchObject({
      kind: 'refused',
      view: { method: 'passkey', error: PASSKEY_FAILED },
    });
    expect(context.hydra.decisions).toEqual([]);
  });

  it('needs the pending first step', async () => {
    const context = setup();
    const key = enrolled(context, context.alice.id);

    await expect(
      passkeySecondFactor(context.deps, CHALLENGE, {
        ...posted(key.assert(signInCeremony())),
        pending: undefined,
      }),
    ).rejects.toThrow(SignInRequirementError);
  });
});

describe('adding and removing passkeys (the account page)', () => {
  const NOW = Date.parse('2026-12-02T07:00:00Z');
  const nowSeconds = Math.floor(NOW / 1000);
  const accountDeps = (context: Context) => ({
    factors: context.factors,
    passkeys: SETTINGS,
    keys: { secret: SECRET },
    now: () => NOW,
  });
  const registration = (userId: string, issued = nowSeconds) => ({
    challenge: registrationChallenge(SECRET, userId, issued),
    origin: ORIGIN,
    rpId: RP_ID,
  });

  it('adds a passkey with its name, public key, counter and backup flags; it then signs in', async () => {
    const context = setup();
    const key = new SoftAuthenticator(context.alice.id, { backupEligible: true });

    const result = await changePasskeys(accountDeps(context), context.alice, {
      action: 'add',
      name: '  Phone  ',
      issued: nowSeconds,
      response: JSON.stringify(key.register(registration(context.alice.id))),
    });

    expect(result).toEqual({ kind: 'done', notice: 'passkey-added' });
    expect(context.factors.factors.get(context.alice.id)?.passkeys?.[key.id]).toEqual({
      publicKey: key.cosePublicKey().toString('base64url'),
      counter: 0,
      name: 'Phone',
      transports: ['internal'],
      deviceType: 'multiDevice',
      backedUp: true,
      createdAt: new Date(NOW).toISOString(),
    });
    await signInWithPasskey(context.deps, CHALLENGE, posted(key.assert(signInCeremony())));
    expect(acceptBody(context.hydra).subject).toBe(context.alice.id);
  });

  it.each([
    ['made for another user', (id: string) => [registration(`${id}-other`), nowSeconds] as const],
    [
      'older than five minutes',
      (id: string) => [registration(id, nowSeconds - 301), nowSeconds - 301] as const,
    ],
    [
      'from another origin',
      (id: string) => [{ ...registration(id), origin: 'https://evil.test' }, nowSeconds] as const,
    ],
    [
      'for another RP ID',
      (id: string) => [{ ...registration(id), rpId: 'evil.test' }, nowSeconds] as const,
    ],
  ])('refuses a registration %s, and stores nothing', async (_, made) => {
    const context = setup();
    const key = new SoftAuthenticator(context.alice.id);
    const [ceremony, issued] = made(context.alice.id);

    const result = await changePasskeys(accountDeps(context), context.alice, {
      action: 'add',
      name: 'Phone',
      issued,
      response: JSON.stringify(key.register(ceremony)),
    });

    expect(result).toEqual({ kind: 'refused', text: { key: 'account.passkeys.failed' } });
    expect(context.factors.factors.get(context.alice.id)).toBeUndefined();
  });

  it('refuses a passkey already on the account, and a name too long', async () => {
    const context = setup();
    const key = new SoftAuthenticator(context.alice.id);
    const add = (name: string) =>
      changePasskeys(accountDeps(context), context.alice, {
        action: 'add',
        name,
        issued: nowSeconds,
        response: JSON.stringify(key.register(registration(context.alice.id))),
      });

    expect(await add('Laptop')).toEqual({ kind: 'done', notice: 'passkey-added' });
    expect(await add('Laptop again')).toEqual({
      kind: 'refused',
      text: { key: 'account.passkeys.notAdded' },
    });
    expect(await add('x'.repeat(61))).toEqual({
      kind: 'refused',
      text: { key: 'account.passkeys.badName' },
    });
  });

  it('removes a passkey of the user; one that is not there is refused', async () => {
    const context = setup();
    const key = enrolled(context, context.alice.id);

    expect(
      await changePasskeys(accountDeps(context), context.alice, { action: 'remove', id: key.id }),
    ).toEqual({ kind: 'done', notice: 'passkey-removed' });
    expect(context.factors.factors.get(context.alice.id)?.passkeys).toEqual({});
    expect(
      await changePasskeys(accountDeps(context), context.alice, { action: 'remove', id: key.id }),
    ).toEqual({ kind: 'refused', text: { key: 'account.passkeys.notFound' } });
  });

  it('names the user by its id in the credential (the user handle a sign-in finds it by)', () => {
    expect(Buffer.from(userHandleOf('user-1'), 'base64url').toString('utf8')).toBe('user-1');
  });
});
