/**
 * POST /login through the real handler and pipeline, handed the in-memory fakes of the flow
 * tests (support/fakes.ts) as its deps, with the real throttle over fake counters: what the
 * browser gets back (status, Retry-After, cookies) and what moved in the table and at Hydra.
 */
import { readDevice } from '../../../shared/http/device-cookie';
import { parseRequest } from '../../../shared/http/request';
import type { WebResponse } from '../../../shared/http/response';
import { MAX_LOGGED_USER_AGENT } from '../../../shared/log';
import { createIdentifierTags } from '../../../shared/users/tags';
import { event, formPost } from '../support/events';
import { InMemoryLoginSessions } from '../support/fakes';
import {
  COOKIE_SECRET,
  expectSecurityHeaders,
  formSecrets,
  invoke,
  useFakeSite,
} from '../support/handlers';
import { captureLogs } from '../support/logs';
import { loginRequest } from '../support/payloads';

// Small limits for this file.
const LIMITS = { perAccount: 3, perIp: 20, perAccountTotal: 4, windowSeconds: 900 };
const site = useFakeSite({
  throttle: {
    maxPerAccount: LIMITS.perAccount,
    maxPerIp: LIMITS.perIp,
    maxPerAccountTotal: LIMITS.perAccountTotal,
    windowSeconds: LIMITS.windowSeconds,
  },
});
const hydra = () => site().hydra;
const logs = captureLogs();

