/**
 * Changing the email over in-memory fakes: the current password first (counted as a sign-in
 * guess), a link to the new address only, the same answer whether or not that address is
 * someone else's (and the same time floor), the address changed only by the link's POST (to a
 * verified address, the old one told), and every way the link stops working.
 */
import {
  confirmEmailChange,
  requestEmailChange,
  type RequestEmailChangeDeps,
} from '../../../shared/flows/email-change';
import { issueLink } from '../../../shared/flows/email-links';
import { confirmVerification, openVerification } from '../../../shared/flows/verification';
import { createMailThrottle } from '../../../shared/throttle/mail';
import { createLoginThrottle } from '../../../shared/throttle/throttle';
import { createIdentifierTags } from '../../../shared/users/tags';
import type { User } from '../../../shared/users/types';
import {
  FakeHydra,
  FakePasswordHasher,
  InMemoryCounters,
  InMemoryEmailTokens,
  InMemoryUserStore,
  RecordingMailer,
} from '../support/fakes';
import { captureLogs } from '../support/logs';

const logs = captureLogs();

const PASSWORD = 'ada password 1';
const T0 = Date.parse('2026-01-01T10:00:00Z');

function setup(options: { maxPerAddress?: number; minResponseMs?: number } = {}) {
  let now = T0;
  const slept: number[] = [];
  const clock = {
    now: () => now,
    sleep: (ms: number) => {
      slept.push(ms);
      return Promise.resolve();
    },
  };
  const hasher = new FakePasswordHasher();
  const users = new InMemoryUserStore(hasher);
  const ada = users.add({ email: 'ada@example.com', password: PASSWORD, profile: { name: 'Ada' } });
  const bob = users.add({ email: 'bob@example.com', password: 'bob password 1' });
  const tokens = new InMemoryEmailTokens();
  const mailer = new RecordingMailer();
  const counters = new InMemoryCounters();
  const request: RequestEmailChangeDeps = {
    tokens,
    mailer,
    mailThrottle: createMailThrottle(
      counters,
      { windowSeconds: 900, maxPerAddress: options.maxPerAddress ?? 5, maxPerIp: 100 },
      clock.now,
    ),
    links: { publicUrl: 'https://login.example', ttlSeconds: 1800 },
    minResponseMs: options.minResponseMs ?? 0,
    clock,
    passwords: hasher,
    throttle: createLoginThrottle(
      counters,
      { windowSeconds: 900, maxPerAccount: 3, maxPerIp: 100, maxPerAccountTotal: 50 },
      clock.now,
    ),
    tags: createIdentifierTags('email-change-test-secret-0123456789abcdef'),
  };
  const confirm = { users, tokens, mailer, clock, hydra: new FakeHydra() };
  return {
    request,
    confirm,
    users,
    ada,
    bob,
    tokens,
    mailer,
    hasher,
    slept,
    later: (seconds: number) => (now += seconds * 1000),
  };
}

const ask = (deps: RequestEmailChangeDeps, user: User, email: string, current = PASSWORD) =>
  requestEmailChange(deps, user, {
    email,
    current,
    sourceIp: '203.0.113.8',
    device: undefined,
    locale: 'fr',
  });

