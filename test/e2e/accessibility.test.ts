/**
 * Accessibility of every page, in a real browser: axe-core (WCAG 2.2 A/AA and best practices) on
 * each page a person can meet, in three languages (one right to left), at desktop and phone
 * width; and a whole sign-in with the keyboard only. axe-core runs in the page through the
 * DevTools protocol, so the page keeps its own Content-Security-Policy (nothing is injected into
 * its DOM).
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { RelyingParty } from '../../scripts/lib/relying-party';
import { launchBrowser } from './support/browser';
import { arrival, beginAuthorization, finish, relyingParty, signIn, submit } from './support/flow';
import { e2ePrerequisites, HYDRA_VERSION } from './support/prerequisites';
import { startStack, TEST_AUDIENCE, type Stack } from './support/stack';
import { killUsersCli, usersCli } from './support/users-cli';

const prerequisites = e2ePrerequisites();
const describeE2E = typeof prerequisites === 'string' ? describe.skip : describe;
if (typeof prerequisites === 'string') console.warn(prerequisites);

jest.setTimeout(120_000);

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

const HAS_DEVICE_FLOW = !/^v2\./.test(HYDRA_VERSION);

/**
 * The browsers we look through: a desktop window in the light scheme and a phone (touch, 390 CSS
 * pixels wide) in the dark one, so that both colour schemes meet axe's contrast rules.
 */
const VIEWPORTS = {
  desktop: { viewport: { width: 1280, height: 800 }, colorScheme: 'light' },
  phone: {
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    colorScheme: 'dark',
  },
} as const;
/** Three languages, one right to left, by the browser's Accept-Language (as a browser sends it). */
const LOCALES = ['en-GB', 'de-DE', 'ar'] as const;

interface Violation {
  rule: string;
  impact: string | null | undefined;
  nodes: string[];
}

/** axe-core's violations on the page as it is now: rule, impact and the elements' selectors. */
async function violations(page: Page): Promise<Violation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    interface AxeResult {
      id: string;
      impact?: string | null;
      nodes: { target: unknown[] }[];
    }
    const axe = (
      globalThis as unknown as {
        axe: {
          run(context: unknown, options: unknown): Promise<{ violations: AxeResult[] }>;
        };
      }
    ).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, {
      runOnly: { type: 'tag', values: tags },
    });
    return result.violations.map((violation) => ({
      rule: violation.id,
      impact: violation.impact,
      nodes: violation.nodes.map((node) => node.target.map(String).join(' ')),
    }));
  }, AXE_TAGS);
}

