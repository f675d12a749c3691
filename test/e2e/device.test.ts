/**
 * Device sign-in (RFC 8628) end to end: a real device client (openid-client's device
 * authorization grant, a public client as a TV or a CLI is), real Hydra, our functions under
 * serverless offline, Debian's chromium on our pages. On Hydra v26.2.0 the whole flow, and each
 * way a code is refused; on Hydra v2.3.0 (no device flow) our "not supported" page.
 */
import * as oidc from 'openid-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEVICE_CODE_GRANT } from '../../scripts/lib/hydra';
import { launchBrowser } from './support/browser';
import { screenshot, signIn, submit, textOf } from './support/flow';
import { e2ePrerequisites, HYDRA_VERSION } from './support/prerequisites';
import { startStack, type Stack } from './support/stack';

const prerequisites = e2ePrerequisites();
const describeE2E = typeof prerequisites === 'string' ? describe.skip : describe;
if (typeof prerequisites === 'string') console.warn(prerequisites);

/**
 * Hydra v25.4 brought the device flow; v2.x has none. One of the two suites below is defined,
 * by the Hydra this run uses: neither is ever skipped.
 */
const HAS_DEVICE_FLOW = !/^v2\./.test(HYDRA_VERSION);

jest.setTimeout(60_000);

/** How long a user code lives in this stack: long enough for a sign-in, short enough to wait out. */
const USER_CODE_TTL_SECONDS = 25;
const MAX_CODES_PER_CHALLENGE = 3;

const BOB = {
  email: 'bob@example.com',
  password: 'a device sign-in password',
  profile: { name: 'Bob Device' },
};

const DEVICE_CLIENT = 'living-room-tv';
const WRONG_CODE = 'That code did not work.';

async function startDeviceStack(name: string, hydraBinary: string) {
  return startStack({
    name,
    hydraBinary,
    userCodeTtl: `${USER_CODE_TTL_SECONDS}s`,
    extraFunctionEnv: {
      DEVICE_CODE_MAX_PER_CHALLENGE: String(MAX_CODES_PER_CHALLENGE),
      DEVICE_CODE_MAX_PER_IP: '50',
    },
  });
}

/** The device's client: public (no secret), the device grant and refresh. */
async function registerDevice(stack: Stack): Promise<void> {
  await stack.registerClient({
    client_id: DEVICE_CLIENT,
    client_name: 'Living Room TV',
    token_endpoint_auth_method: 'none',
    grant_types: [DEVICE_CODE_GRANT, 'refresh_token'],
    response_types: [],
    scope: 'openid profile offline_access',
  });
}

