/**
 * The browser script of the passkey forms (browser/passkey.ts, built into browser/passkey.js),
 * inlined in the pages that have one and allowed by its hash (`script-src 'sha256-…'`, from the
 * very text of the response: shared/http/security-headers.ts). It is read from the function's
 * package on first use, not bundled: the functions that show a passkey form keep their bundle
 * budgets, and a page without one never reads it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogRoot } from '../i18n/languages';
import { trustedConstant, type SafeHtml } from './html';

/** Where the built script is, inside the package (serverless.yml packs it beside the handler). */
export const PASSKEY_SCRIPT_FILE = 'browser/passkey.js';

let script: SafeHtml | undefined;

export function passkeyScript(): SafeHtml {
  if (!script) {
    const text = readFileSync(join(catalogRoot(process.env), PASSKEY_SCRIPT_FILE), 'utf8').trim();
    // The script is ours and built: it holds no `</script` (test/unit/views/passkey-script.test.ts).
    script = trustedConstant(`<script>${text}</script>`);
  }
  return script;
}
