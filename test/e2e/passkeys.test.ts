/**
 * Passkeys end to end on real Hydra in chromium, with Chromium's own virtual authenticator (the
 * DevTools protocol's WebAuthn domain: CTAP2, internal transport, resident keys, user
 * verification): a passkey added on the account page, then used to sign in without a password,
 * and as the second step after a password; openid-client checks every ID token's `amr` and
 * `acr`. The pages are served at localhost (WebAuthn takes no IP address as its RP ID), with
 * PASSKEYS on and the RP ID and origin from PUBLIC_URL, as an operator sets them.
 * Also writes the README's screenshots login-passkey and second-factor-passkey (docs/screenshots/
 * holds copies of test-results/screenshots/<version>/).
 */
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import type { RelyingParty } from '../../scripts/lib/relying-party';
import { axeViolations } from './support/axe';
import { launchBrowser } from './support/browser';
import {
  finish,
  relyingParty,
  screenshot,
  signIn,
  submit,
  textOf,
  type Authorization,
} from './support/flow';
import { e2ePrerequisites } from './support/prerequisites';
import { startStack, type Stack } from './support/stack';

const prerequisites = e2ePrerequisites();
const describeE2E = typeof prerequisites === 'string' ? describe.skip : describe;
if (typeof prerequisites === 'string') console.warn(prerequisites);

jest.setTimeout(120_000);

const account = (name: string) => ({
  email: `${name}-${randomBytes(3).toString('hex')}@example.com`,
  password: `${name} password ${randomBytes(6).toString('hex')}`,
});
type Account = ReturnType<typeof account>;

