import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import en from '../../../shared/i18n/catalogs/en.json';
import { BUILT_IN_LOCALES, CATALOG_DIR, checkCatalog } from '../../../shared/i18n/languages';
import { fill, translator, type Message } from '../../../shared/i18n/messages';

const placeholders = (message: Message): string[] => {
  const texts = typeof message === 'string' ? [message] : Object.values(message);
  return [
    ...new Set(texts.flatMap((text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? ''))),
  ].sort();
};

/** Each catalog as it is packaged: English from its module, the others from their JSON files. */
const CATALOGS = BUILT_IN_LOCALES.map((locale) => {
  const text =
    locale === 'en'
      ? JSON.stringify(en)
      : readFileSync(join(CATALOG_DIR, `${locale}.json`), 'utf8');
  return [locale, text, JSON.parse(text) as Record<string, Message>] as const;
});

describe.each(CATALOGS)('the %s catalog', (locale, text, catalog) => {
  it('has exactly the English keys, in the English order', () => {
    expect(Object.keys(catalog)).toEqual(Object.keys(en));
  });

  it('has a text for every key, and every plural form the language needs (Intl.PluralRules)', () => {
    const check = checkCatalog(catalog, locale);
    expect({ missing: check.missing, extra: check.extra, malformed: check.malformed }).toEqual({
      missing: [],
      extra: [],
      malformed: [],
    });
  });

  it('uses the same placeholders as English in every message', () => {
    for (const [key, message] of Object.entries(en)) {
      expect([key, placeholders(catalog[key]!)]).toEqual([key, placeholders(message)]);
    }
  });

  it('has a plural message exactly where English has one', () => {
    for (const [key, message] of Object.entries(en)) {
      expect([key, typeof catalog[key]]).toEqual([key, typeof message]);
    }
  });

  it('has no untranslated English sentence (a copy left over)', () => {
    if (locale === 'en') return;
    const copied = Object.entries(en).filter(
      ([key, message]) =>
        typeof message === 'string' && message.length > 24 && catalog[key] === message,
    );
    expect(copied.map(([key]) => key)).toEqual([]);
  });

  it('is one message per line (simple to extend: a new key is a new line)', () => {
    if (locale === 'en') return;
    const lines = text.split('\n').filter((line) => /^ {2}"/.test(line));
    expect(lines.length).toBe(Object.keys(en).length);
  });
});

describe('translating', () => {
  it('fills placeholders and picks the plural form by Intl.PluralRules', () => {
    const de = translator('de');
    expect(de.text('page.signIn.throttled', { count: 1 })).toBe(
      'Zu viele Anmeldeversuche. Bitte versuchen Sie es in 1 Minute erneut.',
    );
    expect(translator('en').text('page.device.throttled', { count: 5 })).toBe(
      'Too many codes tried. Try again in 5 minutes.',
    );
    expect(de.text('page.stayed.backTo', { client: 'Demo' })).toBe('Zurück zu Demo');
  });

  it('cuts a template at its placeholders, leaving unknown ones as text', () => {
    expect(fill('{a} and {b}, {c}', { a: 1, b: 2 })).toEqual([1, ' and ', 2, ', {c}']);
  });
});
