import { handler } from '../../../functions/error';
import { event } from '../support/events';
import { expectSecurityHeaders, invoke, useConfigEnv } from '../support/handlers';
import { useHydraStub } from '../support/hydra-http';
import { captureLogs } from '../support/logs';

useConfigEnv();
const hydra = useHydraStub();
captureLogs();

const getError = (query: string) => invoke(handler, event({ path: '/error', query }));

describe('GET /error', () => {
  it("shows Hydra's error in plain words, escaped, with the security headers", async () => {
    const query = new URLSearchParams({
      error: 'invalid_request',
      error_description: '<script>alert("description")</script>',
      error_hint: '<img src=x onerror=alert(1)>',
    }).toString();

    const response = await getError(query);

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Sign-in could not be completed');
    expect(response.body).toContain('&lt;script&gt;alert(&quot;description&quot;)&lt;/script&gt;');
    expect(response.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(response.body).not.toMatch(/<script/i);
    expect(response.body).toContain('<code>invalid_request</code>');
    expectSecurityHeaders(response);
    expect(hydra().calls).toEqual([]);
  });

  it('shows a generic page when Hydra sent no details', async () => {
    const response = await getError('');

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('The sign-in request could not be completed.');
    expectSecurityHeaders(response);
  });

  it('answers a description sent twice with 400 and the security headers', async () => {
    const response = await getError('error_description=a&error_description=b');

    expect(response.statusCode).toBe(400);
    expectSecurityHeaders(response);
  });

  it('answers malformed percent-encoding with 400 and the security headers', async () => {
    const response = await getError('error_description=%E0%A4%A');

    expect(response.statusCode).toBe(400);
    expectSecurityHeaders(response);
  });

  it('answers a POST with 405 and the security headers', async () => {
    const response = await invoke(
      handler,
      event({
        method: 'POST',
        path: '/error',
        body: 'a=b',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );

    expect(response.statusCode).toBe(405);
    expectSecurityHeaders(response);
  });
});
