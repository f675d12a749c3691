/**
 * The brand on every page a route renders: the functions' deps read it from the configuration
 * (BRAND_*, SUPPORT_*) as shared/wiring.ts does, and each page carries the operator's name in
 * its title, the brand colour in its stylesheet, and a CSP that allows exactly that stylesheet.
 * A client's `metadata.brand` overrides its own sign-in and consent pages.
 */
import { createHash } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { consentGet } from '../../../functions/consent-get';
import { deviceDone } from '../../../functions/device-done';
import { deviceGet } from '../../../functions/device-get';
import { errorPage } from '../../../functions/error';
import { loginGet } from '../../../functions/login-get';
import { logoutGet } from '../../../functions/logout-get';
import { signedOut } from '../../../functions/signed-out';
import { loadConfig } from '../../../shared/config';
import type { WebResponse } from '../../../shared/http/response';
import { webSettings } from '../../../shared/wiring';
import { event } from '../support/events';
import {
  FakeHydra,
  InMemoryFactorStore,
  InMemoryLoginSessions,
  InMemoryUserStore,
  FakePasswordHasher,
} from '../support/fakes';
import { COOKIE_SECRET, invoke, USER_CODE_CHARACTERS } from '../support/handlers';
import { HYDRA_ADMIN } from '../support/hydra-http';
import { captureLogs } from '../support/logs';
import { CLIENT, consentRequest, loginRequest, logoutRequest } from '../support/payloads';

const logs = captureLogs();

const BRAND_ENV = {
  HYDRA_ADMIN_URL: HYDRA_ADMIN,
  USERS_TABLE: 'users-unit',
  COOKIE_SECRET,
  BRAND_NAME: 'Acme Cloud',
  BRAND_LOGO_URL: 'https://cdn.acme.example/logo.svg',
  BRAND_COLOUR: '#0f766e',
  SUPPORT_EMAIL: 'help@acme.example',
};

let hydra = new FakeHydra();
beforeEach(() => {
  hydra = new FakeHydra();
});

/** Each page route, its site settings and brand read from `env` on use, as wiring reads them. */
function site(env: Record<string, string> = BRAND_ENV) {
  const config = () => loadConfig(env);
  const base = {
    get web() {
      const loaded = config();
      if (loaded.secrets.source !== 'environment') throw new Error('environment secrets only');
      const { values } = loaded.secrets;
      return webSettings(loaded, () => values);
    },
    get brand() {
      return config().brand;
    },
  };
  const users = new InMemoryUserStore(new FakePasswordHasher());
  const withHydra = Object.defineProperty(base, 'hydra', {
    get: () => hydra,
    enumerable: true,
  }) as typeof base & { hydra: FakeHydra };
  return {
    login: loginGet(
      Object.assign(Object.create(withHydra) as typeof withHydra, {
        users,
        loginSessions: new InMemoryLoginSessions(),
        factors: new InMemoryFactorStore(),
        acrLevels: { password: 'aal1', secondFactor: 'aal2' },
        accessTokenClaims: [],
      }),
    ),
    consent: consentGet(
      Object.assign(Object.create(withHydra) as typeof withHydra, {
        rememberForSeconds: 3600,
        loginRememberForSeconds: 3600,
      }),
    ),
    logout: logoutGet(Object.assign(Object.create(withHydra) as typeof withHydra, { users })),
    signedOut: signedOut(base),
    error: errorPage(base),
    device: deviceGet(
      Object.assign(Object.create(base) as typeof base, {
        userCodeCharacters: USER_CODE_CHARACTERS,
      }),
    ),
    deviceDone: deviceDone(base),
  };
}

const titleOf = (response: WebResponse) => /<title>([^<]*)<\/title>/.exec(response.body ?? '')?.[1];
const styleOf = (response: WebResponse) =>
  /<style>([^<]*)<\/style>/.exec(response.body ?? '')?.[1] ?? '';
const styleSrc = (response: WebResponse) =>
  /style-src ([^;]*)/.exec(response.headers['content-security-policy'] ?? '')?.[1];
const hashOf = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

type Route = (e: APIGatewayProxyEventV2) => Promise<WebResponse>;

function pages(env?: Record<string, string>): Record<string, Route> {
  const routes = site(env);
  hydra.loginRequests.set('login-1', loginRequest({ challenge: 'login-1' }));
  hydra.consentRequests.set('consent-1', consentRequest({ challenge: 'consent-1' }));
  hydra.logoutRequests.set('logout-1', logoutRequest({ challenge: 'logout-1' }));
  return {
    'GET /login': (e) =>
      invoke(routes.login, {
        ...e,
        ...event({ path: '/login', query: 'login_challenge=login-1' }),
      }),
    'GET /consent': () =>
      invoke(routes.consent, event({ path: '/consent', query: 'consent_challenge=consent-1' })),
    'GET /logout': () =>
      invoke(routes.logout, event({ path: '/logout', query: 'logout_challenge=logout-1' })),
    'GET /signed-out': () => invoke(routes.signedOut, event({ path: '/signed-out' })),
    'GET /error': () =>
      invoke(routes.error, event({ path: '/error', query: 'error=access_denied' })),
    'GET /device': () => invoke(routes.device, event({ path: '/device' })),
    'GET /device/done': () => invoke(routes.deviceDone, event({ path: '/device/done' })),
    'an expired challenge': () =>
      invoke(routes.login, event({ path: '/login', query: 'login_challenge=gone-0123456789' })),
  };
}

