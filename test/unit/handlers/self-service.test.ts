/**
 * The self-service routes through the real handlers and pipeline, handed in-memory fakes: the
 * form and its CSRF binding (to the login challenge, or to the link's token), 404 where the
 * configuration offers nothing, clear pages for bad links, security headers on all of it.
 */
import { recoveryGet } from '../../../functions/recovery-get';
import { recoveryPost } from '../../../functions/recovery-post';
import { resetGet } from '../../../functions/reset-get';
import { resetPost } from '../../../functions/reset-post';
import { signUpGet } from '../../../functions/signup-get';
import { createMailThrottle } from '../../../shared/throttle/mail';
import { createIdentifierTags } from '../../../shared/users/tags';
import { event, formPost } from '../support/events';
import {
  FakeHydra,
  FakePasswordHasher,
  InMemoryCounters,
  InMemoryEmailTokens,
  InMemoryUserStore,
  RecordingMailer,
} from '../support/fakes';
import {
  COOKIE_SECRET,
  expectSecurityHeaders,
  formSecrets,
  invoke,
  WEB,
} from '../support/handlers';
import { captureLogs } from '../support/logs';

captureLogs();

const CHALLENGE = 'login-challenge-0123456789abcdef';

function site(offered = true) {
  const users = new InMemoryUserStore(new FakePasswordHasher());
  users.add({ email: 'alice@example.com', password: 'alice password 1' });
  const tokens = new InMemoryEmailTokens();
  const mailer = new RecordingMailer();
  const hydra = new FakeHydra();
  const links = { publicUrl: 'https://auth.example', ttlSeconds: 3600 };
  const recovery = {
    web: WEB,
    offered,
    users,
    tokens,
    mailer,
    mailThrottle: createMailThrottle(new InMemoryCounters(), {
      windowSeconds: 900,
      maxPerAddress: 5,
      maxPerIp: 100,
    }),
    tags: createIdentifierTags(COOKIE_SECRET),
    links,
    minResponseMs: 0,
  };
  const reset = { web: WEB, offered, users, tokens, hydra, mailer, links };
  return {
    mailer,
    users,
    recoveryGet: recoveryGet(recovery),
    recoveryPost: recoveryPost(recovery),
    resetGet: resetGet(reset),
    resetPost: resetPost(reset),
    signUpGet: signUpGet({ ...recovery, offered: false, policy: { mode: 'off' } }),
  };
}

const getRecovery = (s: ReturnType<typeof site>, query = `login_challenge=${CHALLENGE}`) =>
  invoke(s.recoveryGet, event({ path: '/recovery', query }));

