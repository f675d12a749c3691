/**
 * The account page (issue 13), end to end on real Hydra in chromium: the user signs in to
 * /account through Hydra (the page is a first-party client: code + PKCE), sees the two apps it
 * authorised through openid-client flows, removes one (that app's refresh token then fails, the
 * other's still works), signs out everywhere (every refresh token fails, and the next
 * authorization asks for the password), changes its password, and changes its email through a
 * link mailed to the new address (read from the local inbox).
 */
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Cookie, Page } from 'playwright-core';
import type { RelyingParty } from '../../scripts/lib/relying-party';
import { launchBrowser } from './support/browser';
import {
  beginAuthorization,
  finish,
  landing,
  relyingParty,
  screenshot,
  signIn,
  submit,
  textOf,
} from './support/flow';
import { axeViolations as pageViolations } from './support/axe';
import { linkIn, nthMail } from './support/inbox';
import { e2ePrerequisites } from './support/prerequisites';
import { startStack, type Stack, type TestClient } from './support/stack';
import { nextSecond } from './support/users-cli';

const prerequisites = e2ePrerequisites();
const describeE2E = typeof prerequisites === 'string' ? describe.skip : describe;
if (typeof prerequisites === 'string') console.warn(prerequisites);

jest.setTimeout(120_000);

const account = (name: string) => ({
  email: `${name}-${randomBytes(3).toString('hex')}@example.com`,
  password: `${name} password ${randomBytes(6).toString('hex')}`,
});

/** What a refresh grant gets: new tokens, or Hydra's error code. */
async function refreshWith(rp: RelyingParty, refreshToken: string | undefined): Promise<string> {
  return rp.refresh(refreshToken ?? '').then(
    () => 'issued',
    (error: Error & { error?: string }) => error.error ?? error.message,
  );
}

