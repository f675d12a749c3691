/**
 * The account page through the real handlers and pipeline, handed the in-memory fakes: the
 * sign-in through Hydra (code + PKCE, state and nonce in a sealed cookie), the page, and each of
 * its forms, with what every bad input leaves unchanged.
 */
import type { OAuth2ConsentSession } from '../../../shared/hydra/admin';
import { HydraUnavailableError } from '../../../shared/hydra/errors';
import type { WebResponse } from '../../../shared/http/response';
import { UNBRANDED } from '../../../shared/brand/brand';
import { accountGet, accountPost } from '../../../shared/http/account';
import type { User } from '../../../shared/users/types';
import { event, formPost, HOST } from '../support/events';
import { HYDRA_PUBLIC } from '../support/fakes';
import { ACCOUNT, expectSecurityHeaders, invoke, useFakeSite } from '../support/handlers';
import { captureLogs } from '../support/logs';
import { createMailThrottle } from '../../../shared/throttle/mail';
import { InMemoryCounters, InMemoryEmailTokens, RecordingMailer } from '../support/fakes';
import { CLIENT, consentRequest } from '../support/payloads';

// PASSKEYS on: the page as it is with every section it can have.
const site = useFakeSite({
  passkeys: { rpId: HOST, origins: [`https://${HOST}`], rpName: 'Example' },
});
const logs = captureLogs();
const PASSWORD = 'correct horse battery';

/** The name=value of each Set-Cookie, by name. */
function cookiesOf(response: WebResponse): Map<string, string> {
  return new Map(
    (response.cookies ?? []).map((cookie) => {
      const pair = cookie.split(';')[0] ?? '';
      const equals = pair.indexOf('=');
      return [pair.slice(0, equals), pair.slice(equals + 1)];
    }),
  );
}

const get = (path: string, cookies: string[] = [], query = '') =>
  invoke(
    path === '/account/callback' ? site().accountCallback : site().accountGet,
    event({ path, query, cookies }),
  );

/** A grant of `scopes` to a client, as Hydra lists the subject's consent sessions. */
function grant(
  clientId: string,
  name: string,
  scopes: string[],
  handledAt = '2026-11-01T10:00:00Z',
): OAuth2ConsentSession {
  return {
    consent_request: consentRequest({
      client: { ...CLIENT, client_id: clientId, client_name: name },
    }),
    grant_scope: scopes,
    handled_at: handledAt,
    remember: true,
  };
}

/** Signs `user` in to the account page as the browser would; its session cookie. */
async function signIn(user: User, authTime = Math.floor(Date.now() / 1000) - 5): Promise<string> {
  const start = await get('/account');
  const pending = cookiesOf(start).get('__Host-hlc-account-signin') ?? '';
  const state = new URL(start.headers.location ?? '').searchParams.get('state') ?? '';
  site().accountTokens.codes.set('code-1', { subject: user.id, authTime });
  const done = await get(
    '/account/callback',
    [`__Host-hlc-account-signin=${pending}`],
    `code=code-1&state=${state}`,
  );
  expect(done.statusCode).toBe(303);
  return `__Host-hlc-account=${cookiesOf(done).get('__Host-hlc-account') ?? ''}`;
}

function addUser(profile: User['profile'] = { name: 'Ada' }): User {
  return site().users.add({ email: 'ada@example.com', password: PASSWORD, profile });
}

/** The page's CSRF cookie and token, for the forms. */
async function formOf(session: string): Promise<{ cookies: string[]; csrf: string }> {
  const page = await get('/account', [session]);
  expect(page.statusCode).toBe(200);
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.body ?? '')?.[1] ?? '';
  const nonce = cookiesOf(page).get('__Host-hlc-csrf') ?? '';
  return { cookies: [session, `__Host-hlc-csrf=${nonce}`], csrf };
}

async function post(session: string, fields: Record<string, string>) {
  const form = await formOf(session);
  site().hydra.calls.length = 0;
  site().users.calls.length = 0;
  return invoke(
    site().accountPost,
    formPost('/account', { csrf: form.csrf, ...fields }, { cookies: form.cookies }),
  );
}