describe('GET and POST /recovery', () => {
  it('shows the form bound to the sign-in it came from, and "check your inbox" after it', async () => {
    const s = site();
    const form = await getRecovery(s);
    expect(form.statusCode).toBe(200);
    expectSecurityHeaders(form);
    expect(form.body).toContain(`name="challenge" value="${CHALLENGE}"`);
    const secrets = formSecrets(form);
    const sent = await invoke(
      s.recoveryPost,
      formPost(
        '/recovery',
        { challenge: CHALLENGE, csrf: secrets.token, email: 'alice@example.com' },
        { cookies: [secrets.cookie] },
      ),
    );
    expect(sent.statusCode).toBe(200);
    expectSecurityHeaders(sent);
    expect(sent.body).toContain('Check your inbox');
    expect(s.mailer.sent).toHaveLength(1);
  });

  it('refuses a form without its CSRF token, or bound to another sign-in (403), mailing nothing', async () => {
    const s = site();
    const secrets = formSecrets(await getRecovery(s));
    const forms: Record<string, string>[] = [
      { challenge: CHALLENGE, email: 'alice@example.com' },
      { challenge: `${CHALLENGE}x`, csrf: secrets.token, email: 'alice@example.com' },
    ];
    for (const fields of forms) {
      const response = await invoke(
        s.recoveryPost,
        formPost('/recovery', fields, { cookies: [secrets.cookie] }),
      );
      expect(response.statusCode).toBe(403);
      expectSecurityHeaders(response);
    }
    expect(s.mailer.sent).toEqual([]);
  });

  it('offers "send it again" on "check your inbox": the same POST, counted by the same throttle', async () => {
    const s = site();
    const secrets = formSecrets(await getRecovery(s));
    /** The hidden fields of the page's form that posts to /recovery. */
    const resendFields = (body: string) => {
      const form = /<form method="post" action="\/recovery">([\s\S]*?)<\/form>/.exec(body)?.[1];
      const fields = [...(form ?? '').matchAll(/type="hidden" name="(\w+)" value="([^"]*)"/g)];
      return Object.fromEntries(fields.map(([, name, value]) => [name!, value!]));
    };
    let page = await invoke(
      s.recoveryPost,
      formPost(
        '/recovery',
        { challenge: CHALLENGE, csrf: secrets.token, email: 'alice@example.com' },
        { cookies: [secrets.cookie] },
      ),
    );
    const answers: number[] = [];
    for (let again = 0; again < 5; again++) {
      expect(page.body).toContain('Send it again');
      const fields = resendFields(page.body ?? '');
      expect(Object.keys(fields).sort()).toEqual(['challenge', 'csrf', 'email']);
      page = await invoke(
        s.recoveryPost,
        formPost('/recovery', fields, { cookies: [secrets.cookie] }),
      );
      answers.push(page.statusCode);
    }

    // Five mails a window per address (the mail throttle): the sixth ask is refused, as typed.
    expect(answers).toEqual([200, 200, 200, 200, 429]);
    expect(s.mailer.sent.map(({ to }) => to)).toEqual(Array(5).fill('alice@example.com'));
  });

  it("makes the mailed link from PUBLIC_URL, never from the request's Host header", async () => {
    const s = site();
    const secrets = formSecrets(await getRecovery(s));
    const sent = await invoke(
      s.recoveryPost,
      formPost(
        '/recovery',
        { challenge: CHALLENGE, csrf: secrets.token, email: 'alice@example.com' },
        {
          cookies: [secrets.cookie],
          headers: {
            host: 'evil.example',
            origin: 'https://evil.example',
            'x-forwarded-host': 'evil.example',
          },
        },
      ),
    );
    expect(sent.statusCode).toBe(200);
    const [mail] = s.mailer.sent;
    const link = mail?.mail.kind === 'reset' ? mail.mail.link : '';
    expect(link).toMatch(/^https:\/\/auth\.example\/recovery\/reset\?token=[A-Za-z0-9_-]{43}$/);
  });

  it('works without a sign-in to go back to', async () => {
    const s = site();
    const form = await getRecovery(s, '');
    expect(form.statusCode).toBe(200);
    expect(form.body).not.toContain('Back to sign-in');
  });

  it('refuses a malformed login challenge (400)', async () => {
    expect((await getRecovery(site(), 'login_challenge=%3Cscript%3E')).statusCode).toBe(400);
  });

  it('is not there while no mail is configured (404), nor sign-up while SIGNUP is off', async () => {
    const off = site(false);
    const response = await getRecovery(off);
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('Not available');
    expect((await invoke(off.signUpGet, event({ path: '/signup' }))).statusCode).toBe(404);
  });
});

describe('GET and POST /recovery/reset', () => {
  it('answers a link that is not ours with a clear 400 page, reading nothing else', async () => {
    const s = site();
    const response = await invoke(
      s.resetGet,
      event({ path: '/recovery/reset', query: 'token=nope' }),
    );
    expect(response.statusCode).toBe(400);
    expectSecurityHeaders(response);
    expect(response.body).toContain('This link is not valid');
    expect(response.body).toContain('href="/recovery"');
  });

  it('binds the new-password form to its link: a token from another page is refused (403)', async () => {
    const s = site();
    const secrets = formSecrets(await getRecovery(s));
    await invoke(
      s.recoveryPost,
      formPost(
        '/recovery',
        { challenge: CHALLENGE, csrf: secrets.token, email: 'alice@example.com' },
        { cookies: [secrets.cookie] },
      ),
    );
    const token = s.mailer.lastToken();
    const page = await invoke(
      s.resetGet,
      event({ path: '/recovery/reset', query: `token=${token}` }),
    );
    expect(page.statusCode).toBe(200);
    const form = formSecrets(page);
    const refused = await invoke(
      s.resetPost,
      formPost(
        '/recovery/reset',
        { token, csrf: secrets.token, password: 'a new password 1' },
        { cookies: [secrets.cookie] },
      ),
    );
    expect(refused.statusCode).toBe(403);
    const done = await invoke(
      s.resetPost,
      formPost(
        '/recovery/reset',
        { token, csrf: form.token, password: 'a new password 1' },
        { cookies: [form.cookie] },
      ),
    );
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Your password was changed');
  });
});
