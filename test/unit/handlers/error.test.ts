import { createHash } from 'node:crypto';
import { event } from '../support/events';
import { expectSecurityHeaders, invoke, useFakeSite } from '../support/handlers';
import { captureLogs } from '../support/logs';

const site = useFakeSite();
const hydra = () => site().hydra;
captureLogs();

const getError = (query: string) => invoke(site().error, event({ path: '/error', query }));

/** What the page says in its own voice: everything but the Technical details section. */
const ownWords = (body: string | undefined) =>
  (body ?? '').replace(/<details>[\s\S]*<\/details>/, '');
const detailsOf = (body: string | undefined) =>
  /<details>[\s\S]*<\/details>/.exec(body ?? '')?.[0] ?? '';
const heading = (body: string | undefined) => /<h1>([^<]*)<\/h1>/.exec(body ?? '')?.[1];

describe('GET /error', () => {
  it("shows Hydra's error escaped, only under Technical details, with the security headers", async () => {
    const query = new URLSearchParams({
      error: 'invalid_request',
      error_description: '<script>alert("description")</script>',
      error_hint: '<img src=x onerror=alert(1)>',
    }).toString();

    const response = await getError(query);

    expect(response.statusCode).toBe(400);
    expect(heading(response.body)).toBe('This sign-in request is not valid');
    const details = detailsOf(response.body);
    expect(details).toContain('<summary>Technical details</summary>');
    expect(details).toContain('&lt;script&gt;alert(&quot;description&quot;)&lt;/script&gt;');
    expect(details).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(details).toContain('<code>invalid_request</code>');
    expect(ownWords(response.body)).not.toContain('alert(');
    expect(ownWords(response.body)).not.toContain('onerror');
    expect(response.body).not.toMatch(/<script|<img/i);
    expectSecurityHeaders(response);
    expect(hydra().calls).toEqual([]);
  });

  it("never says a crafted error_description as the site's own words", async () => {
    const response = await getError(
      new URLSearchParams({
        error_description: 'Your account is suspended, call +1-555-0100',
      }).toString(),
    );

    expect(response.statusCode).toBe(400);
    expect(heading(response.body)).toBe('Sign-in could not be completed');
    expect(ownWords(response.body)).toContain(
      'The sign-in request could not be completed. Go back to the application and try again.',
    );
    expect(ownWords(response.body)).not.toContain('suspended');
    expect(ownWords(response.body)).not.toContain('555');
    expect(detailsOf(response.body)).toContain('Your account is suspended, call +1-555-0100');
    expect(response.body).not.toMatch(/<details[^>]*\bopen\b/);
  });

  it.each([
    ['invalid_request', 400, 'This sign-in request is not valid'],
    ['invalid_scope', 400, 'The requested access is not available'],
    ['invalid_client', 401, 'The application was not recognised'],
    ['access_denied', 403, 'Access was not granted'],
    ['request_forbidden', 403, 'This sign-in request is not allowed'],
    ['login_required', 403, 'You need to sign in'],
    ['consent_required', 403, 'Your permission is needed'],
    ['server_error', 500, 'Something went wrong'],
    ['temporarily_unavailable', 503, 'Sign-in is unavailable'],
    ['no_such_error', 400, 'Sign-in could not be completed'],
    ['__proto__', 400, 'Sign-in could not be completed'],
  ])('answers error=%s with %i and our own title', async (error, status, title) => {
    const response = await getError(
      new URLSearchParams({ error, error_description: 'Hydra says so' }).toString(),
    );

    expect(response.statusCode).toBe(status);
    expect(heading(response.body)).toBe(title);
    expect(response.body).toContain(`<title>${title}</title>`);
    expect(ownWords(response.body)).toMatch(/go back to the application and try again\./i);
    expect(ownWords(response.body)).not.toContain('Hydra says so');
    expect(detailsOf(response.body)).toContain('Hydra says so');
    expectSecurityHeaders(response);
  });

  it('shows the generic page (400) with no details section when Hydra sent nothing', async () => {
    const response = await getError('');

    expect(response.statusCode).toBe(400);
    expect(heading(response.body)).toBe('Sign-in could not be completed');
    expect(response.body).toContain('The sign-in request could not be completed.');
    expect(response.body).not.toContain('<details');
    expectSecurityHeaders(response);
  });

  it('uses no script and no inline style: only the one stylesheet the CSP allows by hash', async () => {
    const response = await getError('error=access_denied&error_description=x&error_hint=y');

    const styles = [...(response.body ?? '').matchAll(/<style>([\s\S]*?)<\/style>/g)];
    expect(styles).toHaveLength(1);
    const hash = createHash('sha256')
      .update(styles[0]?.[1] ?? '')
      .digest('base64');
    expect(response.headers['content-security-policy']).toContain(`style-src 'sha256-${hash}'`);
    expect(response.body).not.toMatch(/<script|\sstyle=|\son\w+=/i);
  });

  it('answers a description sent twice with 400 and the security headers', async () => {
    const response = await getError('error=server_error&error_description=a&error_description=b');

    expect(response.statusCode).toBe(400);
    expect(heading(response.body)).toBe('Bad request');
    expectSecurityHeaders(response);
  });

  it('answers malformed percent-encoding with 400 and the security headers', async () => {
    const response = await getError('error=server_error&error_description=%E0%A4%A');

    expect(response.statusCode).toBe(400);
    expect(heading(response.body)).toBe('Bad request');
    expectSecurityHeaders(response);
  });

  it('answers a POST with 405 and the security headers', async () => {
    const response = await invoke(
      site().error,
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
