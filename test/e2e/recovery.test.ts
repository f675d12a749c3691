/**
 * Forgot password end to end on real Hydra with the local SES (aws-ses-v2-local): from the
 * sign-in page to signed in with the new password, the mail read from the local inbox; the
 * refresh token from before the reset refused; a used, expired or tampered link refused with a
 * clear page; two tabs on one link, one wins; an unknown address answered with the same page.
 * SIGNUP is off here: no "Create account", and /signup is not there.
 */
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RelyingParty } from '../../scripts/lib/relying-party';
import { emailTokenHash, newEmailToken } from '../../shared/flows/email-links';
import { DynamoEmailTokens } from '../../shared/users/email-tokens';
import { createDocumentClient } from '../../shared/users/dynamo-store';
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
} from './support/flow';
import { linkIn, nthMail } from './support/inbox';
import { e2ePrerequisites } from './support/prerequisites';
import { startStack, type Stack } from './support/stack';
import { nextSecond } from './support/users-cli';

const prerequisites = e2ePrerequisites();
const describeE2E = typeof prerequisites === 'string' ? describe.skip : describe;
if (typeof prerequisites === 'string') console.warn(prerequisites);

jest.setTimeout(120_000);

const account = (name: string) => ({
  email: `${name}-${randomBytes(3).toString('hex')}@example.com`,
  password: `${name} password ${randomBytes(6).toString('hex')}`,
});

