/**
 * Golden files: each page rendered from a fixed view model and compared, byte for byte, with
 * test/unit/views/__golden__/<page>.html, so any change to what a page looks like shows in review
 * as a diff of that file. A failure means the markup changed: if that is meant, write the files
 * again and commit them with the change,
 *   UPDATE_GOLDEN=1 npx jest test/unit/views/golden.test.ts
 * (refused with CI=true, where a changed page must fail).
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { en } from '../../../shared/i18n/catalogs/en';
import {
  DEFAULT_LOCALE,
  LOCALES,
  translator,
  type Translator,
} from '../../../shared/i18n/messages';
import type { SafeHtml } from '../../../shared/views/html';
import { hydraErrorPage } from '../../../shared/views/hydra-error';
import type { ClientView } from '../../../shared/flows/client';
import { WRONG_USER_CODE } from '../../../shared/flows/device';
import { DEVICE_UNSUPPORTED } from '../../../shared/http/error-pages';
import { SIGN_IN_EXPIRED } from '../../../shared/http/errors';
import { INVALID_CREDENTIALS, tooManyAttemptsMessage } from '../../../shared/flows/login';
import { WRONG_CODE } from '../../../shared/flows/second-factor-form';
import { deviceDonePage, devicePage } from '../../../shared/views/device';
import { enrolmentPage } from '../../../shared/views/enrolment';
import { secondFactorPage } from '../../../shared/views/second-factor';
import {
  consentPage,
  loginPage,
  logoutPage,
  messagePage,
  signedOutPage,
} from '../../../shared/views/pages';

const GOLDEN = join(__dirname, '__golden__');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const FORM = {
  challenge: 'golden-challenge-0123456789abcdef',
  csrfToken: '1714557600.golden-csrf-token-0123456789abcdefghijklm',
};

const CLIENT: ClientView = {
  name: 'Demo App',
  logoUri: 'https://app.example/logo.png',
  policyUri: 'https://app.example/privacy',
  tosUri: 'https://app.example/terms',
  clientUri: 'https://app.example/',
};

/** Each page, in the language `t` speaks. */
const pagesIn = (t: Translator): Record<string, () => SafeHtml> => ({
  login: () => loginPage({ client: CLIENT, identifier: '', remember: false }, FORM, t),
  'login-error': () =>
    loginPage(
      {
        client: { name: 'Demo App' },
        identifier: 'alice@example.com',
        remember: true,
        error: INVALID_CREDENTIALS,
        invalidCredentials: true,
      },
      FORM,
      t,
    ),
  consent: () =>
    consentPage(
      {
        client: CLIENT,
        userName: 'alice@example.com',
        scopes: [
          { name: 'openid', description: 'scope.openid', required: true },
          { name: 'email', description: 'scope.email', required: false },
          { name: 'reports:read', description: undefined, required: false },
        ],
        audiences: ['https://api.example/', 'https://reports.example/v2/monthly-summaries'],
        switchAccountUrl:
          'https://hydra.example/oauth2/auth?client_id=demo-app&scope=openid+email&prompt=login',
      },
      FORM,
      t,
    ),
  'logout-confirm': () => logoutPage({ page: 'confirm', clientName: 'Demo App' }, FORM, t),
  'logout-stayed': () => logoutPage({ page: 'stayed', client: CLIENT }, FORM, t),
  device: () => devicePage({ userCode: '' }, FORM, t),
  'device-prefilled': () => devicePage({ userCode: 'WDJBMJHT' }, FORM, t),
  'device-error': () => devicePage({ userCode: 'wdjb-mjhx', error: WRONG_USER_CODE }, FORM, t),
  'device-done': () => deviceDonePage(t),
  'device-unsupported': () => messagePage(DEVICE_UNSUPPORTED, t),
  'second-factor': () => secondFactorPage({ client: CLIENT, method: 'totp' }, FORM, t),
  'second-factor-recovery': () => secondFactorPage({ client: CLIENT, method: 'recovery' }, FORM, t),
  'second-factor-error': () =>
    secondFactorPage(
      { client: CLIENT, method: 'totp', error: WRONG_CODE, invalidCode: true },
      FORM,
      t,
    ),
  'second-factor-needed': () =>
    messagePage(
      {
        title: { key: 'error.secondFactorNeeded.title' },
        message: { key: 'error.secondFactorNeeded.message' },
      },
      t,
    ),
  'enrol-authenticator': () =>
    enrolmentPage(
      {
        page: 'scan',
        uri: 'otpauth://totp/Example:alice%40example.com?issuer=Example&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30',
        secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
        sealed: 'v1.golden-key-id.golden-iv.golden-ciphertext.golden-tag',
      },
      FORM,
      t,
    ),
  'enrol-recovery-codes': () =>
    enrolmentPage(
      {
        page: 'done',
        recoveryCodes: ['2345A-BCDEF', 'GHJKL-MNPQR', 'STUVW-XYZ23', '45678-9ABCD'],
      },
      FORM,
      t,
    ),
  'signed-out': () => signedOutPage(t),
  'message-expired': () => messagePage(SIGN_IN_EXPIRED, t),
  'login-throttled': () =>
    loginPage(
      {
        client: { name: 'Demo App' },
        identifier: 'alice@example.com',
        remember: false,
        error: tooManyAttemptsMessage(61),
        invalidCredentials: false,
      },
      FORM,
      t,
    ),
  'error-technical-details': () =>
    messagePage(
      hydraErrorPage({
        error: 'invalid_scope',
        description: 'The requested scope is invalid, unknown, or malformed.',
        hint: 'The OAuth 2.0 Client is not allowed to request scope "admin".',
      }).view,
      t,
    ),
});

