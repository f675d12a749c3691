import { html, trustedConstant, type HtmlValue, type SafeHtml } from './html';
import { STYLESHEET } from './styles';

const STYLE = trustedConstant(`<style>${STYLESHEET}</style>`);

/** The document every page shares: no scripts, one hashed stylesheet. */
export function layout(title: string, body: HtmlValue): SafeHtml {
  return html`<!doctype html>
    <html lang="en">
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
