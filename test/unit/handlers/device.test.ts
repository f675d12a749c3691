/**
 * GET and POST /device and GET /device/done through the real handlers and pipeline, handed the
 * in-memory fakes of the flow tests (support/fakes.ts) as their deps.
 */
import { HydraUnavailableError } from '../../../shared/hydra/errors';
import { event, formPost } from '../support/events';
import { HYDRA_PUBLIC } from '../support/fakes';
import { expectSecurityHeaders, formSecrets, invoke, useFakeSite } from '../support/handlers';
import { captureLogs } from '../support/logs';

const site = useFakeSite({ codeThrottle: { maxPerChallenge: 2 } });
const hydra = () => site().hydra;
captureLogs();

const CHALLENGE = 'device-challenge-0123456789';
const CODE = 'WDJBMJHT';

beforeEach(() => {
  hydra().deviceChallenges.add(CHALLENGE);
  hydra().userCodes.set(CODE, 'unused');
});

const getDevice = (query = `device_challenge=${CHALLENGE}`) =>
  invoke(site().deviceGet, event({ path: '/device', query }));

async function postDevice(userCode: string, secrets?: { cookie: string; token: string }) {
  const form = secrets ?? formSecrets(await getDevice());
  return invoke(
    site().devicePost,
    formPost(
      '/device',
      { challenge: CHALLENGE, csrf: form.token, user_code: userCode },
      { cookies: [form.cookie] },
    ),
  );
}

describe('GET /device', () => {
  it('shows the code form, carrying the challenge, and asks Hydra nothing', async () => {
    const response = await getDevice();

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<form method="post" action="/device">');
    expect(response.body).toContain(`name="challenge" value="${CHALLENGE}"`);
    expect(response.body).toContain('value=""');
    expectSecurityHeaders(response);
    expect(hydra().calls).toEqual([]);
  });

  it("prefills Hydra's user_code, escaped by construction, and focuses the field", async () => {
    const response = await getDevice(`device_challenge=${CHALLENGE}&user_code=wdjb-mjht`);

    expect(response.body).toMatch(/name="user_code"[^>]*value="WDJBMJHT"[^>]*autofocus/s);
  });

  it('does not prefill a user_code that cannot be one of Hydra’s', async () => {
    const response = await getDevice(
      `device_challenge=${CHALLENGE}&user_code=${encodeURIComponent('"><script>x</script>')}`,
    );

    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain('<script>x');
    expect(response.body).toMatch(/name="user_code"[^>]*value=""/s);
  });

  it.each([
    ['missing', ''],
    ['garbled', 'device_challenge=%3Cscript%3E'],
  ])('answers a %s challenge with 400', async (_case, query) => {
    const response = await getDevice(query);

    expect(response.statusCode).toBe(400);
    expectSecurityHeaders(response);
  });
});

describe('POST /device', () => {
  it('gives Hydra the code and follows it with a 303', async () => {
    const response = await postDevice('wdjb mjht');

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(
      `${HYDRA_PUBLIC}/oauth2/auth?device_verifier=accept-${CHALLENGE}`,
    );
    expectSecurityHeaders(response);
    expect(hydra().only('device')).toMatchObject({ body: { user_code: CODE } });
  });

  it('refuses a wrong code with the form again, 400, its message and a fresh token', async () => {
    const response = await postDevice('WDJBMJHX');

    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('That code did not work.');
    expect(response.body).toMatch(/name="user_code"[^>]*value="WDJBMJHX"/s);
    expect(response.body).toMatch(/name="csrf" value="\d+\.[\w-]{43}"/);
    expect(hydra().decisions).toEqual([]);
  });

  it('refuses without the form’s CSRF token with 403, before Hydra is asked or a counter moves', async () => {
    const secrets = formSecrets(await getDevice());
    const response = await postDevice(CODE, { ...secrets, token: '1.bad' });

    expect(response.statusCode).toBe(403);
    expect(hydra().calls).toEqual([]);
    expect(site().counters.calls).toEqual([]);
  });

  it('answers too many codes for one challenge with 429 and Retry-After, Hydra not asked', async () => {
    const secrets = formSecrets(await getDevice());
    await postDevice('AAAAAAAA', secrets);
    await postDevice('BBBBBBBB', secrets);
    hydra().calls.length = 0;

    const response = await postDevice(CODE, secrets);

    expect(response.statusCode).toBe(429);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    expect(response.body).toContain('Too many codes tried.');
    expect(hydra().calls).toEqual([]);
  });

  it('answers an unknown or expired challenge with the "expired" page (404)', async () => {
    hydra().deviceChallenges.delete(CHALLENGE);

    const response = await postDevice(CODE);

    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain(CHALLENGE);
  });

  it('answers "not supported" (501) when Hydra has no device flow', async () => {
    hydra().withoutDeviceFlow = true;

    const response = await postDevice(CODE);

    expect(response.statusCode).toBe(501);
    expect(response.body).toContain('Device sign-in is not supported');
    expectSecurityHeaders(response);
  });

  it('fails closed with a page when Hydra does not answer', async () => {
    hydra().failures.set(CHALLENGE, new HydraUnavailableError('timeout', 'accept device request'));

    const response = await postDevice(CODE);

    expect(response.statusCode).toBe(504);
    expect(response.headers.location).toBeUndefined();
  });
});

describe('GET /device/done', () => {
  it('says the device is signed in, naming no client (Hydra adds an unverified client_id)', async () => {
    const response = await invoke(
      site().deviceDone,
      event({ path: '/device/done', query: 'client_id=%3Cb%3Eevil' }),
    );

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('signed in on your device, you can close this page');
    expect(response.body).not.toContain('evil');
    expectSecurityHeaders(response);
  });
});
