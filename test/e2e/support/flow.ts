/** Driving a sign-in through the real pages, as a person in a browser would. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import {
  createRelyingParty,
  type PendingAuthorization,
  type RelyingParty,
} from '../../../scripts/lib/relying-party';
import type { Stack, TestClient } from './stack';

export const SCREENSHOT_DIR = join(__dirname, '..', '..', '..', 'test-results', 'screenshots');

export function relyingParty(stack: Stack, client: TestClient): Promise<RelyingParty> {
  return createRelyingParty({
    issuer: stack.hydraPublicUrl,
    clientId: client.id,
    clientSecret: client.secret,
    redirectUri: client.redirectUri,
  });
}

/** Resolves with the URL the browser was sent to under `prefix` (answered by the test, not a server). */
export async function interceptNavigation(
  context: BrowserContext,
  prefix: string,
): Promise<{ landed: Promise<URL> }> {
  let resolve: (url: URL) => void = () => undefined;
  const landed = new Promise<URL>((done) => (resolve = done));
  await context.route(
    (url) => url.href.startsWith(prefix),
    async (route) => {
      resolve(new URL(route.request().url()));
      await route.fulfill({ status: 200, contentType: 'text/plain', body: 'reached the client' });
    },
  );
  return { landed };
}

export interface Authorization {
  page: Page;
  pending: PendingAuthorization;
  /** Where Hydra finally sent the browser: the client's redirect URI with a code or an error. */
  callback: Promise<URL>;
  /** Every response our functions gave, in order: [method, path, status]. */
  ours: Array<{ method: string; path: string; status: number }>;
}

export async function beginAuthorization(
  stack: Stack,
  context: BrowserContext,
  rp: RelyingParty,
  client: TestClient,
  params: Record<string, string> = {},
): Promise<Authorization> {
  await context.unrouteAll({ behavior: 'ignoreErrors' });
  const { landed: callback } = await interceptNavigation(context, client.redirectUri);
  const pending = await rp.startAuthorization(params);
  const page = await context.newPage();
  const ours: Authorization['ours'] = [];
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.origin === stack.appUrl) {
      ours.push({
        method: response.request().method(),
        path: url.pathname,
        status: response.status(),
      });
    }
  });
  await page.goto(pending.url.href);
  return { page, pending, callback, ours };
}

export async function signIn(
  page: Page,
  credentials: { email: string; password: string; remember?: boolean },
): Promise<void> {
  await page.locator('input[name=identifier]').fill(credentials.email);
  await page.locator('input[name=password]').fill(credentials.password);
  if (credentials.remember) await page.locator('input[name=remember]').check();
  await submit(page, 'button[value=login]');
}

/** Clicks a submit button and waits until the browser has the answer to that POST. */
export async function submit(page: Page, button: string): Promise<void> {
  await Promise.all([
    page.waitForResponse((response) => response.request().method() === 'POST'),
    page.locator(button).click(),
  ]);
  await page.waitForLoadState('domcontentloaded');
}

/** The trimmed text of an element, once it is there. */
export async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').trim();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** The scopes and code of a finished authorization, through the real token endpoint. */
export async function finish(rp: RelyingParty, authorization: Authorization) {
  const url = await authorization.callback;
  return rp.finishAuthorization(url, authorization.pending);
}
