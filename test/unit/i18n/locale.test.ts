import fc from 'fast-check';
import { chooseLocale, parseAcceptLanguage, parseUiLocales } from '../../../shared/i18n/locale';

const SUPPORTED = ['en', 'de', 'pt-BR'] as const;
const choose = (request: Parameters<typeof chooseLocale>[0]) =>
  chooseLocale(request, SUPPORTED, 'en');

describe('Accept-Language', () => {
  it('orders tags by q-value, equal q in header order', () => {
    expect(parseAcceptLanguage('fr;q=0.5, de-CH, en;q=0.9, it')).toEqual([
      { tag: 'de-CH', q: 1 },
      { tag: 'it', q: 1 },
      { tag: 'en', q: 0.9 },
      { tag: 'fr', q: 0.5 },
    ]);
  });

  it('drops q=0, malformed q-values and malformed tags', () => {
    expect(parseAcceptLanguage('de;q=0, fr;q=2, es;q=0.1234, <script>, en-US ; Q=0.3')).toEqual([
      { tag: 'en-US', q: 0.3 },
    ]);
  });

  it('reads nothing from an empty or missing header', () => {
    expect(parseAcceptLanguage(undefined)).toEqual([]);
    expect(parseAcceptLanguage('')).toEqual([]);
    expect(parseAcceptLanguage(' , ;q=1')).toEqual([]);
  });

  it('never throws, and returns only well-formed tags with 0 < q ≤ 1, best first', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (header) => {
        const tags = parseAcceptLanguage(header);
        for (const [index, { tag, q }] of tags.entries()) {
          expect(tag === '*' || /^[a-z]{1,8}(-[a-z0-9]{1,8})*$/i.test(tag)).toBe(true);
          expect(q > 0 && q <= 1).toBe(true);
          if (index > 0) expect(q).toBeLessThanOrEqual(tags[index - 1]?.q ?? 1);
        }
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it('reads at most 32 entries of a huge header', () => {
    expect(parseAcceptLanguage('de,'.repeat(100_000))).toHaveLength(32);
  });
});

describe('choosing the locale', () => {
  it('takes the first ui_locales tag that has a catalog', () => {
    expect(choose({ uiLocales: ['fr', 'de', 'en'], acceptLanguage: 'en' })).toBe('de');
    expect(choose({ uiLocales: 'fr-CA de-AT', acceptLanguage: 'en' })).toBe('de');
  });

  it('then Accept-Language by preference', () => {
    expect(choose({ uiLocales: ['fr'], acceptLanguage: 'fr, de;q=0.8, en;q=0.5' })).toBe('de');
    expect(choose({ acceptLanguage: 'en;q=0.4, de;q=0.9' })).toBe('de');
  });

  it("then the signed-in user's locale claim, before the browser", () => {
    expect(choose({ userLocale: 'de-AT', acceptLanguage: 'pt' })).toBe('de');
    expect(choose({ uiLocales: ['pt'], userLocale: 'de', acceptLanguage: 'en' })).toBe('pt-BR');
    expect(choose({ userLocale: 'ja', acceptLanguage: 'de' })).toBe('de');
    expect(choose({ userLocale: 'de"><b>', acceptLanguage: 'pt' })).toBe('pt-BR');
  });

  it('matches a region to its language and a language to its regional catalog', () => {
    expect(choose({ acceptLanguage: 'de-CH' })).toBe('de');
    expect(choose({ acceptLanguage: 'PT' })).toBe('pt-BR');
    expect(choose({ uiLocales: ['pt-br'] })).toBe('pt-BR');
    expect(chooseLocale({ acceptLanguage: 'es-MX' }, ['en', 'es'], 'en')).toBe('es');
  });

  it('falls back to the default for nothing, nothing known, or *', () => {
    expect(choose({})).toBe('en');
    expect(choose({ uiLocales: ['xx'], acceptLanguage: 'zz, *' })).toBe('en');
    expect(choose({ acceptLanguage: '*, de;q=0.5' })).toBe('en');
  });

  it('skips malformed ui_locales tags', () => {
    expect(parseUiLocales(['de"><b>', ' de '])).toEqual(['de']);
  });
});