describeE2E('passkeys (WebAuthn, a virtual authenticator)', () => {
  let browser: Browser;
  let stack: Stack;
  let app: RelyingParty;
  let contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (typeof prerequisites === 'string') return;
    browser = await launchBrowser(prerequisites.chromium);
    stack = await startStack({
      name: 'passkeys',
      hydraBinary: prerequisites.hydra,
      appHost: 'localhost',
      extraFunctionEnv: { PASSKEYS: 'true', PASSKEY_RP_NAME: 'Passkey Test' },
    });
    app = await relyingParty(stack, stack.clients.firstParty);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    await browser?.close();
  });

  afterEach(async () => {
    for (const context of contexts) await context.close();
    contexts = [];
  });

  /** A page in a browser of its own, with a platform authenticator that verifies its user. */
  async function pageWithAuthenticator(): Promise<{ page: Page; cdp: CDPSession; id: string }> {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    return { page, cdp, id: authenticatorId };
  }

  /** A new authorization of the app in `page` (prompt=login: always a fresh sign-in). */
  async function authorize(page: Page): Promise<Authorization & { policy: string }> {
    const pending = await app.startAuthorization({ prompt: 'login' });
    const callback = stack.callbacks.next(stack.clients.firstParty.redirectUri, {
      state: pending.state,
    });
    const ours: Authorization['ours'] = [];
    // Never taken off: the browser's events can come after the callback's request.
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (url.origin === stack.appUrl) {
        ours.push({
          method: response.request().method(),
          path: url.pathname,
          status: response.status(),
        });
      }
    });
    const landed = await page.goto(pending.url.href);
    await page.locator('input[name=password]').waitFor({ state: 'visible', timeout: 20_000 });
    const policy = (await landed?.allHeaders())?.['content-security-policy'] ?? '';
    return { page, pending, callback, ours, policy };
  }

  /** Signs in to the account page with the password, and adds a passkey named `name` there. */
  async function addPasskey(page: Page, user: Account, name: string): Promise<void> {
    await page.goto(`${stack.appUrl}/account`);
    await signIn(page, user);
    await page.waitForURL(`${stack.appUrl}/account`);
    await page.locator('#passkey-name').fill(name);
    await submit(page, 'form[data-passkey=create] button[type=submit]');
    await page.waitForURL(`${stack.appUrl}/account?done=passkey-added`);
  }

  it('adds a passkey on the account page and signs in with it, no password: amr hwk, user, mfa; acr aal2', async () => {
    const user = account('passwordless');
    await stack.users.create(user);
    const { page, cdp, id } = await pageWithAuthenticator();

    await page.goto(`${stack.appUrl}/account`);
    await signIn(page, user);
    await page.waitForURL(`${stack.appUrl}/account`);
    expect(await textOf(page.locator('h2', { hasText: 'Passkeys' }))).toBe('Passkeys');
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('#passkey-name').fill('Work laptop');
    await submit(page, 'form[data-passkey=create] button[type=submit]');
    await page.waitForURL(`${stack.appUrl}/account?done=passkey-added`);
    expect(await textOf(page.locator('[role=status]'))).toBe(
      'The passkey was added. You can use it to sign in.',
    );
    expect(await textOf(page.locator('ul.scopes li strong').last())).toBe('Work laptop');
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId: id });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]).toMatchObject({ isResidentCredential: true, rpId: 'localhost' });

    const flow = await authorize(page);
    // The sign-in page's one script, allowed by its hash; nothing inline otherwise.
    expect(flow.policy).toMatch(/script-src 'sha256-[A-Za-z0-9+/]+=*'(;|$)/);
    expect(flow.policy).not.toContain('unsafe-inline');
    expect(await page.locator('form[data-passkey=get]').isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'login-passkey');
    await submit(page, 'form[data-passkey=get] button[type=submit]');
    const claims = (await finish(app, flow)).claims();

    expect(claims).toMatchObject({
      sub: expect.any(String),
      amr: ['hwk', 'user', 'mfa'],
      acr: 'aal2',
    });
    await page.waitForURL(`${stack.callbacks.baseUrl}/**`);
    expect(flow.ours.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /login 200',
      'POST /login/passkey 303',
      'GET /consent 303',
    ]);
    const after = await cdp.send('WebAuthn.getCredentials', { authenticatorId: id });
    expect(after.credentials[0]?.signCount).toBeGreaterThan(credentials[0]?.signCount ?? 0);
  });

  it('uses a passkey as the second step after the password: amr pwd, hwk, user, mfa; acr aal2', async () => {
    const user = account('second-step');
    await stack.users.create(user);
    const { page } = await pageWithAuthenticator();
    await addPasskey(page, user, 'Phone');

    const flow = await authorize(page);
    await signIn(page, user);
    await page.waitForURL(`${stack.appUrl}/login/second-factor?**`);
    expect(new URL(page.url()).searchParams.get('method')).toBe('passkey');
    expect(await textOf(page.locator('h1'))).toBe('Use a passkey');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'second-factor-passkey');
    await submit(page, 'form[data-passkey=get] button[type=submit]');
    const claims = (await finish(app, flow)).claims();

    expect(claims).toMatchObject({ amr: ['pwd', 'hwk', 'user', 'mfa'], acr: 'aal2' });
    await page.waitForURL(`${stack.callbacks.baseUrl}/**`);
    expect(flow.ours.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /login 200',
      'POST /login 303',
      'GET /login/second-factor 200',
      'POST /login/second-factor/passkey 303',
      'GET /consent 303',
    ]);
  });

  it('keeps the sign-in page working without JavaScript: no passkey form, the password signs in', async () => {
    const user = account('no-script');
    await stack.users.create(user);
    const context = await browser.newContext({ javaScriptEnabled: false });
    contexts.push(context);
    const page = await context.newPage();
    const flow = await authorize(page);

    expect(await page.locator('form[data-passkey=get]').isVisible()).toBe(false);
    await signIn(page, user);
    const claims = (await finish(app, flow)).claims();

    expect(claims).toMatchObject({ amr: ['pwd'], acr: 'aal1' });
  });

  it('removes a passkey on the account page: it no longer signs in', async () => {
    const user = account('removed');
    await stack.users.create(user);
    const { page } = await pageWithAuthenticator();
    await addPasskey(page, user, 'Old key');

    await submit(page, 'button[value=remove]');
    await page.waitForURL(`${stack.appUrl}/account?done=passkey-removed`);
    expect(await textOf(page.locator('[role=status]'))).toBe('The passkey was removed.');

    await authorize(page);
    await submit(page, 'form[data-passkey=get] button[type=submit]');
    expect(await textOf(page.locator('[role=alert]').first())).toBe(
      'That passkey could not be used. Try again, or sign in another way.',
    );
  });
});
