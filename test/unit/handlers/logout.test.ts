/**
 * GET and POST /logout through the real handlers and pipeline, handed the in-memory fakes of the
 * flow tests (support/fakes.ts) as their deps.
 */
import { issueCsrf } from '../../../shared/http/csrf';
import { parseRequest } from '../../../shared/http/request';
import { HydraUnavailableError, RequestAlreadyHandledError } from '../../../shared/hydra/errors';
import { event, formPost } from '../support/events';
import { HYDRA_PUBLIC } from '../support/fakes';
import {
  COOKIE_SECRET,
  expectSecurityHeaders,
  formSecrets,
  invoke,
  useFakeSite,
} from '../support/handlers';
import { captureLogs } from '../support/logs';
import { CLIENT, logoutRequest } from '../support/payloads';

const site = useFakeSite();
const hydra = () => site().hydra;
captureLogs();

const CHALLENGE = 'logout-challenge-0123456789';

const getLogout = (query = `logout_challenge=${CHALLENGE}`) =>
  invoke(site().logoutGet, event({ path: '/logout', query }));

async function postLogout(action: string) {
  const secrets = formSecrets(await getLogout());
  hydra().calls.length = 0;
  return invoke(
    site().logoutPost,
    formPost(
      '/logout',
      { challenge: CHALLENGE, csrf: secrets.token, action },
      { cookies: [secrets.cookie] },
    ),
  );
}

describe('GET /logout', () => {
  it('asks for confirmation with a form, deciding nothing', async () => {
    hydra().logoutRequests.set(CHALLENGE, logoutRequest({ challenge: CHALLENGE }));

    const response = await getLogout();

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Sign out?');
    expect(response.body).toContain('<form method="post" action="/logout">');
    expectSecurityHeaders(response);
    expect(hydra().decisions).toEqual([]);
  });

  it('signs out at once with a 303 for a client marked skip_logout_consent', async () => {
    hydra().logoutRequests.set(
      CHALLENGE,
      logoutRequest({ challenge: CHALLENGE, client: { ...CLIENT, skip_logout_consent: true } }),
    );

    const response = await getLogout();

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(
      `${HYDRA_PUBLIC}/oauth2/auth?logout_verifier=accept-${CHALLENGE}`,
    );
    expectSecurityHeaders(response);
    expect(hydra().decisions).toEqual([
      { kind: 'logout', decision: 'accept', challenge: CHALLENGE },
    ]);
  });

  it('answers a missing challenge with 400 without calling Hydra', async () => {
    const response = await getLogout('');

    expect(response.statusCode).toBe(400);
    expectSecurityHeaders(response);
    expect(hydra().calls).toEqual([]);
  });

  it('shows the "expired or invalid" page as 404 for an unknown challenge', async () => {
    const response = await getLogout();

    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain(CHALLENGE);
    expectSecurityHeaders(response);
  });

  it('follows Hydra with a 303 when the logout was already handled (410)', async () => {
    hydra().failures.set(
      CHALLENGE,
      new RequestAlreadyHandledError('https://app.example/logged-out'),
    );

    const response = await getLogout();

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('https://app.example/logged-out');
    expectSecurityHeaders(response);
  });
});

describe('POST /logout', () => {
  beforeEach(() => {
    hydra().logoutRequests.set(CHALLENGE, logoutRequest({ challenge: CHALLENGE }));
  });

  it('accepts and follows Hydra with a 303 when the user confirms', async () => {
    const response = await postLogout('logout');

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(
      `${HYDRA_PUBLIC}/oauth2/auth?logout_verifier=accept-${CHALLENGE}`,
    );
    expectSecurityHeaders(response);
    expect(hydra().decisions).toEqual([
      { kind: 'logout', decision: 'accept', challenge: CHALLENGE },
    ]);
  });

  it('rejects and shows the "still signed in" page, without the challenge, when the user stays', async () => {
    const response = await postLogout('stay');

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('You are still signed in');
    expect(response.body).not.toContain(CHALLENGE);
    expectSecurityHeaders(response);
    expect(hydra().decisions).toEqual([
      { kind: 'logout', decision: 'reject', challenge: CHALLENGE },
    ]);
  });

  it('refuses a token made for another form (the consent form) with 403', async () => {
    const { cookie } = formSecrets(await getLogout());
    const consentToken = issueCsrf(
      parseRequest(event({ cookies: [cookie] }), 'GET'),
      { secret: COOKIE_SECRET, secure: true, ttlSeconds: 3600 },
      'consent',
      CHALLENGE,
    ).token;
    hydra().calls.length = 0;

    const response = await invoke(
      site().logoutPost,
      formPost(
        '/logout',
        { challenge: CHALLENGE, csrf: consentToken, action: 'logout' },
        { cookies: [cookie] },
      ),
    );

    expect(response.statusCode).toBe(403);
    expectSecurityHeaders(response);
    expect(hydra().calls).toEqual([]);
  });

  it('refuses a post from a foreign origin with 403, calling Hydra for nothing', async () => {
    const secrets = formSecrets(await getLogout());
    hydra().calls.length = 0;

    const response = await invoke(
      site().logoutPost,
      formPost(
        '/logout',
        { challenge: CHALLENGE, csrf: secrets.token, action: 'logout' },
        { cookies: [secrets.cookie], headers: { origin: 'https://evil.example' } },
      ),
    );

    expect(response.statusCode).toBe(403);
    expect(hydra().calls).toEqual([]);
  });

  it('answers 504 when Hydra does not answer the accept in time', async () => {
    hydra().decisionFailures.set(
      CHALLENGE,
      new HydraUnavailableError('timeout', 'accept logout request'),
    );

    const response = await postLogout('logout');

    expect(response.statusCode).toBe(504);
    expectSecurityHeaders(response);
  });
});

describe('GET /signed-out', () => {
  it("says the sign-out is done, as Hydra's default post-logout page, calling nothing", async () => {
    const response = await invoke(site().signedOut, event({ path: '/signed-out' }));

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<h1>You are signed out</h1>');
    expect(response.body).not.toContain('<form');
    expectSecurityHeaders(response);
    expect(hydra().calls).toEqual([]);
  });
});
