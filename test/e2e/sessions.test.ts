/**
 * Sessions as the README describes them (issue 11, and issue 10's "remember_for means the same
 * on both"), end to end on real Hydra, v2.3.0 or the HYDRA_VERSION given: every ID token says
 * how the user signed in (`amr`, `acr`), the single sign-on after it too; "Keep me signed in"
 * unticked lasts as long as the browser (silent sign-in and `prompt=none` work until it closes,
 * then `prompt=none` answers login_required); ticked, LOGIN_REMEMBER_FOR, through a browser
 * restart, also when LOGIN_REMEMBER_FOR is longer than Hydra's ttl.authentication_session.
 *
 * A browser restart is a new browser context holding the cookies of the old one that have a
 * lifetime: a browser drops its session cookies (no Max-Age, no Expires) when it closes.
 */
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Cookie } from 'playwright-core';
import type { RelyingParty } from '../../scripts/lib/relying-party';
import { cookiesAfterRestart, launchBrowser } from './support/browser';
import {
  arrival,
  beginAuthorization,
  finish,
  landing,
  relyingParty,
  signIn,
  submit,
  type Authorization,
} from './support/flow';
import { e2ePrerequisites } from './support/prerequisites';
import { startStack, type Stack } from './support/stack';

const prerequisites = e2ePrerequisites();
const describeE2E = typeof prerequisites === 'string' ? describe.skip : describe;
if (typeof prerequisites === 'string') console.warn(prerequisites);

jest.setTimeout(90_000);

const DAY = 24 * 3600;
/** LOGIN_REMEMBER_FOR here: "keep me signed in" for three days. */
const REMEMBER_FOR = 3 * DAY;
/** LOGIN_BROWSER_SESSION_MAX here: without it, two hours at most while the browser is open. */
const BROWSER_SESSION_MAX = 2 * 3600;
/** Hydra's session cookie under --dev. */
const HYDRA_SESSION_COOKIE = 'ory_hydra_session_dev';
/** Ours, bound to the browser session (COOKIE_SECURE=false locally: no __Host- prefix). */
const OUR_SESSION_COOKIE = 'hlc-session';

const account = (name: string) => ({
  email: `${name}-${randomBytes(3).toString('hex')}@example.com`,
  password: `${name} password ${randomBytes(6).toString('hex')}`,
});

/** Each response of ours in an authorization, as `METHOD /path status`. */
const ours = (flow: Authorization) => flow.ours.map((r) => `${r.method} ${r.path} ${r.status}`);

/** Seconds from now until a cookie expires; -1 for a session cookie, as playwright says. */
function lifetime(cookie: Cookie | undefined): number | undefined {
  if (!cookie) return undefined;
  return cookie.expires === -1 ? -1 : Math.round(cookie.expires - Date.now() / 1000);
}

