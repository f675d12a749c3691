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
import { UNBRANDED, type Brand } from '../../../shared/brand/brand';
import en from '../../../shared/i18n/catalogs/en.json';
import { BUILT_IN_LOCALES, DEFAULT_LOCALE, directionOf } from '../../../shared/i18n/languages';
import { translator, type Translator } from '../../../shared/i18n/messages';
import type { SafeHtml } from '../../../shared/views/html';
import { STYLESHEET } from '../../../shared/views/styles';
import { hydraErrorPage } from '../../../shared/views/hydra-error';
import type { ClientView } from '../../../shared/flows/client';
import { WRONG_USER_CODE } from '../../../shared/flows/device';
import { DEVICE_UNSUPPORTED } from '../../../shared/http/error-pages';
import { SIGN_IN_EXPIRED } from '../../../shared/http/errors';
import { INVALID_CREDENTIALS, tooManyAttemptsMessage } from '../../../shared/flows/login';
import { accountNoticePage, accountPage } from '../../../shared/views/account';
import { WRONG_CODE } from '../../../shared/flows/second-factor-form';
import { deviceDonePage, devicePage } from '../../../shared/views/device';
import { enrolmentPage } from '../../../shared/views/enrolment';
import { WRONG_ENROLMENT_CODE } from '../../../shared/flows/enrolment';
import { secondFactorPage } from '../../../shared/views/second-factor';
import {
  INVALID_EMAIL,
  INVALID_PASSWORD,
  throttledMessage,
} from '../../../shared/flows/email-links';
import {
  completeSignUpPage,
  recoveryPage,
  resetPage,
  signUpPage,
  verificationSentPage,
  verifyPage,
  type BoundForm,
} from '../../../shared/views/self-service';
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

