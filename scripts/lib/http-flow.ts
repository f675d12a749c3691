/**
 * A whole authorization-code flow driven over plain HTTP, as a browser would but without one:
 * the relying party's authorization URL → Hydra → our login form → Hydra → our consent form →
 * Hydra → the client's redirect URI, following redirects by hand with a cookie jar, reading the
 * forms' hidden fields and posting them back. Used by the load script and the benchmark.
 */
import type { PendingAuthorization, RelyingParty } from './relying-party';

/** Cookies as a browser keeps them for 127.0.0.1 (cookies do not isolate ports). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';');
      const equals = pair.indexOf('=');
      if (equals <= 0) continue;
      const name = pair.slice(0, equals).trim();
      const value = pair.slice(equals + 1).trim();
      const expired = attributes.some((attribute) => /^\s*max-age=(0|-\d+)\s*$/i.test(attribute));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

export interface FlowStep {
  method: 'GET' | 'POST';
  url: string;
  status: number;
  ms: number;
}

export interface BrowserlessOptions {
  /** Where our functions answer (their pages are the only ones with forms). */
  appUrl: string;
  /** Where the client's redirect URI points: the flow ends when a redirect leads there. */
  redirectUri: string;
  /** Called for every HTTP exchange, for timing and counting. */
  onStep?: (step: FlowStep) => void;
  maxHops?: number;
  /** Per HTTP exchange (default 30 s). */
  timeoutMs?: number;
}

/** A form on one of our pages: its action and its fields (hidden inputs and the ones we fill). */
export interface PageForm {
  action: string;
  fields: Record<string, string>;
}

const INPUT = /<input\b[^>]*>/g;
const ATTRIBUTE = (name: string) => new RegExp(`\\b${name}="([^"]*)"`);

function unescapeAttribute(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#96;/g, '`')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The hidden fields of the first form on a page of ours (challenge, csrf). */
export function readForm(page: string): PageForm {
  const action = /<form\b[^>]*action="([^"]*)"/.exec(page)?.[1];
  if (!action) throw new Error('the page has no form');
  const fields: Record<string, string> = {};
  for (const input of page.match(INPUT) ?? []) {
    if (ATTRIBUTE('type').exec(input)?.[1] !== 'hidden') continue;
    const name = ATTRIBUTE('name').exec(input)?.[1];
    const value = ATTRIBUTE('value').exec(input)?.[1];
    if (name) fields[name] = unescapeAttribute(value ?? '');
  }
  return { action: unescapeAttribute(action), fields };
}

/**
 * The checkboxes a browser would send as they are on the page: ticked and not disabled
 * (a disabled box, like a required `openid`, is never submitted).
 */
export function tickedBoxes(page: string): Array<[string, string]> {
  const ticked: Array<[string, string]> = [];
  for (const input of page.match(INPUT) ?? []) {
    if (ATTRIBUTE('type').exec(input)?.[1] !== 'checkbox') continue;
    if (!/\bchecked\b/.test(input) || /\bdisabled\b/.test(input)) continue;
    const name = ATTRIBUTE('name').exec(input)?.[1];
    if (name) ticked.push([name, unescapeAttribute(ATTRIBUTE('value').exec(input)?.[1] ?? 'on')]);
  }
  return ticked;
}

/** What the browser does on each of our pages: the fields it fills and the button it presses. */
export type PageAnswer = (path: string, page: string) => Array<[string, string]>;

export class Browserless {
  readonly jar = new CookieJar();

  constructor(private readonly options: BrowserlessOptions) {}

  private async exchange(
    method: 'GET' | 'POST',
    url: string,
    body?: URLSearchParams,
  ): Promise<Response> {
    const started = performance.now();
    const response = await fetch(url, {
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      method,
      redirect: 'manual',
      headers: {
        cookie: this.jar.header(),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...(body ? { origin: new URL(url).origin } : {}),
      },
      body,
    }).catch((error: Error) => {
      const cause = (error.cause as { code?: string } | undefined)?.code ?? error.message;
      throw new Error(`${method} ${new URL(url).pathname} failed: ${cause}`);
    });
    this.jar.store(response);
    this.options.onStep?.({
      method,
      url,
      status: response.status,
      ms: performance.now() - started,
    });
    return response;
  }

  /**
   * Follows redirects from `start` until one leads to the client's redirect URI (returned),
   * answering each of our pages with `answer`. Anything else (an error page, too many hops) throws.
   */
  async run(start: string, answer: PageAnswer): Promise<URL> {
    let method: 'GET' | 'POST' = 'GET';
    let url = start;
    let body: URLSearchParams | undefined;
    for (let hop = 0; hop < (this.options.maxHops ?? 20); hop += 1) {
      const response = await this.exchange(method, url, body);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        const next = new URL(location, url);
        if (next.href.startsWith(this.options.redirectUri)) return next;
        method = 'GET';
        url = next.href;
        body = undefined;
        continue;
      }
      const page = await response.text();
      const path = new URL(url).pathname;
      // Before the status: the error page answers 4xx/5xx, and what Hydra said is the clue.
      if (path === '/error' && url.startsWith(this.options.appUrl)) {
        const problem = new URL(url).searchParams;
        throw new Error(
          `Hydra sent the browser to its error page: ${problem.get('error')}: ${problem.get('error_description')}`,
        );
      }
      if (response.status !== 200 || !url.startsWith(this.options.appUrl)) {
        throw new Error(`${method} ${path} answered ${response.status}`);
      }
      let form: PageForm;
      try {
        form = readForm(page);
      } catch {
        const title = /<h1>([^<]*)<\/h1>/.exec(page)?.[1] ?? page.slice(0, 80);
        throw new Error(`${method} ${path} answered a page without a form: ${title}`);
      }
      body = new URLSearchParams([...Object.entries(form.fields), ...answer(path, page)]);
      method = 'POST';
      url = new URL(form.action, url).href;
    }
    throw new Error('the flow did not reach the client within the hop limit');
  }
}

/** A complete sign-in: authorize, log in with these credentials, allow every scope, get tokens. */
export async function signInOverHttp(
  rp: RelyingParty,
  options: BrowserlessOptions & {
    identifier: string;
    password: string;
    params?: Record<string, string>;
  },
) {
  const pending: PendingAuthorization = await rp.startAuthorization(options.params);
  const browser = new Browserless(options);
  const callback = await browser.run(pending.url.href, (path, page) => {
    if (path === '/login') {
      return [
        ['identifier', options.identifier],
        ['password', options.password],
        ['action', 'login'],
      ];
    }
    if (path === '/consent') return [...tickedBoxes(page), ['action', 'allow']];
    throw new Error(`unexpected page ${path}`);
  });
  const error = callback.searchParams.get('error');
  if (error) {
    const description = callback.searchParams.get('error_description') ?? '';
    throw new Error(`the client received ${error}: ${description}`);
  }
  return rp.finishAuthorization(callback, pending);
}
