import type { Brand } from '../brand/brand';
import type { Translator } from '../i18n/messages';
import { html, trustedConstant, type HtmlValue, type SafeHtml } from './html';
import { stylesheet } from './styles';

/** The operator's name and logo above every page (the logo is decorative: the name says it). */
function brandHeader(brand: Brand): SafeHtml {
  if (brand.name === undefined) return html``;
  return html`<header class="brand">
    ${brand.logo ? html`<img src="${brand.logo}" alt="" height="32" referrerpolicy="no-referrer" />` : ''}
    <span>${brand.name}</span>
  </header>`;
}

/**
 * The document every page shares: no scripts, one hashed stylesheet, in the page's language. A
 * brand names itself in the title ("Sign in · Name") and the header, and colours the accent:
 * the operator's colour, or `accent` (a client's, on its own sign-in and consent pages).
 */
export function layout(
  t: Translator,
  title: string,
  body: HtmlValue,
  brand: Brand,
  accent: string | undefined = brand.colour,
): SafeHtml {
  // The accent is a checked #rrggbb (shared/brand/colour.ts): nothing in the stylesheet is input.
  const style = trustedConstant(
    `<style>${stylesheet({ header: brand.name !== undefined, accent })}</style>`,
  );
  return html`<!doctype html>
    <html lang="${t.locale}" dir="${t.dir}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${brand.name === undefined ? title : `${title} · ${brand.name}`}</title>
        ${style}
      </head>
      <body>
        <main>${brandHeader(brand)}${body}</main>
      </body>
    </html>`;
}
