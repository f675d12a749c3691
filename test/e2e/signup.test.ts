/**
 * Sign-up and email verification end to end on real Hydra with the local SES, SIGNUP=open and
 * REQUIRE_VERIFIED_EMAIL=true: "Create account" on the sign-in page → the mailed link → the
 * account, back in the original OAuth flow with `email_verified` true in its ID token; the same
 * page for an address that has an account (which gets "someone tried…"); a user whose address is
 * not verified gets a link instead of being let in, and the next ID token says it is verified.
 */
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext } from 'playwright-core';
import type { RelyingParty } from '../../scripts/lib/relying-party';
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
import { linkIn, nthMail } from './support/inbox';
import { e2ePrerequisites } from './support/prerequisites';
import { startStack, type Stack } from './support/stack';

const prerequisites = e2ePrerequisites();
const describeE2E = typeof prerequisites === 'string' ? describe.skip : describe;
if (typeof prerequisites === 'string') console.warn(prerequisites);

jest.setTimeout(120_000);

const address = (name: string) => `${name}-${randomBytes(3).toString('hex')}@example.com`;

describeE2E('sign-up and email verification, with the mail from the local inbox', () => {
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
    stack = await startStack({
      name: 'signup',
      hydraBinary: prerequisites.hydra,
      extraFunctionEnv: { SIGNUP: 'open', REQUIRE_VERIFIED_EMAIL: 'true' },
    });
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

  async function askToSignUp(email: string): Promise<Authorization> {
    const flow = await beginAuthorization(
      stack,
      await newBrowser(),
      firstParty,
      stack.clients.firstParty,
    );
    expect(await landing(flow)).toBe('the sign-in form');
    await flow.page.locator('a', { hasText: 'Create account' }).click();
    await flow.page.waitForURL(/\/signup\?login_challenge=/);
    expect(await axeViolations(flow.page)).toEqual([]);
    await flow.page.locator('input[name=email]').fill(email);
    await submit(flow.page, 'button[type=submit]');
    expect(flow.ours.at(-1)).toEqual({ method: 'POST', path: '/signup', status: 200 });
    expect(await textOf(flow.page.locator('h1'))).toBe('Check your inbox');
    return flow;
  }

  it('creates the account from the mailed link and lands back in the OAuth flow, its email verified', async () => {
    const email = address('new');
    const password = `new user ${randomBytes(6).toString('hex')}`;
    const flow = await askToSignUp(email);
    const mail = await nthMail(stack.mailUrl, email, 1);
    expect(mail.subject).toBe('Finish creating your account');
    // Nothing exists before the link is used.
    expect(await stack.users.findByIdentifier(email)).toBeUndefined();

    await flow.page.goto(linkIn(mail, `${stack.appUrl}/signup/complete?token=`));
    expect(await textOf(flow.page.locator('h1'))).toBe('Finish creating your account');
    expect(await axeViolations(flow.page)).toEqual([]);
    await screenshot(flow.page, 'signup-complete');
    await flow.page.locator('input[name=name]').fill('New User');
    await flow.page.locator('input[name=password]').fill(password);
    await submit(flow.page, 'button[type=submit]');
    expect(await textOf(flow.page.locator('h1'))).toBe('Your account was created');

    await flow.page.locator('a', { hasText: 'Continue signing in' }).click();
    await flow.page.locator('input[name=password]').waitFor();
    await signIn(flow.page, { email, password });
    const tokens = await finish(firstParty, flow);
    const claims = tokens.claims();
    expect(claims?.email).toBe(email);
    expect(claims?.email_verified).toBe(true);
    expect(claims?.name).toBe('New User');
  });

  it('answers an address that has an account the same, and mails it "someone tried"', async () => {
    const email = address('taken');
    await stack.users.create({ email, password: 'a taken password 123' });
    await askToSignUp(email);
    const mail = await nthMail(stack.mailUrl, email, 1);
    expect(mail.subject).toBe('Someone tried to create an account with your email');
    expect(mail.text).toContain(`${stack.appUrl}/recovery`);
  });

  it('mails an unverified user a link instead of letting it in; verified, the next ID token says so', async () => {
    const user = {
      email: address('unverified'),
      password: `unverified ${randomBytes(6).toString('hex')}`,
    };
    const id = (await stack.users.create(user)).id;
    expect((await stack.users.findById(id))?.profile.email_verified).not.toBe(true);

    const flow = await beginAuthorization(
      stack,
      await newBrowser(),
      firstParty,
      stack.clients.firstParty,
    );
    expect(await landing(flow)).toBe('the sign-in form');
    await signIn(flow.page, user);
    expect(flow.ours.at(-1)).toEqual({ method: 'POST', path: '/login', status: 200 });
    expect(await textOf(flow.page.locator('h1'))).toBe('Confirm your email address');
    expect(await axeViolations(flow.page)).toEqual([]);
    await submit(flow.page, 'button[type=submit]');
    expect(flow.ours.at(-1)).toEqual({ method: 'POST', path: '/verify/send', status: 200 });
    expect(await textOf(flow.page.locator('h1'))).toBe('Check your inbox');
    expect(await axeViolations(flow.page)).toEqual([]);

    const mail = await nthMail(stack.mailUrl, user.email, 1);
    expect(mail.subject).toBe('Confirm your email address');
    const link = linkIn(mail, `${stack.appUrl}/verify?token=`);
    const page = await flow.page.context().newPage();
    await page.goto(link);
    // Opening the link changes nothing (mail scanners open links): the button does.
    expect((await stack.users.findById(id))?.profile.email_verified).not.toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await submit(page, 'button[type=submit]');
    expect(await textOf(page.locator('h1'))).toBe('Your email address is confirmed');
    expect((await stack.users.findById(id))?.profile.email_verified).toBe(true);

    // The same sign-in goes on ("Continue signing in" on the step page).
    await flow.page.locator('a', { hasText: 'Continue signing in' }).click();
    await flow.page.locator('input[name=password]').waitFor();
    await signIn(flow.page, user);
    const tokens = await finish(firstParty, flow);
    expect(tokens.claims()?.sub).toBe(id);
    expect(tokens.claims()?.email_verified).toBe(true);
  });
});
