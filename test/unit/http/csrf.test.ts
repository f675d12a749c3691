import {
  csrfCookieName,
  issueCsrf,
  verifyCsrf,
  type CsrfSettings,
  type FormPurpose,
} from '../../../shared/http/csrf';
import { HttpError } from '../../../shared/http/errors';
import { parseRequest, type WebRequest } from '../../../shared/http/request';
import { event, formPost, HOST } from '../support/events';

const SECRET = 'a-test-secret-of-at-least-32-characters!';
const CHALLENGE = 'challenge-1';
const NOW = Date.parse('2024-05-01T10:00:00Z');

function settings(overrides: Partial<CsrfSettings> = {}): CsrfSettings {
  return { secret: SECRET, secure: true, ttlSeconds: 3600, now: () => NOW, ...overrides };
}

/** A form page as we serve it: its token and the cookie the browser keeps. */
function issue(
  purpose: FormPurpose = 'login',
  challenge = CHALLENGE,
  options: Partial<CsrfSettings> = {},
) {
  const issued = issueCsrf(parseRequest(event(), 'GET'), settings(options), purpose, challenge);
  const cookie = issued.setCookie?.split(';')[0];
  if (!cookie) throw new Error('expected a new cookie');
  return { token: issued.token, cookie };
}

function post(
  fields: Record<string, string>,
  options: { cookies?: string[]; headers?: Record<string, string> } = {},
): WebRequest {
  return parseRequest(formPost('/login', fields, options), 'POST');
}

function refused(run: () => void): number | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpError) return error.status;
    throw error;
  }
  return undefined;
}

describe('issueCsrf', () => {
  it('sets a __Host- cookie that is Secure, HttpOnly, SameSite and site-wide when secure', () => {
    const issued = issueCsrf(parseRequest(event(), 'GET'), settings(), 'login', CHALLENGE);

    expect(issued.setCookie).toMatch(/^__Host-hlc-csrf=[A-Za-z0-9_-]{43}; /);
    expect(issued.setCookie).toContain('Path=/');
    expect(issued.setCookie).toContain('HttpOnly');
    expect(issued.setCookie).toContain('Secure');
    expect(issued.setCookie).toMatch(/SameSite=(Lax|Strict)/);
    expect(issued.setCookie).not.toMatch(/Domain=/i);
  });

  it('uses neither the __Host- prefix nor Secure when cookies are not secure (local http)', () => {
    const issued = issueCsrf(
      parseRequest(event(), 'GET'),
      settings({ secure: false }),
      'login',
      CHALLENGE,
    );

    expect(issued.setCookie).toMatch(/^hlc-csrf=/);
    expect(issued.setCookie).not.toContain('Secure');
    expect(csrfCookieName(false)).toBe('hlc-csrf');
  });

  it('reuses the cookie the browser already has, so two tabs both work', () => {
    const first = issue('login', 'challenge-tab-1');
    const second = issueCsrf(
      parseRequest(event({ cookies: [first.cookie] }), 'GET'),
      settings(),
      'login',
      'challenge-tab-2',
    );

    expect(second.setCookie).toBeUndefined();
    expect(
      refused(() =>
        verifyCsrf(
          post({ csrf: first.token }, { cookies: [first.cookie] }),
          settings(),
          'login',
          'challenge-tab-1',
        ),
      ),
    ).toBeUndefined();
    expect(
      refused(() =>
        verifyCsrf(
          post({ csrf: second.token }, { cookies: [first.cookie] }),
          settings(),
          'login',
          'challenge-tab-2',
        ),
      ),
    ).toBeUndefined();
  });

  it('replaces a malformed cookie with a fresh one', () => {
    const issued = issueCsrf(
      parseRequest(event({ cookies: ['__Host-hlc-csrf=short'] }), 'GET'),
      settings(),
      'login',
      CHALLENGE,
    );

    expect(issued.setCookie).toMatch(/^__Host-hlc-csrf=[A-Za-z0-9_-]{43}; /);
  });

  it('gives every browser its own random cookie', () => {
    expect(issue().cookie).not.toBe(issue().cookie);
  });
});