describeE2E('account page: apps you have authorised, sign out everywhere, change password', () => {
  let stack: Stack;
  let browser: Browser;
  let thirdParty: RelyingParty;
  let firstParty: RelyingParty;
  let context: BrowserContext;

  beforeAll(async () => {
    if (typeof prerequisites === 'string') return;
    stack = await startStack({ name: 'account', hydraBinary: prerequisites.hydra });
    browser = await launchBrowser(prerequisites.chromium);
    thirdParty = await relyingParty(stack, stack.clients.thirdParty);
    firstParty = await relyingParty(stack, stack.clients.firstParty);
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await stack?.stop();
  });

  /** An authorization at `client` in this browser, through the consent page for a third party. */
  async function authorise(
    rp: RelyingParty,
    client: TestClient,
    user?: { email: string; password: string },
  ) {
    const flow = await beginAuthorization(stack, context, rp, client);
    if (user) {
      expect(await landing(flow)).toBe('the sign-in form');
      await signIn(flow.page, user);
    }
    if (client === stack.clients.thirdParty) {
      await flow.page.waitForURL(`${stack.appUrl}/consent?**`);
      await flow.page.locator('input[name=remember]').check();
      await submit(flow.page, 'button[value=allow]');
    }
    const tokens = await finish(rp, flow);
    await flow.page.close();
    return tokens;
  }

  async function openAccount(): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${stack.appUrl}/account`);
    return page;
  }

  /**
   * axe-core's violations on the account page (WCAG 2.x A and AA), in a browser of its own that
   * lets the injected script run (our CSP forbids scripts), signed in with the same cookies.
   */
  async function axeViolations(cookies: Cookie[]): Promise<string[]> {
    const checking = await browser.newContext({ bypassCSP: true });
    try {
      await checking.addCookies(cookies);
      const page = await checking.newPage();
      await page.goto(`${stack.appUrl}/account`);
      await page.waitForURL(`${stack.appUrl}/account`);
      await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
      return await page.evaluate(async () => {
        const { axe } = globalThis as unknown as {
          axe: { run(options: object): Promise<{ violations: { id: string; help: string }[] }> };
        };
        const result = await axe.run({
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        });
        return result.violations.map((violation) => `${violation.id}: ${violation.help}`);
      });
    } finally {
      await checking.close();
    }
  }

  async function appNames(page: Page): Promise<string[]> {
    return (await page.locator('ul.scopes > li .client strong').allTextContents()).map((name) =>
      name.trim(),
    );
  }

  it('lists the apps, removes one, signs out everywhere and changes the password', async () => {
    const user = account('account');
    const { id } = await stack.users.create({ ...user, profile: { name: 'Ada Account' } });
    // A phone-sized window: the README's screenshot stays small.
    context = await browser.newContext({ viewport: { width: 480, height: 800 } });

    // Two apps, authorised through openid-client flows: the third party asks, the first does not.
    const third = await authorise(thirdParty, stack.clients.thirdParty, user);
    const first = await authorise(firstParty, stack.clients.firstParty);
    expect(third.claims()?.sub).toBe(id);
    expect(first.claims()?.sub).toBe(id);

    // The account page signs in through Hydra: remembered there, so no form this time.
    const page = await openAccount();
    await page.waitForURL(`${stack.appUrl}/account`);
    expect(await textOf(page.locator('h1'))).toBe('Your account');
    expect(await appNames(page)).toEqual(['First-Party App', 'Third-Party App']);
    expect(await page.locator('input[name=name]').inputValue()).toBe('Ada Account');
    const cookies = await context.cookies(stack.appUrl);
    const session = cookies.find((cookie) => cookie.name === 'hlc-account');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(session?.value).not.toContain(id);
    await screenshot(page, 'account');
    expect(await axeViolations(await context.cookies(stack.appUrl))).toEqual([]);

    // Remove access for the third party: its refresh token fails, the first party's works.
    const item = page.locator('ul.scopes > li', { hasText: 'Third-Party App' });
    await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST'),
      item.locator('button[value=remove-app]').click(),
    ]);
    await page.waitForURL(`${stack.appUrl}/account?done=removed`);
    expect(await textOf(page.locator('[role=status]'))).toBe(
      'The app no longer has access to your account.',
    );
    expect(await appNames(page)).toEqual(['First-Party App']);
    expect(await refreshWith(thirdParty, third.refresh_token)).not.toBe('issued');
    expect(await refreshWith(firstParty, first.refresh_token)).toBe('issued');

    // The third party asks again (its consent went with its access); both hold tokens again.
    const thirdAgain = await authorise(thirdParty, stack.clients.thirdParty);
    const firstAgain = await authorise(firstParty, stack.clients.firstParty);
    await page.reload();
    expect(await appNames(page)).toEqual(['First-Party App', 'Third-Party App']);

    // Sign out everywhere: every refresh token fails, the next authorization asks to sign in.
    await nextSecond();
    await submit(page, 'button[value=sign-out-everywhere]');
    expect(await textOf(page.locator('h1'))).toBe('You are signed out everywhere');
    expect(await refreshWith(thirdParty, thirdAgain.refresh_token)).not.toBe('issued');
    expect(await refreshWith(firstParty, firstAgain.refresh_token)).not.toBe('issued');
    const next = await beginAuthorization(stack, context, firstParty, stack.clients.firstParty);
    expect(await landing(next)).toBe('the sign-in form');
    await next.page.close();

    // Back to the account page: it asks for the password too, then shows no app.
    await nextSecond();
    await page.goto(`${stack.appUrl}/account`);
    await page.locator('input[name=password]').waitFor();
    await signIn(page, user);
    await page.waitForURL(`${stack.appUrl}/account`);
    expect(await appNames(page)).toEqual([]);

    // Change the password: a wrong current one changes nothing (400), the right one does.
    const password = `${user.password} but new`;
    await page.locator('input[name=current]').fill(`${user.password} wrong`);
    await page.locator('input[name=next]').fill(password);
    await page.locator('input[name=confirm]').fill(password);
    const refused = page.waitForResponse((response) => response.request().method() === 'POST');
    await page.locator('button[value=password]').click();
    expect((await refused).status()).toBe(400);
    expect(await textOf(page.locator('#password-error'))).toBe(
      'The current password is incorrect.',
    );

    const tokens = await authorise(firstParty, stack.clients.firstParty);
    await page.locator('input[name=current]').fill(user.password);
    await page.locator('input[name=next]').fill(password);
    await page.locator('input[name=confirm]').fill(password);
    await submit(page, 'button[value=password]');
    await page.waitForURL(`${stack.appUrl}/account?done=password`);
    expect(await textOf(page.locator('[role=status]'))).toContain('Your password was changed.');
    // This browser's account page goes on; every other session ended, the app's tokens too.
    await page.goto(`${stack.appUrl}/account`);
    expect(await textOf(page.locator('h1'))).toBe('Your account');
    expect(await refreshWith(firstParty, tokens.refresh_token)).not.toBe('issued');

    // The next sign-in takes the new password only.
    await nextSecond();
    const after = await beginAuthorization(stack, context, firstParty, stack.clients.firstParty);
    expect(await landing(after)).toBe('the sign-in form');
    await signIn(after.page, { email: user.email, password });
    expect((await finish(firstParty, after)).claims()?.sub).toBe(id);
  });

  it('changes the email through a link to the new address: verified, the old one told, a taken one refused', async () => {
    const user = account('mover');
    const { id } = await stack.users.create(user);
    const other = account('holder');
    await stack.users.create(other);
    const newEmail = account('moved').email;
    await context?.close();
    context = await browser.newContext();

    // Signed in to the account page through Hydra (the sign-in form: nothing remembered here).
    const page = await openAccount();
    await signIn(page, user);
    await page.waitForURL(`${stack.appUrl}/account`);
    expect(await axeViolations(await context.cookies(stack.appUrl))).toEqual([]);

    // Ask for the new address: the link goes there; the address is still the old one.
    await page.locator('#new-email').fill(newEmail);
    await page.locator('#email-current').fill(user.password);
    await submit(page, 'button[value=email]');
    await page.waitForURL(`${stack.appUrl}/account?done=email-sent`);
    expect(await textOf(page.locator('[role=status]'))).toContain(
      'Check the inbox of the new address',
    );
    expect((await stack.users.findById(id))?.email).toBe(user.email);
    // Another account's address gets the same answer.
    await page.locator('#new-email').fill(other.email);
    await page.locator('#email-current').fill(user.password);
    await submit(page, 'button[value=email]');
    await page.waitForURL(`${stack.appUrl}/account?done=email-sent`);

    // The link to the other account's address (its inbox): taken (409), nothing changes.
    const takenLink = linkIn(
      await nthMail(stack.mailUrl, other.email, 1),
      `${stack.appUrl}/verify?token=`,
    );
    await page.goto(takenLink);
    const answer = page.waitForResponse((response) => response.request().method() === 'POST');
    await page.locator('button[type=submit]').click();
    expect((await answer).status()).toBe(409);
    expect(await textOf(page.locator('h1'))).toBe('This address is taken');
    expect((await stack.users.findById(id))?.email).toBe(user.email);

    const mail = await nthMail(stack.mailUrl, newEmail, 1);
    expect(mail.subject).toBe('Confirm your new email address');
    const link = linkIn(mail, `${stack.appUrl}/verify?token=`);
    expect(link).not.toContain(newEmail);

    // The link asks first (a mail scanner's GET changes nothing), then moves the account.
    await page.goto(link);
    expect(await textOf(page.locator('h1'))).toBe('Confirm your new email address');
    expect(await pageViolations(page)).toEqual([]);
    expect((await stack.users.findById(id))?.email).toBe(user.email);
    await screenshot(page, 'email-change');
    await submit(page, 'button[type=submit]');
    expect(await textOf(page.locator('h1'))).toBe('Your email address was changed');
    expect(await pageViolations(page)).toEqual([]);
    const moved = await stack.users.findById(id);
    expect(moved?.email).toBe(newEmail);
    expect(moved?.profile.email_verified).toBe(true);
    const notice = await nthMail(stack.mailUrl, user.email, 1);
    expect(notice.subject).toBe('Your email address was changed');
    expect(notice.text).toContain(newEmail);

    // The next sign-in is with the new address, verified in the ID token; the old one is refused.
    const fresh = await browser.newContext();
    try {
      const refused = await beginAuthorization(stack, fresh, firstParty, stack.clients.firstParty);
      expect(await landing(refused)).toBe('the sign-in form');
      await signIn(refused.page, user);
      expect(await refused.page.locator('[role=alert]').count()).toBe(1);
      await refused.page.close();
      const flow = await beginAuthorization(stack, fresh, firstParty, stack.clients.firstParty, {
        scope: 'openid email',
      });
      await signIn(flow.page, { email: newEmail, password: user.password });
      const claims = (await finish(firstParty, flow)).claims();
      expect(claims).toMatchObject({ sub: id, email: newEmail, email_verified: true });
    } finally {
      await fresh.close();
    }
  });

  it('refuses a form without its CSRF token and a callback without a pending sign-in, changing nothing', async () => {
    const noSession = await fetch(`${stack.appUrl}/account`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'action=sign-out-everywhere',
      redirect: 'manual',
    });
    expect(noSession.status).toBe(401);
    const callback = await fetch(`${stack.appUrl}/account/callback?code=abc&state=def`, {
      redirect: 'manual',
    });
    expect(callback.status).toBe(400);
    expect(await callback.text()).toContain('Sign-in did not finish');
    const start = await fetch(`${stack.appUrl}/account`, { redirect: 'manual' });
    expect(start.status).toBe(303);
    const to = new URL(start.headers.get('location') ?? '');
    expect(`${to.origin}${to.pathname}`).toBe(`${stack.hydraPublicUrl}/oauth2/auth`);
    expect(to.searchParams.get('code_challenge_method')).toBe('S256');
    expect(to.searchParams.get('client_id')).toBe('account');
  });
});
