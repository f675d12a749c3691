/**
 * Message catalogs: typed keys (from the English catalog), `{name}` placeholders and plural
 * messages picked by `Intl.PluralRules`. Catalogs hold plain text; the views escape what they
 * interpolate. Flows name messages by key (`Text`); only the views translate.
 */
import type en from './catalogs/en.json';
import { englishCatalog, languages, type Language } from './languages';
import { chooseLocale, type LocaleRequest } from './locale';

/** A plural message: one text per `Intl.PluralRules` category the language uses; `other` always. */
export type PluralMessage = Readonly<Partial<Record<Intl.LDMLPluralRule, string>>> & {
  readonly other: string;
};
export type Message = string | PluralMessage;

export type MessageKey = keyof typeof en;

/** A catalog has every key of the English one, no more, each a text or a plural message. */
export type Catalog = {
  readonly [Key in MessageKey]: (typeof en)[Key] extends string ? string : PluralMessage;
};

/** A message as a flow names it: a key and, for a plural message, the count. */
export interface Text {
  key: MessageKey;
  /** For a plural message: which form, and the `{count}` placeholder. */
  count?: number;
  /** Plain-text values for the other placeholders. */
  params?: Readonly<Record<string, string | number>>;
}

/** A language tag we have a catalog for (ours, or one the operator added): `en`, `pt-BR`… */
export type Locale = string;
export { DEFAULT_LOCALE } from './languages';

/** The page's language among those this process has catalogs for. */
export function pickLocale(request: LocaleRequest): Locale {
  const { locales } = languages();
  return chooseLocale(request, locales, locales[0] ?? 'en');
}

/** A template cut at its placeholders: text, and each placeholder's value in its place. */
export function fill<Value>(
  template: string,
  params: Readonly<Record<string, Value>>,
): (string | Value)[] {
  const parts: (string | Value)[] = [];
  let last = 0;
  for (const found of template.matchAll(/\{([a-zA-Z]+)\}/g)) {
    const name = found[1] ?? '';
    if (!Object.hasOwn(params, name)) continue;
    parts.push(template.slice(last, found.index), params[name] as Value);
    last = found.index + found[0].length;
  }
  parts.push(template.slice(last));
  return parts.filter((part) => part !== '');
}

export interface Translator {
  locale: Locale;
  dir: 'ltr' | 'rtl';
  /** The message's template: the plural form for `count` when it is a plural message. */
  template(key: MessageKey, count?: number): string;
  /** The message as plain text, placeholders filled with plain text (the view escapes it). */
  text(key: MessageKey, params?: Readonly<Record<string, string | number>>): string;
}

/**
 * The translator of `locale`: its catalog is read on first use (English, and the `locale` says
 * so, when it cannot be).
 */
export function translator(wanted: Locale): Translator {
  return translatorOf(languages().language(wanted));
}

/** Our English, without an operator's strings: for JSON answers and when those fail. */
export function ourEnglish(): Translator {
  return translatorOf({ locale: 'en', dir: 'ltr', catalog: englishCatalog() });
}

export function translatorOf({ locale, catalog, dir }: Language): Translator {
  const rules = new Intl.PluralRules(locale);
  const template = (key: MessageKey, count?: number): string => {
    const message: Message = catalog[key];
    if (typeof message === 'string') return message;
    return message[rules.select(count ?? 0)] ?? message.other;
  };
  return {
    locale,
    dir,
    template,
    text(key, params = {}) {
      const count = typeof params.count === 'number' ? params.count : undefined;
      return fill(template(key, count), params).map(String).join('');
    },
  };
}