/** A self-service form bound to the login challenge, and one bound to a mailed link's token. */
const FROM_SIGN_IN: BoundForm = {
  name: 'challenge',
  value: FORM.challenge,
  csrfToken: FORM.csrfToken,
};
const FROM_LINK: BoundForm = {
  name: 'token',
  value: 'golden-link-token-0123456789abcdefghijklmnopq',
  csrfToken: FORM.csrfToken,
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
  'logout-confirm': () =>
    logoutPage(
      {
        page: 'confirm',
        clientName: 'Demo App',
        account: { email: 'alice@example.com', name: 'Alice Example' },
      },
      FORM,
      t,
    ),
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
      FORM.csrfToken,
      t,
    ),
  'enrol-recovery-codes': () =>
    enrolmentPage(
      {
        page: 'done',
        recoveryCodes: ['2345A-BCDEF', 'GHJKL-MNPQR', 'STUVW-XYZ23', '45678-9ABCD'],
      },
      FORM.csrfToken,
      t,
    ),
  'enrol-recovery-codes-renewed': () =>
    enrolmentPage(
      {
        page: 'done',
        recoveryCodes: ['2345A-BCDEF', 'GHJKL-MNPQR', 'STUVW-XYZ23', '45678-9ABCD'],
        renewed: true,
      },
      FORM.csrfToken,
      t,
    ),
  'enrol-wrong-code': () =>
    enrolmentPage(
      {
        page: 'scan',
        uri: 'otpauth://totp/Example:alice%40example.com?issuer=Example&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30',
        secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
        sealed: 'v1.golden-key-id.golden-iv.golden-ciphertext.golden-tag',
        error: WRONG_ENROLMENT_CODE,
      },
      FORM.csrfToken,
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
  account: () =>
    accountPage(
      {
        email: 'alice@example.com',
        emailVerified: true,
        name: 'Alice Doe',
        locale: 'en-GB',
        canChangeEmail: true,
        apps: [
          {
            clientId: 'demo-app',
            client: CLIENT,
            scopes: [
              { name: 'openid', description: 'scope.openid' },
              { name: 'email', description: 'scope.email' },
              { name: 'reports:read', description: undefined },
            ],
            grantedAt: '2026-11-05T10:00:00Z',
          },
          {
            clientId: 'cli',
            client: { name: 'CLI <script>' },
            scopes: [],
            grantedAt: undefined,
          },
        ],
        secondFactors: { totp: undefined, recoveryCodesLeft: 0, passkeys: [] },
        notice: 'removed',
      },
      FORM.csrfToken,
      t,
      UNBRANDED,
    ),
  'account-error': () =>
    accountPage(
      {
        email: 'alice@example.com',
        emailVerified: false,
        name: '',
        locale: '',
        canChangeEmail: false,
        apps: [],
        secondFactors: { totp: undefined, recoveryCodesLeft: 0, passkeys: [] },
        error: { form: 'password', text: { key: 'account.password.wrongCurrent' } },
      },
      FORM.csrfToken,
      t,
      UNBRANDED,
    ),
  'account-email-error': () =>
    accountPage(
      {
        email: 'alice@example.com',
        emailVerified: true,
        name: 'Alice Doe',
        locale: '',
        canChangeEmail: true,
        newEmail: 'alice@example.org',
        apps: [],
        secondFactors: { totp: undefined, recoveryCodesLeft: 0, passkeys: [] },
        error: { form: 'email', text: { key: 'account.password.wrongCurrent' } },
      },
      FORM.csrfToken,
      t,
      UNBRANDED,
    ),
  'account-authenticator': () =>
    accountPage(
      {
        email: 'alice@example.com',
        emailVerified: true,
        name: 'Alice Doe',
        locale: '',
        canChangeEmail: false,
        apps: [],
        secondFactors: {
          totp: { createdAt: '2026-11-20T09:30:00.000Z' },
          recoveryCodesLeft: 7,
          passkeys: [],
        },
        error: { form: 'authenticator', text: { key: 'account.password.wrongCurrent' } },
      },
      FORM.csrfToken,
      t,
      UNBRANDED,
    ),
  'signed-out-everywhere': () =>
    messagePage(
      {
        title: { key: 'page.signedOutEverywhere.title' },
        message: { key: 'page.signedOutEverywhere.message' },
        back: { href: '/account', text: t.text('page.account.open') },
      },
      t,
    ),
  'login-links': () =>
    loginPage(
      { client: CLIENT, identifier: '', remember: false, links: { recovery: true, signUp: true } },
      FORM,
      t,
    ),
  'login-verify-step': () =>
    loginPage(
      {
        client: CLIENT,
        identifier: 'alice@example.com',
        remember: false,
        verifyStep: {
          email: 'alice@example.com',
          step: 'user-1.1714557600.golden-step-signature-0123456789abcdefghij',
        },
      },
      FORM,
      t,
    ),
  recovery: () => recoveryPage({ page: 'request', email: '' }, FROM_SIGN_IN, t),
  'recovery-invalid-email': () =>
    recoveryPage(
      { page: 'request', email: 'alice@', error: INVALID_EMAIL, invalidEmail: true },
      FROM_SIGN_IN,
      t,
    ),
  'recovery-throttled': () =>
    recoveryPage(
      { page: 'request', email: 'alice@example.com', error: throttledMessage(900) },
      FROM_SIGN_IN,
      t,
    ),
  'recovery-sent': () =>
    recoveryPage({ page: 'sent', email: 'alice@example.com', validMinutes: 60 }, FROM_SIGN_IN, t),
  reset: () => resetPage({ page: 'form', email: 'alice@example.com' }, FROM_LINK, t),
  'reset-weak': () =>
    resetPage({ page: 'form', email: 'alice@example.com', error: INVALID_PASSWORD }, FROM_LINK, t),
  'reset-done': () =>
    resetPage(
      { page: 'done', continueUrl: `/login?login_challenge=${FORM.challenge}` },
      FROM_LINK,
      t,
    ),
  'reset-done-no-way-back': () => resetPage({ page: 'done', continueUrl: undefined }, FROM_LINK, t),
  'link-used': () => resetPage({ page: 'link', problem: 'used', again: '/recovery' }, FROM_LINK, t),
  'link-expired': () =>
    resetPage({ page: 'link', problem: 'expired', again: '/recovery' }, FROM_LINK, t),
  'link-invalid': () =>
    resetPage({ page: 'link', problem: 'invalid', again: '/recovery' }, FROM_LINK, t),
  signup: () =>
    signUpPage(
      { page: 'request', email: '', domains: ['example.com', 'example.org'] },
      FROM_SIGN_IN,
      t,
    ),
  'signup-sent': () =>
    signUpPage({ page: 'sent', email: 'alice@example.com', validMinutes: 60 }, FROM_SIGN_IN, t),
  'signup-complete': () =>
    completeSignUpPage({ page: 'form', email: 'new@example.com', name: '' }, FROM_LINK, t),
  'signup-done': () =>
    completeSignUpPage(
      {
        page: 'done',
        email: 'new@example.com',
        continueUrl: `/login?login_challenge=${FORM.challenge}`,
      },
      FROM_LINK,
      t,
    ),
  'signup-exists': () =>
    completeSignUpPage({ page: 'exists', continueUrl: undefined }, FROM_LINK, t),
  verify: () => verifyPage({ page: 'form', email: 'alice@example.com' }, FROM_LINK, t),
  'verify-sent': () =>
    verificationSentPage(
      {
        page: 'sent',
        email: 'alice@example.com',
        validMinutes: 60,
        continueUrl: `/login?login_challenge=${FORM.challenge}`,
        step: 'user-1.1714557600.golden-step-mac-0123456789abcdefghijklmnopq',
      },
      FROM_SIGN_IN,
      t,
    ),
  'email-change': () =>
    verifyPage({ page: 'change-form', email: 'alice@example.org' }, FROM_LINK, t),
  'email-change-done': () =>
    verifyPage({ page: 'changed', email: 'alice@example.org' }, FROM_LINK, t),
  'email-change-taken': () =>
    verifyPage({ page: 'taken', email: 'alice@example.org' }, FROM_LINK, t),
  'verify-done': () =>
    verifyPage({ page: 'done', email: 'alice@example.com', continueUrl: undefined }, FROM_LINK, t),
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

/** An operator's brand with everything set (shared/brand/brand.ts), for the branded pages. */
const BRAND: Brand = {
  name: 'Acme Cloud',
  logo: 'https://cdn.acme.example/logo.svg',
  colour: '#0f766e',
  support: { href: 'mailto:help@acme.example' },
  scopes: { 'reports:read': { en: 'Read your monthly reports', de: 'Ihre Monatsberichte lesen' } },
  audiences: { 'https://reports.example/v2/monthly-summaries': { en: 'Reports API' } },
};

/** The pages a brand changes most, in English: `<page>.branded.html`. */
const brandedPagesIn = (t: Translator): Record<string, () => SafeHtml> => ({
  'login.branded': () =>
    loginPage({ client: CLIENT, identifier: '', remember: false }, FORM, t, BRAND),
  'consent.branded': () =>
    consentPage(
      {
        client: { ...CLIENT, name: 'Orders by Acme', colour: '#7c3aed' },
        userName: 'alice@example.com',
        scopes: [
          { name: 'openid', description: 'scope.openid', required: true },
          { name: 'reports:read', description: undefined, required: false },
        ],
        audiences: ['https://api.example/', 'https://reports.example/v2/monthly-summaries'],
      },
      FORM,
      t,
      BRAND,
    ),
  'message-expired.branded': () => messagePage(SIGN_IN_EXPIRED, t, BRAND),
  'recovery.branded': () => recoveryPage({ page: 'request', email: '' }, FROM_SIGN_IN, t, BRAND),
  'account-notice.branded': () =>
    accountNoticePage(
      { title: 'page.signedOutEverywhere.title', message: 'page.signedOutEverywhere.message' },
      t,
      BRAND,
    ),
});

/**
 * The pages with a passkey form (PASSKEYS on), in English: the sign-in page with "Sign in with a
 * passkey", the second step by passkey, the account page's Passkeys section. Each carries the
 * browser script, inlined (shared/views/passkey-script.ts).
 */
const PASSKEY_PROMPT = {
  options: JSON.stringify({ challenge: 'Y2hhbGxlbmdl', rpId: 'login.example', timeout: 120000 }),
};
const passkeyPagesIn = (t: Translator): Record<string, () => SafeHtml> => ({
  'login-passkey': () =>
    loginPage(
      { client: CLIENT, identifier: '', remember: false, passkey: PASSKEY_PROMPT },
      FORM,
      t,
    ),
  'second-factor-passkey': () =>
    secondFactorPage({ client: CLIENT, method: 'passkey', passkey: PASSKEY_PROMPT }, FORM, t),
  'second-factor-passkey-link': () =>
    secondFactorPage({ client: CLIENT, method: 'totp', passkey: PASSKEY_PROMPT }, FORM, t),
  'account-passkeys': () =>
    accountPage(
      {
        email: 'alice@example.com',
        emailVerified: true,
        canChangeEmail: false,
        secondFactors: { totp: undefined, recoveryCodesLeft: 0, passkeys: [] },
        name: 'Alice',
        locale: '',
        apps: [],
        passkeys: {
          list: [
            {
              id: 'Y3JlZGVudGlhbC1vbmU',
              name: 'Laptop <b>',
              createdAt: '2026-11-05T10:00:00Z',
              lastUsedAt: '2026-12-01T08:00:00Z',
              synced: false,
            },
          ],
          prompt: { ...PASSKEY_PROMPT, issued: 1796198400 },
        },
        notice: 'passkey-added',
        error: { form: 'passkeys', text: { key: 'account.passkeys.notAdded' } },
      },
      FORM.csrfToken,
      t,
      UNBRANDED,
    ),
});

/**
 * Each golden file and the page it holds: `<page>.html` in English (the default), and
 * `<page>.<locale>.html` in each other language; the branded pages in English.
 */
const PAGES: Record<string, () => SafeHtml> = {
  ...Object.fromEntries(
    BUILT_IN_LOCALES.flatMap((locale) =>
      Object.entries(pagesIn(translator(locale))).map(([page, render]) => [
        locale === DEFAULT_LOCALE ? page : `${page}.${locale}`,
        render,
      ]),
    ),
  ),
  ...brandedPagesIn(translator(DEFAULT_LOCALE)),
  ...passkeyPagesIn(translator(DEFAULT_LOCALE)),
};

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
  for (const locale of BUILT_IN_LOCALES) {
    for (const code of [...OAUTH_CODES, 'not_a_code']) {
      const { view } = hydraErrorPage({ error: code, description: undefined, hint: undefined });
      rendered.push([`error ${code} (${locale})`, messagePage(view, translator(locale)).value]);
    }
  }

  it.each(rendered)('%s shows no raw message key', (_page, markup) => {
    const raw = Object.keys(en).filter((key) => markup.includes(key));
    expect(raw).toEqual([]);
  });

  it.each(BUILT_IN_LOCALES)('says which language it is in, and its direction (%s)', (locale) => {
    const markup = pagesIn(translator(locale)).login!().value;
    expect(markup).toContain(`<html lang="${locale}" dir="${directionOf(locale)}">`);
  });

  /** The inputs whose content is always left to right: emails, codes, user codes, language tags. */
  const LEFT_TO_RIGHT = /type="(?:email|url)"|name="(?:code|user_code|identifier|locale)"/;
  const inputs = rendered.flatMap(([page, markup]) =>
    (markup.match(/<input\b[^>]*>/g) ?? [])
      .filter((input) => LEFT_TO_RIGHT.test(input))
      .map((input) => [page, /name="([^"]+)"/.exec(input)?.[1], input] as const),
  );

  it('has email and code inputs to check (sign-in, device, second step, account, self-service)', () => {
    const names = new Set(inputs.map(([, name]) => name));
    expect([...names].sort()).toEqual(['code', 'email', 'identifier', 'locale', 'user_code']);
  });

  it.each(inputs)('%s: its %s input is written left to right', (_page, _name, input) => {
    expect(input).toContain('dir="ltr"');
  });

  it.each(BUILT_IN_LOCALES)(
    'isolates the names of users and clients in its sentences (%s)',
    (locale) => {
      const pages = pagesIn(translator(locale));
      expect(pages.consent!().value).toContain('<strong><bdi>Demo App</bdi></strong>');
      expect(pages.consent!().value).toContain('<strong><bdi>alice@example.com</bdi></strong>');
      expect(pages['logout-confirm']!().value).toContain('<strong><bdi>Demo App</bdi></strong>');
      expect(pages['verify-done']!().value).toContain('<bdi>alice@example.com</bdi>');
      expect(pages['logout-stayed']!().value).toContain('\u2068Demo App\u2069');
    },
  );

  it('writes Arabic right to left', () => {
    expect(directionOf('ar')).toBe('rtl');
    expect(pagesIn(translator('ar')).consent!().value).toContain('<html lang="ar" dir="rtl">');
    // Mirrored by the browser: nothing in the stylesheet is on a physical side.
    expect(STYLESHEET).not.toMatch(/left|right/);
  });
});
