/**
 * GET and POST /consent through the real handlers and pipeline, handed the in-memory fakes of
 * the flow tests (support/fakes.ts) as their deps.
 */
import type { AcceptOAuth2ConsentRequest } from '@ory/hydra-client';
import { loginContext } from '../../../shared/flows/claims';
import { HydraUnavailableError, RequestAlreadyHandledError } from '../../../shared/hydra/errors';
import { event, formPost } from '../support/events';
import { HYDRA_PUBLIC } from '../support/fakes';
import { expectSecurityHeaders, formSecrets, invoke, useFakeSite } from '../support/handlers';
import { captureLogs } from '../support/logs';
import { CLIENT, consentRequest } from '../support/payloads';

const site = useFakeSite();
const hydra = () => site().hydra;
const logs = captureLogs();

const CHALLENGE = 'Consent_Challenge-0123456789.abc~=';
const READ = 'get consent request';
const ACCEPT = 'accept consent request';

function withRequest(
  overrides: Parameters<typeof consentRequest>[0] = {},
  profile: Record<string, unknown> = {},
) {
  const request = consentRequest({
    challenge: CHALLENGE,
    requested_scope: ['openid', 'profile', 'email'],
    requested_access_token_audience: ['https://api.example'],
    context: loginContext(
      {
        id: 'user-1',
        email: 'alice@example.com',
        enabled: true,
        passwordHash: 'x',
        passwordChangedAt: '2024-05-01T10:00:00.000Z',
        createdAt: '2024-05-01T10:00:00.000Z',
        updatedAt: '2024-05-01T10:00:00.000Z',
        profile: { name: 'Alice', roles: ['admin'], ...profile },
      },
      ['roles'],
    ),
    ...overrides,
  });
  hydra().consentRequests.set(CHALLENGE, request);
  return request;
}

const getConsent = (query = `consent_challenge=${CHALLENGE}`) =>
  invoke(site().consentGet, event({ path: '/consent', query }));

/** The consent form as a browser would post it back after the GET. */
async function postConsent(fields: Record<string, string | string[]>) {
  const secrets = formSecrets(await getConsent());
  hydra().calls.length = 0;
  return invoke(
    site().consentPost,
    formPost(
      '/consent',
      { challenge: CHALLENGE, csrf: secrets.token, ...fields },
      { cookies: [secrets.cookie] },
    ),
  );
}

function acceptBody(): AcceptOAuth2ConsentRequest {
  const [decision, ...more] = hydra().decisions;
  expect(more).toEqual([]);
  if (decision?.kind !== 'consent' || decision.decision !== 'accept') {
    throw new Error(`expected a consent accept, got ${JSON.stringify(decision)}`);
  }
  expect(decision.challenge).toBe(CHALLENGE);
  return decision.body;
}

describe('GET /consent: in the language of the application, then the user, then the browser', () => {
  const getWith = (headers: Record<string, string>) =>
    invoke(
      site().consentGet,
      event({ path: '/consent', query: `consent_challenge=${CHALLENGE}`, headers }),
    );

  it("speaks the user's locale claim rather than the browser's language", async () => {
    withRequest({}, { locale: 'fr-CA' });

    const response = await getWith({ 'accept-language': 'de' });

    expect(response.body).toContain('<html lang="fr" dir="ltr">');
    expect(response.body).toContain('<title>Autoriser l’accès</title>');
    expect(response.headers['content-language']).toBe('fr');
  });

  it("speaks the application's ui_locales rather than the user's locale claim", async () => {
    withRequest({ oidc_context: { ui_locales: ['ja'] } }, { locale: 'fr' });

    const response = await getWith({ 'accept-language': 'de' });

    expect(response.body).toContain('<html lang="ja" dir="ltr">');
  });

  it('speaks the browser language when the user has no locale we have', async () => {
    withRequest({}, { locale: 'it' });

    const response = await getWith({ 'accept-language': 'ar, en;q=0.5' });

    expect(response.body).toContain('<html lang="ar" dir="rtl">');
  });
});