describe('GET /account without a session', () => {
  it('sends the browser to Hydra: code + PKCE (S256), state and nonce kept in a sealed cookie', async () => {
    const response = await get('/account');

    expect(response.statusCode).toBe(303);
    const to = new URL(response.headers.location ?? '');
    expect(`${to.origin}${to.pathname}`).toBe(`${HYDRA_PUBLIC}/oauth2/auth`);
    expect(Object.fromEntries(to.searchParams)).toMatchObject({
      client_id: 'account',
      response_type: 'code',
      scope: 'openid',
      redirect_uri: `${ACCOUNT.publicUrl}/account/callback`,
      code_challenge_method: 'S256',
    });
    expect(to.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = response.cookies?.find((set) => set.startsWith('__Host-hlc-account-signin='));
    expect(cookie).toMatch(/; Path=\/; SameSite=Lax; HttpOnly; Secure; Max-Age=1800$/);
    for (const secret of ['state', 'nonce']) {
      expect(cookie).not.toContain(to.searchParams.get(secret));
    }
    expect(site().hydra.calls).toEqual([]);
    expect(site().users.calls).toEqual([]);
    expectSecurityHeaders(response);
  });

  it('answers 404 when the account page is not configured', async () => {
    const off = accountGet({ ...site().accountDeps, account: undefined });
    const response = await invoke(off, event({ path: '/account' }));
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('There is no account page');
  });
});

describe('GET /account/callback', () => {
  it('begins the session: the code exchanged once, the pending sign-in cleared, back to /account', async () => {
    const user = addUser();
    const session = await signIn(user);

    expect(site().accountTokens.exchanged).toEqual(['code-1']);
    expect(session).not.toContain(user.id);
    const page = await get('/account', [session]);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('ada@example.com');
  });

  it.each([
    ['a state that is not the pending one', (state: string) => `code=code-1&state=${state}x`],
    ['no state', () => 'code=code-1'],
  ])('refuses %s (400), exchanging nothing', async (_what, query) => {
    const start = await get('/account');
    const pending = cookiesOf(start).get('__Host-hlc-account-signin') ?? '';
    const state = new URL(start.headers.location ?? '').searchParams.get('state') ?? '';

    const response = await get(
      '/account/callback',
      [`__Host-hlc-account-signin=${pending}`],
      query(state),
    );

    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Sign-in did not finish');
    expect(response.body).toContain('href="/account"');
    expect(site().accountTokens.exchanged).toEqual([]);
  });

  it('refuses a callback without a pending sign-in in this browser (another browser started it)', async () => {
    const response = await get('/account/callback', [], 'code=code-1&state=abc');
    expect(response.statusCode).toBe(400);
    expect(site().accountTokens.exchanged).toEqual([]);
  });

  it("says the sign-in was cancelled when Hydra answers with an error, and a refused code's page", async () => {
    const start = await get('/account');
    const pending = [
      `__Host-hlc-account-signin=${cookiesOf(start).get('__Host-hlc-account-signin')}`,
    ];
    const state = new URL(start.headers.location ?? '').searchParams.get('state') ?? '';

    const cancelled = await get('/account/callback', pending, `error=access_denied&state=${state}`);
    expect(cancelled.statusCode).toBe(400);
    expect(cancelled.body).toContain('The sign-in to your account page was cancelled.');

    const refused = await get('/account/callback', pending, `code=unknown&state=${state}`);
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('could not be completed');
    expect(cookiesOf(refused).has('__Host-hlc-account')).toBe(false);
  });
});

describe('GET /account with a session', () => {
  it("lists the apps the user authorised, one per client, without the account page's own", async () => {
    const user = addUser();
    site().hydra.consentSessions.set(user.id, [
      grant('third', 'Third App', ['openid', 'email'], '2026-10-01T10:00:00Z'),
      grant('third', 'Third App', ['openid', 'profile'], '2026-11-05T10:00:00Z'),
      grant('account', 'Your account', ['openid']),
      grant('first', 'First App', ['openid', 'reports:read']),
    ]);
    const page = await get('/account', [await signIn(user)]);

    const body = page.body ?? '';
    expect(body.match(/<strong>[^<]+<\/strong>\s*<\/div>/g)).toEqual([
      '<strong>First App</strong></div>',
      '<strong>Third App</strong></div>',
    ]);
    expect(body).toContain('See your email address');
    expect(body).toContain('<code>reports:read</code>');
    expect(body).toContain('Access granted on November 5, 2026');
    expect(body).not.toContain('Your account</strong>');
  });

  it("reads the user's second factors once for both its sections (two-step and passkeys)", async () => {
    const user = addUser();
    site().factors.factors.set(user.id, {
      passkeys: {
        'credential-id-0123456789': {
          publicKey: 'cHVibGljLWtleQ',
          counter: 3,
          name: 'Work laptop',
          transports: ['internal'],
          deviceType: 'singleDevice',
          backedUp: false,
          createdAt: '2026-11-20T09:00:00.000Z',
        },
      },
    });
    const session = await signIn(user);
    site().factors.calls.length = 0;

    const page = await get('/account', [session]);

    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Work laptop');
    expect(site().factors.calls).toEqual([`find ${user.id}`]);
  });

  it('signs in again once the user signed out everywhere since (the revocation mark), clearing the session', async () => {
    const user = addUser();
    const session = await signIn(user, Math.floor(Date.now() / 1000) - 60);
    await site().users.revokeSessions(user.id);

    const response = await get('/account', [session]);

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toContain(`${HYDRA_PUBLIC}/oauth2/auth?`);
    expect(response.cookies).toContainEqual(
      expect.stringMatching(/^__Host-hlc-account=; .*Max-Age=0$/),
    );
  });

  it("speaks the language of the user's profile", async () => {
    const user = addUser({ locale: 'de' });
    const page = await get('/account', [await signIn(user)]);
    expect(page.body).toContain('<html lang="de"');
    expect(page.body).toContain('Ihr Konto');
  });

  it('shows a clear page when Hydra is down (502)', async () => {
    const user = addUser();
    const session = await signIn(user);
    site().hydra.failures.set(
      user.id,
      new HydraUnavailableError('server', 'list consent sessions', 500),
    );

    const response = await get('/account', [session]);

    expect(response.statusCode).toBe(502);
    expect(response.body).not.toContain('Error:');
  });
});

describe('POST /account', () => {
  it('refuses a form without its CSRF token (403), changing nothing', async () => {
    const user = addUser();
    const session = await signIn(user);
    const response = await invoke(
      site().accountPost,
      formPost('/account', { action: 'sign-out-everywhere' }, { cookies: [session] }),
    );
    expect(response.statusCode).toBe(403);
    expect(site().users.writes).toEqual([]);
    expect(site().hydra.revokedSubjects).toEqual([]);
  });

  it('refuses a button the page does not have (400) and a cross-site form (403), changing nothing', async () => {
    const user = addUser();
    const session = await signIn(user);
    expect((await post(session, { action: 'delete-everything' })).statusCode).toBe(400);
    const form = await formOf(session);
    const crossSite = await invoke(
      site().accountPost,
      formPost(
        '/account',
        { csrf: form.csrf, action: 'sign-out-everywhere' },
        { cookies: form.cookies, headers: { 'sec-fetch-site': 'cross-site' } },
      ),
    );
    expect(crossSite.statusCode).toBe(403);
    expect(site().users.writes).toEqual([]);
    expect(site().hydra.revokedSubjects).toEqual([]);
  });

  it('refuses a form whose session has ended (401), changing nothing', async () => {
    const response = await invoke(
      site().accountPost,
      formPost('/account', { action: 'sign-out-everywhere', csrf: 'x' }),
    );
    expect(response.statusCode).toBe(401);
    expect(response.body).toContain('Your session ended');
    expect(site().hydra.calls).toEqual([]);
  });

  it('removes access for an app the user authorised: its consents and tokens at Hydra', async () => {
    const user = addUser();
    site().hydra.consentSessions.set(user.id, [grant('third', 'Third App', ['openid'])]);
    const response = await post(await signIn(user), { action: 'remove-app', client: 'third' });

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/account?done=removed');
    expect(site().hydra.revokedClients).toEqual([{ subject: user.id, clientId: 'third' }]);
  });

  it.each([
    ['an app the user never authorised', 'other', 400],
    ["the account page's own client", 'account', 400],
    ['a client id that cannot be one', 'bad id', 400],
  ])('refuses to remove %s, revoking nothing', async (_what, client, status) => {
    const user = addUser();
    site().hydra.consentSessions.set(user.id, [
      grant('third', 'Third App', ['openid']),
      grant('account', 'Your account', ['openid']),
    ]);
    const response = await post(await signIn(user), { action: 'remove-app', client });
    expect(response.statusCode).toBe(status);
    expect(site().hydra.revokedClients).toEqual([]);
  });

  it('signs out everywhere: the revocation mark, every consent at Hydra, and this session', async () => {
    const user = addUser();
    const session = await signIn(user);
    const response = await post(session, { action: 'sign-out-everywhere' });

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('You are signed out everywhere');
    expect(site().users.users.get(user.id)?.sessionsValidAfter).toBeDefined();
    expect(site().hydra.revokedSubjects).toEqual([user.id]);
    expect(response.cookies).toContainEqual(expect.stringMatching(/^__Host-hlc-account=;/));
    expect(logs.entries()).toContainEqual(
      expect.objectContaining({ event: 'account.signed_out_everywhere', subject: user.id }),
    );
  });

  it("carries the operator's brand on its notice pages (signed out everywhere, session ended)", async () => {
    const brand = { ...UNBRANDED, name: 'Acme Cloud' };
    const branded = accountPost({ ...site().accountDeps, brand });
    const user = addUser();
    const form = await formOf(await signIn(user));
    const fields = { csrf: form.csrf, action: 'sign-out-everywhere' };

    const done = await invoke(branded, formPost('/account', fields, { cookies: form.cookies }));
    const ended = await invoke(branded, formPost('/account', fields, { cookies: form.cookies }));

    expect(done.statusCode).toBe(200);
    expect(ended.statusCode).toBe(401);
    for (const page of [done, ended]) {
      expect(page.body).toContain('<span>Acme Cloud</span>');
      expect(page.body).toMatch(/<title>[^<]* · Acme Cloud<\/title>/);
    }
  });

  it("signs out of this browser at Hydra's sign-out, ending the account session", async () => {
    const user = addUser();
    const response = await post(await signIn(user), { action: 'sign-out' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`${HYDRA_PUBLIC}/oauth2/sessions/logout`);
    expect(response.cookies).toContainEqual(expect.stringMatching(/^__Host-hlc-account=;/));
    expect(site().hydra.revokedSubjects).toEqual([]);
  });

  describe('change email', () => {
    function withMail() {
      const mailer = new RecordingMailer();
      const tokens = new InMemoryEmailTokens();
      const deps = {
        ...site().accountDeps,
        emailChangeOffered: true,
        emailChange: {
          tokens,
          mailer,
          mailThrottle: createMailThrottle(new InMemoryCounters(), {
            windowSeconds: 900,
            maxPerAddress: 5,
            maxPerIp: 100,
          }),
          links: { publicUrl: ACCOUNT.publicUrl, ttlSeconds: 1800 },
          minResponseMs: 0,
        },
      };
      return { mailer, tokens, get: accountGet(deps), post: accountPost(deps) };
    }

    it('offers the form only when mail is configured', async () => {
      const user = addUser();
      const session = await signIn(user);
      const without = await get('/account', [session]);
      const withIt = await invoke(withMail().get, event({ path: '/account', cookies: [session] }));

      expect(without.body).not.toContain('value="email"');
      expect(without.body).toContain('It cannot be changed here.');
      expect(withIt.body).toContain('<button type="submit" name="action" value="email">');
    });

    it('mails the link to the new address and says so; the address is unchanged until it is used', async () => {
      const { mailer, post } = withMail();
      const user = addUser();
      const form = await formOf(await signIn(user));
      const fields = {
        csrf: form.csrf,
        action: 'email',
        email: 'ada@new.example',
        password: PASSWORD,
      };

      const response = await invoke(post, formPost('/account', fields, { cookies: form.cookies }));

      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe('/account?done=email-sent');
      expect(mailer.sent.map(({ to, mail }) => [to, mail.kind])).toEqual([
        ['ada@new.example', 'email-change'],
      ]);
      expect(site().users.users.get(user.id)?.email).toBe('ada@example.com');
      const page = await get('/account?done=email-sent', [form.cookies[0]!], 'done=email-sent');
      expect(page.body).toContain('Check the inbox of the new address');
    });

    it('refuses a wrong current password (400), mailing nothing, the typed address kept', async () => {
      const { mailer, post } = withMail();
      const user = addUser();
      const form = await formOf(await signIn(user));
      const fields = {
        csrf: form.csrf,
        action: 'email',
        email: 'ada@new.example',
        password: 'wrong',
      };

      const response = await invoke(post, formPost('/account', fields, { cookies: form.cookies }));

      expect(response.statusCode).toBe(400);
      expect(response.body).toContain('id="email-error"');
      expect(response.body).toContain('value="ada@new.example"');
      expect(mailer.sent).toEqual([]);
    });

    it('refuses the action where mail is not configured, changing nothing', async () => {
      const user = addUser();
      const response = await post(await signIn(user), {
        action: 'email',
        email: 'ada@new.example',
        password: PASSWORD,
      });
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain('This service does not offer this.');
      expect(site().users.writes).toEqual([]);
    });
  });

  describe('change password', () => {
    const NEW = 'a brand new passphrase';

    it.each([
      [
        'a wrong current password',
        { current: 'wrong password', next: NEW, confirm: NEW },
        'The current password is incorrect.',
      ],
      [
        'a new password below the policy',
        { current: PASSWORD, next: 'short', confirm: 'short' },
        'must have 8 to 256 characters',
      ],
      [
        'two different new passwords',
        { current: PASSWORD, next: NEW, confirm: `${NEW}!` },
        'are not the same',
      ],
    ])('refuses %s (400), changing nothing', async (_what, fields, message) => {
      const user = addUser();
      const response = await post(await signIn(user), { action: 'password', ...fields });

      expect(response.statusCode).toBe(400);
      expect(response.body).toContain(message);
      expect(site().users.writes).toEqual([]);
      expect(site().hydra.revokedSubjects).toEqual([]);
    });

    it('counts wrong current passwords as sign-in guesses: past the limit, 429 without a verify', async () => {
      const user = addUser();
      const session = await signIn(user);
      const wrong = { action: 'password', current: 'wrong password', next: NEW, confirm: NEW };
      for (let attempt = 0; attempt < 10; attempt += 1) {
        expect((await post(session, wrong)).statusCode).toBe(400);
      }
      const verifies = site().hasher.verifyCalls;

      const response = await post(session, { ...wrong, current: PASSWORD });

      expect(response.statusCode).toBe(429);
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      expect(response.body).toContain('Too many sign-in attempts.');
      expect(site().hasher.verifyCalls).toBe(verifies);
      expect(site().users.writes).toEqual([]);
    });

    it('sets it, ends every other session (mark and Hydra), and keeps this one', async () => {
      const user = addUser();
      const response = await post(await signIn(user), {
        action: 'password',
        current: PASSWORD,
        next: NEW,
        confirm: NEW,
      });

      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe('/account?done=password');
      expect(site().users.writes).toEqual(['setPassword']);
      expect(site().hydra.revokedSubjects).toEqual([user.id]);
      const renewed = `__Host-hlc-account=${cookiesOf(response).get('__Host-hlc-account')}`;
      const page = await get('/account', [renewed], 'done=password');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Your password was changed.');
    });
  });

  describe('profile', () => {
    it('saves the name and the locale in its canonical form', async () => {
      const user = addUser({ name: 'Ada', email_verified: true });
      const response = await post(await signIn(user), {
        action: 'profile',
        name: '  Ada Lovelace ',
        locale: 'de-ch',
      });
      expect(response.statusCode).toBe(303);
      expect(site().users.users.get(user.id)?.profile).toEqual({
        name: 'Ada Lovelace',
        locale: 'de-CH',
        email_verified: true,
      });
    });

    it.each([
      ['a locale that is no language tag', { name: 'Ada', locale: 'not a tag!' }],
      ['a name over 200 characters', { name: 'a'.repeat(201), locale: '' }],
    ])('refuses %s (400), changing nothing', async (_what, fields) => {
      const user = addUser();
      const response = await post(await signIn(user), { action: 'profile', ...fields });
      expect(response.statusCode).toBe(400);
      expect(site().users.writes).toEqual([]);
    });
  });
});
