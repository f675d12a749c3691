import type { MessageKey, Text, Translator } from '../i18n/messages';
import { fill } from '../i18n/messages';
import { html, type HtmlValue, type SafeHtml } from './html';

/**
 * A catalog message in a page: its text escaped where `html` interpolates it, each placeholder
 * filled with markup the view built (itself escaped by `html`), and the plural form for `count`.
 */
export function say(
  t: Translator,
  key: MessageKey,
  params: Readonly<Record<string, HtmlValue>> = {},
  count?: number,
): HtmlValue[] {
  return fill(t.template(key, count), count === undefined ? params : { count, ...params });
}

/** A message a flow or an error named (`Text`), as plain text in the page's language. */
export function textOf(t: Translator, text: Text): string {
  return t.text(
    text.key,
    text.count === undefined ? text.params : { count: text.count, ...text.params },
  );
}

/**
 * A name a user or a client chose (a client's name, a user's name or email, an audience), set in
 * one of our sentences: shown strong and isolated (`<bdi>`), so that an Arabic sentence keeps its
 * order around a Latin name and a name written right to left stays whole in an English one.
 */
export function named(value: string): SafeHtml {
  return html`<strong>${isolatedHtml(value)}</strong>`;
}

/** A value in one of our sentences (an email, a list of domains), isolated as `named` is. */
export function isolatedHtml(value: string): SafeHtml {
  return html`<bdi>${value}</bdi>`;
}

/**
 * A name in one of our sentences that is plain text (a link's text, an attribute): isolated with
 * the Unicode marks that do what `<bdi>` does (FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE).
 */
export function isolated(value: string): string {
  return `\u2068${value}\u2069`;
}

/**
 * A message a flow or an error named (`Text`) as a page's paragraph: like `textOf`, each value
 * that fills a placeholder (an email, a list of domains, a field's name) isolated in `<bdi>`.
 */
export function sayText(t: Translator, text: Text): HtmlValue[] {
  const params = Object.fromEntries(
    Object.entries(text.params ?? {}).map(([name, value]) => [
      name,
      typeof value === 'string' ? isolatedHtml(value) : value,
    ]),
  );
  return say(t, text.key, params, text.count);
}