describe('GET /consent', () => {
  it('shows the consent form with a CSRF cookie and the security headers', async () => {
    withRequest();

    const response = await getConsent();

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('Demo App');
    expect(response.body).toContain('See your email address');
    expect(response.cookies).toEqual([
      expect.stringMatching(/^__Host-hlc-csrf=[^;]+; Path=\/; SameSite=Lax; HttpOnly; Secure$/),
    ]);
    expectSecurityHeaders(response);
    expect(hydra().decisions).toEqual([]);
  });

  it('accepts at once with a 303 to Hydra when Hydra remembers the consent', async () => {
    const request = withRequest({ skip: true });
    hydra().consentSessions.set(request.subject ?? '', [
      {
        consent_request: request,
        grant_scope: request.requested_scope ?? [],
        grant_access_token_audience: request.requested_access_token_audience ?? [],
        remember: true,
        remember_for: 0,
      },
    ]);

    const response = await getConsent();

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(
      `${HYDRA_PUBLIC}/oauth2/auth?consent_verifier=accept-${CHALLENGE}`,
    );
    expectSecurityHeaders(response);
    expect(acceptBody()).toMatchObject({
      grant_scope: ['openid', 'profile', 'email'],
      session: { id_token: { name: 'Alice', email: 'alice@example.com' } },
    });
  });

  it('asks afresh at Hydra (prompt=consent) when the consent Hydra offers to skip covered the audience without being remembered', async () => {
    const request = withRequest({ skip: true });
    hydra().consentSessions.set(request.subject ?? '', [
      {
        consent_request: request,
        grant_scope: request.requested_scope ?? [],
        grant_access_token_audience: request.requested_access_token_audience ?? [],
        remember: false,
      },
    ]);

    const response = await getConsent();

    expect(response.statusCode).toBe(303);
    const again = new URL(response.headers.location ?? '');
    expect(again.origin + again.pathname).toBe('https://hydra.example/oauth2/auth');
    expect(again.searchParams.get('prompt')).toBe('consent');
    expect(hydra().decisions).toEqual([]);
  });

  it('accepts at once for a first-party client (skip_consent)', async () => {
    withRequest({ client: { ...CLIENT, skip_consent: true } });

    const response = await getConsent();

    expect(response.statusCode).toBe(303);
    expect(acceptBody().grant_scope).toEqual(['openid', 'profile', 'email']);
  });

  it.each([
    ['a missing challenge', ''],
    ['an empty challenge', 'consent_challenge='],
    ['a malformed challenge', 'consent_challenge=%3Cscript%3E'],
  ])('answers %s with 400 without calling Hydra', async (_name, query) => {
    const response = await getConsent(query);

    expect(response.statusCode).toBe(400);
    expectSecurityHeaders(response);
    expect(hydra().calls).toEqual([]);
  });

  it('follows Hydra with a 303 to its redirect_to when the request was already handled (410)', async () => {
    hydra().failures.set(
      CHALLENGE,
      new RequestAlreadyHandledError(`${HYDRA_PUBLIC}/oauth2/auth?client_id=demo-app&state=s`),
    );

    const response = await getConsent();

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(
      `${HYDRA_PUBLIC}/oauth2/auth?client_id=demo-app&state=s`,
    );
    expectSecurityHeaders(response);
  });

  it('shows the "expired or invalid" page as 404 for a challenge Hydra does not know, without the challenge', async () => {
    const response = await getConsent();

    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('expired or is invalid');
    expect(response.body).not.toContain(CHALLENGE);
    expectSecurityHeaders(response);
  });

  // The adapter's one retry of the read is its own (test/unit/faults, adapters/hydra-admin.test.ts).
  it('answers 502 when Hydra fails with a 500, the flow asking for the request once', async () => {
    hydra().failures.set(CHALLENGE, new HydraUnavailableError('server', READ, 500));

    const response = await getConsent();

    expect(response.statusCode).toBe(502);
    expect(response.body).toContain('Sign-in is unavailable');
    expect(response.body).not.toContain(CHALLENGE);
    expectSecurityHeaders(response);
    expect(hydra().calls).toEqual([{ method: 'getConsentRequest', about: CHALLENGE }]);
  });

  it('answers 502 when Hydra cannot be reached', async () => {
    hydra().failures.set(CHALLENGE, new HydraUnavailableError('network', READ));

    const response = await getConsent();

    expect(response.statusCode).toBe(502);
    expectSecurityHeaders(response);
  });

  it('answers 504 when Hydra does not answer in time', async () => {
    hydra().failures.set(CHALLENGE, new HydraUnavailableError('timeout', READ));

    const response = await getConsent();

    expect(response.statusCode).toBe(504);
    expectSecurityHeaders(response);
  });

  it('answers another method with 405 and the security headers', async () => {
    const response = await invoke(
      site().consentGet,
      event({ method: 'POST', path: '/consent', query: `consent_challenge=${CHALLENGE}` }),
    );

    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('GET');
    expectSecurityHeaders(response);
    expect(hydra().calls).toEqual([]);
  });

  it('never logs the challenge', async () => {
    withRequest();
    await getConsent();
    hydra().failures.set(CHALLENGE, new HydraUnavailableError('server', READ, 500));
    await getConsent();

    expect(logs.lines.length).toBeGreaterThan(0);
    for (const line of logs.lines) expect(line).not.toContain(CHALLENGE);
  });
});

