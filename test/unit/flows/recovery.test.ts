/**
 * Forgot password over in-memory fakes: the mail, the link (a hash stored, never the token or
 * the email in it), its expiry, its single use (two tabs: one wins), the new password with the
 * one policy, every session ended, the notice mail and the way back to the sign-in.
 */
import { emailTokenHash } from '../../../shared/flows/email-links';
import {
  openReset,
  requestRecovery,
  submitReset,
  type RecoveryDeps,
  type ResetDeps,
} from '../../../shared/flows/recovery';
import { createMailThrottle } from '../../../shared/throttle/mail';
import { createIdentifierTags } from '../../../shared/users/tags';
import {
  FakeHydra,
  FakePasswordHasher,
  InMemoryCounters,
  InMemoryEmailTokens,
  InMemoryUserStore,
  RecordingMailer,
} from '../support/fakes';
import { withoutAddress } from '../support/answers';
import { captureLogs } from '../support/logs';
import { loginRequest } from '../support/payloads';

const logs = captureLogs();

const CHALLENGE = 'login-challenge-recovery-0123456789';
const PUBLIC_URL = 'https://login.example';
const T0 = Date.parse('2026-01-01T10:00:00Z');

function setup(options: { maxPerAddress?: number } = {}) {
  let now = T0;
  const clock = { now: () => now, sleep: () => Promise.resolve() };
  const hasher = new FakePasswordHasher();
  const users = new InMemoryUserStore(hasher);
  const alice = users.add({ email: 'alice@example.com', password: 'old password 1' });
  users.add({ email: 'bob@example.com', password: 'bob password 1', enabled: false });
  const hydra = new FakeHydra();
  hydra.loginRequests.set(CHALLENGE, loginRequest({ challenge: CHALLENGE }));
  const tokens = new InMemoryEmailTokens();
  const mailer = new RecordingMailer();
  const links = { publicUrl: PUBLIC_URL, ttlSeconds: 1800 };
  const recovery: RecoveryDeps = {
    users,
    tokens,
    mailer,
    mailThrottle: createMailThrottle(
      new InMemoryCounters(),
      { windowSeconds: 900, maxPerAddress: options.maxPerAddress ?? 5, maxPerIp: 100 },
      clock.now,
    ),
    tags: createIdentifierTags('recovery-test-secret-0123456789abcdef'),
    links,
    minResponseMs: 0,
    clock,
  };
  const reset: ResetDeps = { users, tokens, hydra, mailer, links, clock };
  return {
    recovery,
    reset,
    users,
    alice,
    hydra,
    tokens,
    mailer,
    later: (seconds: number) => (now += seconds * 1000),
  };
}

const ask = (deps: RecoveryDeps, email: string, loginChallenge: string | undefined = CHALLENGE) =>
  requestRecovery(deps, { email, loginChallenge, sourceIp: '203.0.113.7', locale: 'de' });

