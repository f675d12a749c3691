/**
 * The pages Hydra reaches without a login or consent request (logout, device, signed-out,
 * /error) and the early error pages know nothing of the application's languages or the user's:
 * they speak the browser's Accept-Language only, and a `ui_locales` in the URL changes nothing.
 */
import { event } from '../support/events';
import { invoke, useFakeSite, type FakeSite } from '../support/handlers';
import { captureLogs } from '../support/logs';
import { logoutRequest } from '../support/payloads';

const site = useFakeSite();
captureLogs();

const LOGOUT = 'logout-challenge-0123456789';

/** Each page: its handler, path, query, and a text only its Arabic page has. */
const PAGES: [string, (site: FakeSite) => Parameters<typeof invoke>[0], string, string, string][] =
  [
    ['GET /logout', (s) => s.logoutGet, '/logout', `logout_challenge=${LOGOUT}`, 'تسجيل الخروج'],
    ['GET /signed-out', (s) => s.signedOut, '/signed-out', '', 'سجّلت الخروج'],
    ['GET /error', (s) => s.error, '/error', 'error=access_denied', 'لم يُمنح الوصول'],
    [
      'GET /device',
      (s) => s.deviceGet,
      '/device',
      'device_challenge=dc-1',
      'تسجيل الدخول على جهاز',
    ],
    ['GET /device/done', (s) => s.deviceDone, '/device/done', '', 'سجّلت الدخول على جهازك'],
    ['GET /login without a challenge', (s) => s.loginGet, '/login', '', 'طلب غير صالح'],
  ];

beforeEach(() => {
  site().hydra.logoutRequests.set(LOGOUT, logoutRequest({ challenge: LOGOUT }));
});

describe.each(PAGES)('%s', (_name, handler, path, query, arabic) => {
  const get = (query: string, headers: Record<string, string>) =>
    invoke(handler(site()), event({ path, query, headers }));

  it("speaks the browser's Accept-Language: Arabic, right to left", async () => {
    const response = await get(query, { 'accept-language': 'ar-SA, en;q=0.5' });

    expect(response.body).toContain('<html lang="ar" dir="rtl">');
    expect(response.body).toContain(arabic);
    expect(response.headers).toMatchObject({
      'content-language': 'ar',
      vary: 'Accept-Language',
    });
  });

  it('ignores a ui_locales in the URL', async () => {
    const withUiLocales = [query, 'ui_locales=ar'].filter(Boolean).join('&');

    const response = await get(withUiLocales, { 'accept-language': 'ja' });

    expect(response.body).toContain('<html lang="ja" dir="ltr">');
  });

  it('is English without an Accept-Language', async () => {
    const response = await get(query, {});

    expect(response.body).toContain('<html lang="en" dir="ltr">');
  });
});