describeE2E('forgot password, with the mail from the local inbox', () => {
  let stack: Stack;
  let browser: Browser;
  let contexts: BrowserContext[] = [];
  let firstParty: RelyingParty;

  async function newBrowser(): Promise<BrowserContext> {
    const context = await browser.newContext();
    contexts.push(context);
    return context;
  }

  beforeAll(async () => {
    if (typeof prerequisites === 'string') return;
    stack = await startStack({ name: 'recovery', hydraBinary: prerequisites.hydra });
    browser = await launchBrowser(prerequisites.chromium);
    firstParty = await relyingParty(stack, stack.clients.firstParty);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  afterEach(async () => {
    for (const context of contexts) await context.close();
    contexts = [];
  });

  /** From a fresh authorization's sign-in page to "check your inbox" for `email`. */
  async function askForReset(context: BrowserContext, email: string) {
    const flow = await beginAuthorization(stack, context, firstParty, stack.clients.firstParty);
    expect(await landing(flow)).toBe('the sign-in form');
    expect(await flow.page.locator('a', { hasText: 'Create account' }).count()).toBe(0);
    await flow.page.locator('a', { hasText: 'Forgot password?' }).click();
    await flow.page.waitForURL(/\/recovery\?login_challenge=/);
    expect(await textOf(flow.page.locator('h1'))).toBe('Reset your password');
    expect(await axeViolations(flow.page)).toEqual([]);
    await flow.page.locator('input[name=email]').fill(email);
    await submit(flow.page, 'button[type=submit]');
    return flow;
  }

  async function openLink(page: Page, link: string): Promise<number> {
    const response = await page.goto(link);
    return response?.status() ?? 0;
  }

  it('resets the password from the sign-in page: signed in with the new one, the old refresh token refused', async () => {
    const user = account('forgot');
    const id = (await stack.users.create(user)).id;
    // A sign-in before the reset, with a refresh token.
    const before = await beginAuthorization(
      stack,
      await newBrowser(),
      firstParty,
      stack.clients.firstParty,
    );
    expect(await landing(before)).toBe('the sign-in form');
    await signIn(before.page, user);
    const oldTokens = await finish(firstParty, before);
    const oldRefresh = oldTokens.refresh_token ?? '';
    expect(oldRefresh).not.toBe('');
    await nextSecond();

    const context = await newBrowser();
    const flow = await askForReset(context, user.email);
    expect(flow.ours.at(-1)).toEqual({ method: 'POST', path: '/recovery', status: 200 });
    expect(await textOf(flow.page.locator('h1'))).toBe('Check your inbox');
    await screenshot(flow.page, 'recovery-sent');

    const mail = await nthMail(stack.mailUrl, user.email, 1);
    expect(mail.subject).toBe('Reset your password');
    const link = linkIn(mail, `${stack.appUrl}/recovery/reset?token=`);
    expect(link).not.toContain(encodeURIComponent(user.email));
    expect(link).not.toContain(user.email);
    expect(mail.html).toContain(link);

    expect(await openLink(flow.page, link)).toBe(200);
    expect(await textOf(flow.page.locator('h1'))).toBe('Choose a new password');
    expect(await axeViolations(flow.page)).toEqual([]);
    await screenshot(flow.page, 'recovery-reset');
    const newPassword = `new ${user.password}`;
    await flow.page.locator('input[name=password]').fill(newPassword);
    await submit(flow.page, 'button[type=submit]');
    expect(await textOf(flow.page.locator('h1'))).toBe('Your password was changed');
    expect(await axeViolations(flow.page)).toEqual([]);

    // The notice mail.
    const notice = await nthMail(stack.mailUrl, user.email, 2);
    expect(notice.subject).toBe('Your password was changed');

    // The old refresh token is refused (Hydra revoked it; the token hook would refuse it too).
    const refusal = await firstParty.refresh(oldRefresh).then(
      () => 'issued',
      (error: Error & { error?: string }) => error.error ?? error.message,
    );
    expect(['access_denied', 'invalid_grant']).toContain(refusal);

    // Back to the original sign-in, which Hydra still knows: signed in with the new password (in
    // a later second than the reset, as a person would: see nextSecond).
    await nextSecond();
    await flow.page.locator('a', { hasText: 'Continue signing in' }).click();
    await flow.page.locator('input[name=password]').waitFor();
    await signIn(flow.page, { email: user.email, password: newPassword });
    const tokens = await finish(firstParty, flow);
    expect(tokens.claims()?.sub).toBe(id);

    // The old password no longer works.
    const again = await beginAuthorization(
      stack,
      await newBrowser(),
      firstParty,
      stack.clients.firstParty,
    );
    expect(await landing(again)).toBe('the sign-in form');
    await signIn(again.page, user);
    expect(again.ours.at(-1)).toEqual({ method: 'POST', path: '/login', status: 401 });

    // The link was used: opening it again says so.
    expect(await openLink(again.page, link)).toBe(410);
    expect(await textOf(again.page.locator('h1'))).toBe('This link was already used');
  });

  it('refuses a tampered link and an expired one, each with a clear page', async () => {
    const user = account('tamper');
    await stack.users.create(user);
    const context = await newBrowser();
    const page = await context.newPage();
    await askForReset(context, user.email);
    const link = linkIn(
      await nthMail(stack.mailUrl, user.email, 1),
      `${stack.appUrl}/recovery/reset?token=`,
    );
    const token = new URL(link).searchParams.get('token') ?? '';
    const changed = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect(await openLink(page, `${stack.appUrl}/recovery/reset?token=${changed}`)).toBe(400);
    expect(await textOf(page.locator('h1'))).toBe('This link is not valid');
    expect(await openLink(page, `${stack.appUrl}/recovery/reset?token=short`)).toBe(400);

    // A link past its time (written as the functions would have, an hour and a second ago).
    const expired = newEmailToken();
    const tokens = new DynamoEmailTokens(
      createDocumentClient({ endpoint: stack.dynamoEndpoint }),
      stack.usersTable,
    );
    await tokens.save(expired.hash, {
      purpose: 'reset',
      email: user.email,
      subject: 'whoever',
      validUntilSeconds: Math.floor(Date.now() / 1000) - 1,
    });
    expect(emailTokenHash(expired.token)).toBe(expired.hash);
    expect(await openLink(page, `${stack.appUrl}/recovery/reset?token=${expired.token}`)).toBe(410);
    expect(await textOf(page.locator('h1'))).toBe('This link has expired');
    expect(await axeViolations(page)).toEqual([]);
    // The untouched link still works.
    expect(await openLink(page, link)).toBe(200);
  });

  it('lets one of two tabs on the same link set the password; the other is told the link was used', async () => {
    const user = account('tabs');
    await stack.users.create(user);
    const context = await newBrowser();
    await askForReset(context, user.email);
    const link = linkIn(
      await nthMail(stack.mailUrl, user.email, 1),
      `${stack.appUrl}/recovery/reset?token=`,
    );
    const [one, two] = [await context.newPage(), await context.newPage()];
    for (const [page, password] of [
      [one, 'first tab password 1'],
      [two, 'second tab password 2'],
    ] as const) {
      expect(await openLink(page, link)).toBe(200);
      await page.locator('input[name=password]').fill(password);
    }
    const statuses = await Promise.all(
      [one, two].map(async (page) => {
        const [response] = await Promise.all([
          page.waitForResponse((r) => r.request().method() === 'POST'),
          page.locator('button[type=submit]').click(),
        ]);
        return response.status();
      }),
    );
    expect([...statuses].sort()).toEqual([200, 410]);
  });

  it('answers an address without an account with the same page, and mails nothing, sent again too', async () => {
    const known = account('known');
    await stack.users.create(known);
    const unknown = account('unknown');
    const pages: string[] = [];
    for (const email of [known.email, unknown.email]) {
      const flow = await askForReset(await newBrowser(), email);
      expect(flow.ours.at(-1)).toEqual({ method: 'POST', path: '/recovery', status: 200 });
      // "Send it again": the same POST, the same page.
      await submit(flow.page, 'button:has-text("Send it again")');
      expect(flow.ours.at(-1)).toEqual({ method: 'POST', path: '/recovery', status: 200 });
      expect(await textOf(flow.page.locator('h1'))).toBe('Check your inbox');
      // The same words; the only differences: the sign-in each page leads back to, its form
      // token, and the address its resend form repeats (the one typed).
      pages.push(
        (await flow.page.locator('main').innerHTML())
          .replace(/login_challenge=[^"]+/g, 'X')
          .replace(/name="(challenge|csrf|email)" value="[^"]*"/g, 'name="$1" value="X"'),
      );
    }
    expect(pages[1]).toBe(pages[0]);
    const again = await nthMail(stack.mailUrl, known.email, 2);
    expect(again.subject).toBe('Reset your password');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { mailsTo } = await import('../../scripts/lib/mail');
    expect(await mailsTo(stack.mailUrl, unknown.email)).toEqual([]);
  });

  it('offers no sign-up while SIGNUP is off', async () => {
    const response = await fetch(`${stack.appUrl}/signup`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('Not available');
  });
});
