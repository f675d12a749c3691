/**
 * Attackers, faults and load, end to end (issue 4): hostile client metadata and error pages in the
 * real browser, sign-in throttling, remembered sessions revoked by the users CLI, open redirects,
 * and logs that never carry a secret. Same stack as flows.test.ts (a real Hydra, v26.2.0 or
 * v2.3.0 by jest project; our functions under serverless offline, dynalite, Debian's chromium),
 * with its own instance.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { APIResponse, Browser, BrowserContext, Page, Response } from 'playwright-core';
import type { RelyingParty } from '../../scripts/lib/relying-party';
import { launchBrowser } from './support/browser';
import {
  arrival,
  beginAuthorization,
  finish,
  landing,
  relyingParty,
  screenshot,
  signIn,
  submit,
  textOf,
} from './support/flow';
import { e2ePrerequisites, HYDRA_REFUSES_NON_HTTP_CLIENT_URIS } from './support/prerequisites';
import { startStack, type Stack, type TestClient } from './support/stack';
import { killUsersCli, usersCli } from './support/users-cli';

const prerequisites = e2ePrerequisites();
const describeE2E = typeof prerequisites === 'string' ? describe.skip : describe;
if (typeof prerequisites === 'string') console.warn(prerequisites);

jest.setTimeout(60_000);

/**
 * Three failures per account, then 429. The window is long on purpose: the windows are fixed
 * (aligned on multiples of their length), so a short one could end in the middle of the throttle
 * test and reset its counters; the test also waits out the last minute of a window.
 */
const THROTTLE_MAX_PER_ACCOUNT = 3;
const THROTTLE_WINDOW_SECONDS = 3600;

const GENERIC_ERROR = 'The email or password is incorrect.';
const THROTTLED = /^Too many sign-in attempts\. Try again in (\d+) minutes?\.$/;

/** Injected into every request we send: none of them may ever become a Location. */
const EVIL = {
  redirect_to: 'https://evil.example/redirect_to',
  return_to: 'https://evil.example/return_to',
  next: 'https://evil.example/next',
  redirect_uri: 'https://evil.example/redirect_uri',
  returnTo: '//evil.example/returnTo',
  url: 'https://evil.example/url',
};

interface Account {
  email: string;
  password: string;
}

const account = (name: string): Account => ({
  email: `${name}@example.com`,
  password: `${name} password ${randomBytes(6).toString('hex')}`,
});

/**
 * Every secret the tests saw, by value, with what it was: the log test looks for each of them in
 * the functions' output. Filled from every request and response of every browser context (URLs,
 * form bodies, Set-Cookie), from the forms and tokens the tests handle themselves, and from the
 * passwords and emails they use.
 */
const secrets = new Map<string, string>();
const SECRET_FIELDS: Record<string, string> = {
  login_challenge: 'login challenge',
  consent_challenge: 'consent challenge',
  logout_challenge: 'logout challenge',
  challenge: 'challenge (form)',
  login_verifier: 'login verifier',
  consent_verifier: 'consent verifier',
  logout_verifier: 'logout verifier',
  csrf: 'CSRF token',
  password: 'password',
  identifier: 'email',
  code: 'authorization code',
};

function keepSecret(kind: string, value: string | null | undefined): void {
  // Short values ("1", "login") are not secrets and would match by accident.
  if (value && value.length >= 8 && !secrets.has(value)) secrets.set(value, kind);
}

function keepSecretsOfFields(fields: URLSearchParams): void {
  for (const [name, value] of fields) {
    const kind = SECRET_FIELDS[name];
    if (kind) keepSecret(kind, value);
  }
}

function keepSecretsOfUrl(url: string, base?: string): void {
  try {
    keepSecretsOfFields(new URL(url, base).searchParams);
  } catch {
    // not a URL: nothing to keep
  }
}

function keepSecretsOfAccount(user: Account): void {
  keepSecret('password', user.password);
  keepSecret('email', user.email);
}

function keepSecretsOfTokens(tokens: {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
}): void {
  keepSecret('access token', tokens.access_token);
  keepSecret('ID token', tokens.id_token);
  keepSecret('refresh token', tokens.refresh_token);
}

