/**
 * The account page's authenticator app through the real handlers and pipeline, handed the
 * in-memory fakes: enrolment (the QR code, the first code, the recovery codes once), new
 * recovery codes and removal (each with the current password), the fresh sign-in they need, and
 * what every refused form leaves unchanged.
 */
import type { WebResponse } from '../../../shared/http/response';
import { FRESH_SIGN_IN_SECONDS } from '../../../shared/flows/authenticator';
import { open, recoveryTag } from '../../../shared/users/factor-keys';
import { TOTP_PERIOD_SECONDS, totpCode } from '../../../shared/users/totp';
import type { User } from '../../../shared/users/types';
import { event, formPost } from '../support/events';
import { HYDRA_PUBLIC } from '../support/fakes';
import {
  expectSecurityHeaders,
  FACTOR_KEYS,
  invoke,
  useFakeSite,
  type FakeSite,
} from '../support/handlers';

const PASSWORD = 'correct horse battery';
const PAGE = '/account/authenticator';
const nowSeconds = () => Math.floor(Date.now() / 1000);
const step = () => Math.floor(Date.now() / 1000 / TOTP_PERIOD_SECONDS);

/** The name=value of a Set-Cookie named `name`. */
function cookie(response: WebResponse, name: string): string {
  const set = (response.cookies ?? []).find((one) => one.startsWith(`${name}=`));
  return set?.split(';')[0] ?? '';
}

/** `user`'s account session, signed in `ago` seconds ago, as the callback makes it. */
async function sessionOf(site: FakeSite, user: User, ago = 5): Promise<string> {
  const start = await invoke(site.accountGet, event({ path: '/account' }));
  const state = new URL(start.headers.location ?? '').searchParams.get('state') ?? '';
  site.accountTokens.codes.set('code-1', { subject: user.id, authTime: nowSeconds() - ago });
  const done = await invoke(
    site.accountCallback,
    event({
      path: '/account/callback',
      query: `code=code-1&state=${state}`,
      cookies: [cookie(start, '__Host-hlc-account-signin')],
    }),
  );
  return cookie(done, '__Host-hlc-account');
}

const csrfOf = (page: WebResponse) =>
  /name="csrf" value="([^"]+)"/.exec(page.body ?? '')?.[1] ?? '';
const secretOf = (page: WebResponse) =>
  (/Key: <code>([A-Z2-7 ]+)<\/code>/.exec(page.body ?? '')?.[1] ?? '').replace(/ /g, '');
const sealedOf = (page: WebResponse) =>
  /name="enrolment" value="([^"]+)"/.exec(page.body ?? '')?.[1] ?? '';
const codesOf = (page: WebResponse) =>
  [...(page.body ?? '').matchAll(/<li><code>([0-9A-Z]{5}-[0-9A-Z]{5})<\/code><\/li>/g)].map(
    (match) => match[1] ?? '',
  );