describe('asking to change the email', () => {
  it('mails a link to the new address only, in the page language, and changes nothing yet', async () => {
    const { request, mailer, users, ada } = setup();

    expect(await ask(request, ada, '  Ada@New.Example ')).toEqual({ kind: 'sent' });

    expect(mailer.sent).toHaveLength(1);
    const [sent] = mailer.sent;
    expect(sent).toMatchObject({
      to: 'ada@new.example',
      locale: 'fr',
      mail: { kind: 'email-change', email: 'ada@new.example', validMinutes: 30 },
    });
    const link = new URL(sent?.mail.kind === 'email-change' ? sent.mail.link : '');
    expect(`${link.origin}${link.pathname}`).toBe('https://login.example/verify');
    expect([...link.searchParams.keys()]).toEqual(['token']);
    expect(users.users.get(ada.id)?.email).toBe('ada@example.com');
    expect(users.writes).toEqual([]);
    expect(logs.entries()).toContainEqual(
      expect.objectContaining({ event: 'account.email_change_requested', subject: ada.id }),
    );
  });

  it('answers an address another account has exactly as a free one, and looks neither up', async () => {
    const { request, mailer, users, ada } = setup();

    const taken = await ask(request, ada, 'bob@example.com');
    const free = await ask(request, ada, 'free@example.com');

    expect(taken).toEqual(free);
    expect(mailer.sent.map(({ to }) => to)).toEqual(['bob@example.com', 'free@example.com']);
    expect(users.calls).toEqual([]);
  });

  it('holds every answer to MAIL_MIN_RESPONSE_MS, a refused password too', async () => {
    const { request, ada, slept } = setup({ minResponseMs: 250 });

    await ask(request, ada, 'new@example.com');
    await ask(request, ada, 'new@example.com', 'wrong password');

    expect(slept).toEqual([250, 250]);
  });

  it('refuses a wrong current password, mailing nothing, and counts it as a sign-in guess', async () => {
    const { request, mailer, ada } = setup();

    for (let i = 0; i < 3; i++) {
      expect(await ask(request, ada, 'new@example.com', 'wrong password')).toMatchObject({
        kind: 'refused',
        text: { key: 'account.password.wrongCurrent' },
        email: 'new@example.com',
      });
    }
    expect(await ask(request, ada, 'new@example.com')).toMatchObject({
      kind: 'throttled',
      text: { key: 'page.signIn.throttled' },
    });
    expect(mailer.sent).toEqual([]);
  });

  it('refuses an address that is not one, or is the current one, before any password work', async () => {
    const { request, mailer, ada, hasher } = setup();

    expect(await ask(request, ada, 'not an email')).toMatchObject({
      kind: 'refused',
      text: { key: 'page.selfService.invalidEmail' },
    });
    expect(await ask(request, ada, ' ADA@example.com')).toMatchObject({
      kind: 'refused',
      text: { key: 'account.email.same' },
    });
    expect(hasher.work).toBe(0);
    expect(mailer.sent).toEqual([]);
  });

  it('stops mailing one address past the mail throttle, with the throttled answer', async () => {
    const { request, mailer, ada } = setup({ maxPerAddress: 2 });

    await ask(request, ada, 'new@example.com');
    await ask(request, ada, 'new@example.com');
    expect(await ask(request, ada, 'new@example.com')).toMatchObject({
      kind: 'throttled',
      text: { key: 'page.selfService.throttled' },
    });
    expect(mailer.sent).toHaveLength(2);
  });
});

