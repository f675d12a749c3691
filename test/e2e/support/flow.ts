/** Driving a sign-in through the real pages, as a person in a browser would. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { REPO_ROOT } from '../../../scripts/lib/paths';
import {
  createRelyingParty,
  type PendingAuthorization,
  type RelyingParty,
} from '../../../scripts/lib/relying-party';
import { HYDRA_VERSION } from './prerequisites';
import type { Stack, TestClient } from './stack';

export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results', 'screenshots');

export function relyingParty(stack: Stack, client: TestClient): Promise<RelyingParty> {
  return createRelyingParty({
    issuer: stack.hydraPublicUrl,
    clientId: client.id,
    clientSecret: client.secret,
    redirectUri: client.redirectUri,
  });
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
  const pending = await rp.startAuthorization(params);
  const callback = stack.callbacks.next(client.redirectUri, { state: pending.state });
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

/** Into test-results/screenshots/<Hydra version>/ (the two e2e projects may run side by side). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = join(SCREENSHOT_DIR, HYDRA_VERSION);
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** The scopes and code of a finished authorization, through the real token endpoint. */
export async function finish(rp: RelyingParty, authorization: Authorization) {
  const url = await arrival(authorization.callback, 'the client redirect URI');
  return rp.finishAuthorization(url, authorization.pending);
}

/** Waits for the browser to reach a URL we expect, failing in plain words instead of hanging. */
export function arrival(landed: Promise<URL>, where: string, timeoutMs = 15_000): Promise<URL> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the browser did not reach ${where} within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  return Promise.race([landed, timeout]).finally(() => clearTimeout(timer));
}

/** Where a new authorization lands first: our sign-in form, or straight back at the client. */
export async function landing(flow: Authorization): Promise<string> {
  return Promise.race([
    flow.page
      .locator('input[name=password]')
      .waitFor({ state: 'visible', timeout: 20_000 })
      .then(() => 'the sign-in form'),
    flow.callback.then(
      (url) => `the client, with ${url.searchParams.get('error') ?? 'an authorization code'}`,
    ),
  ]);
}
