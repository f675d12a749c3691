/**
 * The operator's brand end to end (issue 12): a stack configured with BRAND_NAME, BRAND_COLOUR,
 * a logo file inlined at cold start, BRAND_FILE, SUPPORT_EMAIL and BRAND_HOME_URL, and a client
 * whose Hydra `metadata.brand` names it, gives it a logo and its own colour; in chromium, with
 * the real CSP.
 * Also writes the README's screenshot of a branded sign-in page (docs/screenshots/branded-login.png
 * is a copy of test-results/screenshots/<version>/branded-login.png).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RelyingParty } from '../../scripts/lib/relying-party';
import { launchBrowser } from './support/browser';
import {
  beginAuthorization,
  finish,
  relyingParty,
  screenshot,
  signIn,
  submit,
  textOf,
} from './support/flow';
import { e2ePrerequisites } from './support/prerequisites';
import { startStack, type Stack, type TestClient } from './support/stack';

const prerequisites = e2ePrerequisites();
const describeE2E = typeof prerequisites === 'string' ? describe.skip : describe;
if (typeof prerequisites === 'string') console.warn(prerequisites);

jest.setTimeout(60_000);

const FIXTURES = join(__dirname, 'fixtures', 'brand');
const ORDERS_API = 'https://api.acme.example/orders';
const USER = {
  email: `brand-${randomBytes(3).toString('hex')}@example.com`,
  password: 'a branded password for the test',
};

/** The computed background colour of the page's primary button (no DOM types here: node's). */
const buttonColour = (page: Page) =>
  page.locator('button.primary').evaluate(
    (button) =>
      (
        globalThis as unknown as {
          getComputedStyle(node: unknown): { backgroundColor: string };
        }
      ).getComputedStyle(button).backgroundColor,
  );

/** axe-core, run in the page through the DevTools protocol (the page's CSP allows no script). */
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  nodes: unknown[];
}

/** The accessibility rules a page breaks, by axe-core's id (colour contrast among them). */
async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    return (await axe.run()).violations.map(
      (violation) => `${violation.id} (${violation.nodes.length})`,
    );
  });
  return violations;
}

describeE2E('branding: the operator and a client, in a real browser under the real CSP', () => {
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let thirdParty: RelyingParty;
  let branded: TestClient;
  let brandedRp: RelyingParty;
  /** Whatever the browser refused under the CSP, as its console said it. */
  let refused: string[] = [];

  beforeAll(async () => {
    if (typeof prerequisites === 'string') return;
    stack = await startStack({
      name: 'brand',
      hydraBinary: prerequisites.hydra,
      extraFunctionEnv: {
        BRAND_NAME: 'Acme Cloud',
        BRAND_COLOUR: '#0f766e',
        BRAND_LOGO_FILE: join(FIXTURES, 'logo.svg'),
        BRAND_FILE: join(FIXTURES, 'brand.json'),
        SUPPORT_EMAIL: 'help@acme.example',
        BRAND_HOME_URL: 'https://acme.example/',
      },
    });
    branded = {
      ...stack.clients.thirdParty,
      id: 'branded-app',
      redirectUri: stack.clients.thirdParty.redirectUri.replace('third-party', 'branded-app'),
    };
    await stack.registerClient({
      client_id: branded.id,
      client_secret: branded.secret,
      client_name: 'Registered Name',
      redirect_uris: [branded.redirectUri],
      scope: 'openid email orders:read',
      audience: [ORDERS_API],
      metadata: {
        brand: {
          display_name: 'Orders by Acme',
          logo_uri: 'https://orders.acme.example/logo.png',
          colour: '#7c3aed',
        },
      },
    });
    browser = await launchBrowser(prerequisites.chromium);
    thirdParty = await relyingParty(stack, stack.clients.thirdParty);
    brandedRp = await relyingParty(stack, branded);
    await stack.users.create(USER);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  beforeEach(async () => {
    refused = [];
    context = await browser.newContext({ viewport: { width: 520, height: 640 } });
    context.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
    });
  });

  afterEach(async () => {
    await context.close();
  });

  it("shows the operator's name in the title, its logo and its colour, all allowed by the CSP", async () => {
    const flow = await beginAuthorization(stack, context, thirdParty, stack.clients.thirdParty);
    await flow.page.waitForURL(`${stack.appUrl}/login?**`);

    expect(await flow.page.title()).toBe('Sign in · Acme Cloud');
    expect(await textOf(flow.page.locator('header.brand'))).toBe('Acme Cloud');
    const logo = flow.page.locator('header.brand img');
    expect(await logo.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(
      await logo.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    ).toBeGreaterThan(0);
    expect(await buttonColour(flow.page)).toBe('rgb(15, 118, 110)');
    expect(refused).toEqual([]);
    expect(await axeViolations(flow.page)).toEqual([]);
    await screenshot(flow.page, 'branded-login');
  });

  it("uses a client's metadata on its sign-in and consent pages, and the operator's words for its scope and audience", async () => {
    const flow = await beginAuthorization(stack, context, brandedRp, branded, {
      scope: 'openid orders:read',
      audience: ORDERS_API,
    });
    await flow.page.waitForURL(`${stack.appUrl}/login?**`);
    expect(await textOf(flow.page.locator('p strong'))).toBe('Orders by Acme');
    expect(await buttonColour(flow.page)).toBe('rgb(124, 58, 237)');
    await signIn(flow.page, USER);

    await flow.page.waitForURL(`${stack.appUrl}/consent?**`);
    expect(await flow.page.title()).toBe('Allow access · Acme Cloud');
    expect(await textOf(flow.page.locator('p strong').first())).toBe('Orders by Acme');
    expect(await flow.page.locator('.client img').getAttribute('src')).toBe(
      'https://orders.acme.example/logo.png',
    );
    expect(await buttonColour(flow.page)).toBe('rgb(124, 58, 237)');
    const scope = flow.page.locator('label', {
      has: flow.page.locator('input[value="orders:read"]'),
    });
    expect(await textOf(scope)).toBe('See your ordersorders:read');
    const audience = flow.page.locator('label', { has: flow.page.locator('input[name=audience]') });
    expect(await textOf(audience)).toBe(`Orders API${ORDERS_API}`);
    expect(refused).toEqual([]);
    expect(await axeViolations(flow.page)).toEqual([]);
    await submit(flow.page, 'button[value=allow]');

    const tokens = await finish(brandedRp, flow);
    expect(tokens.scope?.split(' ').sort()).toEqual(['openid', 'orders:read']);
  });

  it("offers the support contact and the operator's home page where a sign-in cannot go on", async () => {
    const page = await context.newPage();
    await page.goto(`${stack.appUrl}/login?login_challenge=${'x'.repeat(40)}`);

    expect(await page.title()).toBe('This link has expired · Acme Cloud');
    expect(await page.locator('a.support').getAttribute('href')).toBe('mailto:help@acme.example');
    const home = page.locator('a.back');
    expect(await home.textContent()).toBe('Back to Acme Cloud');
    expect(await home.getAttribute('href')).toBe('https://acme.example/');
  });

  it("leads from Hydra's error page back to the operator's home page", async () => {
    const page = await context.newPage();
    await page.goto(`${stack.appUrl}/error?error=invalid_client&error_description=nope`);

    expect(await page.locator('a.back').getAttribute('href')).toBe('https://acme.example/');
  });
});
