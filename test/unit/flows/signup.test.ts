/**
 * Sign-up and verification over in-memory fakes: the same answer for a new and a taken address
 * (each its own mail), the account created only from the link with its email verified, SIGNUP's
 * domains, and a verification link that marks only the address it was sent to.
 */
import {
  completeSignUp,
  requestSignUp,
  signUpAllows,
  type SignUpDeps,
} from '../../../shared/flows/signup';
import {
  checkVerificationStep,
  confirmVerification,
  openVerification,
  sendVerification,
  signVerificationStep,
} from '../../../shared/flows/verification';
import type { SignUpPolicy } from '../../../shared/config';
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

captureLogs();

function setup(policy: SignUpPolicy = { mode: 'open' }) {
  const users = new InMemoryUserStore(new FakePasswordHasher());
  const taken = users.add({ email: 'taken@example.com', password: 'taken password 1' });
  const tokens = new InMemoryEmailTokens();
  const mailer = new RecordingMailer();
  const hydra = new FakeHydra();
  const shared = {
    tokens,
    mailer,
    mailThrottle: createMailThrottle(new InMemoryCounters(), {
      windowSeconds: 900,
      maxPerAddress: 5,
      maxPerIp: 100,
    }),
    tags: createIdentifierTags('signup-test-secret-0123456789abcdef'),
    links: { publicUrl: 'https://login.example', ttlSeconds: 3600 },
  };
  const signUp: SignUpDeps = { ...shared, policy, users, minResponseMs: 0 };
  return { signUp, shared, users, taken, tokens, mailer, hydra, policy };
}

const ask = (deps: SignUpDeps, email: string) =>
  requestSignUp(deps, { email, loginChallenge: undefined, sourceIp: '203.0.113.9', locale: 'en' });

describe('sign-up', () => {
  it('answers a new and a taken address alike: a link to the new one, "someone tried" to the taken one', async () => {
    const { signUp, mailer, tokens, users } = setup();
    const fresh = await ask(signUp, 'new@example.com');
    expect(withoutAddress(await ask(signUp, 'taken@example.com'))).toEqual(withoutAddress(fresh));
    expect(mailer.sent.map(({ to, mail }) => [to, mail.kind])).toEqual([
      ['new@example.com', 'signup'],
      ['taken@example.com', 'signup-exists'],
    ]);
    expect(tokens.tokens.size).toBe(1);
    expect(users.writes).toEqual([]);
  });

  it('creates the account from the link, its email verified, once', async () => {
    const { signUp, mailer, tokens, users, hydra, policy } = setup();
    await ask(signUp, 'new@example.com');
    const token = mailer.lastToken();
    const deps = { policy, users, tokens, hydra };
    const done = await completeSignUp(deps, token, { password: 'new password 1', name: ' New ' });
    expect(done).toEqual({
      kind: 'show',
      view: { page: 'done', email: 'new@example.com', continueUrl: undefined },
    });
    const created = await users.findByIdentifier('new@example.com');
    expect(created?.profile).toEqual({ email_verified: true, name: 'New' });
    expect(
      await completeSignUp(deps, token, { password: 'new password 2', name: '' }),
    ).toMatchObject({
      refusal: { reason: 'link', problem: 'used' },
    });
  });

  it.each([
    [{ mode: 'open' } as const, 'a@anything.test', true],
    [{ mode: 'domains', domains: ['example.com'] } as const, 'a@example.com', true],
    [{ mode: 'domains', domains: ['example.com'] } as const, 'a@sub.example.com', false],
    [{ mode: 'domains', domains: ['example.com'] } as const, 'a@example.com.evil.test', false],
    [{ mode: 'off' } as const, 'a@example.com', false],
  ])('under %j lets %s sign up: %s', (policy, email, allowed) => {
    expect(signUpAllows(policy, email)).toBe(allowed);
  });

  it("refuses an address outside SIGNUP's domains, naming them, and mails nothing", async () => {
    const { signUp, mailer } = setup({ mode: 'domains', domains: ['example.org'] });
    expect(await ask(signUp, 'new@example.com')).toMatchObject({
      kind: 'refused',
      refusal: { reason: 'bad-input' },
      view: { error: { key: 'page.signUp.domains', params: { domains: 'example.org' } } },
    });
    expect(mailer.sent).toEqual([]);
  });
});

describe('verification', () => {
  it("marks the address verified only through the link, and only while it is the user's", async () => {
    const { shared, users, taken, tokens, mailer, hydra } = setup();
    await sendVerification(shared, taken, {
      loginChallenge: undefined,
      sourceIp: undefined,
      locale: 'en',
    });
    const token = mailer.lastToken();
    const deps = { users, tokens, hydra, mailer };
    expect(await openVerification(deps, token)).toMatchObject({ view: { page: 'form' } });
    expect(users.users.get(taken.id)?.profile.email_verified).toBeUndefined();
    expect((await confirmVerification(deps, token, 'en')).kind).toBe('show');
    expect(users.users.get(taken.id)?.profile.email_verified).toBe(true);

    // A link to an address the user no longer has does nothing.
    await sendVerification(shared, taken, {
      loginChallenge: undefined,
      sourceIp: undefined,
      locale: 'en',
    });
    const second = mailer.lastToken();
    users.users.set(taken.id, { ...taken, email: 'changed@example.com', profile: {} });
    expect(await confirmVerification(deps, second, 'en')).toMatchObject({
      refusal: { problem: 'invalid' },
    });
    expect(users.users.get(taken.id)?.profile.email_verified).toBeUndefined();
  });
});

describe('the verification step after the right password', () => {
  const SECRET = 'step-test-secret-0123456789abcdefghij';
  const claim = { subject: 'user-1', challenge: 'login-challenge-1', expiresAtSeconds: 2000 };

  it('names the user only for its own sign-in, until it expires, and only as signed', () => {
    const step = signVerificationStep(SECRET, claim);
    expect(checkVerificationStep(SECRET, step, 'login-challenge-1', 2000)).toBe('user-1');
    expect(checkVerificationStep(SECRET, step, 'login-challenge-2', 2000)).toBeUndefined();
    expect(checkVerificationStep(SECRET, step, 'login-challenge-1', 2001)).toBeUndefined();
    expect(checkVerificationStep(`${SECRET}x`, step, 'login-challenge-1', 2000)).toBeUndefined();
    expect(
      checkVerificationStep(SECRET, step.replace('user-1', 'user-2'), 'login-challenge-1', 2000),
    ).toBeUndefined();
    expect(checkVerificationStep(SECRET, 'nonsense', 'login-challenge-1', 2000)).toBeUndefined();
  });
});