const deviceFlowSuite = () => {
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let device: oidc.Configuration;
  let bobId: string;

  beforeAll(async () => {
    if (typeof prerequisites === 'string') return;
    stack = await startDeviceStack('device', prerequisites.hydra);
    await registerDevice(stack);
    browser = await launchBrowser(prerequisites.chromium);
    device = await oidc.discovery(
      new URL(stack.hydraPublicUrl),
      DEVICE_CLIENT,
      undefined,
      oidc.None(),
      { execute: [oidc.allowInsecureRequests] },
    );
    bobId = (await stack.users.create(BOB)).id;
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

  /** The device asks for a code and starts polling for its tokens, as a TV would. */
  async function startDevice() {
    const authorization = await oidc.initiateDeviceAuthorization(device, {
      scope: 'openid profile offline_access',
    });
    const tokens = oidc.pollDeviceAuthorizationGrant(device, authorization, undefined, {
      signal: AbortSignal.timeout(USER_CODE_TTL_SECONDS * 1000 + 5_000),
    });
    // A test that ends before the device has its tokens must not leave a rejection unhandled.
    tokens.catch(() => undefined);
    return { authorization, tokens };
  }

  /** Opens a URL of Hydra's that sends the browser to our code page. */
  async function codePage(url: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForURL(`${stack.appUrl}/device?**`);
    return page;
  }

  async function enterCode(page: Page, code: string): Promise<number> {
    await page.locator('input[name=user_code]').fill(code);
    const [response] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST'),
      page.locator('button[type=submit]').click(),
    ]);
    await page.waitForLoadState('domcontentloaded');
    return response.status();
  }

  /** From our sign-in form to our "done" page: sign in, allow. */
  async function signInAndAllow(page: Page): Promise<void> {
    await page.waitForURL(`${stack.appUrl}/login?**`);
    await signIn(page, BOB);
    await page.waitForURL(`${stack.appUrl}/consent?**`);
    await submit(page, 'button[value=allow]');
    await page.waitForURL(`${stack.appUrl}/device/done?**`);
    expect(await textOf(page.locator('h1'))).toBe("You're signed in on your device");
  }

  it('signs the device in from verification_uri_complete: the code prefilled, login, consent, and the device gets tokens naming the user', async () => {
    const { authorization, tokens } = await startDevice();
    expect(authorization.verification_uri_complete).toBeDefined();

    const page = await codePage(authorization.verification_uri_complete ?? '');
    const field = page.locator('input[name=user_code]');
    expect(await field.inputValue()).toBe(authorization.user_code);
    expect(await page.locator('input[name=user_code]:focus').count()).toBe(1);
    expect(await textOf(page.locator('body'))).not.toContain('Living Room TV');
    await screenshot(page, 'device');
    await page.locator('button[type=submit]').click();
    await signInAndAllow(page);
    await screenshot(page, 'device-done');

    const granted = await tokens;
    expect(granted.claims()).toMatchObject({ sub: bobId, name: BOB.profile.name });
    expect(granted.scope?.split(' ').sort()).toEqual(['offline_access', 'openid', 'profile']);
    expect(granted.refresh_token).toBeTruthy();
  });

  it('signs the device in from the code typed by hand, in lower case with a dash and spaces', async () => {
    const { authorization, tokens } = await startDevice();
    const page = await codePage(authorization.verification_uri);
    expect(await page.locator('input[name=user_code]').inputValue()).toBe('');

    const code = authorization.user_code;
    const typed = `${code.slice(0, 4)} - ${code.slice(4)}`.toLowerCase();
    expect(await enterCode(page, typed)).toBe(303);
    await signInAndAllow(page);

    expect((await tokens).claims()).toMatchObject({ sub: bobId });
  });

  it('refuses a wrong code with the form again (400), and the right code still works after it', async () => {
    const { authorization, tokens } = await startDevice();
    const page = await codePage(authorization.verification_uri);
    const wrong = authorization.user_code.startsWith('Z') ? 'YYYYYYYY' : 'ZZZZZZZZ';

    expect(await enterCode(page, wrong)).toBe(400);
    expect(await textOf(page.locator('[role=alert]'))).toContain(WRONG_CODE);
    expect(page.url()).toBe(`${stack.appUrl}/device`);

    expect(await enterCode(page, authorization.user_code)).toBe(303);
    await signInAndAllow(page);
    expect((await tokens).claims()).toMatchObject({ sub: bobId });
  });

  it('refuses a code already used for a sign-in (400)', async () => {
    const { authorization, tokens } = await startDevice();
    const first = await codePage(authorization.verification_uri_complete ?? '');
    await first.locator('button[type=submit]').click();
    await signInAndAllow(first);
    await tokens;

    const again = await codePage(authorization.verification_uri);
    expect(await enterCode(again, authorization.user_code)).toBe(400);
    expect(await textOf(again.locator('[role=alert]'))).toContain(WRONG_CODE);
  });

  it('stops a guesser after a few codes for one challenge (429), before Hydra is asked: even the right code', async () => {
    const { authorization } = await startDevice();
    const page = await codePage(authorization.verification_uri);
    for (let attempt = 0; attempt < MAX_CODES_PER_CHALLENGE; attempt += 1) {
      expect(await enterCode(page, `QQQQQQQ${String.fromCharCode(65 + attempt)}`)).toBe(400);
    }

    expect(await enterCode(page, authorization.user_code)).toBe(429);
    expect(await textOf(page.locator('[role=alert]'))).toMatch(/^Too many codes tried/);

    // A fresh challenge (a new visit) is not held to the old one's count.
    const fresh = await codePage(authorization.verification_uri);
    expect(await enterCode(fresh, authorization.user_code)).toBe(303);
  });

  it(
    'refuses an expired code (400)',
    async () => {
      const { authorization } = await startDevice();
      const page = await codePage(authorization.verification_uri);
      await new Promise((resolve) => setTimeout(resolve, (USER_CODE_TTL_SECONDS + 2) * 1000));

      expect(await enterCode(page, authorization.user_code)).toBe(400);
      expect(await textOf(page.locator('[role=alert]'))).toContain(WRONG_CODE);
    },
    (USER_CODE_TTL_SECONDS + 30) * 1000,
  );

  it('answers a code page without a device challenge with 400', async () => {
    const page = await context.newPage();
    const response = await page.goto(`${stack.appUrl}/device`);
    expect(response?.status()).toBe(400);
  });
};

const withoutDeviceFlowSuite = () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    if (typeof prerequisites === 'string') return;
    stack = await startDeviceStack('device-unsupported', prerequisites.hydra);
    browser = await launchBrowser(prerequisites.chromium);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('has no device authorization endpoint, and our code page answers "not supported" (501)', async () => {
    // The client registers (v2.3.0 takes the grant type), but Hydra cannot start a device flow.
    await registerDevice(stack);
    const device = await oidc.discovery(
      new URL(stack.hydraPublicUrl),
      DEVICE_CLIENT,
      undefined,
      oidc.None(),
      { execute: [oidc.allowInsecureRequests] },
    );
    expect(device.serverMetadata().device_authorization_endpoint).toBeUndefined();

    // Hydra never sends a browser here; one that comes anyway is told plainly.
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${stack.appUrl}/device?device_challenge=made-up-challenge-0123456789`);
      await page.locator('input[name=user_code]').fill('ABCDEFGH');
      const [response] = await Promise.all([
        page.waitForResponse((response) => response.request().method() === 'POST'),
        page.locator('button[type=submit]').click(),
      ]);
      expect(response.status()).toBe(501);
      expect(await textOf(page.locator('h1'))).toBe('Device sign-in is not supported');
    } finally {
      await context.close();
    }
  });
};

if (HAS_DEVICE_FLOW) describeE2E(`device sign-in on Hydra ${HYDRA_VERSION}`, deviceFlowSuite);
else
  describeE2E(
    `device sign-in on Hydra ${HYDRA_VERSION}: it has no device flow`,
    withoutDeviceFlowSuite,
  );
