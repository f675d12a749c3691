import { en } from '../../../shared/i18n/catalogs/en';
import { LANGUAGES, fill, translator, type Message } from '../../../shared/i18n/messages';

const placeholders = (message: Message): string[] => {
  const texts = typeof message === 'string' ? [message] : Object.values(message);
  return [
    ...new Set(texts.flatMap((text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? ''))),
  ].sort();
};

describe.each(Object.entries(LANGUAGES))('the %s catalog', (locale, { catalog }) => {
  it('has exactly the English keys', () => {
    expect(Object.keys(catalog).sort()).toEqual(Object.keys(en).sort());
  });

  it('uses the same placeholders as English in every message', () => {
    for (const [key, message] of Object.entries(en)) {
      expect([key, placeholders(catalog[key as keyof typeof en])]).toEqual([
        key,
        placeholders(message),
      ]);
    }
  });

  it('has a plural message wherever English has one, with every form the language needs', () => {
    const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
    for (const [key, message] of Object.entries(en)) {
      const translated = catalog[key as keyof typeof en];
      expect([key, typeof translated]).toEqual([key, typeof message]);
      if (typeof translated === 'object') {
        for (const category of categories)
          expect([key, category, category in translated]).toEqual([key, category, true]);
      }
    }
  });

  it('has no empty message', () => {
    for (const [key, message] of Object.entries(catalog)) {
      const texts: string[] = typeof message === 'string' ? [message] : Object.values(message);
      for (const text of texts) expect([key, text.trim().length > 0]).toEqual([key, true]);
    }
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
