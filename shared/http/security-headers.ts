/**
 * The headers every response carries, errors and redirects included.
 *
 * `form-action`: Chromium checks it on every redirect hop after a form POST (ours → Hydra → the
 * client's redirect_uri), and we cannot list every client's redirect URI. So it allows our own
 * origin and any https URL — which still blocks javascript:, data: and plain-http targets — and,
 * only when cookies are not Secure (local http development), http: too.
 *
 * `style-src`: the hash of the stylesheet the page carries, computed from the very text of the
 * response (a brand's colour makes it differ by operator and client), so the policy can never
 * allow a stylesheet other than the one served. A response without one allows none.
 * `script-src`: likewise, the hash of each `<script>` the page carries (only the passkey forms'
 * script, shared/views/passkey-script.ts); a page without one has no `script-src`, and
 * `default-src 'none'` allows none.
 * `img-src`: https images (client logos), and `data:` only when the operator's logo is a file
 * inlined as a `data:` URI (BRAND_LOGO_FILE).
 */
import { STYLESHEET, STYLESHEET_HASH, styleHash } from '../views/styles';

/**
 * The text of each `<style>` element of a page we rendered. Only the layout writes one (every
 * `<` from data is escaped by `html`), and a stylesheet holds no `<`.
 */
function stylesheetsOf(body: string): string[] {
  return [...body.matchAll(/<style>([^<]*)<\/style>/g)].map((found) => found[1] ?? '');
}

/** The text of each `<script>` element of a page we rendered (only ./views/passkey-script's). */
function scriptsOf(body: string): string[] {
  return [...body.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((found) => found[1] ?? '');
}

/** Hashes of the stylesheets served, kept: a page's stylesheet is one of a few texts. */
const hashes = new Map<string, string>([[STYLESHEET, STYLESHEET_HASH]]);

function hashOf(text: string): string {
  let hash = hashes.get(text);
  if (hash === undefined) {
    hash = styleHash(text);
    if (hashes.size >= 64) hashes.clear();
    hashes.set(text, hash);
  }
  return hash;
}

export function securityHeaders(options: {
  allowHttpFormTargets: boolean;
  /** The response's body: the stylesheet it carries is the one allowed. */
  body?: string | undefined;
  /** The operator's logo is a `data:` URI. */
  allowDataImages?: boolean;
}): Record<string, string> {
  const formAction = ["'self'", 'https:', ...(options.allowHttpFormTargets ? ['http:'] : [])];
  const styles = stylesheetsOf(options.body ?? '').map(hashOf);
  const scripts = [...new Set(scriptsOf(options.body ?? '').map(hashOf))];
  return {
    'content-security-policy': [
      "default-src 'none'",
      `style-src ${styles.length > 0 ? styles.join(' ') : "'none'"}`,
      ...(scripts.length > 0 ? [`script-src ${scripts.join(' ')}`] : []),
      `img-src https:${options.allowDataImages ? ' data:' : ''}`,
      `form-action ${formAction.join(' ')}`,
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '),
    'x-frame-options': 'DENY',
    'strict-transport-security': 'max-age=63072000; includeSubDomains',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    pragma: 'no-cache',
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  };
}
