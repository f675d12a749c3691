/**
 * Relying parties nobody here wrote (issue 11), end to end on real Hydra: Python Authlib
 * (test/e2e/rp/authlib_rp.py, in its own virtualenv) runs code + PKCE + nonce, userinfo, refresh,
 * a single sign-on, `prompt=none` with an `id_token_hint` and RP-initiated logout, validating
 * every ID token strictly, while chromium does the browser's part. Also: what Hydra's discovery
 * advertises, and silent sign-in for a first-party app (openid-client).
 */
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RelyingParty } from '../../scripts/lib/relying-party';
import { authlibPython, authlibRp, type AuthlibRp } from './support/authlib-rp';
import { launchBrowser } from './support/browser';
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
import { startStack, type Stack } from './support/stack';

const prerequisites = e2ePrerequisites();
const python = typeof prerequisites === 'string' ? undefined : authlibPython();
const skipReason =
  typeof prerequisites === 'string'
    ? prerequisites
    : typeof python === 'object'
      ? `interop suite skipped: ${python.reason}`
      : undefined;
const describeE2E = skipReason ? describe.skip : describe;
if (skipReason) console.warn(skipReason);

jest.setTimeout(90_000);

/** The `acr` of a password-only sign-in (ACR_PASSWORD's default) and its `amr`. */
const PASSWORD_ACR = 'aal1';
const PASSWORD_AMR = ['pwd'];

const BOB = {
  email: `bob-${randomBytes(3).toString('hex')}@example.com`,
  password: `bob's password ${randomBytes(6).toString('hex')}`,
  profile: {
    name: 'Bob Example',
    given_name: 'Bob',
    email_verified: true,
    phone_number: '+442079460001',
    phone_number_verified: true,
    address: { locality: 'Leeds', country: 'GB' },
  },
};

interface IdTokenClaims {
  iss: string;
  sub: string;
  aud: string[] | string;
  nonce?: string;
  at_hash: string;
  amr?: string[];
  acr?: string;
  email?: string;
  phone_number?: string;
  address?: unknown;
}

interface Finished {
  claims: IdTokenClaims;
  userinfo: Record<string, unknown>;
  scope: string[];
  refresh_token: boolean;
}