/** Records the secrets of everything the browser sends and receives in this context. */
function watchSecrets(context: BrowserContext): void {
  context.on('request', (request) => {
    keepSecretsOfUrl(request.url());
    const body = request.postData();
    if (body && /urlencoded/.test(request.headers()['content-type'] ?? '')) {
      keepSecretsOfFields(new URLSearchParams(body));
    }
  });
  context.on('response', (response) => {
    response
      .allHeaders()
      .then((headers) => {
        if (headers.location) keepSecretsOfUrl(headers.location, response.url());
        for (const line of (headers['set-cookie'] ?? '').split('\n')) {
          keepSecret('cookie', /^[^=]+=([^;]*)/.exec(line)?.[1]);
        }
      })
      .catch(() => undefined);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether a promise settles within `ms` (a callback that must NOT be reached). */
function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([promise.then(() => true), sleep(ms).then(() => false)]);
}

/** Types credentials and presses "Sign in"; the answer to that POST. */
async function attemptSignIn(page: Page, user: Account, remember = false): Promise<Response> {
  await page.locator('input[name=identifier]').fill(user.email);
  await page.locator('input[name=password]').fill(user.password);
  if (remember) await page.locator('input[name=remember]').check();
  const [response] = await Promise.all([
    page.waitForResponse(
      (candidate) =>
        candidate.request().method() === 'POST' && new URL(candidate.url()).pathname === '/login',
    ),
    page.locator('button[value=login]').click(),
  ]);
  await page.waitForLoadState('domcontentloaded');
  return response;
}

describeE2E('attackers, faults and hostile input against the real stack', () => {
  let stack: Stack;
  let browser: Browser;
  let contexts: BrowserContext[] = [];
  let context: BrowserContext;
  let dialogs: string[];
  let thirdParty: RelyingParty;
  let firstParty: RelyingParty;
  /** Where this run's lines begin: the log file is appended to, run after run. */
  let logOffset = 0;

  /** A browser context that blocks the internet, counts dialogs and records every secret. */
  async function newContext(): Promise<BrowserContext> {
    const created = await browser.newContext();
    contexts.push(created);
    // Logos of test clients point at example hosts: nothing leaves loopback.
    await created.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
    created.on('page', (page) =>
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss().catch(() => undefined);
      }),
    );
    watchSecrets(created);
    return created;
  }

  function testClient(id: string): TestClient {
    return {
      id,
      secret: randomBytes(16).toString('hex'),
      redirectUri: `${stack.callbacks.baseUrl}/${id}/callback`,
      postLogoutRedirectUri: `${stack.callbacks.baseUrl}/${id}/logged-out`,
    };
  }

  async function createUser(user: Account): Promise<string> {
    keepSecretsOfAccount(user);
    return (await stack.users.create(user)).id;
  }

  /** Signs in through the form ("keep me signed in" ticked) and finishes at the client. */
  async function rememberedSignIn(rp: RelyingParty, client: TestClient, user: Account) {
    const flow = await beginAuthorization(stack, context, rp, client);
    expect(await landing(flow)).toBe('the sign-in form');
    await signIn(flow.page, { ...user, remember: true });
    const tokens = await finish(rp, flow);
    keepSecretsOfTokens(tokens);
    return tokens;
  }

  /** The next authorization goes through without the form: Hydra remembers the user. */
  async function expectRemembered(rp: RelyingParty, client: TestClient, subject: string) {
    const flow = await beginAuthorization(stack, context, rp, client);
    const tokens = await finish(rp, flow);
    keepSecretsOfTokens(tokens);
    expect(tokens.claims()?.sub).toBe(subject);
    expect(flow.ours.filter((response) => response.path === '/login')).toEqual([
      { method: 'GET', path: '/login', status: 303 },
    ]);
  }

  beforeAll(async () => {
    if (typeof prerequisites === 'string') return;
    stack = await startStack({
      name: 'security',
      hydraBinary: prerequisites.hydra,
      extraFunctionEnv: {
        THROTTLE_MAX_PER_ACCOUNT: String(THROTTLE_MAX_PER_ACCOUNT),
        THROTTLE_WINDOW_SECONDS: String(THROTTLE_WINDOW_SECONDS),
      },
    });
    logOffset = statSync(stack.functionsLog).size;
    browser = await launchBrowser(prerequisites.chromium);
    thirdParty = await relyingParty(stack, stack.clients.thirdParty);
    firstParty = await relyingParty(stack, stack.clients.firstParty);
    for (const client of Object.values(stack.clients)) keepSecret('client secret', client.secret);
  }, 180_000);

  afterAll(async () => {
    killUsersCli();
    await browser?.close();
    await stack?.stop();
  });

  beforeEach(async () => {
    dialogs = [];
    context = await newContext();
  });

  afterEach(async () => {
    for (const open of contexts) {
      for (const cookie of await open.cookies().catch(() => [])) keepSecret('cookie', cookie.value);
      await open.close();
    }
    contexts = [];
    expect(dialogs).toEqual([]);
  });

  describe('hostile input in the browser', () => {
    /** Every href and src on the page: only https may remain (javascript:, data:, http: dropped). */
    async function urlsOnPage(page: Page): Promise<{ attribute: string; value: string }[]> {
      const found: { attribute: string; value: string }[] = [];
      for (const attribute of ['href', 'src', 'srcset', 'action', 'formaction', 'xlink:href']) {
        for (const element of await page.locator(`[${attribute.replace(':', '\\:')}]`).all()) {
          found.push({ attribute, value: (await element.getAttribute(attribute)) ?? '' });
        }
      }
      return found;
    }

    /** No element or handler came out of hostile text: no script, no inline event handler. */
    async function expectNoMarkupFrom(page: Page): Promise<void> {
      expect(await page.locator('script, iframe, object, embed, svg, base').count()).toBe(0);
      const handlers = await page
        .locator('[onerror], [onload], [onclick], [onmouseover], [onfocus]')
        .count();
      expect(handlers).toBe(0);
    }

    async function expectOnlyHttpsUrls(page: Page): Promise<void> {
      const urls = await urlsOnPage(page);
      const unsafe = urls.filter(
        ({ attribute, value }) =>
          // Our own forms post to a path of our origin.
          !(attribute === 'action' && /^\/(login|consent|logout)$/.test(value)) &&
          // "Forgot password?" (mail is on in this stack): our own page, for this sign-in.
          !(attribute === 'href' && /^\/recovery\?login_challenge=[\w%.~-]+$/.test(value)) &&
          // "Use another account": the authorization request again, at our Hydra (its admin API
          // named it; the local Hydra is http).
          !(attribute === 'href' && value.startsWith(`${stack.hydraPublicUrl}/oauth2/auth?`)) &&
          !/^https:\/\//.test(value),
      );
      expect(unsafe).toEqual([]);
    }

    const HOSTILE = [
      {
        id: 'hostile-script',
        client_name: '<script>alert(1)</script>',
        logo_uri: 'javascript:alert(3)',
        policy_uri: 'javascript:alert(4)//https://example.com/',
        tos_uri: 'JaVaScRiPt:alert(5)',
        client_uri: ' javascript:alert(6)',
        // login_hint lands in an attribute (the prefilled email): quotes must not break out.
        login_hint: `x" autofocus onfocus="alert(10)`,
      },
      {
        id: 'hostile-quote',
        client_name: `"><img src=x onerror=alert(2)>'><svg onload=alert(7)>`,
        logo_uri: 'data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg" onload="alert(8)"/>',
        policy_uri: 'http://insecure.example.com/policy',
        tos_uri: 'data:text/html,<script>alert(9)</script>',
        client_uri: '//evil.example/protocol-relative',
        login_hint: `x'><img src=x onerror=alert(11)>"><script>alert(12)</script>`,
      },
    ];

    /** The client's links that are http(s), the only ones Hydra v26 accepts. */
    function httpLinksOnly<T extends Record<string, string>>(metadata: T): Partial<T> {
      const links = ['logo_uri', 'policy_uri', 'tos_uri', 'client_uri'];
      return Object.fromEntries(
        Object.entries(metadata).filter(
          ([field, value]) => !links.includes(field) || /^https?:\/\//i.test(value),
        ),
      ) as Partial<T>;
    }

    it.each(HOSTILE)(
      'shows the hostile client name $client_name and login_hint as text and drops its non-https logo and links, on the login, consent and logout pages',
      async ({ id, login_hint, ...metadata }) => {
        const client = testClient(id);
        const registration = {
          client_id: client.id,
          client_secret: client.secret,
          redirect_uris: [client.redirectUri],
          post_logout_redirect_uris: [client.postLogoutRedirectUri],
        };
        let registered: Partial<typeof metadata> = metadata;
        if (HYDRA_REFUSES_NON_HTTP_CLIENT_URIS) {
          // This Hydra refuses the links that are not http(s) itself: proved, then left out (our
          // pages still meet the hostile name, the hint and any http: link).
          await expect(stack.registerClient({ ...registration, ...metadata })).rejects.toThrow(
            /HTTP 400 .*invalid_client_metadata/,
          );
          registered = httpLinksOnly(metadata);
        }
        await stack.registerClient({ ...registration, ...registered });
        keepSecret('client secret', client.secret);
        const rp = await relyingParty(stack, client);
        const user = account(`victim-of-${id}`);
        await createUser(user);

        const flow = await beginAuthorization(stack, context, rp, client, {
          scope: 'openid profile',
          login_hint,
        });
        await flow.page.waitForURL(`${stack.appUrl}/login?**`);
        expect(await textOf(flow.page.locator('main strong').first())).toBe(metadata.client_name);
        expect(await flow.page.locator('input[name=identifier]').inputValue()).toBe(login_hint);
        await expectNoMarkupFrom(flow.page);
        await expectOnlyHttpsUrls(flow.page);
        expect(await flow.page.locator('img').count()).toBe(0);
        await signIn(flow.page, { ...user, remember: true });

        await flow.page.waitForURL(`${stack.appUrl}/consent?**`);
        expect(await textOf(flow.page.locator('main p strong').first())).toBe(metadata.client_name);
        await expectNoMarkupFrom(flow.page);
        await expectOnlyHttpsUrls(flow.page);
        expect(await flow.page.locator('img').count()).toBe(0);
        await screenshot(flow.page, `consent-${id}`);
        // The page still works: allowing reaches the client.
        await submit(flow.page, 'button[value=allow]');
        const tokens = await finish(rp, flow);
        keepSecretsOfTokens(tokens);

        await flow.page.goto(
          rp.logoutUrl(tokens.id_token ?? '', client.postLogoutRedirectUri).href,
        );
        await flow.page.waitForURL(`${stack.appUrl}/logout?**`);
        expect(await textOf(flow.page.locator('main p strong').first())).toBe(metadata.client_name);
        await expectNoMarkupFrom(flow.page);
        await expectOnlyHttpsUrls(flow.page);
        expect(dialogs).toEqual([]);
      },
    );

    it('shows the https logo and links of a client, opened with rel="noopener noreferrer"', async () => {
      const client = testClient('https-links');
      const name = `Links & "Quotes" <App>`;
      await stack.registerClient({
        client_id: client.id,
        client_secret: client.secret,
        redirect_uris: [client.redirectUri],
        client_name: name,
        logo_uri: 'https://cdn.example.com/logo.png?size=64&theme="dark"',
        policy_uri: 'https://app.example.com/privacy',
        tos_uri: 'https://app.example.com/terms',
        client_uri: 'https://app.example.com/',
      });
      keepSecret('client secret', client.secret);
      const rp = await relyingParty(stack, client);
      const user = account('links-reader');
      await createUser(user);

      const flow = await beginAuthorization(stack, context, rp, client, { scope: 'openid' });
      await flow.page.waitForURL(`${stack.appUrl}/login?**`);
      for (const step of ['login', 'consent'] as const) {
        if (step === 'consent') {
          await signIn(flow.page, user);
          await flow.page.waitForURL(`${stack.appUrl}/consent?**`);
        }
        expect(await textOf(flow.page.locator('main strong').first())).toBe(name);
        expect(await flow.page.locator('img').getAttribute('src')).toBe(
          'https://cdn.example.com/logo.png?size=64&theme=%22dark%22',
        );
        const links = flow.page.locator('a');
        const found: Array<{ text: string; href: string | null; rel: string | null }> = [];
        for (const link of await links.all()) {
          found.push({
            text: await textOf(link),
            href: await link.getAttribute('href'),
            rel: await link.getAttribute('rel'),
          });
        }
        const switchAccount = found.filter((link) => link.text === 'Use another account');
        if (step === 'consent') {
          expect(switchAccount).toEqual([
            { text: 'Use another account', href: expect.any(String), rel: null },
          ]);
          const again = new URL(switchAccount[0]?.href ?? '');
          expect(again.origin + again.pathname).toBe(`${stack.hydraPublicUrl}/oauth2/auth`);
          expect(again.searchParams.get('client_id')).toBe(client.id);
          expect(again.searchParams.get('prompt')).toBe('login');
        }
        // Our own "Forgot password?" on the sign-in page (mail is on in this stack) aside.
        const ours = (link: { href: string | null }) => link.href?.startsWith('/recovery?');
        expect(found.filter((link) => link.text !== 'Use another account' && !ours(link))).toEqual([
          { text: 'About the app', href: 'https://app.example.com/', rel: 'noopener noreferrer' },
          {
            text: 'Privacy policy',
            href: 'https://app.example.com/privacy',
            rel: 'noopener noreferrer',
          },
          {
            text: 'Terms of service',
            href: 'https://app.example.com/terms',
            rel: 'noopener noreferrer',
          },
        ]);
      }
    });

    it("shows Hydra's error, error_description and error_hint on the error page only escaped, under Technical details", async () => {
      const page = await context.newPage();
      const error = `"><script>alert('error')</script>`;
      const description = `<img src=x onerror=alert('description')><a href="javascript:alert(1)">x</a>`;
      const hint = `'><svg onload=alert('hint')></svg><iframe src="javascript:alert(2)">`;
      const response = await page.goto(
        `${stack.appUrl}/error?${new URLSearchParams({
          error,
          error_description: description,
          error_hint: hint,
        }).toString()}`,
      );
      // An unknown error code: the generic page, 400.
      expect(response?.status()).toBe(400);
      expect(await textOf(page.locator('h1'))).toBe('Sign-in could not be completed');
      expect(await page.title()).toBe('Sign-in could not be completed');
      const details = await textOf(page.locator('main > details'));
      for (const shown of [error, description, hint]) expect(details).toContain(shown);
      const ownWords = (await page.locator('main > :not(details)').allTextContents()).join(' ');
      expect(ownWords).toContain('Go back to the application and try again.');
      expect(ownWords).not.toMatch(/alert|javascript|<|>/);
      expect(await page.locator('img, a, script, svg, iframe').count()).toBe(0);
      expect(await page.locator('[onerror], [onload]').count()).toBe(0);
      expect(dialogs).toEqual([]);
    });
  });

  it('throttles sign-ins per account: the same 429 page for a known and an unknown user, the right password refused too, other accounts unaffected', async () => {
    const dave = account('dave');
    const erin = account('erin');
    const nobody = account(`nobody-${randomBytes(4).toString('hex')}`);
    keepSecretsOfAccount(nobody);
    await createUser(dave);
    const erinId = await createUser(erin);
    // Fixed windows: never start in the last minute of one (its end would reset the counters).
    const intoWindow = Math.floor(Date.now() / 1000) % THROTTLE_WINDOW_SECONDS;
    if (THROTTLE_WINDOW_SECONDS - intoWindow < 60) {
      await sleep((THROTTLE_WINDOW_SECONDS - intoWindow + 1) * 1000);
    }

    const flow = await beginAuthorization(stack, context, firstParty, stack.clients.firstParty);
    await flow.page.waitForURL(`${stack.appUrl}/login?**`);

    /** Wrong passwords until the account is throttled; the throttled page as the user sees it. */
    async function throttle(user: Account) {
      const wrong = { email: user.email, password: `${user.password} but wrong` };
      keepSecretsOfAccount(wrong);
      for (let attempt = 1; attempt <= THROTTLE_MAX_PER_ACCOUNT; attempt += 1) {
        expect((await attemptSignIn(flow.page, wrong)).status()).toBe(401);
        expect(await textOf(flow.page.locator('[role=alert]'))).toBe(GENERIC_ERROR);
      }
      return throttledPage(await attemptSignIn(flow.page, wrong));
    }

    async function throttledPage(response: Response) {
      const headers = await response.allHeaders();
      const alert = await textOf(flow.page.locator('[role=alert]'));
      const minutes = THROTTLED.exec(alert)?.[1];
      const retryAfter = headers['retry-after'] ?? '';
      return {
        status: response.status(),
        alert,
        minutes: Number(minutes),
        retryAfter: /^\d+$/.test(retryAfter) ? Number(retryAfter) : retryAfter,
        // The whole page and the header names, with the numbers (minutes, dates) left out.
        page: (await textOf(flow.page.locator('main'))).replace(/\d+/g, 'N'),
        headerNames: Object.keys(headers)
          .filter((name) => !['date', 'content-length', 'keep-alive', 'connection'].includes(name))
          .sort(),
        url: new URL(flow.page.url()).pathname,
      };
    }

    const known = await throttle(dave);
    await screenshot(flow.page, 'login-throttled');
    expect(known.status).toBe(429);
    expect(known.alert).toMatch(THROTTLED);
    expect(typeof known.retryAfter).toBe('number');
    expect(known.retryAfter).toBeGreaterThan(0);
    expect(known.retryAfter).toBeLessThanOrEqual(THROTTLE_WINDOW_SECONDS);
    expect(known.minutes).toBe(Math.ceil(Number(known.retryAfter) / 60));

    // The right password, inside the window: refused with the very same page, nothing accepted.
    const rightPassword = await throttledPage(await attemptSignIn(flow.page, dave));
    expect(rightPassword.status).toBe(429);
    expect(rightPassword.page).toBe(known.page);

    // An account that does not exist is throttled the same way: no hint which one is real.
    const unknown = await throttle(nobody);
    expect(unknown.status).toBe(429);
    expect(unknown.page).toBe(known.page);
    expect(unknown.headerNames).toEqual(known.headerNames);
    expect(typeof unknown.retryAfter).toBe('number');

    expect(flow.ours.every((response) => response.status !== 303)).toBe(true);
    expect(await settlesWithin(flow.callback, 500)).toBe(false);
    expect(rightPassword.url).toBe('/login');

    // Another account, from the same browser and address, on the same challenge: still let in.
    await signIn(flow.page, erin);
    const tokens = await finish(firstParty, flow);
    keepSecretsOfTokens(tokens);
    expect(tokens.claims()?.sub).toBe(erinId);
  }, 150_000);

  it('revokes the remembered sessions through Hydra when the users CLI changes the password, disables or deletes the user', async () => {
    const carol = account('carol');
    const carolId = await createUser(carol);
    const changed = { email: carol.email, password: `new ${carol.password}` };
    keepSecretsOfAccount(changed);
    const thirdPartyClient = stack.clients.thirdParty;
    const firstPartyClient = stack.clients.firstParty;

    // Remembered login and remembered consent.
    const first = await beginAuthorization(stack, context, thirdParty, thirdPartyClient);
    await first.page.waitForURL(`${stack.appUrl}/login?**`);
    await signIn(first.page, { ...carol, remember: true });
    await first.page.waitForURL(`${stack.appUrl}/consent?**`);
    await first.page.locator('input[name=remember]').check();
    await submit(first.page, 'button[value=allow]');
    keepSecretsOfTokens(await finish(thirdParty, first));
    const again = await beginAuthorization(stack, context, thirdParty, thirdPartyClient);
    keepSecretsOfTokens(await finish(thirdParty, again));
    expect(again.ours.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /login 303',
      'GET /consent 303',
    ]);

    // (a) A new password: Hydra forgot the login and the consent; the old password is refused.
    const setPassword = await usersCli(
      stack,
      ['set-password', carol.email, '--password-stdin'],
      `${changed.password}\n`,
    );
    expect(setPassword).toEqual({ code: 0, output: expect.stringContaining('revoked') });
    const afterChange = await beginAuthorization(stack, context, thirdParty, thirdPartyClient);
    expect(await landing(afterChange)).toBe('the sign-in form');
    expect((await attemptSignIn(afterChange.page, carol)).status()).toBe(401);
    // Ticked, so that the next authorization below is remembered again.
    expect((await attemptSignIn(afterChange.page, changed, true)).status()).toBe(303);
    await afterChange.page.waitForURL(`${stack.appUrl}/consent?**`);
    await submit(afterChange.page, 'button[value=allow]');
    const afterChangeTokens = await finish(thirdParty, afterChange);
    keepSecretsOfTokens(afterChangeTokens);
    expect(afterChangeTokens.claims()?.sub).toBe(carolId);
    await expectRemembered(firstParty, firstPartyClient, carolId);

    // (b) Disabled: no remembered session, and the form refuses the right password.
    const disable = await usersCli(stack, ['disable', carol.email]);
    expect(disable).toEqual({ code: 0, output: expect.stringContaining('revoked') });
    const afterDisable = await beginAuthorization(stack, context, firstParty, firstPartyClient);
    expect(await landing(afterDisable)).toBe('the sign-in form');
    expect((await attemptSignIn(afterDisable.page, changed)).status()).toBe(401);
    expect(await textOf(afterDisable.page.locator('[role=alert]'))).toBe(GENERIC_ERROR);

    // (c) Deleted: the same. (Enabled and remembered again first.)
    await stack.users.setEnabled(carolId, true);
    await rememberedSignIn(firstParty, firstPartyClient, changed);
    await expectRemembered(firstParty, firstPartyClient, carolId);
    const remove = await usersCli(stack, ['delete', carol.email, '--yes']);
    expect(remove).toEqual({ code: 0, output: expect.stringContaining('revoked') });
    expect(await stack.users.findById(carolId)).toBeUndefined();
    const afterDelete = await beginAuthorization(stack, context, firstParty, firstPartyClient);
    expect(await landing(afterDelete)).toBe('the sign-in form');
    expect((await attemptSignIn(afterDelete.page, changed)).status()).toBe(401);
    expect(await textOf(afterDelete.page.locator('[role=alert]'))).toBe(GENERIC_ERROR);
  }, 150_000);

  it('asks for consent once a first-party client is made third-party: what it was given without asking is not the user’s choice', async () => {
    const client = testClient('demoted-app');
    await stack.registerClient({
      client_id: client.id,
      client_secret: client.secret,
      client_name: 'Demoted App',
      redirect_uris: [client.redirectUri],
      skip_consent: true,
    });
    keepSecret('client secret', client.secret);
    const rp = await relyingParty(stack, client);
    const user = account('demoted-app-user');
    await createUser(user);
    await rememberedSignIn(rp, client, user);

    const demoted = await fetch(`${stack.hydraAdminUrl}/admin/clients/${client.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ op: 'replace', path: '/skip_consent', value: false }]),
    });
    expect(demoted.status).toBe(200);

    /** Where the next authorization (Hydra remembers the user) ends up. */
    async function nextAuthorization() {
      const flow = await beginAuthorization(stack, context, rp, client);
      const where = await Promise.race([
        flow.page.waitForURL(`${stack.appUrl}/consent?**`).then(() => 'the consent page'),
        flow.callback.then(() => 'the client'),
      ]);
      return { flow, where };
    }
    const asked = await nextAuthorization();
    expect(asked.where).toBe('the consent page');
    await asked.flow.page.locator('input[name=remember]').check();
    await submit(asked.flow.page, 'button[value=allow]');
    keepSecretsOfTokens(await finish(rp, asked.flow));

    // The consent the user chose to remember is remembered.
    expect((await nextAuthorization()).where).toBe('the client');
  });

  it('never redirects to a URL taken from the request: every Location is one Hydra returned', async () => {
    const user = account('redirect-target');
    await createUser(user);
    const page = await context.newPage();

    const hydraPrefix = new RegExp(`^${stack.hydraPublicUrl}/`);

    function expectHydraLocation(response: APIResponse, what: string): string {
      const location = response.headers().location;
      expect({ what, status: response.status(), location }).toEqual({
        what,
        status: 303,
        location: expect.stringMatching(hydraPrefix),
      });
      expect(location).not.toMatch(/evil/);
      keepSecretsOfUrl(location ?? '');
      return location ?? '';
    }

    /** No Location, or one at Hydra: what a page of ours may answer when Hydra has no use for it. */
    function expectNoForeignLocation(response: APIResponse, what: string): void {
      const location = response.headers().location;
      expect({ what, location }).toEqual({
        what,
        location: location === undefined ? undefined : expect.stringMatching(hydraPrefix),
      });
      expect(location ?? '').not.toMatch(/evil/);
    }

    function expectNoLocation(response: APIResponse, what: string): void {
      expect({ what, status: response.status(), location: response.headers().location }).toEqual({
        what,
        status: expect.any(Number),
        location: undefined,
      });
      expect(response.status()).toBeLessThan(500);
    }

    const get = (path: string, params: Record<string, string>) =>
      page.request.get(
        `${stack.appUrl}${path}?${new URLSearchParams({ ...params, ...EVIL }).toString()}`,
        {
          maxRedirects: 0,
        },
      );
    const post = (path: string, fields: Array<[string, string]>) =>
      page.request.post(`${stack.appUrl}${path}`, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        data: new URLSearchParams([...fields, ...Object.entries(EVIL)]).toString(),
        maxRedirects: 0,
      });
    const hiddenFields = async (target: Page) => {
      const fields = {
        challenge: await target.locator('input[name=challenge]').inputValue(),
        csrf: await target.locator('input[name=csrf]').inputValue(),
      };
      keepSecretsOfFields(new URLSearchParams(fields));
      return fields;
    };

    // The login form, read and posted with extra redirect parameters.
    const flow = await beginAuthorization(stack, context, thirdParty, stack.clients.thirdParty);
    await flow.page.waitForURL(`${stack.appUrl}/login?**`);
    const login = await hiddenFields(flow.page);
    const loginChallenge = new URL(flow.page.url()).searchParams.get('login_challenge') ?? '';
    expectNoLocation(await get('/login', { login_challenge: loginChallenge }), 'GET /login form');
    const toHydra = expectHydraLocation(
      await post('/login', [
        ['challenge', login.challenge],
        ['csrf', login.csrf],
        ['identifier', user.email],
        ['password', user.password],
        ['remember', '1'],
        ['action', 'login'],
      ]),
      'POST /login',
    );

    // Consent, the same way.
    await flow.page.goto(toHydra);
    await flow.page.waitForURL(`${stack.appUrl}/consent?**`);
    const consent = await hiddenFields(flow.page);
    const consentChallenge = new URL(flow.page.url()).searchParams.get('consent_challenge') ?? '';
    expectNoLocation(
      await get('/consent', { consent_challenge: consentChallenge }),
      'GET /consent form',
    );
    const toClient = expectHydraLocation(
      await post('/consent', [
        ['challenge', consent.challenge],
        ['csrf', consent.csrf],
        ['scope', 'openid'],
        ['scope', 'profile'],
        ['action', 'allow'],
      ]),
      'POST /consent',
    );
    await flow.page.goto(toClient);
    const tokens = await finish(thirdParty, flow);
    keepSecretsOfTokens(tokens);

    // A replayed (used) login challenge: whatever Hydra says, never the injected URL.
    const replayed = await get('/login', { login_challenge: loginChallenge });
    expectNoForeignLocation(replayed, 'GET /login replayed');
    expect(replayed.status()).toBeLessThan(500);

    // Hydra remembers the user: GET /login accepts at once, and sends the browser to Hydra.
    const pending = await thirdParty.startAuthorization();
    const toLogin = await page.request.get(pending.url.href, { maxRedirects: 0 });
    const skipChallenge =
      new URL(toLogin.headers().location ?? '', stack.hydraPublicUrl).searchParams.get(
        'login_challenge',
      ) ?? '';
    keepSecret('login challenge', skipChallenge);
    expect(skipChallenge).not.toBe('');
    expectHydraLocation(await get('/login', { login_challenge: skipChallenge }), 'GET /login skip');

    // A logout challenge already used: Hydra answers 410.
    const loggedOut = stack.callbacks.next(stack.clients.thirdParty.postLogoutRedirectUri);
    await flow.page.goto(
      thirdParty.logoutUrl(tokens.id_token ?? '', stack.clients.thirdParty.postLogoutRedirectUri)
        .href,
    );
    await flow.page.waitForURL(`${stack.appUrl}/logout?**`);
    const logout = await hiddenFields(flow.page);
    const logoutChallenge = new URL(flow.page.url()).searchParams.get('logout_challenge') ?? '';
    const toLogout = expectHydraLocation(
      await post('/logout', [
        ['challenge', logout.challenge],
        ['csrf', logout.csrf],
        ['action', 'logout'],
      ]),
      'POST /logout',
    );
    await flow.page.goto(toLogout);
    await arrival(loggedOut, 'the post-logout URI');
    // Hydra v2.3.0 answers 410 here, but with a redirect_to that is only a path (its logout
    // request_url is the incoming request's path and query), which the adapter refuses to
    // follow: an "already done" page (410) with no Location, not an outage, never the injected URL.
    const gone = await get('/logout', { logout_challenge: logoutChallenge });
    expectNoForeignLocation(gone, 'GET /logout after use (410)');
    expect(gone.status()).toBe(410);
    const goneText = await gone.text();
    expect(goneText).toContain('Already done');
    expect(goneText).not.toMatch(/evil/);

    // No challenge at all, and the error page: nowhere to go.
    expectNoLocation(await get('/login', {}), 'GET /login without a challenge');
    expectNoLocation(await get('/error', { error: 'invalid_request' }), 'GET /error');
  });

  it('never logs a password, email, challenge, CSRF token, cookie or token, and every JSON line has a request id', async () => {
    // The log is written by a child process: wait until the last test's events are in.
    let log = '';
    for (let waited = 0; waited < 10_000; waited += 250) {
      log = readFileSync(stack.functionsLog).subarray(logOffset).toString('utf8');
      if (log.includes('"logout.accepted"')) break;
      await sleep(250);
    }
    const kinds = new Set(secrets.values());
    for (const kind of [
      'password',
      'email',
      'login challenge',
      'consent challenge',
      'logout challenge',
      'CSRF token',
      'cookie',
      'access token',
      'ID token',
      'refresh token',
      'authorization code',
    ]) {
      expect({ kind, collected: kinds.has(kind) }).toEqual({ kind, collected: true });
    }
    const leaks = [...secrets]
      .filter(([value]) => log.includes(value) || log.includes(encodeURIComponent(value)))
      .map(([value, kind]) => `${kind}: ${value.slice(0, 12)}…`);
    expect(leaks).toEqual([]);

    // Our lines are whole JSON objects; serverless offline's own lines are plain text.
    const unparsed: string[] = [];
    const ours = log
      .split('\n')
      .filter((line) => line.trim().startsWith('{'))
      .flatMap((line) => {
        try {
          return [JSON.parse(line.trim()) as Record<string, unknown>];
        } catch {
          unparsed.push(line.slice(0, 80));
          return [];
        }
      })
      .filter((entry) => 'level' in entry && 'message' in entry);
    expect(unparsed).toEqual([]);
    const events = new Set(ours.map((entry) => entry.event));
    for (const event of ['login.failure', 'login.throttled', 'login.success', 'consent.granted']) {
      expect(events).toContain(event);
    }
    const withoutRequestId = ours.filter(
      (entry) => typeof entry.requestId !== 'string' || entry.requestId.length === 0,
    );
    expect(withoutRequestId).toEqual([]);
  });
});
