/**
 * Authenticator codes (TOTP) and recovery codes as the second step of a sign-in, end to end on
 * real Hydra in chromium: enrolled with the users CLI (as an operator does today), codes computed
 * here from the secret it printed, and every ID token's `amr` and `acr` checked by openid-client.
 * Also writes the README's screenshot of the code step (docs/screenshots/second-factor.png is a
 * copy of test-results/screenshots/<version>/second-factor.png).
 */
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RelyingParty } from '../../scripts/lib/relying-party';
import { TOTP_PERIOD_SECONDS, totpCode } from '../../shared/users/totp';
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
import { startStack, type Stack, type TestClient } from './support/stack';
import { killUsersCli, usersCli } from './support/users-cli';

const prerequisites = e2ePrerequisites();
const describeE2E = typeof prerequisites === 'string' ? describe.skip : describe;
if (typeof prerequisites === 'string') console.warn(prerequisites);

jest.setTimeout(120_000);

const account = (name: string) => ({
  email: `${name}-${randomBytes(3).toString('hex')}@example.com`,
  password: `${name} password ${randomBytes(6).toString('hex')}`,
});
type Account = ReturnType<typeof account>;

const ours = (flow: Authorization) => flow.ours.map((r) => `${r.method} ${r.path} ${r.status}`);
const step = () => Math.floor(Date.now() / 1000 / TOTP_PERIOD_SECONDS);