// Five minutes into a throttle window, so that no test runs over a window's end.
const NOW = Date.parse('2024-05-01T10:05:00Z');
beforeEach(() => {
  jest.useFakeTimers({
    now: NOW,
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
});
afterEach(() => {
  jest.useRealTimers();
});

const CHALLENGE = 'login-challenge-0123456789abcdef';
const SESSION_ID = 'hydra-login-session-7f3a';
const PASSWORD = 'alice-correct-horse-battery-staple';
const tags = createIdentifierTags(COOKIE_SECRET);

const alice = { id: 'user-alice-0001' };
beforeEach(() => {
  const at = '2024-04-01T10:00:00.000Z';
  site().users.add({
    id: alice.id,
    email: 'alice@example.com',
    password: PASSWORD,
    passwordChangedAt: at,
    createdAt: at,
    updatedAt: at,
    profile: { name: 'Alice' },
  });
  hydra().loginRequests.set(
    CHALLENGE,
    loginRequest({ challenge: CHALLENGE, session_id: SESSION_ID }),
  );
});

interface Attempt {
  password?: string;
  identifier?: string;
  remember?: boolean;
  sourceIp?: string;
  /** Cookies the browser holds besides the CSRF cookie (a device cookie). */
  cookies?: string[];
  userAgent?: string;
}

/** The sign-in form is opened and sent back, the way a browser does. */
async function signIn(attempt: Attempt = {}): Promise<WebResponse> {
  const sourceIp = attempt.sourceIp ?? '203.0.113.7';
  const page = await invoke(
    site().loginGet,
    event({ path: '/login', query: `login_challenge=${CHALLENGE}`, sourceIp }),
  );
  const { cookie, token } = formSecrets(page);
  const request = formPost(
    '/login',
    {
      challenge: CHALLENGE,
      csrf: token,
      action: 'login',
      identifier: attempt.identifier ?? 'alice@example.com',
      password: attempt.password ?? PASSWORD,
      ...(attempt.remember ? { remember: '1' } : {}),
    },
    { cookies: [cookie, ...(attempt.cookies ?? [])], sourceIp },
  );
  if (attempt.userAgent) request.requestContext.http.userAgent = attempt.userAgent;
  return invoke(site().loginPost, request);
}

const sessionCookieOf = (response: WebResponse) =>
  response.cookies?.find((cookie) => cookie.startsWith('__Host-hlc-session='));

const deviceCookieOf = (response: WebResponse) =>
  response.cookies?.find((cookie) => cookie.startsWith('__Host-hlc-device='));

/** The device a browser sending this Set-Cookie back is known as. */
function deviceIn(setCookie: string | undefined) {
  const request = parseRequest(event({ cookies: [String(setCookie).split(';')[0]!] }), 'GET');
  return readDevice(request, { secret: COOKIE_SECRET, secure: true });
}

/** Wrong passwords from each address, enough to reach the account-wide ceiling. */
async function reachAccountCeiling(): Promise<void> {
  for (let i = 0; i < LIMITS.perAccountTotal; i++) {
    const response = await signIn({ password: `wrong ${i}`, sourceIp: `192.0.2.${10 + i}` });
    expect(response.statusCode).toBe(401);
  }
}

const decisions = () => hydra().sentDecisions;
const sessionWrites = () => site().loginSessions.calls.filter((call) => call.startsWith('record '));

describe('POST /login', () => {
  it('signs in with a 303 to Hydra and gives the browser a device cookie for this account', async () => {
    const response = await signIn();

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(
      `https://hydra.example/oauth2/auth?login_verifier=accept-${CHALLENGE}`,
    );
    expectSecurityHeaders(response);
    const cookie = deviceCookieOf(response);
    expect(cookie?.split('; ').slice(1).sort()).toEqual(
      ['HttpOnly', 'Max-Age=31536000', 'Path=/', 'SameSite=Lax', 'Secure'].sort(),
    );
    expect(deviceIn(cookie)).toEqual({
      id: expect.stringMatching(/^[\w-]{22}$/),
      accounts: [tags.account('alice@example.com')],
    });
    expect(cookie).not.toContain('alice');
  });

  it('keeps the device id of a known browser when it signs in again', async () => {
    const first = deviceCookieOf(await signIn());

    const again = deviceCookieOf(await signIn({ cookies: [first!.split(';')[0]!] }));

    expect(deviceIn(again)?.id).toBe(deviceIn(first)?.id);
  });

  it('answers a failure with the form, and no device cookie', async () => {
    const response = await signIn({ password: 'wrong password' });

    expect(response.statusCode).toBe(401);
    expect(deviceCookieOf(response)).toBeUndefined();
  });

  it('answers too many attempts with 429, a Retry-After header and the form, deciding nothing', async () => {
    for (let i = 0; i < LIMITS.perAccount; i++) await signIn({ password: `wrong ${i}` });
    hydra().calls.length = 0;

    const response = await signIn();

    expect(response.statusCode).toBe(429);
    // Five minutes into the 15-minute window: ten minutes to wait.
    expect(response.headers['retry-after']).toBe('600');
    expect(response.body).toContain('Too many sign-in attempts. Try again in 10 minutes.');
    expect(response.body).toContain('<form');
    expectSecurityHeaders(response);
    expect(deviceCookieOf(response)).toBeUndefined();
    expect(decisions()).toEqual([]);
  });

  it("an attacker's failures from another address never refuse the victim's correct password", async () => {
    for (let i = 0; i <= LIMITS.perAccount; i++) {
      await signIn({ password: `guess ${i}`, sourceIp: '198.51.100.66' });
    }
    expect((await signIn({ password: 'guess', sourceIp: '198.51.100.66' })).statusCode).toBe(429);

    const victim = await signIn({ sourceIp: '203.0.113.7' });

    expect(victim.statusCode).toBe(303);
  });

  it('a known device signs in even when the account-wide ceiling is reached', async () => {
    const device = deviceCookieOf(await signIn({ sourceIp: '203.0.113.7' }))!.split(';')[0]!;
    await reachAccountCeiling();
    const newBrowser = await signIn({ sourceIp: '203.0.113.99' });
    expect(newBrowser.statusCode).toBe(429);
    expect(newBrowser.headers['retry-after']).toMatch(/^\d+$/);

    const known = await signIn({ sourceIp: '203.0.113.99', cookies: [device] });

    expect(known.statusCode).toBe(303);
  });

  it('a forged device cookie earns no allowance', async () => {
    const device = deviceCookieOf(await signIn())!.split(';')[0]!;
    const forged = device.replace(/\.[\w-]{43}$/, `.${'A'.repeat(43)}`);
    await reachAccountCeiling();

    const response = await signIn({ sourceIp: '203.0.113.99', cookies: [forged] });

    expect(response.statusCode).toBe(429);
  });

  it('a form whose challenge Hydra no longer knows moves no counter', async () => {
    const page = await invoke(
      site().loginGet,
      event({ path: '/login', query: `login_challenge=${CHALLENGE}` }),
    );
    const { cookie, token } = formSecrets(page);
    // The request expires at Hydra while the form is open.
    hydra().loginRequests.delete(CHALLENGE);
    hydra().calls.length = 0;

    const response = await invoke(
      site().loginPost,
      formPost(
        '/login',
        {
          challenge: CHALLENGE,
          csrf: token,
          action: 'login',
          identifier: 'alice@example.com',
          password: 'guess',
        },
        { cookies: [cookie] },
      ),
    );

    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('<title>This link has expired</title>');
    expect(site().tableCalls()).toEqual([]);
    expect(hydra().calls.map((call) => call.method)).toEqual(['getLoginRequest']);
  });

  it('with "keep me signed in", records when the session began before Hydra is told to remember it', async () => {
    let decisionsWhenRecorded: number | undefined;
    const sessions = site().loginSessions;
    jest.spyOn(sessions, 'record').mockImplementation(async (...args) => {
      decisionsWhenRecorded = decisions().length;
      return InMemoryLoginSessions.prototype.record.apply(sessions, args);
    });

    const response = await signIn({ remember: true });

    expect(response.statusCode).toBe(303);
    expect(decisionsWhenRecorded).toBe(0);
    expect(sessionWrites()).toHaveLength(1);
    expect(sessions.sessions.get(SESSION_ID)?.session).toEqual({
      subject: alice.id,
      authenticatedAtSeconds: Math.floor(NOW / 1000),
      amr: ['pwd'],
      browserBound: false,
    });
    expect(hydra().only('login')).toMatchObject({
      body: { remember: true, remember_for: 7200, amr: ['pwd'], acr: 'aal1' },
    });
    expect(sessionCookieOf(response)).toBeUndefined();
  });

  describe('without "keep me signed in"', () => {
    /** Hydra brings SESSION_ID back (skip) to GET /login, in a browser holding `cookies`. */
    async function comeBack(cookies: string[]): Promise<WebResponse> {
      const skip = 'login-challenge-skip-0123456789ab';
      hydra().loginRequests.set(
        skip,
        loginRequest({
          challenge: skip,
          skip: true,
          subject: alice.id,
          session_id: SESSION_ID,
          request_url: 'https://hydra.example/oauth2/auth?client_id=demo-app&state=s1',
        }),
      );
      hydra().decisions.length = 0;
      return invoke(
        site().loginGet,
        event({ path: '/login', query: `login_challenge=${skip}`, cookies }),
      );
    }

    it('keeps a session bound to the browser session by a cookie without lifetime', async () => {
      const response = await signIn({ remember: false });

      expect(response.statusCode).toBe(303);
      expect(hydra().only('login')).toMatchObject({
        body: { remember: true, remember_for: 86400, amr: ['pwd'], acr: 'aal1' },
      });
      expect(sessionWrites()).toEqual([`record ${SESSION_ID}`]);
      expect(sessionCookieOf(response)).toMatch(
        /^__Host-hlc-session=v1\.[A-Za-z0-9_-]{43}; Path=\/; SameSite=Lax; HttpOnly; Secure$/,
      );
    });

    it('signs in silently while the browser sends that cookie, and asks again once it does not', async () => {
      const signedIn = await signIn({ remember: false });
      const cookie = String(sessionCookieOf(signedIn)).split(';')[0] ?? '';

      const open = await comeBack([cookie]);
      expect(open.headers.location).toContain('login_verifier=accept-');

      const closed = await comeBack([]);
      expect(new URL(closed.headers.location ?? '').searchParams.get('prompt')).toBe('login');
      expect(hydra().decisions).toEqual([]);

      const forged = await comeBack([`__Host-hlc-session=v1.${'A'.repeat(43)}`]);
      expect(new URL(forged.headers.location ?? '').searchParams.get('prompt')).toBe('login');
    });
  });

  it('writes audit lines with the source IP, a truncated user agent and the client', async () => {
    const userAgent = `Mozilla/5.0 ${'x'.repeat(500)}`;

    await signIn({ password: 'wrong', sourceIp: '198.51.100.23', userAgent });
    await signIn({ sourceIp: '198.51.100.23', userAgent });

    const audits = logs.entries().filter((entry) => entry.message === 'audit');
    expect(audits.map((entry) => entry.event)).toEqual(['login.failure', 'login.success']);
    for (const entry of audits) {
      expect(entry).toMatchObject({
        sourceIp: '198.51.100.23',
        userAgent: userAgent.slice(0, MAX_LOGGED_USER_AGENT),
        client: 'demo-app',
      });
    }
    expect(String(audits[0]?.userAgent).length).toBeLessThan(userAgent.length);
    expect(audits[0]).toMatchObject({ identifierTag: tags.log('alice@example.com') });
  });
});