describe('POST /consent', () => {
  it('grants only what was requested and left ticked, and follows Hydra with a 303', async () => {
    withRequest();

    const response = await postConsent({
      action: 'allow',
      scope: ['email', 'admin', 'offline_access'],
      audience: ['https://api.example', 'https://evil.example'],
      remember: '1',
    });

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(
      `${HYDRA_PUBLIC}/oauth2/auth?consent_verifier=accept-${CHALLENGE}`,
    );
    expectSecurityHeaders(response);
    expect(acceptBody()).toEqual({
      grant_scope: ['openid', 'email'],
      grant_access_token_audience: ['https://api.example'],
      remember: true,
      remember_for: 3600,
      session: {
        id_token: { email: 'alice@example.com', email_verified: false },
        access_token: { roles: ['admin'] },
      },
    });
  });

  it('rejects with access_denied when the user denies', async () => {
    withRequest();

    const response = await postConsent({ action: 'deny', scope: ['openid', 'email'] });

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(
      `${HYDRA_PUBLIC}/oauth2/auth?consent_verifier=reject-${CHALLENGE}`,
    );
    expect(hydra().decisions).toMatchObject([
      { kind: 'consent', decision: 'reject', body: { error: 'access_denied' } },
    ]);
  });

  it('refuses a form without its CSRF token with 403, calling Hydra for nothing', async () => {
    withRequest();
    const { cookie } = formSecrets(await getConsent());
    hydra().calls.length = 0;

    const response = await invoke(
      site().consentPost,
      formPost('/consent', { challenge: CHALLENGE, action: 'allow' }, { cookies: [cookie] }),
    );

    expect(response.statusCode).toBe(403);
    expectSecurityHeaders(response);
    expect(hydra().calls).toEqual([]);
  });

  it('refuses a cross-site post with 403, calling Hydra for nothing', async () => {
    withRequest();
    const secrets = formSecrets(await getConsent());
    hydra().calls.length = 0;

    const response = await invoke(
      site().consentPost,
      formPost(
        '/consent',
        { challenge: CHALLENGE, csrf: secrets.token, action: 'allow' },
        { cookies: [secrets.cookie], headers: { 'sec-fetch-site': 'cross-site' } },
      ),
    );

    expect(response.statusCode).toBe(403);
    expect(hydra().calls).toEqual([]);
  });

  it('refuses a form with an unknown button with 400, calling Hydra for nothing', async () => {
    withRequest();

    const response = await postConsent({ action: 'grant-everything' });

    expect(response.statusCode).toBe(400);
    expectSecurityHeaders(response);
    expect(hydra().calls).toEqual([]);
  });

  it('answers a form without a challenge with 400, calling Hydra for nothing', async () => {
    const response = await invoke(site().consentPost, formPost('/consent', { action: 'allow' }));

    expect(response.statusCode).toBe(400);
    expectSecurityHeaders(response);
    expect(hydra().calls).toEqual([]);
  });

  it('answers a JSON body with 415 and the security headers', async () => {
    const response = await invoke(
      site().consentPost,
      event({
        method: 'POST',
        path: '/consent',
        body: '{"challenge":"x"}',
        headers: { 'content-type': 'application/json' },
      }),
    );

    expect(response.statusCode).toBe(415);
    expectSecurityHeaders(response);
  });

  it.each([
    [502, 'fails with a 500', new HydraUnavailableError('server', ACCEPT, 500)],
    [504, 'does not answer in time', new HydraUnavailableError('timeout', ACCEPT)],
  ])('answers %i, sending the accept only once, when Hydra %s', async (status, _name, failure) => {
    withRequest();
    hydra().decisionFailures.set(CHALLENGE, failure);

    const response = await postConsent({ action: 'allow', scope: ['openid'] });

    expect(response.statusCode).toBe(status);
    expectSecurityHeaders(response);
    expect(hydra().sentDecisions).toHaveLength(1);
  });
});
