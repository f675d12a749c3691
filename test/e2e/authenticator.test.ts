/**
 * Two-step verification turned on by the user on the account page, end to end on real Hydra in
 * chromium: the authenticator app enrolled by scanning (here: reading the secret the page shows,
 * and computing its codes as an app would), signed in with password + code and with a recovery
 * code (openid-client checks `amr`/`acr`), new recovery codes (an old one refused), and the app
 * removed (the next sign-in is the password only; other sessions ended). axe-core on the new
 * pages.
 */
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RelyingParty } from '../../scripts/lib/relying-party';
import { TOTP_PERIOD_SECONDS, totpCode } from '../../shared/users/totp';
import { axeViolations } from './support/axe';
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
  type Authorization,
} from './support/flow';
import { e2ePrerequisites } from './support/prerequisites';
import { startStack, type Stack } from './support/stack';
import { nextSecond } from './support/users-cli';

const prerequisites = e2ePrerequisites();
const describeE2E = typeof prerequisites === 'string' ? describe.skip : describe;
if (typeof prerequisites === 'string') console.warn(prerequisites);

jest.setTimeout(180_000);

const step = () => Math.floor(Date.now() / 1000 / TOTP_PERIOD_SECONDS);
const ours = (flow: Authorization) => flow.ours.map((r) => `${r.method} ${r.path} ${r.status}`);

