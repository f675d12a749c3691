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
import type { SafeHtml } from '../../../shared/views/html';
import { hydraErrorPage } from '../../../shared/views/hydra-error';
import type { ClientView } from '../../../shared/flows/client';
import { WRONG_USER_CODE } from '../../../shared/flows/device';
import { DEVICE_UNSUPPORTED } from '../../../shared/http/error-pages';
import { deviceDonePage, devicePage } from '../../../shared/views/device';
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

/** Each golden file and the page it holds. */
const PAGES: Record<string, () => SafeHtml> = {
  login: () => loginPage({ client: CLIENT, identifier: '', remember: false }, FORM),
  'login-error': () =>
    loginPage(
      {
        client: { name: 'Demo App' },
        identifier: 'alice@example.com',
        remember: true,
        error: 'The email or password is incorrect.',
        invalidCredentials: true,
      },
      FORM,
    ),
  consent: () =>
    consentPage(
      {
        client: CLIENT,
        userName: 'alice@example.com',
        scopes: [
          { name: 'openid', description: 'Sign you in with your account', required: true },
          { name: 'email', description: 'See your email address', required: false },
          { name: 'reports:read', description: undefined, required: false },
        ],
        audiences: ['https://api.example/', 'https://reports.example/v2/monthly-summaries'],
        switchAccountUrl:
          'https://hydra.example/oauth2/auth?client_id=demo-app&scope=openid+email&prompt=login',
      },
      FORM,
    ),
  'logout-confirm': () => logoutPage({ page: 'confirm', clientName: 'Demo App' }, FORM),
  'logout-stayed': () => logoutPage({ page: 'stayed', client: CLIENT }, FORM),
  device: () => devicePage({ userCode: '' }, FORM),
  'device-prefilled': () => devicePage({ userCode: 'WDJBMJHT' }, FORM),
  'device-error': () => devicePage({ userCode: 'wdjb-mjhx', error: WRONG_USER_CODE }, FORM),
  'device-done': () => deviceDonePage(),
  'device-unsupported': () => messagePage(DEVICE_UNSUPPORTED),
  'signed-out': () => signedOutPage(),
  'message-expired': () =>
    messagePage({
      title: 'This link has expired',
      message:
        'This sign-in request has expired or is invalid. Go back to the application and try again.',
    }),
  'error-technical-details': () =>
    messagePage(
      hydraErrorPage({
        error: 'invalid_scope',
        description: 'The requested scope is invalid, unknown, or malformed.',
        hint: 'The OAuth 2.0 Client is not allowed to request scope "admin".',
      }).view,
    ),
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