describe('verifyCsrf', () => {
  it('passes a valid token from our own page in the same browser', () => {
    const { token, cookie } = issue();

    expect(
      refused(() =>
        verifyCsrf(post({ csrf: token }, { cookies: [cookie] }), settings(), 'login', CHALLENGE),
      ),
    ).toBeUndefined();
  });

  it('passes a valid token when the browser sends Origin: null (no-referrer)', () => {
    const { token, cookie } = issue();

    expect(
      refused(() =>
        verifyCsrf(
          post({ csrf: token }, { cookies: [cookie], headers: { origin: 'null' } }),
          settings(),
          'login',
          CHALLENGE,
        ),
      ),
    ).toBeUndefined();
  });

  it('lets the token decide under Origin: null: a wrong token is still refused', () => {
    const { cookie } = issue();
    const other = issue();

    expect(
      refused(() =>
        verifyCsrf(
          post({ csrf: other.token }, { cookies: [cookie], headers: { origin: 'null' } }),
          settings(),
          'login',
          CHALLENGE,
        ),
      ),
    ).toBe(403);
  });

  it('passes a valid token without Origin or Sec-Fetch-Site headers (older browsers)', () => {
    const { token, cookie } = issue();
    const request = post({ csrf: token }, { cookies: [cookie] });
    delete request.headers.origin;
    delete request.headers['sec-fetch-site'];

    expect(refused(() => verifyCsrf(request, settings(), 'login', CHALLENGE))).toBeUndefined();
  });

  it('accepts our own origin whatever its case', () => {
    const { token, cookie } = issue();

    expect(
      refused(() =>
        verifyCsrf(
          post(
            { csrf: token },
            { cookies: [cookie], headers: { origin: `HTTPS://${HOST.toUpperCase()}` } },
          ),
          settings(),
          'login',
          CHALLENGE,
        ),
      ),
    ).toBeUndefined();
  });

  const cases: [
    string,
    () => {
      request: WebRequest;
      settings?: CsrfSettings;
      purpose?: FormPurpose;
      challenge?: string;
    },
  ][] = [
    ['a missing cookie', () => ({ request: post({ csrf: issue().token }) })],
    ['a missing token', () => ({ request: post({}, { cookies: [issue().cookie] }) })],
    [
      'a token from another browser',
      () => ({ request: post({ csrf: issue().token }, { cookies: [issue().cookie] }) }),
    ],
    [
      'a tampered token',
      () => {
        const { token, cookie } = issue();
        const tampered = token.replace(/.$/, (last) => (last === 'A' ? 'B' : 'A'));
        return { request: post({ csrf: tampered }, { cookies: [cookie] }) };
      },
    ],
    [
      'a token with a pushed-back expiry',
      () => {
        const { token, cookie } = issue();
        const [expiry, signature] = token.split('.');
        return {
          request: post({ csrf: `${Number(expiry) + 86400}.${signature}` }, { cookies: [cookie] }),
        };
      },
    ],
    [
      'a token for another challenge',
      () => {
        const { token, cookie } = issue('login', 'another-challenge');
        return { request: post({ csrf: token }, { cookies: [cookie] }) };
      },
    ],
    [
      'a token for another form',
      () => {
        const { token, cookie } = issue('consent');
        return { request: post({ csrf: token }, { cookies: [cookie] }) };
      },
    ],
    [
      'an expired token',
      () => {
        const { token, cookie } = issue();
        return {
          request: post({ csrf: token }, { cookies: [cookie] }),
          settings: settings({ now: () => NOW + 3601 * 1000 }),
        };
      },
    ],
    [
      'a token signed with another secret',
      () => {
        const { token, cookie } = issue('login', CHALLENGE, {
          secret: 'another-secret-of-at-least-32-characters',
        });
        return { request: post({ csrf: token }, { cookies: [cookie] }) };
      },
    ],
    [
      'a cross-site request, even with a valid token',
      () => {
        const { token, cookie } = issue();
        return {
          request: post(
            { csrf: token },
            { cookies: [cookie], headers: { 'sec-fetch-site': 'cross-site' } },
          ),
        };
      },
    ],
    [
      'a foreign Origin, even with a valid token',
      () => {
        const { token, cookie } = issue();
        return {
          request: post(
            { csrf: token },
            { cookies: [cookie], headers: { origin: 'https://evil.example' } },
          ),
        };
      },
    ],
    [
      'our host over plain http when cookies are secure',
      () => {
        const { token, cookie } = issue();
        return {
          request: post(
            { csrf: token },
            { cookies: [cookie], headers: { origin: `http://${HOST}` } },
          ),
        };
      },
    ],
    [
      'a cookie without the __Host- prefix when cookies are secure',
      () => {
        const { token, cookie } = issue();
        return {
          request: post({ csrf: token }, { cookies: [cookie.replace('__Host-', '')] }),
        };
      },
    ],
  ];

  it.each(cases)('refuses %s: 403', (_name, build) => {
    const built = build();

    expect(
      refused(() =>
        verifyCsrf(
          built.request,
          built.settings ?? settings(),
          built.purpose ?? 'login',
          built.challenge ?? CHALLENGE,
        ),
      ),
    ).toBe(403);
  });

  it('still accepts a token one second before it expires', () => {
    const { token, cookie } = issue();

    expect(
      refused(() =>
        verifyCsrf(
          post({ csrf: token }, { cookies: [cookie] }),
          settings({ now: () => NOW + 3599 * 1000 }),
          'login',
          CHALLENGE,
        ),
      ),
    ).toBeUndefined();
  });
});

describe('a rotation of the cookie secret', () => {
  const NEXT = 'the-next-secret-of-at-least-32-characters';

  it('accepts a token signed with the previous secret, and signs new ones with the current', () => {
    const { token, cookie } = issue();
    const rotated = settings({ secret: NEXT, previousSecret: SECRET });

    expect(
      refused(() =>
        verifyCsrf(post({ csrf: token }, { cookies: [cookie] }), rotated, 'login', CHALLENGE),
      ),
    ).toBeUndefined();
    const fresh = issueCsrf(post({}, { cookies: [cookie] }), rotated, 'login', CHALLENGE);
    expect(
      refused(() =>
        verifyCsrf(
          post({ csrf: fresh.token }, { cookies: [cookie] }),
          settings({ secret: NEXT }),
          'login',
          CHALLENGE,
        ),
      ),
    ).toBeUndefined();
  });

  it('refuses a token signed with neither the current nor the previous secret', () => {
    const { token, cookie } = issue('login', CHALLENGE, {
      secret: 'another-secret-of-at-least-32-characters',
    });

    expect(
      refused(() =>
        verifyCsrf(
          post({ csrf: token }, { cookies: [cookie] }),
          settings({ secret: NEXT, previousSecret: SECRET }),
          'login',
          CHALLENGE,
        ),
      ),
    ).toBe(403);
  });
});