describe('the account page: authenticator app', () => {
  const site = useFakeSite();

  function addUser(): User {
    return site().users.add({ email: 'ada@example.com', password: PASSWORD, profile: {} });
  }

  const get = (session: string, path = PAGE) =>
    invoke(
      path === PAGE ? site().accountAuthenticatorGet : site().accountGet,
      event({ path, cookies: session ? [session] : [] }),
    );

  /** A form of `page` posted with its CSRF token and cookie, and `fields`. */
  async function post(session: string, page: WebResponse, fields: Record<string, string>) {
    const cookies = [session, cookie(page, '__Host-hlc-csrf')].filter(Boolean);
    site().hydra.calls.length = 0;
    site().factors.calls.length = 0;
    return invoke(
      site().accountAuthenticatorPost,
      formPost(PAGE, { csrf: csrfOf(page), ...fields }, { cookies }),
    );
  }

  /** Enrols an app for `user` on the page; its secret and the recovery codes shown. */
  async function enrol(session: string) {
    const scan = await get(session);
    const secret = secretOf(scan);
    const done = await post(session, scan, {
      action: 'enrol',
      enrolment: sealedOf(scan),
      code: totpCode(secret, step()),
    });
    expect(done.statusCode).toBe(200);
    return { secret, recoveryCodes: codesOf(done) };
  }

  const storedTags = (user: User) => site().factors.factors.get(user.id)?.recoveryCodes?.tags ?? [];
  const tagOf = (user: User, code: string) =>
    recoveryTag(FACTOR_KEYS, FACTOR_KEYS.current.id, user.id, code.replace('-', ''));

  it('lists no app on the account page, and links to setting one up', async () => {
    const user = addUser();
    const page = await get(await sessionOf(site(), user), '/account');

    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Two-step verification');
    expect(page.body).toContain(`<a href="${PAGE}">Set up an authenticator app</a>`);
  });

  it('shows a new secret as a QR code (inline SVG) and as text, sealed for the form; nothing stored', async () => {
    const user = addUser();
    const page = await get(await sessionOf(site(), user));

    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<svg\s+class="qr"/);
    const secret = secretOf(page);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(page.body).not.toContain(`value="${secret}"`);
    expect(open(FACTOR_KEYS, user.id, sealedOf(page))?.plaintext).toBe(secret);
    expect(site().factors.factors.size).toBe(0);
    expectSecurityHeaders(page);
  });

  it('turns it on with the right first code: ten recovery codes shown once, the page lists the app', async () => {
    const user = addUser();
    const session = await sessionOf(site(), user);

    const { secret, recoveryCodes } = await enrol(session);

    expect(recoveryCodes).toHaveLength(10);
    const stored = site().factors.factors.get(user.id);
    expect(open(FACTOR_KEYS, user.id, stored?.totp?.secret ?? '')?.plaintext).toBe(secret);
    expect(stored?.totp?.lastStep).toBe(step());
    expect(storedTags(user)).toEqual(recoveryCodes.map((code) => tagOf(user, code)));
    const account = await get(session, '/account');
    expect(account.body).toContain('On: authenticator app added on');
    expect(account.body).toContain('Recovery codes left: 10.');
    // Enrolled: the set-up page sends the browser back instead of a second secret.
    const again = await get(session);
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe('/account');
  });

  it('shows the same secret again with an error for a wrong code (400), storing nothing', async () => {
    const user = addUser();
    const session = await sessionOf(site(), user);
    const scan = await get(session);

    const wrong = await post(session, scan, {
      action: 'enrol',
      enrolment: sealedOf(scan),
      code: '000000' === totpCode(secretOf(scan), step()) ? '111111' : '000000',
    });

    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('That code does not match');
    expect(secretOf(wrong)).toBe(secretOf(scan));
    expect(site().factors.factors.size).toBe(0);
  });

  it("refuses another user's sealed secret: a new QR code, nothing stored", async () => {
    const other = site().users.add({ email: 'eve@example.com', password: PASSWORD, profile: {} });
    const theirs = await get(await sessionOf(site(), other));
    const user = addUser();
    const session = await sessionOf(site(), user);
    const mine = await get(session);

    const response = await post(session, mine, {
      action: 'enrol',
      enrolment: sealedOf(theirs),
      code: totpCode(secretOf(theirs), step()),
    });

    expect(response.statusCode).toBe(200);
    expect(secretOf(response)).not.toBe(secretOf(theirs));
    expect(site().factors.factors.size).toBe(0);
  });

  it('refuses a form without its CSRF token (403), storing nothing', async () => {
    const user = addUser();
    const session = await sessionOf(site(), user);
    const scan = await get(session);

    const response = await invoke(
      site().accountAuthenticatorPost,
      formPost(
        PAGE,
        { action: 'enrol', enrolment: sealedOf(scan), code: totpCode(secretOf(scan), step()) },
        { cookies: [session, cookie(scan, '__Host-hlc-csrf')] },
      ),
    );

    expect(response.statusCode).toBe(403);
    expect(site().factors.factors.size).toBe(0);
  });

  it('refuses a form whose session has ended (401), changing nothing', async () => {
    const user = addUser();
    const session = await sessionOf(site(), user);
    const scan = await get(session);

    const response = await post('', scan, { action: 'remove', current: PASSWORD });

    expect(response.statusCode).toBe(401);
    expect(site().factors.calls).toEqual([]);
  });

  it(`sends a sign-in older than ${FRESH_SIGN_IN_SECONDS / 60} minutes through Hydra again (prompt=login), changing nothing`, async () => {
    const user = addUser();
    const fresh = await sessionOf(site(), user);
    await enrol(fresh);
    const page = await get(fresh, '/account');
    const stale = await sessionOf(site(), user, FRESH_SIGN_IN_SECONDS + 60);

    for (const response of [
      await get(stale),
      await post(stale, page, { action: 'remove', current: PASSWORD }),
    ]) {
      expect(response.statusCode).toBe(303);
      const to = new URL(response.headers.location ?? '');
      expect(`${to.origin}${to.pathname}`).toBe(`${HYDRA_PUBLIC}/oauth2/auth`);
      expect(to.searchParams.get('prompt')).toBe('login');
    }
    expect(site().factors.factors.get(user.id)?.totp).toBeDefined();
    expect(site().hydra.revokedSubjects).toEqual([]);
  });

  describe('with an app', () => {
    it('makes new recovery codes with the current password: the old ones stop working', async () => {
      const user = addUser();
      const session = await sessionOf(site(), user);
      const { recoveryCodes: old } = await enrol(session);
      const page = await get(session, '/account');

      const response = await post(session, page, { action: 'recovery-codes', current: PASSWORD });

      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('Your old recovery codes no longer work');
      const renewed = codesOf(response);
      expect(renewed).toHaveLength(10);
      expect(storedTags(user)).toEqual(renewed.map((code) => tagOf(user, code)));
      for (const code of old) expect(storedTags(user)).not.toContain(tagOf(user, code));
      expect(site().factors.factors.get(user.id)?.totp).toBeDefined();
    });

    it('refuses a wrong current password (400) beside the section, changing nothing', async () => {
      const user = addUser();
      const session = await sessionOf(site(), user);
      const { recoveryCodes } = await enrol(session);
      const page = await get(session, '/account');

      for (const action of ['recovery-codes', 'remove']) {
        const response = await post(session, page, { action, current: 'not the password' });
        expect(response.statusCode).toBe(400);
        expect(response.body).toMatch(
          /id="authenticator-error">\s*The current password is incorrect\./,
        );
      }

      expect(storedTags(user)).toEqual(recoveryCodes.map((code) => tagOf(user, code)));
      expect(site().hydra.revokedSubjects).toEqual([]);
    });

    it('removes it with the current password: every other session ends, this one goes on', async () => {
      const user = addUser();
      const session = await sessionOf(site(), user);
      await enrol(session);
      const page = await get(session, '/account');

      const response = await post(session, page, { action: 'remove', current: PASSWORD });

      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe('/account?done=authenticator-removed');
      expect(site().factors.factors.has(user.id)).toBe(false);
      expect(site().hydra.revokedSubjects).toEqual([user.id]);
      expect((await site().users.findById(user.id))?.sessionsValidAfter).toBeDefined();
      // The old session is before the mark; the one issued with the answer counts.
      expect((await get(session, '/account')).statusCode).toBe(303);
      const after = await get(cookie(response, '__Host-hlc-account'), '/account?done=x');
      expect(after.statusCode).toBe(200);
      expect(after.body).toContain('Set up an authenticator app');
    });

    it('says there is no app to change when it is gone meanwhile (400)', async () => {
      const user = addUser();
      const session = await sessionOf(site(), user);
      await enrol(session);
      const page = await get(session, '/account');
      await site().factors.reset(user.id);

      const response = await post(session, page, { action: 'recovery-codes', current: PASSWORD });

      expect(response.statusCode).toBe(400);
      expect(response.body).toContain('There is no authenticator app on this account.');
      expect(site().factors.factors.has(user.id)).toBe(false);
    });
  });
});

describe('the account page: authenticator app, throttled', () => {
  const site = useFakeSite({ throttle: { maxPerAccount: 2 } });

  it('counts wrong first codes per account and source: past the limit, 429 with Retry-After, nothing stored', async () => {
    const user = site().users.add({ email: 'ada@example.com', password: PASSWORD, profile: {} });
    const session = await sessionOf(site(), user);
    const scan = await invoke(
      site().accountAuthenticatorGet,
      event({ path: PAGE, cookies: [session] }),
    );
    const secret = secretOf(scan);
    const wrong = totpCode(secret, step()) === '000000' ? '111111' : '000000';
    const send = (code: string) =>
      invoke(
        site().accountAuthenticatorPost,
        formPost(
          PAGE,
          { csrf: csrfOf(scan), action: 'enrol', enrolment: sealedOf(scan), code },
          { cookies: [session, cookie(scan, '__Host-hlc-csrf')] },
        ),
      );

    expect((await send(wrong)).statusCode).toBe(400);
    expect((await send(wrong)).statusCode).toBe(400);
    const throttled = await send(totpCode(secret, step()));

    expect(throttled.statusCode).toBe(429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    expect(secretOf(throttled)).toBe(secret);
    expect(site().factors.factors.size).toBe(0);
  });
});
