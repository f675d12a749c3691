/**
 * Access follows the user, and nobody can lock anyone out (issue 8), end to end on real Hydra:
 * an attacker on other addresses against the victim's new and known browsers, remembered
 * consent that covers an audience only when the user chose to remember it, refresh tokens and
 * remembered logins refused after an admin action even when Hydra was never told, and the next
 * sign-in in the same browser working after disable/enable with or without "keep me signed in".
 */
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Cookie } from 'playwright-core';
import type { RelyingParty } from '../../scripts/lib/relying-party';
import { attackerForm, guess } from './support/attacker';
import { cookiesAfterRestart, launchBrowser } from './support/browser';
import {
  arrival,
  beginAuthorization,
  finish,
  landing,
  relyingParty,
  signIn,
  submit,
} from './support/flow';
import { e2ePrerequisites } from './support/prerequisites';
import { startStack, TEST_AUDIENCE, type Stack } from './support/stack';
import { killUsersCli, nextSecond, usersCli } from './support/users-cli';

const prerequisites = e2ePrerequisites();
const describeE2E = typeof prerequisites === 'string' ? describe.skip : describe;
if (typeof prerequisites === 'string') console.warn(prerequisites);

jest.setTimeout(90_000);

/** Per (account, source): 3 failures; per account from unknown devices: 6. */
const MAX_PER_ACCOUNT = 3;
const MAX_PER_ACCOUNT_TOTAL = 6;
const WINDOW_SECONDS = 3600;

