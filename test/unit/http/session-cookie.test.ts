import { parseRequest } from '../../../shared/http/request';
import {
  readBrowserSession,
  sessionCookie,
  type SessionCookieSettings,
} from '../../../shared/http/session-cookie';
import { event } from '../support/events';

const SECRET = 'a-test-secret-of-at-least-32-characters!';
const SID = '6f1f6c3e-hydra-login-session';
const SECURE: SessionCookieSettings = { secret: SECRET, secure: true };

/** The `name=value` a browser sends back for a Set-Cookie. */
const sentBack = (setCookie: string) => setCookie.split(';')[0]!;

/** Whether a browser that sends these cookies holds our session cookie of `sid`. */
const holds = (cookies: string[], sid = SID, settings = SECURE) =>
  readBrowserSession(parseRequest(event({ cookies }), 'GET'), settings).holds(sid);

describe('the browser-session cookie', () => {
  it('lasts as long as the browser session: no Max-Age, no Expires; HttpOnly, Secure, Lax, __Host-', () => {
    const cookie = sessionCookie(SID, SECURE);

    expect(cookie).toMatch(
      /^__Host-hlc-session=v1\.[A-Za-z0-9_-]{43}; Path=\/; SameSite=Lax; HttpOnly; Secure$/,
    );
    expect(cookie).not.toMatch(/max-age|expires/i);
  });

  it('drops Secure and the __Host- prefix for local http only', () => {
    expect(sessionCookie(SID, { secret: SECRET, secure: false })).toMatch(
      /^hlc-session=v1\.[A-Za-z0-9_-]{43}; Path=\/; SameSite=Lax; HttpOnly$/,
    );
  });

  it('does not name the session it binds', () => {
    expect(sessionCookie(SID, SECURE)).not.toContain(SID);
  });

  it('binds the session it was made for, and no other', () => {
    const cookie = sentBack(sessionCookie(SID, SECURE));

    expect(holds([cookie])).toBe(true);
    expect(holds([cookie], `${SID}-other`)).toBe(false);
  });

  it.each([
    ['no cookie', []],
    [
      'a cookie made with another secret',
      [sentBack(sessionCookie(SID, { ...SECURE, secret: `${SECRET}x` }))],
    ],
    ['a forged value', [`__Host-hlc-session=v1.${'A'.repeat(43)}`]],
    ['a value of another format', [`__Host-hlc-session=${'A'.repeat(43)}`]],
    [
      'the cookie under the local name on https',
      [`hlc-session=${sentBack(sessionCookie(SID, SECURE)).split('=')[1]}`],
    ],
  ])('binds nothing with %s', (_name, cookies) => {
    expect(holds(cookies)).toBe(false);
  });
});