describe('asking for a reset', () => {
  it('mails the account a link under PUBLIC_URL carrying only a token, of which only the hash is stored', async () => {
    const { recovery, mailer, tokens, alice } = setup();
    const outcome = await ask(recovery, '  Alice@Example.com ');
    expect(outcome).toEqual({
      kind: 'show',
      view: { page: 'sent', email: 'alice@example.com', validMinutes: 30 },
    });
    expect(mailer.sent).toHaveLength(1);
    const [sent] = mailer.sent;
    expect(sent?.to).toBe('alice@example.com');
    expect(sent?.locale).toBe('de');
    expect(sent?.mail.kind).toBe('reset');
    const link = new URL((sent?.mail as { link: string }).link);
    expect(link.origin + link.pathname).toBe(`${PUBLIC_URL}/recovery/reset`);
    expect([...link.searchParams.keys()]).toEqual(['token']);
    const token = link.searchParams.get('token') ?? '';
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect([...tokens.tokens.keys()]).toEqual([emailTokenHash(token)]);
    expect(JSON.stringify([...tokens.tokens])).not.toContain(token);
    expect(tokens.tokens.get(emailTokenHash(token))).toEqual({
      purpose: 'reset',
      email: 'alice@example.com',
      subject: alice.id,
      loginChallenge: CHALLENGE,
      validUntilSeconds: T0 / 1000 + 1800,
      issuedAtMs: T0,
    });
  });

  it.each([
    ['an address without an account', 'nobody@example.com'],
    ['a disabled account', 'bob@example.com'],
  ])('answers %s with the same page, and mails and stores nothing', async (_what, email) => {
    const { recovery, mailer, tokens } = setup();
    const known = await ask(recovery, 'alice@example.com');
    const other = await ask(recovery, email);
    expect(withoutAddress(other)).toEqual(withoutAddress(known));
    expect(mailer.sent.map((sent) => sent.to)).toEqual(['alice@example.com']);
    expect(tokens.tokens.size).toBe(1);
  });

  it('answers the same when the mail cannot be sent, and logs that (no address)', async () => {
    const { recovery, mailer } = setup();
    mailer.fail = true;
    expect(withoutAddress(await ask(recovery, 'alice@example.com'))).toEqual(
      withoutAddress(await ask(recovery, 'nobody@example.com')),
    );
    const line = logs.entries().find((entry) => entry.message === 'a mail could not be sent');
    expect(line).toMatchObject({ level: 'error', mail: 'reset' });
    expect(JSON.stringify(logs.lines)).not.toContain('alice@example.com');
  });

  it('refuses what is not an email address, sending nothing', async () => {
    const { recovery, mailer } = setup();
    const outcome = await ask(recovery, 'not an address');
    expect(outcome).toMatchObject({ kind: 'refused', refusal: { reason: 'bad-input' } });
    expect(mailer.sent).toEqual([]);
  });

  it('throttles per address, whether or not it has an account (429 after MAIL_MAX_PER_ADDRESS)', async () => {
    const { recovery, mailer } = setup({ maxPerAddress: 2 });
    for (const email of ['alice@example.com', 'nobody@example.com']) {
      expect((await ask(recovery, email)).kind).toBe('show');
      expect((await ask(recovery, email)).kind).toBe('show');
      expect(await ask(recovery, email)).toMatchObject({
        kind: 'refused',
        refusal: { reason: 'throttled' },
        view: { error: { key: 'page.selfService.throttled' } },
      });
    }
    expect(mailer.sent).toHaveLength(2);
  });
});