describeE2E('account page: two-step verification with an authenticator app', () => {
  let stack: Stack;
  let browser: Browser;
  let app: RelyingParty;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (typeof prerequisites === 'string') return;
    stack = await startStack({ name: 'authenticator', hydraBinary: prerequisites.hydra });
    browser = await launchBrowser(prerequisites.chromium);
    app = await relyingParty(stack, stack.clients.firstParty);
  }, 180_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await stack?.stop();
  });

  async function newBrowser(): Promise<BrowserContext> {
    // A phone-sized window: the README's screenshot stays small.
    const context = await browser.newContext({ viewport: { width: 480, height: 800 } });
    contexts.push(context);
    return context;
  }

  /** The app's code for a time step after every one used so far (waiting for it if need be). */
  let lastStep = 0;
  async function nextCode(secret: string): Promise<string> {
    const wanted = Math.max(step(), lastStep + 1);
    // A code is taken for now or one step either side: wait until `wanted` is within that.
    while (wanted > step() + 1) await new Promise((resolve) => setTimeout(resolve, 1000));
    lastStep = wanted;
    return totpCode(secret, wanted);
  }

  /** Opens the account page in a new browser, signing in with the password (and `second`). */
  async function accountSignIn(
    user: { email: string; password: string },
    second?: (page: Page) => Promise<void>,
  ): Promise<Page> {
    const page = await (await newBrowser()).newPage();
    await page.goto(`${stack.appUrl}/account`);
    await page.locator('input[name=password]').waitFor();
    await signIn(page, user);
    if (second) {
      await page.waitForURL(`${stack.appUrl}/login/second-factor?**`);
      await second(page);
    }
    await page.waitForURL(`${stack.appUrl}/account`);
    return page;
  }

  async function enterCode(page: Page, code: string): Promise<void> {
    await page.locator('input[name=code]').fill(code);
    await submit(page, 'button[value=verify]');
  }

  async function useRecoveryCode(page: Page, code: string): Promise<void> {
    await page.getByRole('link', { name: 'Use a recovery code instead' }).click();
    await page.waitForURL('**method=recovery');
    await enterCode(page, code);
  }

  /** A sign-in at the app in a new browser: the password, then `second` if it is asked for. */
  async function appSignIn(
    user: { email: string; password: string },
    second?: (page: Page) => Promise<void>,
  ): Promise<Authorization> {
    const flow = await beginAuthorization(stack, await newBrowser(), app, stack.clients.firstParty);
    expect(await landing(flow)).toBe('the sign-in form');
    await signIn(flow.page, user);
    if (second) {
      await flow.page.waitForURL(`${stack.appUrl}/login/second-factor?**`);
      await second(flow.page);
    }
    return flow;
  }

  const recoveryCodesOn = async (page: Page) =>
    (await page.locator('ul.codes code').allTextContents()).map((code) => code.trim());

  it('enrols on the account page, signs in with codes, renews the recovery codes and removes the app', async () => {
    const user = {
      email: `enrol-${randomBytes(3).toString('hex')}@example.com`,
      password: `enrol password ${randomBytes(6).toString('hex')}`,
    };
    const { id } = await stack.users.create(user);

    // Off, to begin with; the section links to setting an app up.
    const page = await accountSignIn(user);
    expect(await textOf(page.locator('h2', { hasText: 'Two-step verification' }))).toBe(
      'Two-step verification',
    );
    await page.getByRole('link', { name: 'Set up an authenticator app' }).click();
    await page.waitForURL(`${stack.appUrl}/account/authenticator`);
    expect(await textOf(page.locator('h1'))).toBe('Set up an authenticator app');
    expect(await page.locator('svg.qr path').count()).toBe(1);
    await screenshot(page, 'enrol-authenticator');
    expect(await axeViolations(page)).toEqual([]);

    // A wrong first code: the same page, saying so; then the app's code turns it on.
    const secret = (await textOf(page.locator('p', { hasText: 'Key:' }).locator('code'))).replace(
      /\s/g,
      '',
    );
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await page.locator('input[name=code]').fill('12345');
    const wrong = page.waitForResponse((response) => response.request().method() === 'POST');
    await page.locator('button.primary').click();
    expect((await wrong).status()).toBe(400);
    expect(await textOf(page.locator('[role=alert]'))).toContain('That code does not match');
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('input[name=code]').fill(await nextCode(secret));
    await submit(page, 'button.primary');
    expect(await textOf(page.locator('h1'))).toBe('Save your recovery codes');
    expect(await axeViolations(page)).toEqual([]);
    const recoveryCodes = await recoveryCodesOn(page);
    expect(recoveryCodes).toHaveLength(10);
    await page.getByRole('link', { name: 'Back to your account' }).click();
    await page.waitForURL(`${stack.appUrl}/account`);
    expect(await page.locator('body').textContent()).toContain('Recovery codes left: 10.');
    expect(await axeViolations(page)).toEqual([]);

    // The app's sign-in: the password, then a code (amr pwd, otp, mfa; acr aal2).
    const withCode = await appSignIn(user, async (second) =>
      enterCode(second, await nextCode(secret)),
    );
    const claims = (await finish(app, withCode)).claims();
    expect(claims).toMatchObject({ sub: id, amr: ['pwd', 'otp', 'mfa'], acr: 'aal2' });

    // The account page's own sign-in runs the second step too: here with a recovery code.
    const [firstCode = '', oldCode = ''] = recoveryCodes;
    const account = await accountSignIn(user, (second) => useRecoveryCode(second, firstCode));
    expect(await account.locator('body').textContent()).toContain('Recovery codes left: 9.');

    // New recovery codes (the current password): an old one is refused, a new one works.
    await account.locator('#authenticator-current').fill(user.password);
    await submit(account, 'button[value=recovery-codes]');
    expect(await textOf(account.locator('h1'))).toBe('Save your recovery codes');
    const renewed = await recoveryCodesOn(account);
    expect(renewed).toHaveLength(10);
    expect(renewed).not.toContain(oldCode);
    const old = await appSignIn(user, (second) => useRecoveryCode(second, oldCode));
    expect(ours(old).at(-1)).toBe('POST /login/second-factor 400');
    // The form stays on recovery codes after the refusal.
    await enterCode(old.page, renewed[0] ?? '');
    expect((await finish(app, old)).claims()).toMatchObject({ amr: ['pwd', 'otp', 'mfa'] });

    // Remove the app (the current password): the other sessions end, this one goes on.
    await nextSecond();
    await account.goto(`${stack.appUrl}/account`);
    await account.locator('#authenticator-current').fill(user.password);
    await submit(account, 'button[value=remove]');
    await account.waitForURL(`${stack.appUrl}/account?done=authenticator-removed`);
    expect(await textOf(account.locator('[role=status]'))).toContain(
      'The authenticator app was removed',
    );
    await account.getByRole('link', { name: 'Set up an authenticator app' }).waitFor();
    // The first browser's account session ended with the removal: it is asked to sign in.
    await page.goto(`${stack.appUrl}/account`);
    await page.locator('input[name=password]').waitFor();

    // The next sign-in is the password only.
    await nextSecond();
    const passwordOnly = await appSignIn(user);
    expect((await finish(app, passwordOnly)).claims()).toMatchObject({ amr: ['pwd'], acr: 'aal1' });
    expect(ours(passwordOnly)).toEqual(['GET /login 200', 'POST /login 303', 'GET /consent 303']);
  });
});
