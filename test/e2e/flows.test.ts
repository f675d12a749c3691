/**
 * Every flow end to end: a real Hydra (v26.2.0 or v2.3.0, one jest project each), our functions
 * under serverless offline with dynalite, openid-client as the relying party, Debian's chromium
 * clicking through our pages.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import type { RelyingParty } from '../../scripts/lib/relying-party';
import { launchBrowser } from './support/browser';
import {
  arrival,
  beginAuthorization,
  finish,
  relyingParty,
  screenshot,
  signIn,
  submit,
  textOf,
} from './support/flow';
import { e2ePrerequisites } from './support/prerequisites';
import { startStack, TEST_AUDIENCE, type Stack } from './support/stack';

const prerequisites = e2ePrerequisites();
const describeE2E = typeof prerequisites === 'string' ? describe.skip : describe;
if (typeof prerequisites === 'string') console.warn(prerequisites);

jest.setTimeout(60_000);

const ALICE = {
  email: 'alice@example.com',
  password: 'correct horse battery staple',
  profile: {
    name: 'Alice Example',
    given_name: 'Alice',
    family_name: 'Example',
    preferred_username: 'alice',
    locale: 'en-GB',
    email_verified: true,
    phone_number: '+442079460000',
    phone_number_verified: false,
  },
};
const GENERIC_ERROR = 'The email or password is incorrect.';

describeE2E('sign-in flows through real Hydra, our functions and a real browser', () => {
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let thirdParty: RelyingParty;
  let firstParty: RelyingParty;
  let aliceId: string;

  beforeAll(async () => {
    if (typeof prerequisites === 'string') return;
    stack = await startStack({ name: 'flows', hydraBinary: prerequisites.hydra });
    browser = await launchBrowser(prerequisites.chromium);
    thirdParty = await relyingParty(stack, stack.clients.thirdParty);
    firstParty = await relyingParty(stack, stack.clients.firstParty);
    aliceId = (await stack.users.create(ALICE)).id;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  beforeEach(async () => {
    context = await browser.newContext();
  });

  afterEach(async () => {
    await context.close();
  });

  it('signs in, consents with one optional scope unticked, and the tokens carry exactly that', async () => {
    const flow = await beginAuthorization(stack, context, thirdParty, stack.clients.thirdParty, {
      scope: 'openid profile email offline_access',
      audience: TEST_AUDIENCE,
    });
    await flow.page.waitForURL(`${stack.appUrl}/login?**`);
    expect(await textOf(flow.page.locator('h1'))).toBe('Sign in');
    expect(await textOf(flow.page.locator('body'))).toContain('Third-Party App');
    await screenshot(flow.page, 'login');
    await signIn(flow.page, ALICE);

    await flow.page.waitForURL(`${stack.appUrl}/consent?**`);
    expect(await flow.page.locator('input[name=scope][value=openid]').isDisabled()).toBe(true);
    await screenshot(flow.page, 'consent');
    await flow.page.locator('input[name=scope][value=email]').uncheck();
    await submit(flow.page, 'button[value=allow]');

    const tokens = await finish(thirdParty, flow);
    expect(tokens.scope?.split(' ').sort()).toEqual(['offline_access', 'openid', 'profile']);
    const claims = tokens.claims();
    expect(claims).toMatchObject({
      sub: aliceId,
      name: ALICE.profile.name,
      given_name: 'Alice',
      family_name: 'Example',
      preferred_username: 'alice',
      locale: 'en-GB',
    });
    expect(claims).not.toHaveProperty('email');
    expect(claims).not.toHaveProperty('phone_number');
    expect(claims?.amr).toEqual(['pwd']);

    const userinfo = await thirdParty.userinfo(tokens.access_token, aliceId);
    expect(userinfo).toMatchObject({ sub: aliceId, name: ALICE.profile.name });
    expect(userinfo).not.toHaveProperty('email');

    const refreshed = await thirdParty.refresh(tokens.refresh_token ?? '');
    expect(refreshed.access_token).toBeTruthy();
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(flow.ours.every((response) => response.status < 500)).toBe(true);
  });

  it('shows the same generic error for a wrong password and for an unknown user, and accepts nothing', async () => {
    const flow = await beginAuthorization(stack, context, firstParty, stack.clients.firstParty);
    await flow.page.waitForURL(`${stack.appUrl}/login?**`);

    await signIn(flow.page, { email: ALICE.email, password: 'wrong password' });
    expect(await textOf(flow.page.locator('[role=alert]'))).toBe(GENERIC_ERROR);
    // The error is tied to both fields: a screen reader reads it with each, marked invalid.
    for (const field of ['#identifier', '#password']) {
      const input = flow.page.locator(field);
      expect(await input.getAttribute('aria-invalid')).toBe('true');
      const describedBy = (await input.getAttribute('aria-describedby')) ?? '';
      expect(await textOf(flow.page.locator(`[id="${describedBy}"]`))).toBe(GENERIC_ERROR);
    }
    await screenshot(flow.page, 'login-error');
    const wrongPassword = flow.ours.at(-1);

    await signIn(flow.page, { email: 'nobody@example.com', password: 'wrong password' });
    expect(await textOf(flow.page.locator('[role=alert]'))).toBe(GENERIC_ERROR);
    const unknownUser = flow.ours.at(-1);

    expect(wrongPassword).toEqual({ method: 'POST', path: '/login', status: 401 });
    expect(unknownUser).toEqual({ method: 'POST', path: '/login', status: 401 });
    // Still on our page: the challenge was never accepted, and it still works.
    await signIn(flow.page, ALICE);
    const tokens = await finish(firstParty, flow);
    expect(tokens.claims()?.sub).toBe(aliceId);
  });

  it('prefills the email from login_hint', async () => {
    const flow = await beginAuthorization(stack, context, firstParty, stack.clients.firstParty, {
      login_hint: 'hinted@example.com',
    });
    await flow.page.waitForURL(`${stack.appUrl}/login?**`);
    expect(await flow.page.locator('input[name=identifier]').inputValue()).toBe(
      'hinted@example.com',
    );
  });

  it('shows the sign-in page in German for ui_locales=de, and keeps it after a wrong password', async () => {
    const flow = await beginAuthorization(stack, context, firstParty, stack.clients.firstParty, {
      ui_locales: 'it de',
    });
    await flow.page.waitForURL(`${stack.appUrl}/login?**`);
    expect(await flow.page.locator('html').getAttribute('lang')).toBe('de');
    expect(await flow.page.title()).toBe('Anmelden');
    expect(await textOf(flow.page.locator('label[for=password]'))).toBe('Passwort');

    await signIn(flow.page, { email: ALICE.email, password: 'not the password' });
    expect(await textOf(flow.page.locator('[role=alert]'))).toBe(
      'Die E-Mail-Adresse oder das Passwort ist falsch.',
    );
  });

  it('shows the sign-in page in the browser’s language (Accept-Language: de) without ui_locales', async () => {
    const german = await browser.newContext({ locale: 'de-DE' });
    try {
      const flow = await beginAuthorization(stack, german, firstParty, stack.clients.firstParty);
      await flow.page.waitForURL(`${stack.appUrl}/login?**`);
      expect(await flow.page.locator('html').getAttribute('lang')).toBe('de');
      expect(await textOf(flow.page.locator('h1'))).toBe('Anmelden');
    } finally {
      await german.close();
    }
  });

  it('shows an Arabic sign-in page, right to left, for Accept-Language: ar', async () => {
    const arabic = await browser.newContext({ locale: 'ar' });
    try {
      const flow = await beginAuthorization(stack, arabic, firstParty, stack.clients.firstParty);
      await flow.page.waitForURL(`${stack.appUrl}/login?**`);
      const page = flow.page;
      expect(await page.locator('html').getAttribute('lang')).toBe('ar');
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
      expect(await textOf(page.locator('h1'))).toBe('تسجيل الدخول');
      expect(await textOf(page.locator('label[for=password]'))).toBe('كلمة المرور');

      // It reads right to left: the heading and labels start at the right edge of the card,
      // and the primary button ("Sign in") is on the left, the mirror of the other languages.
      const card = await page.locator('main').boundingBox();
      const heading = await page.locator('h1').boundingBox();
      const label = await page.locator('label[for=password]').boundingBox();
      const primary = await page.locator('button.primary').boundingBox();
      const cancel = await page.locator('button[value=cancel]').boundingBox();
      if (!card || !heading || !label || !primary || !cancel) throw new Error('nothing laid out');
      const padding = 32 + 1;
      expect(card.x + card.width - (heading.x + heading.width)).toBeLessThanOrEqual(padding + 1);
      expect(heading.x - card.x).toBeGreaterThan(padding + 50);
      expect(card.x + card.width - (label.x + label.width)).toBeLessThanOrEqual(padding + 1);
      expect(primary.x).toBeLessThan(cancel.x);
      const direction = await page
        .locator('h1')
        .evaluate(
          (element) =>
            (
              globalThis as unknown as { getComputedStyle(node: unknown): { direction: string } }
            ).getComputedStyle(element).direction,
        );
      expect(direction).toBe('rtl');
      await screenshot(page, 'login-ar');

      await signIn(page, { email: ALICE.email, password: 'not the password' });
      expect(await textOf(page.locator('[role=alert]'))).toBe(
        'البريد الإلكتروني أو كلمة المرور غير صحيحة.',
      );
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    } finally {
      await arabic.close();
    }
  });

  it("shows the consent page in the user's own language (their locale claim), after a sign-in page in the browser's", async () => {
    const bob = {
      email: 'bob.ja@example.com',
      password: 'correct horse battery staple',
      profile: { name: 'Bob', locale: 'ja-JP' },
    };
    await stack.users.create(bob);
    const flow = await beginAuthorization(stack, context, thirdParty, stack.clients.thirdParty);
    await flow.page.waitForURL(`${stack.appUrl}/login?**`);
    expect(await flow.page.locator('html').getAttribute('lang')).toBe('en');
    await signIn(flow.page, bob);

    await flow.page.waitForURL(`${stack.appUrl}/consent?**`);
    expect(await flow.page.locator('html').getAttribute('lang')).toBe('ja');
    expect(await textOf(flow.page.locator('h1'))).toBe('アクセスを許可しますか？');
    await submit(flow.page, 'button[value=allow]');
    const tokens = await finish(thirdParty, flow);
    // The claim itself is the user's, untouched by the page's language.
    expect(tokens.claims()?.locale).toBe('ja-JP');
  });

  it('signs in when the user presses Enter in the password field (Enter is never "Cancel")', async () => {
    const flow = await beginAuthorization(stack, context, firstParty, stack.clients.firstParty);
    await flow.page.waitForURL(`${stack.appUrl}/login?**`);
    await flow.page.locator('input[name=identifier]').fill(ALICE.email);
    await flow.page.locator('input[name=password]').fill(ALICE.password);
    await flow.page.locator('input[name=password]').press('Enter');
    const tokens = await finish(firstParty, flow);
    expect(tokens.claims()?.sub).toBe(aliceId);
  });

  it('skips the login page when the user chose "keep me signed in", until prompt=login', async () => {
    const first = await beginAuthorization(stack, context, firstParty, stack.clients.firstParty);
    await first.page.waitForURL(`${stack.appUrl}/login?**`);
    await signIn(first.page, { ...ALICE, remember: true });
    await finish(firstParty, first);

    const second = await beginAuthorization(stack, context, firstParty, stack.clients.firstParty);
    const tokens = await finish(firstParty, second);
    expect(tokens.claims()?.sub).toBe(aliceId);
    // GET /login answered with a redirect (skip accepted), never with the form.
    expect(second.ours.filter((r) => r.path === '/login')).toEqual([
      { method: 'GET', path: '/login', status: 303 },
    ]);

    const forced = await beginAuthorization(stack, context, firstParty, stack.clients.firstParty, {
      prompt: 'login',
    });
    await forced.page.waitForURL(`${stack.appUrl}/login?**`);
    await forced.page.locator('input[name=password]').waitFor({ state: 'visible' });
  });

  it('never asks for consent for a first-party client', async () => {
    const flow = await beginAuthorization(stack, context, firstParty, stack.clients.firstParty, {
      scope: 'openid email',
    });
    await flow.page.waitForURL(`${stack.appUrl}/login?**`);
    await signIn(flow.page, ALICE);
    const tokens = await finish(firstParty, flow);
    expect(tokens.claims()).toMatchObject({ email: ALICE.email, email_verified: true });
    expect(flow.ours.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /login 200',
      'POST /login 303',
      'GET /consent 303',
    ]);
  });

  it('sends access_denied to the client when the user denies consent', async () => {
    const flow = await beginAuthorization(stack, context, thirdParty, stack.clients.thirdParty);
    await flow.page.waitForURL(`${stack.appUrl}/login?**`);
    await signIn(flow.page, ALICE);
    await flow.page.waitForURL(`${stack.appUrl}/consent?**`);
    await submit(flow.page, 'button[value=deny]');
    const callback = await arrival(flow.callback, 'the client redirect URI');
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('code')).toBeNull();
  });

  it('remembers a consent the user asked to remember, and sets the claims again', async () => {
    const first = await beginAuthorization(stack, context, thirdParty, stack.clients.thirdParty, {
      scope: 'openid email',
    });
    await first.page.waitForURL(`${stack.appUrl}/login?**`);
    await signIn(first.page, { ...ALICE, remember: true });
    await first.page.waitForURL(`${stack.appUrl}/consent?**`);
    await first.page.locator('input[name=remember]').check();
    await submit(first.page, 'button[value=allow]');
    await finish(thirdParty, first);

    const second = await beginAuthorization(stack, context, thirdParty, stack.clients.thirdParty, {
      scope: 'openid email',
    });
    const tokens = await finish(thirdParty, second);
    expect(second.ours.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /login 303',
      'GET /consent 303',
    ]);
    expect(tokens.claims()).toMatchObject({ sub: aliceId, email: ALICE.email });
  });

  it('refuses a remembered session once the user is disabled, and asks for a fresh sign-in', async () => {
    const bob = await stack.users.create({
      email: 'bob@example.com',
      password: 'bob password 123',
    });
    const first = await beginAuthorization(stack, context, firstParty, stack.clients.firstParty);
    await first.page.waitForURL(`${stack.appUrl}/login?**`);
    await signIn(first.page, {
      email: 'bob@example.com',
      password: 'bob password 123',
      remember: true,
    });
    await finish(firstParty, first);

    await stack.users.setEnabled(bob.id, false);
    // Not accepted: the browser is sent back through Hydra for a fresh sign-in (prompt=login),
    // where the right password of a disabled account gets the generic refusal.
    const second = await beginAuthorization(stack, context, firstParty, stack.clients.firstParty);
    await second.page.waitForURL(`${stack.appUrl}/login?**`);
    await second.page.locator('input[name=password]').waitFor({ state: 'visible' });
    expect(second.ours[0]).toEqual({ method: 'GET', path: '/login', status: 303 });
    await signIn(second.page, { email: 'bob@example.com', password: 'bob password 123' });
    expect(second.ours.at(-1)).toEqual({ method: 'POST', path: '/login', status: 401 });
    await expect(arrival(second.callback, 'the client redirect URI', 1000)).rejects.toThrow();
  });

  it('asks before signing out, naming the account, and signs out', async () => {
    const flow = await beginAuthorization(stack, context, firstParty, stack.clients.firstParty, {
      scope: 'openid',
    });
    await flow.page.waitForURL(`${stack.appUrl}/login?**`);
    await signIn(flow.page, { ...ALICE, remember: true });
    const tokens = await finish(firstParty, flow);

    const loggedOut = stack.callbacks.next(stack.clients.firstParty.postLogoutRedirectUri);
    await flow.page.goto(
      firstParty.logoutUrl(
        tokens.id_token ?? '',
        stack.clients.firstParty.postLogoutRedirectUri,
        'bye',
      ).href,
    );
    await flow.page.waitForURL(`${stack.appUrl}/logout?**`);
    expect(await textOf(flow.page.locator('h1'))).toBe('Sign out?');
    expect(await textOf(flow.page.locator('main'))).toContain(
      `You are signed in as ${ALICE.profile.name} (${ALICE.email}).`,
    );
    await screenshot(flow.page, 'logout');
    await submit(flow.page, 'button[value=logout]');
    expect((await arrival(loggedOut, 'the post-logout URI')).searchParams.get('state')).toBe('bye');

    // Signed out: the next authorization shows the login form again.
    const again = await beginAuthorization(stack, context, firstParty, stack.clients.firstParty);
    await again.page.waitForURL(`${stack.appUrl}/login?**`);
    await again.page.locator('input[name=password]').waitFor({ state: 'visible' });
  });

  it('ends a sign-out on our "You are signed out" page when the application names nowhere to go', async () => {
    const flow = await beginAuthorization(stack, context, firstParty, stack.clients.firstParty, {
      scope: 'openid',
    });
    await flow.page.waitForURL(`${stack.appUrl}/login?**`);
    await signIn(flow.page, { ...ALICE, remember: true });
    const tokens = await finish(firstParty, flow);

    // No post_logout_redirect_uri: Hydra ends the sign-out at its urls.post_logout_redirect.
    const logout = firstParty.logoutUrl(
      tokens.id_token ?? '',
      stack.clients.firstParty.postLogoutRedirectUri,
    );
    logout.searchParams.delete('post_logout_redirect_uri');
    await flow.page.goto(logout.href);
    await flow.page.waitForURL(`${stack.appUrl}/logout?**`);
    await submit(flow.page, 'button[value=logout]');
    await flow.page.waitForURL(`${stack.appUrl}/signed-out`);
    expect(await textOf(flow.page.locator('h1'))).toBe('You are signed out');
    await screenshot(flow.page, 'signed-out');
    expect(flow.ours.at(-1)).toEqual({ method: 'GET', path: '/signed-out', status: 200 });
  });

  it('keeps the user signed in when they answer no to the logout question', async () => {
    const flow = await beginAuthorization(stack, context, firstParty, stack.clients.firstParty);
    await flow.page.waitForURL(`${stack.appUrl}/login?**`);
    await signIn(flow.page, { ...ALICE, remember: true });
    const tokens = await finish(firstParty, flow);
    await flow.page.goto(
      firstParty.logoutUrl(tokens.id_token ?? '', stack.clients.firstParty.postLogoutRedirectUri)
        .href,
    );
    await flow.page.waitForURL(`${stack.appUrl}/logout?**`);
    await submit(flow.page, 'button[value=stay]');
    expect(await textOf(flow.page.locator('h1'))).toBe('You are still signed in');
    const again = await beginAuthorization(stack, context, firstParty, stack.clients.firstParty);
    expect((await finish(firstParty, again)).claims()?.sub).toBe(aliceId);
  });

  it('signs out without asking for a client marked skip_logout_consent', async () => {
    const trusted = await relyingParty(stack, stack.clients.skipLogout);
    const flow = await beginAuthorization(stack, context, trusted, stack.clients.skipLogout);
    await flow.page.waitForURL(`${stack.appUrl}/login?**`);
    await signIn(flow.page, { ...ALICE, remember: true });
    const tokens = await finish(trusted, flow);
    const loggedOut = stack.callbacks.next(stack.clients.skipLogout.postLogoutRedirectUri);
    await flow.page.goto(
      trusted.logoutUrl(tokens.id_token ?? '', stack.clients.skipLogout.postLogoutRedirectUri).href,
    );
    await arrival(loggedOut, 'the post-logout URI');
    expect(flow.ours.filter((r) => r.path === '/logout')).toEqual([
      { method: 'GET', path: '/logout', status: 303 },
    ]);
  });

  it("answers a replayed login form with Hydra's redirect or a clear page, never a 500", async () => {
    const flow = await beginAuthorization(stack, context, firstParty, stack.clients.firstParty);
    await flow.page.waitForURL(`${stack.appUrl}/login?**`);
    const form = {
      challenge: await flow.page.locator('input[name=challenge]').inputValue(),
      csrf: await flow.page.locator('input[name=csrf]').inputValue(),
    };
    await signIn(flow.page, ALICE);
    await finish(firstParty, flow);

    const replay = await flow.page.request.post(`${stack.appUrl}/login`, {
      form: { ...form, identifier: ALICE.email, password: ALICE.password, action: 'login' },
      maxRedirects: 0,
    });
    expect(replay.status()).toBeLessThan(500);
    if (replay.status() === 303) {
      expect(replay.headers().location).toMatch(new RegExp(`^${stack.hydraPublicUrl}/`));
    } else {
      expect(await replay.text()).toMatch(/expired or is invalid|already answered/);
    }
  });

  it("renders Hydra's error page in our own words, Hydra's text escaped and only under Technical details", async () => {
    const page = await context.newPage();
    let dialogs = 0;
    page.on('dialog', async (dialog) => {
      dialogs += 1;
      await dialog.dismiss();
    });
    // Hydra itself sends the browser to /error for an unknown client (invalid_client).
    await page.goto(
      `${stack.hydraPublicUrl}/oauth2/auth?client_id=no-such-client&response_type=code&scope=openid&state=abcdefgh`,
    );
    await page.waitForURL(`${stack.appUrl}/error?**`);
    expect(await textOf(page.locator('h1'))).toBe('The application was not recognised');
    await screenshot(page, 'error');

    const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)> Call +1-555-0100';
    const response = await page.goto(
      `${stack.appUrl}/error?error=invalid_request&error_description=${encodeURIComponent(hostile)}`,
    );
    expect(response?.status()).toBe(400);
    expect(await textOf(page.locator('main > p'))).toBe(
      'The application sent a sign-in request that is incomplete or not valid. Go back to the application and try again.',
    );
    const details = page.locator('main > details');
    expect(await textOf(details.locator('summary'))).toBe('Technical details');
    expect(await textOf(details)).toContain(hostile);
    // Collapsed until the user opens it, with no script; and styled by the hashed stylesheet
    // (a CSP hash that did not match would leave it without its border).
    const description = details.locator('dd').nth(1);
    expect(await description.isVisible()).toBe(false);
    await details.locator('summary').click();
    expect(await description.isVisible()).toBe(true);
    expect(await textOf(description)).toBe(hostile);
    const border = await details.evaluate(
      (element) =>
        (
          globalThis as unknown as { getComputedStyle(node: unknown): { borderTopStyle: string } }
        ).getComputedStyle(element).borderTopStyle,
    );
    expect(border).toBe('solid');
    expect(await page.locator('main script, main img').count()).toBe(0);
    expect(dialogs).toBe(0);
  });
});