describe('using the link', () => {
  async function linked(options?: Parameters<typeof setup>[0]) {
    const world = setup(options);
    await ask(world.recovery, 'alice@example.com');
    return { ...world, token: world.mailer.lastToken() };
  }

  it('opens the new-password form, changing nothing', async () => {
    const { reset, token, users } = await linked();
    expect(await openReset(reset, token)).toEqual({
      kind: 'show',
      view: { page: 'form', email: 'alice@example.com' },
    });
    expect(users.writes).toEqual([]);
  });

  it('sets the password, ends every session, mails a notice and leads back to the sign-in', async () => {
    const { reset, token, users, alice, hydra, mailer } = await linked();
    const outcome = await submitReset(reset, token, { password: 'a new password 2', locale: 'en' });
    expect(outcome).toEqual({
      kind: 'show',
      view: { page: 'done', continueUrl: `/login?login_challenge=${CHALLENGE}` },
    });
    const changed = users.users.get(alice.id);
    expect(changed?.passwordHash).not.toBe(alice.passwordHash);
    expect(changed?.sessionsValidAfter).toBeDefined();
    expect(hydra.revokedSubjects).toEqual([alice.id]);
    expect(mailer.sent.at(-1)).toEqual({
      to: 'alice@example.com',
      locale: 'en',
      mail: {
        kind: 'password-changed',
        email: 'alice@example.com',
        recoveryLink: `${PUBLIC_URL}/recovery`,
      },
    });
  });

  it('offers no way back once Hydra no longer knows the sign-in', async () => {
    const { reset, token, hydra } = await linked();
    hydra.loginRequests.clear();
    expect(await submitReset(reset, token, { password: 'a new password 2', locale: 'en' })).toEqual(
      {
        kind: 'show',
        view: { page: 'done', continueUrl: undefined },
      },
    );
  });

  it('works once: the same link again is "used" (410), and changes nothing', async () => {
    const { reset, token, users, alice } = await linked();
    await submitReset(reset, token, { password: 'a new password 2', locale: 'en' });
    const hash = users.users.get(alice.id)?.passwordHash;
    const again = await submitReset(reset, token, { password: 'a third password 3', locale: 'en' });
    expect(again).toMatchObject({ kind: 'refused', refusal: { reason: 'link', problem: 'used' } });
    expect(await openReset(reset, token)).toMatchObject({ refusal: { problem: 'used' } });
    expect(users.users.get(alice.id)?.passwordHash).toBe(hash);
  });

  it('lets one of two tabs win; the other is told the link was used', async () => {
    const { reset, token, hydra } = await linked();
    const outcomes = await Promise.all([
      submitReset(reset, token, { password: 'first tab password', locale: 'en' }),
      submitReset(reset, token, { password: 'second tab password', locale: 'en' }),
    ]);
    expect(outcomes.map((outcome) => outcome.kind).sort()).toEqual(['refused', 'show']);
    expect(hydra.revokedSubjects).toHaveLength(1);
  });

  it('expires when its time is over (checked in code, not by the TTL)', async () => {
    const { reset, token, later, users } = await linked();
    later(1800);
    expect(await openReset(reset, token)).toMatchObject({
      refusal: { reason: 'link', problem: 'expired' },
    });
    expect(
      await submitReset(reset, token, { password: 'a new password 2', locale: 'en' }),
    ).toMatchObject({ refusal: { problem: 'expired' } });
    expect(users.writes).toEqual([]);
  });

  it.each([
    ['changed', (token: string) => `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`],
    ['cut off', (token: string) => token.slice(0, 20)],
    ['missing', () => ''],
  ])('calls a %s token not valid (400)', async (_what, tamper) => {
    const { reset, token } = await linked();
    expect(await openReset(reset, tamper(token))).toMatchObject({
      refusal: { reason: 'link', problem: 'invalid' },
      view: { page: 'link', again: '/recovery' },
    });
  });

  it('keeps the link for a password outside the policy, and shows the form again', async () => {
    const { reset, token, users } = await linked();
    const outcome = await submitReset(reset, token, { password: 'short', locale: 'en' });
    expect(outcome).toMatchObject({
      kind: 'refused',
      refusal: { reason: 'bad-input' },
      view: { page: 'form', error: { key: 'page.password.invalid' } },
    });
    expect(users.writes).toEqual([]);
    expect(
      (await submitReset(reset, token, { password: 'long enough now', locale: 'en' })).kind,
    ).toBe('show');
  });

  it("no longer works once the user's sessions were ended after it was sent (another reset, sign out everywhere)", async () => {
    const { reset, token, users, alice } = await linked();
    const endedAt = (ms: number) =>
      users.users.set(alice.id, { ...alice, sessionsValidAfter: new Date(ms).toISOString() });
    endedAt(T0 - 1000);
    expect(await openReset(reset, token)).toMatchObject({ kind: 'show' });
    endedAt(T0);

    expect(
      await submitReset(reset, token, { password: 'a new password 2', locale: 'en' }),
    ).toMatchObject({ refusal: { problem: 'invalid' } });
    expect(users.calls).not.toContain('setPassword');
  });

  it('still works when the sessions were ended before it was sent', async () => {
    const { reset, token, users, alice } = await linked();
    users.users.set(alice.id, {
      ...alice,
      sessionsValidAfter: new Date(T0 - 1000).toISOString(),
    });

    expect(
      await submitReset(reset, token, { password: 'a new password 2', locale: 'en' }),
    ).toMatchObject({ kind: 'show', view: { page: 'done' } });
    expect(users.calls).toContain('setPassword');
  });

  it('no longer works for a user disabled since', async () => {
    const { reset, token, users, alice } = await linked();
    await users.setEnabled(alice.id, false);
    expect(
      await submitReset(reset, token, { password: 'a new password 2', locale: 'en' }),
    ).toMatchObject({ refusal: { problem: 'invalid' } });
    expect(users.calls).not.toContain('setPassword');
  });
});
