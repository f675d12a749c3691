/**
 * The second step through the real handlers and pipeline: the pending-sign-in cookie POST /login
 * gives, the code form it opens, the code it takes, and what the browser gets back.
 */
import { beginEnrolment, confirmEnrolment, type Enrolled } from '../../../shared/flows/factors';
import { pendingSignInCookieName } from '../../../shared/http/pending-sign-in';
import type { WebResponse } from '../../../shared/http/response';
import { TOTP_PERIOD_SECONDS, totpCode } from '../../../shared/users/totp';
import { event, formPost } from '../support/events';
import {
  expectSecurityHeaders,
  FACTOR_KEYS,
  formSecrets,
  invoke,
  useFakeSite,
} from '../support/handlers';
import { loginRequest } from '../support/payloads';

const site = useFakeSite();
const CHALLENGE = 'login-challenge-0123456789abcdef';
const OTHER_CHALLENGE = 'login-challenge-fedcba9876543210';
const PASSWORD = 'alice-correct-horse-battery-staple';
const PENDING = pendingSignInCookieName(true);

let enrolled: Enrolled | undefined;
beforeEach(async () => {
  const alice = site().users.add({ email: 'alice@example.com', password: PASSWORD });
  enrolled = await confirmEnrolment(
    { factors: site().factors, keys: FACTOR_KEYS },
    alice,
    beginEnrolment(alice),
  );
  for (const challenge of [CHALLENGE, OTHER_CHALLENGE]) {
    site().hydra.loginRequests.set(challenge, loginRequest({ challenge, session_id: 'sid-1' }));
  }
});

const cookieValue = (response: WebResponse, name: string) =>
  response.cookies?.find((cookie) => cookie.startsWith(`${name}=`))?.split(';')[0];

/** The password form, sent back right: the browser now holds a pending sign-in. */
async function password(): Promise<{ csrf: string; pending: string; response: WebResponse }> {
  const page = await invoke(
    site().loginGet,
    event({ path: '/login', query: `login_challenge=${CHALLENGE}` }),
  );
  const { cookie } = formSecrets(page);
  const response = await invoke(
    site().loginPost,
    formPost(
      '/login',
      {
        challenge: CHALLENGE,
        csrf: formSecrets(page).token,
        identifier: 'alice@example.com',
        password: PASSWORD,
      },
      { cookies: [cookie] },
    ),
  );
  return { csrf: cookie, pending: cookieValue(response, PENDING) ?? '', response };
}

async function codeForm(cookies: string[], challenge = CHALLENGE) {
  return invoke(
    site().secondFactorGet,
    event({ path: '/login/second-factor', query: `login_challenge=${challenge}`, cookies }),
  );
}

async function sendCode(cookies: string[], token: string, code: string, challenge = CHALLENGE) {
  return invoke(
    site().secondFactorPost,
    formPost('/login/second-factor', { challenge, csrf: token, code }, { cookies }),
  );
}

/** The CSRF token of a form page (the browser holds the CSRF cookie already). */
const tokenOf = (response: WebResponse) =>
  /name="csrf" value="([^"]+)"/.exec(response.body ?? '')?.[1] ?? '';

const currentCode = () =>
  totpCode(enrolled?.secret ?? '', Math.floor(Date.now() / 1000 / TOTP_PERIOD_SECONDS));

describe('the second step, through the handlers', () => {
  it('POST /login answers 303 to the code form with a short-lived, HttpOnly pending cookie', async () => {
    const { response } = await password();

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/login/second-factor?login_challenge=${CHALLENGE}`);
    const setCookie = response.cookies?.find((cookie) => cookie.startsWith(`${PENDING}=`)) ?? '';
    expect(setCookie).toMatch(/; HttpOnly; Secure; Max-Age=300$/);
    expect(site().hydra.sentDecisions).toEqual([]);
  });

  it('the code form, then the right code: 303 to Hydra, the pending cookie dropped', async () => {
    const { csrf, pending } = await password();
    const form = await codeForm([csrf, pending]);
    expect(form.statusCode).toBe(200);
    expectSecurityHeaders(form);
    expect(form.body).toContain('autocomplete="one-time-code"');

    const done = await sendCode([csrf, pending], tokenOf(form), currentCode());

    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toContain('login_verifier=accept-');
    expect(done.cookies?.find((cookie) => cookie.startsWith(`${PENDING}=`))).toMatch(/Max-Age=0/);
  });

  it('a wrong code: 400 and the form again, saying so', async () => {
    const { csrf, pending } = await password();
    const form = await codeForm([csrf, pending]);

    const again = await sendCode([csrf, pending], tokenOf(form), '000000');

    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('That code is not valid.');
    expect(again.body).toContain('aria-invalid="true"');
  });

  it('without the pending cookie, or with it for another challenge: 403, Hydra not told', async () => {
    const { csrf, pending } = await password();
    const form = await codeForm([csrf, pending]);

    const without = await sendCode([csrf], tokenOf(form), currentCode());
    const otherForm = await codeForm([csrf, pending], OTHER_CHALLENGE);
    const moved = await sendCode(
      [csrf, pending],
      // A token for the other challenge: only the pending cookie is wrong.
      tokenOf(
        await invoke(
          site().loginGet,
          event({ query: `login_challenge=${OTHER_CHALLENGE}`, cookies: [csrf] }),
        ),
      ),
      currentCode(),
      OTHER_CHALLENGE,
    );

    expect(without.statusCode).toBe(403);
    expect(otherForm.statusCode).toBe(403);
    expect(moved.statusCode).toBe(403);
    expect(site().hydra.sentDecisions).toEqual([]);
  });
});
