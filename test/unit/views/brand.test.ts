/**
 * The operator's words on the consent page (BRAND_FILE): a scope's description and an
 * audience's display name in the page's language, falling back to English, then to what the
 * page shows without a brand (our own description, the bare scope, the audience's host).
 */
import { UNBRANDED, type Brand } from '../../../shared/brand/brand';
import type { ConsentForm } from '../../../shared/flows/consent';
import { translator } from '../../../shared/i18n/messages';
import { consentPage } from '../../../shared/views/pages';

const BRAND: Brand = {
  ...UNBRANDED,
  scopes: {
    'orders:read': { en: 'See your orders', de: 'Ihre Bestellungen sehen' },
    'orders:write': { en: 'Place orders for you' },
    email: { en: 'Your email, for receipts' },
  },
  audiences: {
    'https://api.acme.example/orders': { en: 'Orders API', de: 'Bestell-API' },
  },
};

const VIEW: ConsentForm = {
  client: { name: 'Demo App' },
  userName: 'alice@example.com',
  scopes: [
    { name: 'orders:read', description: undefined, required: false },
    { name: 'orders:write', description: undefined, required: false },
    { name: 'email', description: 'scope.email', required: false },
    { name: 'profile', description: 'scope.profile', required: false },
    { name: 'reports:read', description: undefined, required: false },
  ],
  audiences: ['https://api.acme.example/orders', 'https://reports.example/v2'],
};
const FORM = { challenge: 'challenge-0123456789', csrfToken: 'token' };

/** Each choice's visible text, without the identifier printed below it. */
function choices(page: string): string[] {
  return [...page.matchAll(/<span>([\s\S]*?)<\/span><\/label/g)].map((found) =>
    (found[1] ?? '').replace(/<small>[\s\S]*<\/small>/, '').replace(/<[^>]+>/g, ''),
  );
}

describe('consentPage with the operator’s words', () => {
  it('says each scope and audience in the page’s language', () => {
    const page = consentPage(VIEW, FORM, translator('de'), BRAND).value;

    expect(choices(page)).toEqual([
      'Ihre Bestellungen sehen',
      'Place orders for you',
      'Your email, for receipts',
      expect.stringMatching(/^Ihren Namen/) as unknown as string,
      'reports:read',
      'Bestell-API',
      'reports.example',
    ]);
  });

  it('still shows the identifier below an operator’s description', () => {
    const page = consentPage(VIEW, FORM, translator('en'), BRAND).value;

    expect(page).toContain('See your orders<small><code>orders:read</code></small>');
    expect(page).toContain(
      'Orders API<small><code dir="ltr">https://api.acme.example/orders</code></small>',
    );
  });

  it('without a brand file, shows the bare scope and the host, as before', () => {
    const page = consentPage(VIEW, FORM, translator('en'), UNBRANDED).value;

    expect(choices(page)).toEqual([
      'orders:read',
      'orders:write',
      'See your email address',
      expect.any(String) as unknown as string,
      'reports:read',
      'api.acme.example',
      'reports.example',
    ]);
  });
});