describe("the new address's link", () => {
  it('opens a page that asks first (GET changes nothing), then moves the account, verified, and tells the old address', async () => {
    const { request, confirm, mailer, users, ada } = setup();
    await ask(request, ada, 'ada@new.example');
    const token = mailer.lastToken();

    expect(await openVerification(confirm, token)).toEqual({
      kind: 'show',
      view: { page: 'change-form', email: 'ada@new.example' },
    });
    expect(users.writes).toEqual([]);

    expect(await confirmVerification(confirm, token, 'de')).toEqual({
      kind: 'show',
      view: { page: 'changed', email: 'ada@new.example' },
    });
    const moved = users.users.get(ada.id);
    expect(moved?.email).toBe('ada@new.example');
    expect(moved?.profile).toEqual({ name: 'Ada', email_verified: true });
    expect(mailer.sent.at(-1)).toEqual({
      to: 'ada@example.com',
      locale: 'de',
      mail: { kind: 'email-changed', email: 'ada@example.com', newEmail: 'ada@new.example' },
    });
  });

  it('works once: a second use is "used", and changes nothing', async () => {
    const { request, confirm, mailer, users, ada } = setup();
    await ask(request, ada, 'ada@new.example');
    const token = mailer.lastToken();
    await confirmVerification(confirm, token, 'en');
    users.calls.length = 0;

    expect(await confirmVerification(confirm, token, 'en')).toMatchObject({
      kind: 'refused',
      refusal: { reason: 'link', problem: 'used' },
    });
    expect(users.writes).toEqual([]);
  });

  it('says the address is taken (409) when another account took it after the link was sent', async () => {
    const { request, confirm, mailer, users, ada } = setup();
    await ask(request, ada, 'late@example.com');
    const token = mailer.lastToken();
    users.add({ email: 'late@example.com', password: 'late password 1' });
    const mails = mailer.sent.length;

    expect(await confirmVerification(confirm, token, 'en')).toEqual({
      kind: 'refused',
      refusal: { reason: 'taken' },
      view: { page: 'taken', email: 'late@example.com' },
    });
    expect(users.users.get(ada.id)?.email).toBe('ada@example.com');
    expect(mailer.sent).toHaveLength(mails);
  });

  it('no longer works once the address it was asked from changed, or the user was disabled', async () => {
    const { request, confirm, mailer, users, ada } = setup();
    await ask(request, ada, 'first@example.com');
    const first = mailer.lastToken();
    await ask(request, ada, 'second@example.com');
    const second = mailer.lastToken();
    await confirmVerification(confirm, second, 'en');

    expect(await confirmEmailChange(confirm, first, 'en')).toEqual({
      kind: 'link',
      problem: 'invalid',
    });
    expect(users.users.get(ada.id)?.email).toBe('second@example.com');

    const moved = users.users.get(ada.id)!;
    await ask(request, moved, 'third@example.com');
    const third = mailer.lastToken();
    await users.setEnabled(ada.id, false);
    expect(await confirmEmailChange(confirm, third, 'en')).toEqual({
      kind: 'link',
      problem: 'invalid',
    });
    expect(users.users.get(ada.id)?.email).toBe('second@example.com');
  });

  it("no longer works once the user's sessions were ended after it was asked for (a password reset, sign out everywhere)", async () => {
    const { request, confirm, mailer, users, ada } = setup();
    await ask(request, ada, 'taker@example.com');
    const token = mailer.lastToken();
    users.users.set(ada.id, { ...ada, sessionsValidAfter: new Date(T0).toISOString() });

    expect(await confirmEmailChange(confirm, token, 'en')).toEqual({
      kind: 'link',
      problem: 'invalid',
    });
    expect(users.users.get(ada.id)?.email).toBe('ada@example.com');
  });

  it('still works when the sessions were ended before it was asked for', async () => {
    const { request, confirm, mailer, users, ada } = setup();
    users.users.set(ada.id, { ...ada, sessionsValidAfter: new Date(T0 - 1000).toISOString() });
    await ask(request, users.users.get(ada.id)!, 'ada@new.example');

    expect(await confirmEmailChange(confirm, mailer.lastToken(), 'en')).toEqual({
      kind: 'changed',
      email: 'ada@new.example',
    });
  });

  it('expires with its own time, checked in code', async () => {
    const { request, confirm, mailer, users, ada, later } = setup();
    await ask(request, ada, 'slow@example.com');
    const token = mailer.lastToken();
    later(1801);

    expect(await confirmVerification(confirm, token, 'en')).toMatchObject({
      refusal: { reason: 'link', problem: 'expired' },
    });
    expect(users.users.get(ada.id)?.email).toBe('ada@example.com');
  });

  it('keeps only its purpose, the two addresses and the user; a link of another purpose moves nothing', async () => {
    const { request, confirm, tokens, users, ada } = setup();
    await ask(request, ada, 'purpose@example.com');
    expect([...tokens.tokens.values()]).toMatchObject([
      {
        purpose: 'email-change',
        email: 'purpose@example.com',
        previousEmail: 'ada@example.com',
        subject: ada.id,
      },
    ]);

    const verify = await issueLink(tokens, request.links, '/verify', {
      purpose: 'verify',
      email: 'other@example.com',
      subject: ada.id,
      previousEmail: 'ada@example.com',
    });
    const token = new URL(verify).searchParams.get('token') ?? '';
    expect(await confirmEmailChange(confirm, token, 'en')).toEqual({
      kind: 'link',
      problem: 'invalid',
    });
    expect(users.users.get(ada.id)?.email).toBe('ada@example.com');
  });
});
