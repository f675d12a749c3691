import type { Translator } from '../i18n/messages';
import { html, trustedConstant, type HtmlValue, type SafeHtml } from './html';
import { STYLESHEET } from './styles';

const STYLE = trustedConstant(`<style>${STYLESHEET}</style>`);

/** The document every page shares: no scripts, one hashed stylesheet, in the page's language. */
export function layout(t: Translator, title: string, body: HtmlValue): SafeHtml {
  return html`<!doctype html>
    <html lang="${t.locale}" dir="${t.dir}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${title}</title>
        ${STYLE}
      </head>
      <body>
        <main>${body}</main>
      </body>
    </html>`;
}