/**
 * Each golden file and the page it holds: `<page>.html` in English (the default), and
 * `<page>.<locale>.html` in each other language.
 */
const PAGES: Record<string, () => SafeHtml> = Object.fromEntries(
  LOCALES.flatMap((locale) =>
    Object.entries(pagesIn(translator(locale))).map(([page, render]) => [
      locale === DEFAULT_LOCALE ? page : `${page}.${locale}`,
      render,
    ]),
  ),
);

const fileOf = (page: string) => join(GOLDEN, `${page}.html`);
const shown = (page: string) => `test/unit/views/__golden__/${page}.html`;

beforeAll(() => {
  if (UPDATE && process.env.CI === 'true') {
    throw new Error(
      'UPDATE_GOLDEN=1 rewrites the golden files: not in CI, where a change must fail',
    );
  }
});

describe('golden pages', () => {
  it.each(Object.keys(PAGES))('%s.html is the page as rendered, byte for byte', (page) => {
    const rendered = Buffer.from(PAGES[page]!().value, 'utf8');
    if (UPDATE) {
      writeFileSync(fileOf(page), rendered);
      return;
    }
    if (!existsSync(fileOf(page))) {
      throw new Error(
        `${shown(page)} is missing: write it with UPDATE_GOLDEN=1 (see the top of this file)`,
      );
    }
    const golden = readFileSync(fileOf(page));
    if (!golden.equals(rendered)) {
      // A line diff of the page (- the golden file, + as rendered now).
      expect(rendered.toString('utf8')).toBe(golden.toString('utf8'));
      throw new Error(`${shown(page)} differs from the page in its bytes only (encoding?)`);
    }
  });

  it('has a golden file for each page and no other', () => {
    const files = () => readdirSync(GOLDEN).filter((name) => name.endsWith('.html'));
    if (UPDATE) {
      for (const name of files()) {
        if (!Object.hasOwn(PAGES, name.slice(0, -'.html'.length))) rmSync(join(GOLDEN, name));
      }
    }
    expect(files().sort()).toEqual(
      Object.keys(PAGES)
        .map((page) => `${page}.html`)
        .sort(),
    );
  });
});

describe('every page, in every language', () => {
  const OAUTH_CODES = [
    ...new Set(Object.keys(en).flatMap((key) => /^oauth\.([a-z_]+)\./.exec(key)?.[1] ?? [])),
  ];
  const rendered = Object.entries(PAGES).map(([page, render]) => [page, render().value] as const);
  for (const locale of LOCALES) {
    for (const code of [...OAUTH_CODES, 'not_a_code']) {
      const { view } = hydraErrorPage({ error: code, description: undefined, hint: undefined });
      rendered.push([`error ${code} (${locale})`, messagePage(view, translator(locale)).value]);
    }
  }

  it.each(rendered)('%s shows no raw message key', (_page, markup) => {
    const raw = Object.keys(en).filter((key) => markup.includes(key));
    expect(raw).toEqual([]);
  });

  it('says which language it is in', () => {
    for (const locale of LOCALES) {
      const markup = pagesIn(translator(locale)).login!().value;
      expect(markup).toContain(`<html lang="${locale}" dir="ltr">`);
    }
  });
});