describe('the brand on every page', () => {
  it.each(Object.keys(pages()))(
    '%s: the name in the title and header, the colour in the stylesheet the CSP allows',
    async (name) => {
      const response = await pages()[name]!(event({}));

      expect(titleOf(response)).toMatch(/ · Acme Cloud$/);
      expect(response.body).toContain('<span>Acme Cloud</span>');
      expect(response.body).toContain('src="https://cdn.acme.example/logo.svg"');
      expect(styleOf(response)).toContain('--accent:#0f766e');
      expect(styleSrc(response)).toBe(hashOf(styleOf(response)));
    },
  );

  it('offers the support contact on a dead end, not on a page that says all is done', async () => {
    const routes = pages();
    const expired = await routes['an expired challenge']!(event({}));
    const done = await routes['GET /signed-out']!(event({}));

    expect(expired.statusCode).toBe(404);
    expect(expired.body).toContain('href="mailto:help@acme.example"');
    expect(expired.body).toContain('>Contact support</a');
    expect(done.body).not.toContain('mailto:');
  });

  it('is no brand at all without BRAND_*: the title says only the page', async () => {
    const { BRAND_NAME, BRAND_LOGO_URL, BRAND_COLOUR, SUPPORT_EMAIL, ...plain } = BRAND_ENV;
    void [BRAND_NAME, BRAND_LOGO_URL, BRAND_COLOUR, SUPPORT_EMAIL];

    const response = await pages(plain)['GET /login']!(event({}));

    expect(titleOf(response)).toBe('Sign in');
    expect(response.body).not.toContain('class="brand"');
    expect(styleOf(response)).not.toContain('--accent:#0f766e');
  });

  it('answers a bad brand with the 500 page, unbranded, and names no variable', async () => {
    const response = await pages({ ...BRAND_ENV, BRAND_COLOUR: '#ffff00' })['GET /signed-out']!(
      event({}),
    );

    expect(response.statusCode).toBe(500);
    expect(titleOf(response)).toBe('Sign-in is unavailable');
    expect(response.body).not.toContain('BRAND_COLOUR');
    expect(styleSrc(response)).toBe(hashOf(styleOf(response)));
  });
});

describe("a client's metadata.brand", () => {
  const branded = {
    ...CLIENT,
    metadata: {
      brand: {
        display_name: 'Orders by Acme',
        logo_uri: 'https://orders.example/logo.png',
        colour: '#7c3aed',
      },
    },
  };

  it.each([
    [
      'GET /login',
      () =>
        hydra.loginRequests.set('login-1', loginRequest({ challenge: 'login-1', client: branded })),
    ],
    [
      'GET /consent',
      () =>
        hydra.consentRequests.set(
          'consent-1',
          consentRequest({ challenge: 'consent-1', client: branded }),
        ),
    ],
  ])('%s shows its name, logo and colour', async (name, arrange) => {
    const routes = pages();
    arrange();

    const response = await routes[name]!(event({}));

    expect(response.body).toContain('<strong>Orders by Acme</strong>');
    expect(response.body).toContain('src="https://orders.example/logo.png"');
    expect(styleOf(response)).toContain('--accent:#7c3aed');
    expect(styleOf(response)).not.toContain('#0f766e');
    expect(styleSrc(response)).toBe(hashOf(styleOf(response)));
  });

  it('ignores a colour below WCAG AA and an http logo, with a warning naming only the client', async () => {
    const routes = pages();
    const client = {
      ...CLIENT,
      metadata: {
        brand: {
          colour: '#ffff00',
          logo_uri: 'http://orders.example/logo.png',
          display_name: 'Orders',
        },
      },
    };
    hydra.consentRequests.set('consent-1', consentRequest({ challenge: 'consent-1', client }));

    const response = await routes['GET /consent']!(event({}));

    expect(response.body).toContain('<strong>Orders</strong>');
    expect(response.body).not.toContain('orders.example/logo.png');
    expect(styleOf(response)).toContain('--accent:#0f766e');
    const warning = logs
      .entries()
      .find((entry) => entry.message === 'client brand metadata ignored');
    expect(warning).toMatchObject({
      level: 'warn',
      clientId: 'demo-app',
      ignored: ['metadata.brand.logo_uri', 'metadata.brand.colour'],
    });
    expect(JSON.stringify(warning)).not.toMatch(/ffff00|orders\.example/);
  });
});