const account = (name: string) => ({
  email: `${name}-${randomBytes(3).toString('hex')}@example.com`,
  password: `${name} password ${randomBytes(6).toString('hex')}`,
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeE2E('trust: throttling without lockouts, consent, revocation and re-sign-in', () => {
  let stack: Stack;
  let browser: Browser;
  let contexts: BrowserContext[] = [];
  let thirdParty: RelyingParty;
  let firstParty: RelyingParty;

  async function newBrowser(cookies: Cookie[] = []): Promise<BrowserContext> {
    const context = await browser.newContext();
    contexts.push(context);
    if (cookies.length > 0) await context.addCookies(cookies);
    return context;
  }

  /** A full sign-in through the form at the first-party client; its tokens. */
  async function signInAt(
    context: BrowserContext,
    user: { email: string; password: string },
    remember: boolean,
  ) {
    const flow = await beginAuthorization(stack, context, firstParty, stack.clients.firstParty);
    expect(await landing(flow)).toBe('the sign-in form');
    await signIn(flow.page, { ...user, remember });
    return finish(firstParty, flow);
  }

  beforeAll(async () => {
    if (typeof prerequisites === 'string') return;
    stack = await startStack({
      name: 'trust',
      hydraBinary: prerequisites.hydra,
      extraFunctionEnv: {
        THROTTLE_MAX_PER_ACCOUNT: String(MAX_PER_ACCOUNT),
        THROTTLE_MAX_PER_ACCOUNT_TOTAL: String(MAX_PER_ACCOUNT_TOTAL),
        THROTTLE_WINDOW_SECONDS: String(WINDOW_SECONDS),
      },
    });
    browser = await launchBrowser(prerequisites.chromium);
    thirdParty = await relyingParty(stack, stack.clients.thirdParty);
    firstParty = await relyingParty(stack, stack.clients.firstParty);
  }, 180_000);

  afterAll(async () => {
    killUsersCli();
    await browser?.close();
    await stack?.stop();
  });

  afterEach(async () => {
    for (const context of contexts) await context.close();
    contexts = [];
  });

  it("never lets an attacker on other addresses lock the victim out: new browsers wait at the account's ceiling, a known browser signs in", async () => {
    const victim = account('victim');
    const victimId = (await stack.users.create(victim)).id;
    const wrong = { email: victim.email, password: `${victim.password} but wrong` };
    // Fixed windows: never start in the last two minutes of one (its end resets the counters).
    const intoWindow = Math.floor(Date.now() / 1000) % WINDOW_SECONDS;
    if (WINDOW_SECONDS - intoWindow < 120) await sleep((WINDOW_SECONDS - intoWindow + 1) * 1000);

    // One form from 127.0.0.2, reused for 11 guesses: 3 are checked, then that address waits.
    const form = await attackerForm(stack, firstParty, '127.0.0.2');
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 11; attempt += 1) {
      statuses.push(await guess(stack, form, '127.0.0.2', wrong));
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429, 429, 429, 429, 429, 429]);

    // The victim, in a browser that never signed in here, from its own address: let in.
    const victimsBrowser = await newBrowser();
    const tokens = await signInAt(victimsBrowser, victim, false);
    expect(tokens.claims()?.sub).toBe(victimId);

    // Guesses from one more address reach the account-wide ceiling for unknown devices
    // (3 + 3 = 6 failures counted; the 8 refusals above counted against nothing) …
    const more = await attackerForm(stack, firstParty, '127.0.0.3');
    const answers = [];
    for (let attempt = 0; attempt < MAX_PER_ACCOUNT; attempt += 1) {
      answers.push(await guess(stack, more, '127.0.0.3', wrong));
    }
    expect(answers).toEqual([401, 401, 401]);
    // … so a guess from yet another address waits at once.
    const fourth = await attackerForm(stack, firstParty, '127.0.0.4');
    expect(await guess(stack, fourth, '127.0.0.4', wrong)).toBe(429);

    // A browser that never signed in to the account waits too, even with the right password…
    const unknownBrowser = await newBrowser();
    const stranger = await beginAuthorization(
      stack,
      unknownBrowser,
      firstParty,
      stack.clients.firstParty,
    );
    expect(await landing(stranger)).toBe('the sign-in form');
    await signIn(stranger.page, victim);
    expect(stranger.ours.at(-1)).toEqual({ method: 'POST', path: '/login', status: 429 });

    // …but the victim's own browser, known from its sign-in, is let in at once (after a restart:
    // its sign-in without "keep me signed in" has ended, its device cookie has not).
    const again = await signInAt(
      await newBrowser(await cookiesAfterRestart(victimsBrowser)),
      victim,
      false,
    );
    expect(again.claims()?.sub).toBe(victimId);
  }, 180_000);

  it('asks again for an audience the user allowed without "Remember this decision", even after a later remembered consent; remembered, it asks no more', async () => {
    const user = account('audience');
    await stack.users.create(user);
    const context = await newBrowser();

    // 1. Allowed for the audience, not remembered.
    const first = await beginAuthorization(stack, context, thirdParty, stack.clients.thirdParty, {
      audience: TEST_AUDIENCE,
    });
    expect(await landing(first)).toBe('the sign-in form');
    await signIn(first.page, { ...user, remember: true });
    await first.page.waitForURL(`${stack.appUrl}/consent?**`);
    expect(await first.page.locator('input[name=audience]').count()).toBe(1);
    await submit(first.page, 'button[value=allow]');
    await finish(thirdParty, first);

    // 2. Allowed without an audience, remembered.
    const second = await beginAuthorization(stack, context, thirdParty, stack.clients.thirdParty);
    await second.page.waitForURL(`${stack.appUrl}/consent?**`);
    await second.page.locator('input[name=remember]').check();
    await submit(second.page, 'button[value=allow]');
    await finish(thirdParty, second);

    // 3. The audience again: Hydra offers to skip (the scopes are remembered); we ask.
    const third = await beginAuthorization(stack, context, thirdParty, stack.clients.thirdParty, {
      audience: TEST_AUDIENCE,
    });
    await third.page.waitForURL(`${stack.appUrl}/consent?**`);
    expect(await third.page.locator('input[name=audience]').getAttribute('value')).toBe(
      TEST_AUDIENCE,
    );
    // Asked in a flow of its own (prompt=consent at Hydra), so that Hydra keeps the answer.
    expect(third.ours.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /login 303',
      'GET /consent 303',
      'GET /login 303',
      'GET /consent 200',
    ]);

    // Allowed and remembered this time.
    await third.page.locator('input[name=remember]').check();
    await submit(third.page, 'button[value=allow]');
    await finish(thirdParty, third);

    // 4. What is remembered is still used: no audience, no question.
    const fourth = await beginAuthorization(stack, context, thirdParty, stack.clients.thirdParty);
    await finish(thirdParty, fourth);
    expect(fourth.ours.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /login 303',
      'GET /consent 303',
    ]);

    // 5. The audience again: asked nothing now.
    const fifth = await beginAuthorization(stack, context, thirdParty, stack.clients.thirdParty, {
      audience: TEST_AUDIENCE,
    });
    await finish(thirdParty, fifth);
    expect(fifth.ours.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /login 303',
      'GET /consent 303',
    ]);
  });

  it.each([
    ['disabled', (stack: Stack, id: string) => stack.users.setEnabled(id, false)],
    [
      'given a new password',
      (stack: Stack, id: string) => stack.users.setPassword(id, 'a brand new passphrase'),
    ],
  ])(
    'refuses the refresh token of a user %s, though Hydra was never told (the token hook)',
    async (_what, change) => {
      const user = account('refresh');
      const id = (await stack.users.create(user)).id;
      const tokens = await signInAt(await newBrowser(), user, false);
      const refreshToken = tokens.refresh_token ?? '';
      expect(refreshToken).not.toBe('');
      const refreshed = await firstParty.refresh(refreshToken);
      expect(refreshed.access_token).toBeTruthy();

      await nextSecond();
      await change(stack, id);
      const refusal = await firstParty.refresh(refreshed.refresh_token ?? '').then(
        () => 'issued',
        (error: Error & { error?: string }) => error.error ?? error.message,
      );
      expect(refusal).toBe('access_denied');
    },
  );

  it('asks for the password again when the user of a remembered sign-in changed it, though Hydra was never told', async () => {
    const user = account('remembered');
    const id = (await stack.users.create(user)).id;
    const context = await newBrowser();
    await signInAt(context, user, true);
    const remembered = await beginAuthorization(
      stack,
      context,
      firstParty,
      stack.clients.firstParty,
    );
    await finish(firstParty, remembered);
    expect(remembered.ours.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /login 303',
      'GET /consent 303',
    ]);

    await stack.users.setPassword(id, 'another brand new passphrase');
    await nextSecond();
    const after = await beginAuthorization(stack, context, firstParty, stack.clients.firstParty);
    expect(await landing(after)).toBe('the sign-in form');
    await signIn(after.page, { email: user.email, password: 'another brand new passphrase' });
    const tokens = await finish(firstParty, after);
    expect(tokens.claims()?.sub).toBe(id);
  });

  it.each([false, true])(
    'signs in again in the same browser after disable and enable (keep me signed in: %s), never an error at the client',
    async (rememberAgain) => {
      const user = account('reenabled');
      const id = (await stack.users.create(user)).id;
      const context = await newBrowser();
      await signInAt(context, user, true);

      await nextSecond();
      expect((await usersCli(stack, ['disable', user.email])).code).toBe(0);
      const whileDisabled = await beginAuthorization(
        stack,
        context,
        firstParty,
        stack.clients.firstParty,
      );
      expect(await landing(whileDisabled)).toBe('the sign-in form');
      expect((await usersCli(stack, ['enable', user.email])).code).toBe(0);
      await nextSecond();

      const again = await beginAuthorization(stack, context, firstParty, stack.clients.firstParty);
      expect(await landing(again)).toBe('the sign-in form');
      await signIn(again.page, { ...user, remember: rememberAgain });
      const url = await arrival(again.callback, 'the client redirect URI');
      expect(url.searchParams.get('error')).toBeNull();
      const tokens = await firstParty.finishAuthorization(url, again.pending);
      expect(tokens.claims()?.sub).toBe(id);
    },
  );
});