describeE2E('a second relying party (Python Authlib), discovery and silent sign-in', () => {
  let stack: Stack;
  let browser: Browser;
  let bobId: string;

  beforeAll(async () => {
    if (skipReason) return;
    stack = await startStack({
      name: 'interop',
      hydraBinary: (prerequisites as { hydra: string }).hydra,
    });
    browser = await launchBrowser((prerequisites as { chromium: string }).chromium);
    bobId = (await stack.users.create(BOB)).id;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('advertises the scopes and claims we release in discovery', async () => {
    const response = await fetch(`${stack.hydraPublicUrl}/.well-known/openid-configuration`);
    const discovery = (await response.json()) as {
      scopes_supported: string[];
      claims_supported: string[];
    };

    expect(discovery.scopes_supported).toEqual(
      expect.arrayContaining(['openid', 'offline_access', 'profile', 'email', 'address', 'phone']),
    );
    expect(discovery.claims_supported).toEqual(
      expect.arrayContaining(['sub', 'name', 'email', 'email_verified', 'phone_number', 'address']),
    );
  });

  describe('Python Authlib, strict about every ID token', () => {
    const client = {
      id: 'authlib',
      secret: randomBytes(16).toString('hex'),
      redirectUri: '',
      postLogoutRedirectUri: '',
    };
    let context: BrowserContext;
    let rp: AuthlibRp;
    let first: Finished;

    /** An authorization begun by Authlib, opened in the browser; where the browser lands. */
    async function authorize(args: string[] = []) {
      const begun = await rp.step<{ url: string; state: string }>('begin', args);
      const callback = stack.callbacks.next(client.redirectUri, { state: begun.state });
      const page = await context.newPage();
      await page.goto(begun.url);
      return { page, callback, sent: new URL(begun.url).searchParams };
    }

    async function finishAt(callback: Promise<URL>): Promise<Finished> {
      const url = await arrival(callback, "Authlib's redirect URI");
      expect(url.searchParams.get('error')).toBeNull();
      return rp.step<Finished>('finish', ['--callback', url.href]);
    }

    async function consent(page: Page) {
      await page.waitForURL(`${stack.appUrl}/consent?**`);
      await page.locator('input[name=remember]').check();
      await submit(page, 'button[value=allow]');
    }

    beforeAll(async () => {
      if (skipReason) return;
      client.redirectUri = `${stack.callbacks.baseUrl}/authlib/callback`;
      client.postLogoutRedirectUri = `${stack.callbacks.baseUrl}/authlib/logged-out`;
      await stack.registerClient({
        client_id: client.id,
        client_secret: client.secret,
        client_name: 'Authlib App',
        redirect_uris: [client.redirectUri],
        post_logout_redirect_uris: [client.postLogoutRedirectUri],
      });
      rp = authlibRp(python as string, {
        issuer: stack.hydraPublicUrl,
        clientId: client.id,
        clientSecret: client.secret,
        redirectUri: client.redirectUri,
      });
      context = await browser.newContext();
    });

    afterAll(async () => {
      rp?.close();
      await context?.close();
    });

    it('signs in with code + PKCE + nonce: the ID token passes, userinfo agrees, with amr and acr', async () => {
      const { page, callback, sent } = await authorize();
      expect(sent.get('code_challenge_method')).toBe('S256');
      expect(sent.get('code_challenge')).toMatch(/^[\w-]{43}$/);
      expect(sent.get('nonce')).toBeTruthy();
      await page.waitForURL(`${stack.appUrl}/login?**`);
      await signIn(page, { ...BOB, remember: true });
      await consent(page);
      first = await finishAt(callback);

      expect(first.claims).toMatchObject({
        iss: stack.hydraPublicUrl,
        sub: bobId,
        email: BOB.email,
        phone_number: BOB.profile.phone_number,
        address: BOB.profile.address,
      });
      expect(first.userinfo).toMatchObject({ sub: bobId, email: BOB.email, name: 'Bob Example' });
      expect(first.scope.sort()).toEqual(
        ['address', 'email', 'offline_access', 'openid', 'phone', 'profile'].sort(),
      );
      expect(first.refresh_token).toBe(true);
      expect(first.claims.amr).toEqual(PASSWORD_AMR);
      expect(first.claims.acr).toBe(PASSWORD_ACR);
    });

    it('refuses the ID token when the nonce, at_hash, audience, issuer or signature is wrong', async () => {
      const { refused } = await rp.step<{ refused: Record<string, string | null> }>('tampered');

      expect(refused).toEqual({
        nonce: 'invalid_claim',
        at_hash: 'invalid_claim',
        aud: 'invalid_claim',
        iss: 'invalid_claim',
        signature: 'bad_signature',
      });
    });

    it('refreshes: a rotated refresh token and an ID token for the same subject that passes', async () => {
      const refreshed = await rp.step<{
        claims: IdTokenClaims;
        same_subject: boolean;
        rotated: boolean;
        new_access_token: boolean;
      }>('refresh');

      expect(refreshed).toMatchObject({
        same_subject: true,
        rotated: true,
        new_access_token: true,
      });
      expect(refreshed.claims.sub).toBe(bobId);
    });

    it('signs in again through the session (single sign-on) with the same amr and acr', async () => {
      const { callback } = await authorize();
      const again = await finishAt(callback);

      expect(again.claims.sub).toBe(bobId);
      expect(again.claims.nonce).not.toBe(first.claims.nonce);
      expect(again.claims.amr).toEqual(PASSWORD_AMR);
      expect(again.claims.acr).toBe(PASSWORD_ACR);
    });

    it('signs in silently with prompt=none and an id_token_hint', async () => {
      const { callback } = await authorize(['--prompt', 'none', '--id-token-hint']);
      const silent = await finishAt(callback);

      expect(silent.claims.sub).toBe(bobId);
    });

    it('signs out (RP-initiated logout), after which prompt=none answers login_required', async () => {
      const logout = await rp.step<{ url: string; state: string }>('logout', [
        '--post-logout-redirect-uri',
        client.postLogoutRedirectUri,
      ]);
      const loggedOut = stack.callbacks.next(client.postLogoutRedirectUri);
      const page = await context.newPage();
      await page.goto(logout.url);
      await page.waitForURL(`${stack.appUrl}/logout?**`);
      await submit(page, 'button[value=logout]');
      expect((await arrival(loggedOut, 'the post-logout URI')).searchParams.get('state')).toBe(
        logout.state,
      );

      const { callback } = await authorize(['--prompt', 'none']);
      const url = await arrival(callback, "Authlib's redirect URI");
      expect(url.searchParams.get('error')).toBe('login_required');
    });
  });

  describe('a first-party app (skip_consent) with a live session', () => {
    let context: BrowserContext;
    let firstParty: RelyingParty;

    beforeAll(async () => {
      if (skipReason) return;
      firstParty = await relyingParty(stack, stack.clients.firstParty);
    });

    beforeEach(async () => {
      context = await browser.newContext();
    });

    afterEach(async () => {
      await context.close();
    });

    async function signedIn() {
      const flow = await beginAuthorization(stack, context, firstParty, stack.clients.firstParty);
      expect(await landing(flow)).toBe('the sign-in form');
      await signIn(flow.page, { ...BOB, remember: true });
      return finish(firstParty, flow);
    }

    it('signs in silently: prompt=none returns a code, not consent_required', async () => {
      await signedIn();

      const silent = await beginAuthorization(
        stack,
        context,
        firstParty,
        stack.clients.firstParty,
        {
          prompt: 'none',
        },
      );
      expect(await landing(silent)).toBe('the client, with an authorization code');
      const tokens = await finish(firstParty, silent);
      expect(tokens.claims()?.sub).toBe(bobId);
    });

    it('signs in silently with the id_token_hint of its last sign-in', async () => {
      const tokens = await signedIn();

      const hinted = await beginAuthorization(
        stack,
        context,
        firstParty,
        stack.clients.firstParty,
        {
          prompt: 'none',
          id_token_hint: tokens.id_token ?? '',
        },
      );
      expect(await landing(hinted)).toBe('the client, with an authorization code');
      expect((await finish(firstParty, hinted)).claims()?.sub).toBe(bobId);
    });
  });
});