describeE2E(`accessibility of every page on Hydra ${HYDRA_VERSION}`, () => {
  let stack: Stack;
  let browser: Browser;
  let thirdParty: RelyingParty;
  let users = 0;

  beforeAll(async () => {
    if (typeof prerequisites === 'string') return;
    stack = await startStack({ name: 'accessibility', hydraBinary: prerequisites.hydra });
    browser = await launchBrowser(prerequisites.chromium);
    thirdParty = await relyingParty(stack, stack.clients.thirdParty);
  }, 180_000);

  afterAll(async () => {
    killUsersCli();
    await browser?.close();
    await stack?.stop();
  });

  /** A user of one's own per test: nothing remembered from another test. */
  async function newUser() {
    users += 1;
    const user = { email: `reader${users}@example.com`, password: `a long passphrase ${users}` };
    await stack.users.create({ ...user, profile: { name: `Reader ${users}` } });
    return user;
  }

  for (const [width, device] of Object.entries(VIEWPORTS)) {
    for (const locale of LOCALES) {
      it(`finds no violations on any page, ${locale} at ${width} width (${device.colorScheme})`, async () => {
        const context = await browser.newContext({ ...device, locale });
        const found: Record<string, Violation[]> = {};
        const languages: Record<string, string | null> = {};
        const check = async (name: string, page: Page) => {
          await page.waitForLoadState('load');
          languages[name] = await page.locator('html').getAttribute('lang');
          const list = await violations(page);
          if (list.length > 0) found[name] = list;
        };
        try {
          const user = await newUser();
          const flow = await beginAuthorization(
            stack,
            context,
            thirdParty,
            stack.clients.thirdParty,
            { scope: 'openid profile email offline_access', audience: TEST_AUDIENCE },
          );
          const { page } = flow;
          await page.waitForURL(`${stack.appUrl}/login?**`);
          await check('sign-in', page);
          await signIn(page, { email: user.email, password: 'not the password' });
          await check('sign-in after a wrong password', page);
          await signIn(page, user);
          await page.waitForURL(`${stack.appUrl}/consent?**`);
          await check('consent', page);
          await submit(page, 'button[value=allow]');
          const tokens = await finish(thirdParty, flow);

          const logout = thirdParty.logoutUrl(
            tokens.id_token ?? '',
            stack.clients.thirdParty.postLogoutRedirectUri,
          );
          await page.goto(logout.href);
          await page.waitForURL(`${stack.appUrl}/logout?**`);
          await check('sign-out question', page);
          await submit(page, 'button[value=stay]');
          await check('still signed in', page);
          logout.searchParams.delete('post_logout_redirect_uri');
          await page.goto(logout.href);
          await page.waitForURL(`${stack.appUrl}/logout?**`);
          await submit(page, 'button[value=logout]');
          await page.waitForURL(`${stack.appUrl}/signed-out`);
          await check('signed out', page);

          await page.goto(
            `${stack.hydraPublicUrl}/oauth2/auth?client_id=no-such-client&response_type=code&scope=openid&state=abcdefgh`,
          );
          await page.waitForURL(`${stack.appUrl}/error?**`);
          await check("Hydra's error", page);
          await page.goto(`${stack.appUrl}/login`);
          await check('sign-in without a challenge', page);
          await page.goto(`${stack.appUrl}/consent?consent_challenge=not-a-challenge`);
          await check('an expired consent link', page);
          await page.goto(`${stack.appUrl}/device?device_challenge=made-up-challenge-0123456789`);
          await check(HAS_DEVICE_FLOW ? 'device code' : 'device sign-in not supported', page);
          await page.goto(`${stack.appUrl}/device/done`);
          await check('device done', page);
        } finally {
          await context.close();
        }
        expect(found).toEqual({});
        // Every page was in the browser's language (and so the pages of two languages were checked).
        const expected = locale.split('-')[0];
        expect(Object.entries(languages).filter(([, lang]) => lang !== expected)).toEqual([]);
        expect(Object.keys(languages)).toHaveLength(11);
      });
    }
  }

  it('finds no violations on the second step of a sign-in, in both languages and widths', async () => {
    const user = await newUser();
    const enrolled = await usersCli(stack, ['totp-enrol', user.email]);
    expect(enrolled.code).toBe(0);
    const found: Record<string, Violation[]> = {};
    for (const [width, device] of Object.entries(VIEWPORTS)) {
      for (const locale of LOCALES) {
        const context = await browser.newContext({ ...device, locale });
        const check = async (name: string, page: Page) => {
          await page.waitForLoadState('load');
          const list = await violations(page);
          if (list.length > 0) found[`${name}, ${locale} at ${width}`] = list;
        };
        try {
          const { page } = await beginAuthorization(
            stack,
            context,
            thirdParty,
            stack.clients.thirdParty,
          );
          await page.waitForURL(`${stack.appUrl}/login?**`);
          await signIn(page, user);
          await page.waitForURL(`${stack.appUrl}/login/second-factor?**`);
          const codePage = page.url();
          await check('authenticator code', page);
          await page.locator('input[name=code]').fill('000000');
          await submit(page, 'button[value=verify]');
          await check('a wrong code', page);
          await page.goto(`${codePage}&method=recovery`);
          await check('recovery code', page);
        } finally {
          await context.close();
        }
      }
    }
    expect(found).toEqual({});
  });

  it('signs in and consents with the keyboard alone', async () => {
    const user = await newUser();
    const name = `Reader ${users}`;
    const context = await browser.newContext({ ...VIEWPORTS.desktop, locale: 'en-GB' });
    try {
      const flow = await beginAuthorization(stack, context, thirdParty, stack.clients.thirdParty, {
        scope: 'openid profile',
      });
      const { page, ours } = flow;
      await page.waitForURL(`${stack.appUrl}/login?**`);
      /** Tab until the focused element matches, as a person would; at most `limit` presses. */
      const tabTo = async (selector: string, limit = 15) => {
        for (let presses = 0; presses < limit; presses += 1) {
          await page.keyboard.press('Tab');
          const focused = await page
            .locator(selector)
            .evaluate(
              (element) =>
                element ===
                (globalThis as unknown as { document: { activeElement: unknown } }).document
                  .activeElement,
            );
          if (focused) return;
        }
        throw new Error(`${selector} was not reached with ${limit} presses of Tab`);
      };
      await tabTo('input[name=identifier]');
      await page.keyboard.type(user.email);
      await tabTo('input[name=password]');
      await page.keyboard.type(user.password);
      await Promise.all([
        page.waitForURL(`${stack.appUrl}/consent?**`),
        page.keyboard.press('Enter'),
      ]);
      await tabTo('button[value=allow]', 25);
      await page.keyboard.press('Enter');
      const tokens = await thirdParty.finishAuthorization(
        await arrival(flow.callback, 'the client redirect URI'),
        flow.pending,
      );
      expect(tokens.claims()?.name).toBe(name);
      expect(ours.filter((response) => response.method === 'POST')).toEqual([
        { method: 'POST', path: '/login', status: 303 },
        { method: 'POST', path: '/consent', status: 303 },
      ]);
    } finally {
      await context.close();
    }
  });
});