describeE2E('second factor (authenticator and recovery codes)', () => {
  let browser: Browser;
  let stack: Stack;
  let app: RelyingParty;
  let strict: TestClient;
  let strictApp: RelyingParty;
  let contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (typeof prerequisites === 'string') return;
    browser = await launchBrowser(prerequisites.chromium);
    stack = await startStack({ name: 'second-factor', hydraBinary: prerequisites.hydra });
    app = await relyingParty(stack, stack.clients.firstParty);
    strict = {
      id: 'strict-app',
      secret: randomBytes(16).toString('hex'),
      redirectUri: `${stack.callbacks.baseUrl}/strict-app/callback`,
      postLogoutRedirectUri: `${stack.callbacks.baseUrl}/strict-app/logged-out`,
    };
    await stack.registerClient({
      client_id: strict.id,
      client_secret: strict.secret,
      client_name: 'Strict App',
      redirect_uris: [strict.redirectUri],
      skip_consent: true,
      metadata: { required_acr: 'aal2' },
    });
    strictApp = await relyingParty(stack, strict);
  }, 180_000);

  afterAll(async () => {
    killUsersCli();
    await stack?.stop();
    await browser?.close();
  });

  afterEach(async () => {
    for (const context of contexts) await context.close();
    contexts = [];
  });

  async function newBrowser(): Promise<BrowserContext> {
    const context = await browser.newContext();
    contexts.push(context);
    return context;
  }

  /** A user enrolled with `users totp-enrol`: its secret and recovery codes, as printed. */
  async function enrol(user: Account): Promise<{ secret: string; recoveryCodes: string[] }> {
    const result = await usersCli(stack, ['totp-enrol', user.email]);
    expect(result.code).toBe(0);
    const secret = /^secret: ([A-Z2-7]+)$/m.exec(result.output)?.[1] ?? '';
    const recoveryCodes = [...result.output.matchAll(/^ {2}([0-9A-Z]{5}-[0-9A-Z]{5})$/gm)].map(
      (match) => match[1] ?? '',
    );
    expect(secret).not.toBe('');
    expect(recoveryCodes).toHaveLength(10);
    return { secret, recoveryCodes };
  }

  async function enterCode(page: Page, code: string): Promise<void> {
    await page.locator('input[name=code]').fill(code);
    await submit(page, 'button[value=verify]');
  }

  async function passwordThenCodeForm(
    user: Account,
    params: Record<string, string> = {},
    client = stack.clients.firstParty,
    rp = app,
  ): Promise<Authorization> {
    const flow = await beginAuthorization(stack, await newBrowser(), rp, client, params);
    expect(await landing(flow)).toBe('the sign-in form');
    await signIn(flow.page, user);
    await flow.page.waitForURL(`${stack.appUrl}/login/second-factor?**`);
    return flow;
  }

  it('signs in with the password and an authenticator code: amr pwd, otp, mfa and acr aal2', async () => {
    const user = account('totp');
    await stack.users.create(user);
    const { secret } = await enrol(user);

    const flow = await passwordThenCodeForm(user);
    expect(await textOf(flow.page.locator('h1'))).toBe('Enter your code');
    await screenshot(flow.page, 'second-factor');
    await enterCode(flow.page, totpCode(secret, step()));
    const claims = (await finish(app, flow)).claims();

    expect(claims).toMatchObject({ amr: ['pwd', 'otp', 'mfa'], acr: 'aal2' });
    expect(ours(flow)).toEqual([
      'GET /login 200',
      'POST /login 303',
      'GET /login/second-factor 200',
      'POST /login/second-factor 303',
      'GET /consent 303',
    ]);
  });

  it('refuses a code used once already, in another browser too; the next step’s code works', async () => {
    const user = account('replay');
    await stack.users.create(user);
    const { secret } = await enrol(user);
    const now = step();
    const first = await passwordThenCodeForm(user);
    await enterCode(first.page, totpCode(secret, now));
    await finish(app, first);

    const replay = await passwordThenCodeForm(user);
    await enterCode(replay.page, totpCode(secret, now));
    expect(await textOf(replay.page.locator('[role=alert]'))).toBe(
      'That code is not valid. Check it and try again.',
    );
    expect(ours(replay).at(-1)).toBe('POST /login/second-factor 400');

    // A clock a step ahead is still taken: a later step than the one used.
    await enterCode(replay.page, totpCode(secret, now + 1));
    expect((await finish(app, replay)).claims()).toMatchObject({ acr: 'aal2' });
  });

  it('takes a recovery code once and refuses it the second time', async () => {
    const user = account('recovery');
    await stack.users.create(user);
    const { recoveryCodes } = await enrol(user);
    const [code = ''] = recoveryCodes;

    const flow = await passwordThenCodeForm(user);
    await flow.page.getByRole('link', { name: 'Use a recovery code instead' }).click();
    await flow.page.waitForURL('**method=recovery');
    await enterCode(flow.page, code);
    expect((await finish(app, flow)).claims()).toMatchObject({
      amr: ['pwd', 'otp', 'mfa'],
      acr: 'aal2',
    });

    const again = await passwordThenCodeForm(user);
    await again.page.getByRole('link', { name: 'Use a recovery code instead' }).click();
    await again.page.waitForURL('**method=recovery');
    await enterCode(again.page, code);
    expect(ours(again).at(-1)).toBe('POST /login/second-factor 400');
    expect(await textOf(again.page.locator('[role=alert]'))).toContain('not valid');
  });

  it('prompt=login and max_age=0 ask for the password and the second step again', async () => {
    const user = account('fresh');
    await stack.users.create(user);
    const { secret, recoveryCodes } = await enrol(user);
    const context = await newBrowser();
    const first = await beginAuthorization(stack, context, app, stack.clients.firstParty);
    await signIn(first.page, { ...user, remember: true });
    await enterCode(first.page, totpCode(secret, step()));
    await finish(app, first);

    // The next step's code (a step's code is taken once), then a recovery code.
    for (const [params, method, code] of [
      [{ prompt: 'login' }, 'totp', totpCode(secret, step() + 1)],
      [{ max_age: '0' }, 'recovery', recoveryCodes[0] ?? ''],
    ] as const) {
      const fresh = await beginAuthorization(stack, context, app, stack.clients.firstParty, params);
      expect(await landing(fresh)).toBe('the sign-in form');
      await signIn(fresh.page, user);
      await fresh.page.waitForURL(`${stack.appUrl}/login/second-factor?**`);
      if (method === 'recovery') {
        await fresh.page.getByRole('link', { name: 'Use a recovery code instead' }).click();
        await fresh.page.waitForURL('**method=recovery');
      }
      await enterCode(fresh.page, code);
      expect((await finish(app, fresh)).claims()).toMatchObject({
        amr: ['pwd', 'otp', 'mfa'],
        acr: 'aal2',
      });
    }
  });

  it('steps a remembered password sign-in up to aal2 when acr_values asks, then keeps it', async () => {
    const user = account('step-up');
    await stack.users.create(user);
    const context = await newBrowser();
    const first = await beginAuthorization(stack, context, app, stack.clients.firstParty);
    await signIn(first.page, { ...user, remember: true });
    expect((await finish(app, first)).claims()).toMatchObject({ amr: ['pwd'], acr: 'aal1' });
    const { secret } = await enrol(user);

    const up = await beginAuthorization(stack, context, app, stack.clients.firstParty, {
      acr_values: 'aal2',
    });
    await up.page.waitForURL(`${stack.appUrl}/login/second-factor?**`);
    await enterCode(up.page, totpCode(secret, step()));
    const stepped = (await finish(app, up)).claims();
    expect(stepped).toMatchObject({ amr: ['pwd', 'otp', 'mfa'], acr: 'aal2' });
    expect(ours(up)).toEqual([
      'GET /login 303',
      'GET /login/second-factor 200',
      'POST /login/second-factor 303',
      'GET /consent 303',
    ]);

    const again = await beginAuthorization(stack, context, app, stack.clients.firstParty, {
      acr_values: 'aal2',
    });
    expect((await finish(app, again)).claims()).toMatchObject({ acr: 'aal2' });
    expect(ours(again)).toEqual(['GET /login 303', 'GET /consent 303']);
  });

  it('a user without a second factor asked for aal2 gets a page that says so', async () => {
    const user = account('no-factor');
    await stack.users.create(user);

    const flow = await beginAuthorization(
      stack,
      await newBrowser(),
      app,
      stack.clients.firstParty,
      {
        acr_values: 'aal2',
      },
    );
    await signIn(flow.page, user);

    expect(ours(flow).at(-1)).toBe('POST /login 403');
    expect(await textOf(flow.page.locator('h1'))).toBe('A second step is needed');
  });

  it("a client's required_acr forces the second step, and refuses a user without one", async () => {
    const enrolled = account('strict');
    await stack.users.create(enrolled);
    const { secret } = await enrol(enrolled);
    const flow = await passwordThenCodeForm(enrolled, {}, strict, strictApp);
    await enterCode(flow.page, totpCode(secret, step()));
    expect((await finish(strictApp, flow)).claims()).toMatchObject({
      amr: ['pwd', 'otp', 'mfa'],
      acr: 'aal2',
    });

    const plain = account('strict-plain');
    await stack.users.create(plain);
    const refused = await beginAuthorization(stack, await newBrowser(), strictApp, strict);
    await signIn(refused.page, plain);
    expect(ours(refused).at(-1)).toBe('POST /login 403');
    expect(await textOf(refused.page.locator('h1'))).toBe('A second step is needed');
  });
});
