import type { MessageKey, Text, Translator } from '../i18n/messages';
import { fill } from '../i18n/messages';
import type { HtmlValue } from './html';

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
