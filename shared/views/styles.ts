import { createHash } from 'node:crypto';
import { ACCENT_TEXT } from '../brand/colour';

/**
 * The one stylesheet, inlined in every page and allowed by its hash in the CSP. A brand adds its
 * rules to the end (see `stylesheet`); without one, this is the whole of it.
 */
export const STYLESHEET = `
:root{color-scheme:light dark;--bg:#f4f5f7;--card:#fff;--text:#1d2433;--muted:#5b6475;--line:#d9dde5;--accent:#2f5bea;--accent-text:#fff;--danger:#b42318;--danger-bg:#fef3f2}
@media (prefers-color-scheme:dark){:root{--bg:#12151c;--card:#1b1f29;--text:#e8ebf1;--muted:#a3abbb;--line:#333a48;--accent:#6d8cff;--accent-text:#0b0d12;--danger:#ff8a80;--danger-bg:#3a1a1a}}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;padding:24px}
main{width:100%;max-width:420px;background:var(--card);border:1px solid var(--line);border-radius:12px;padding:32px;box-shadow:0 8px 24px rgba(0,0,0,.06)}
h1{font-size:1.4rem;margin:0 0 8px}
p{margin:0 0 16px;color:var(--muted)}
.client{display:flex;align-items:center;gap:12px;margin-bottom:20px}
.client img{position:relative;flex:none;width:48px;height:48px;border-radius:8px;object-fit:contain;border:1px solid var(--line)}
.client img::after{content:attr(data-initial);position:absolute;inset:-1px;display:flex;align-items:center;justify-content:center;border-radius:8px;background:var(--bg);color:var(--muted);font-size:1.4rem;font-weight:600}
label{display:block;font-weight:600;margin:16px 0 6px}
input[type=email],input[type=password],input[type=text]{width:100%;padding:10px 12px;font:inherit;color:inherit;background:transparent;border:1px solid var(--line);border-radius:8px}
input:focus,button:focus,summary:focus{outline:2px solid var(--accent);outline-offset:2px}
.check{display:flex;gap:10px;align-items:flex-start;font-weight:400;margin:12px 0}
.check input{margin-top:4px}
.check small{display:block;color:var(--muted)}
.check span{min-width:0;overflow-wrap:anywhere}
fieldset{border:0;padding:0;margin:0 0 16px;min-width:0}
legend{padding:0;color:var(--muted)}
.switch{font-size:.9rem}
.actions{display:flex;flex-direction:row-reverse;gap:12px;margin-top:24px}
button{flex:1;padding:11px 16px;font:inherit;font-weight:600;border-radius:8px;border:1px solid var(--line);background:transparent;color:var(--text);cursor:pointer}
button.primary{background:var(--accent);border-color:var(--accent);color:var(--accent-text)}
form.passkey{margin-top:24px}
.alert{background:var(--danger-bg);color:var(--danger);border-radius:8px;padding:10px 12px;margin:0 0 16px}
ul.scopes{list-style:none;padding:0;margin:0}
.links{font-size:.9rem;margin-top:20px;color:var(--muted)}
a{color:var(--accent)}
code{font-size:.9em;overflow-wrap:anywhere}
details{margin:0 0 16px;padding:8px 12px;border:1px solid var(--line);border-radius:8px;font-size:.9rem;color:var(--muted)}
summary{cursor:pointer;font-weight:600;color:var(--text)}
details p{margin:8px 0}
dl{margin:8px 0 0}
dt{font-weight:600}
dd{margin:0 0 8px;overflow-wrap:anywhere}
pre{white-space:pre-wrap;word-break:break-all}
`.trim();

/** The page header with the operator's name and logo (only in a branded stylesheet). */
const BRAND_HEADER = `
.brand{display:flex;align-items:center;gap:10px;margin:0 0 20px;font-weight:600;color:var(--text)}
.brand img{position:relative;flex:none;height:32px;width:auto;max-width:160px;object-fit:contain}
.brand img::after{content:"";position:absolute;inset:0;background:var(--card)}
.support{font-size:.9rem}
`.trim();

/**
 * The accent in the brand colour: in the light scheme everywhere (buttons, links, focus rings;
 * its contrast against white text and the light page was checked), in the dark scheme the primary
 * button only (links keep the dark scheme's light accent, which reads on a dark page).
 */
function accentRules(accent: string): string {
  return [
    `@media not all and (prefers-color-scheme:dark){:root{--accent:${accent};--accent-text:${ACCENT_TEXT}}}`,
    `@media (prefers-color-scheme:dark){button.primary{background:${accent};border-color:${accent};color:${ACCENT_TEXT}}}`,
  ].join('\n');
}

export interface StyleOptions {
  /** The brand header's rules (a brand name is set). */
  header?: boolean;
  /** The accent colour, `#rrggbb` and contrast-checked (the operator's or a client's). */
  accent?: string | undefined;
}

/** Each stylesheet made so far; few (one per brand colour in use), kept for the process. */
const made = new Map<string, string>();
const MAX_MADE = 64;

/**
 * The stylesheet for a page: STYLESHEET, then the brand's rules. Made once per combination (the
 * operator's at its first page after a cold start) and kept; the CSP hash is computed from the
 * text a response carries (security-headers).
 */
export function stylesheet(options: StyleOptions = {}): string {
  if (!options.header && options.accent === undefined) return STYLESHEET;
  const key = `${options.header ? 'h' : '-'}${options.accent ?? ''}`;
  let text = made.get(key);
  if (text === undefined) {
    text = [
      STYLESHEET,
      options.header ? BRAND_HEADER : '',
      options.accent ? accentRules(options.accent) : '',
    ]
      .filter((part) => part !== '')
      .join('\n');
    if (made.size >= MAX_MADE) made.clear();
    made.set(key, text);
  }
  return text;
}

/** A stylesheet's CSP source: `'sha256-…'` of its exact text. */
export function styleHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
}

export const STYLESHEET_HASH = styleHash(STYLESHEET);