describeE2E('sessions', () => {
  let browser: Browser;
  let contexts: BrowserContext[] = [];

  async function newBrowser(cookies: Cookie[] = []): Promise<BrowserContext> {
    const context = await browser.newContext();
    contexts.push(context);
    if (cookies.length > 0) await context.addCookies(cookies);
    return context;
  }

  /** The same browser, closed and opened again: the cookies with a lifetime survive. */
  async function restart(context: BrowserContext): Promise<BrowserContext> {
    return newBrowser(await cookiesAfterRestart(context));
  }

  async function cookie(context: BrowserContext, name: string): Promise<Cookie | undefined> {
    return (await context.cookies()).find((each) => each.name === name);
  }

  beforeAll(async () => {
    if (typeof prerequisites === 'string') return;
    browser = await launchBrowser(prerequisites.chromium);
  });

  afterAll(async () => {
    await browser?.close();
  });

  afterEach(async () => {
    for (const context of contexts) await context.close();
    contexts = [];
  });

  describe('with Hydra keeping sessions as long as we ask (ttl.authentication_session ≥ LOGIN_REMEMBER_FOR)', () => {
    let stack: Stack;
    let thirdParty: RelyingParty;
    let firstParty: RelyingParty;

    beforeAll(async () => {
      if (typeof prerequisites === 'string') return;
      stack = await startStack({
        name: 'sessions',
        hydraBinary: prerequisites.hydra,
        extraFunctionEnv: {
          LOGIN_REMEMBER_FOR: String(REMEMBER_FOR),
          LOGIN_BROWSER_SESSION_MAX: String(BROWSER_SESSION_MAX),
        },
      });
      thirdParty = await relyingParty(stack, stack.clients.thirdParty);
      firstParty = await relyingParty(stack, stack.clients.firstParty);
    }, 180_000);

    afterAll(async () => {
      await stack?.stop();
    });

    /**
     * Signs in at the third-party client through the form and allows with "Remember this
     * decision" (so that `prompt=none` can be answered later without asking); its tokens.
     */
    async function signInAndRememberConsent(
      context: BrowserContext,
      user: { email: string; password: string },
      remember: boolean,
    ) {
      const flow = await beginAuthorization(stack, context, thirdParty, stack.clients.thirdParty);
      expect(await landing(flow)).toBe('the sign-in form');
      await signIn(flow.page, { ...user, remember });
      await flow.page.waitForURL(`${stack.appUrl}/consent?**`);
      await flow.page.locator('input[name=remember]').check();
      await submit(flow.page, 'button[value=allow]');
      return finish(thirdParty, flow);
    }

    /** An authorization with prompt=none: the error the client gets, or its tokens. */
    async function silently(context: BrowserContext) {
      const flow = await beginAuthorization(stack, context, thirdParty, stack.clients.thirdParty, {
        prompt: 'none',
      });
      const url = await arrival(flow.callback, 'the client redirect URI');
      const error = url.searchParams.get('error');
      if (error) return { error, flow };
      return { tokens: await thirdParty.finishAuthorization(url, flow.pending), flow };
    }

    it('says how the user signed in, amr ["pwd"] and acr, on the sign-in and on the single sign-on after it', async () => {
      const user = account('amr');
      await stack.users.create(user);
      const context = await newBrowser();

      const first = await beginAuthorization(stack, context, firstParty, stack.clients.firstParty, {
        // Either level will do for this client: the password's is the lowest it accepts.
        acr_values: 'aal1 aal2',
      });
      expect(await landing(first)).toBe('the sign-in form');
      await signIn(first.page, { ...user, remember: true });
      const signedIn = (await finish(firstParty, first)).claims();
      // The answer is the level the sign-in reached.
      expect(signedIn).toMatchObject({ amr: ['pwd'], acr: 'aal1' });

      const sso = await beginAuthorization(stack, context, firstParty, stack.clients.firstParty);
      const again = (await finish(firstParty, sso)).claims();
      expect(ours(sso)).toEqual(['GET /login 303', 'GET /consent 303']);
      expect(again).toMatchObject({ sub: signedIn?.sub, amr: ['pwd'], acr: 'aal1' });
      expect(again?.auth_time).toBe(signedIn?.auth_time);
    });

    it('without "keep me signed in": signed in until the browser closes, then prompt=none answers login_required', async () => {
      const user = account('browser-session');
      await stack.users.create(user);
      const context = await newBrowser();
      await signInAndRememberConsent(context, user, false);

      // Our cookie lives as long as the browser session; Hydra's session at most the cap.
      const ourCookie = await cookie(context, OUR_SESSION_COOKIE);
      expect(ourCookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
      expect(lifetime(ourCookie)).toBe(-1);
      const hydraLifetime = lifetime(await cookie(context, HYDRA_SESSION_COOKIE));
      expect(hydraLifetime).toBeGreaterThan(BROWSER_SESSION_MAX - 120);
      expect(hydraLifetime).toBeLessThanOrEqual(BROWSER_SESSION_MAX);

      // The browser still open: a silent sign-in, and prompt=none, with how the user signed in.
      const silent = await beginAuthorization(stack, context, thirdParty, stack.clients.thirdParty);
      const tokens = await finish(thirdParty, silent);
      expect(ours(silent)).toEqual(['GET /login 303', 'GET /consent 303']);
      expect(tokens.claims()).toMatchObject({ amr: ['pwd'], acr: 'aal1' });
      const none = await silently(context);
      expect(none.error).toBeUndefined();
      expect(none.tokens?.claims()).toMatchObject({ amr: ['pwd'], acr: 'aal1' });

      // The browser closed and opened again: Hydra's cookie is still there, the session is not.
      const reopened = await restart(context);
      expect(await cookie(reopened, HYDRA_SESSION_COOKIE)).toBeDefined();
      expect(await cookie(reopened, OUR_SESSION_COOKIE)).toBeUndefined();
      const after = await silently(reopened);
      expect(after.error).toBe('login_required');
      expect(ours(after.flow)).toEqual(['GET /login 303']);
      const interactive = await beginAuthorization(
        stack,
        reopened,
        thirdParty,
        stack.clients.thirdParty,
      );
      expect(await landing(interactive)).toBe('the sign-in form');
    });

    it('with "keep me signed in": Hydra keeps the session for LOGIN_REMEMBER_FOR, through a browser restart', async () => {
      const user = account('remembered');
      await stack.users.create(user);
      const context = await newBrowser();
      const signedIn = (await signInAndRememberConsent(context, user, true)).claims();

      const hydraLifetime = lifetime(await cookie(context, HYDRA_SESSION_COOKIE));
      expect(hydraLifetime).toBeGreaterThan(REMEMBER_FOR - 120);
      expect(hydraLifetime).toBeLessThanOrEqual(REMEMBER_FOR);
      expect(await cookie(context, OUR_SESSION_COOKIE)).toBeUndefined();

      const reopened = await restart(context);
      const after = await silently(reopened);
      expect(after.error).toBeUndefined();
      expect(after.tokens?.claims()).toMatchObject({
        sub: signedIn?.sub,
        amr: ['pwd'],
        acr: 'aal1',
        auth_time: signedIn?.auth_time,
      });
    });
  });

  describe('with LOGIN_REMEMBER_FOR longer than ttl.authentication_session', () => {
    let stack: Stack;
    let firstParty: RelyingParty;

    beforeAll(async () => {
      if (typeof prerequisites === 'string') return;
      stack = await startStack({
        name: 'sessions-capped',
        hydraBinary: prerequisites.hydra,
        authenticationSessionTtl: '1h',
        extraFunctionEnv: {
          LOGIN_REMEMBER_FOR: String(REMEMBER_FOR),
          LOGIN_BROWSER_SESSION_MAX: String(BROWSER_SESSION_MAX),
        },
      });
      firstParty = await relyingParty(stack, stack.clients.firstParty);
    }, 180_000);

    afterAll(async () => {
      await stack?.stop();
    });

    it.each([
      ['ticked', true, REMEMBER_FOR],
      ['unticked', false, BROWSER_SESSION_MAX],
    ])(
      '"keep me signed in" %s: Hydra\'s session cookie still lasts what we asked for, on this Hydra',
      async (_name, remember, expected) => {
        const user = account(`capped-${String(remember)}`);
        await stack.users.create(user);
        const context = await newBrowser();
        const flow = await beginAuthorization(stack, context, firstParty, stack.clients.firstParty);
        expect(await landing(flow)).toBe('the sign-in form');
        await signIn(flow.page, { ...user, remember });
        await finish(firstParty, flow);

        const hydraLifetime = lifetime(await cookie(context, HYDRA_SESSION_COOKIE));
        expect(hydraLifetime).toBeGreaterThan(expected - 120);
        expect(hydraLifetime).toBeLessThanOrEqual(expected);
      },
    );
  });
});
