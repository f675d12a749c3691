/**
 * From a flow's outcome to a response (shared/http/outcome-response.ts), the CSRF token a form
 * route gives its page and checks on the way back (shared/http/form-route.ts), and a form's
 * buttons (FormFields.choice).
 */
import { redirect, refused, show } from '../../../shared/flows/outcome';
import { readDevice } from '../../../shared/http/device-cookie';
import { parseUrlEncoded } from '../../../shared/http/form';
import { formRoute } from '../../../shared/http/form-route';
import { outcomeResponse } from '../../../shared/http/outcome-response';
import { parseRequest } from '../../../shared/http/request';
import { pageResponse } from '../../../shared/http/response';
import { html } from '../../../shared/views/html';
import { event, formPost } from '../support/events';
import { invoke, WEB } from '../support/handlers';
import { captureLogs } from '../support/logs';
import { translator } from '../../../shared/i18n/messages';

const EN = translator('en');

captureLogs();

const CHALLENGE = 'challenge-1';
const get = () => parseRequest(event(), 'GET');
const unused = () => pageResponse(200, html`unused`, EN);

describe('outcomeResponse', () => {
  it('sends a redirect outcome as a 303 to where the flow was told to go', () => {
    const response = outcomeResponse(redirect('https://hydra.example/next'), WEB, unused);

    expect(response).toEqual({
      statusCode: 303,
      headers: { location: 'https://hydra.example/next' },
      body: '',
    });
  });

  it('sends the device cookie with the redirect after a sign-in; the browser is then known by it', () => {
    const device = { id: 'AAAAAAAAAAAAAAAAAAAAAw', accounts: ['aliceTagaliceTagalice0'] };

    const response = outcomeResponse(
      { ...redirect('https://hydra.example/next'), device },
      WEB,
      unused,
    );

    expect(response.statusCode).toBe(303);
    expect(response.cookies).toEqual([expect.stringMatching(/^__Host-hlc-device=/)]);
    const next = parseRequest(event({ cookies: [response.cookies![0]!.split(';')[0]!] }), 'GET');
    expect(readDevice(next, WEB)).toEqual(device);
    expect(readDevice(get(), WEB)).toBeUndefined();
  });

  const page = (view: { text: string }, status: number) =>
    pageResponse(status, html`<p>${view.text}</p>`, EN);

  it('renders the page a flow shows with 200', () => {
    const response = outcomeResponse(show({ text: 'hello' }), WEB, page);

    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('<p>hello</p>');
  });

  it('answers a throttled attempt with 429, its Retry-After header and the page', () => {
    const response = outcomeResponse(
      refused({ reason: 'throttled', retryAfterSeconds: 120 }, { text: 'slow down' }),
      WEB,
      page,
    );

    expect(response.statusCode).toBe(429);
    expect(response.headers['retry-after']).toBe('120');
    expect(response.body).toBe('<p>slow down</p>');
  });

  it('answers wrong credentials with 401 and the page, nothing else', () => {
    const response = outcomeResponse(
      refused({ reason: 'wrong-credentials' }, { text: 'try again' }),
      WEB,
      page,
    );

    expect(response.statusCode).toBe(401);
    expect(response.headers).toEqual({
      'content-type': 'text/html; charset=utf-8',
      'content-language': 'en',
      vary: 'Accept-Language',
    });
    expect(response.body).toBe('<p>try again</p>');
  });
});

describe('formRoute', () => {
  const deps = { web: WEB };

  it('gives the page a CSRF token that the same browser can post back', async () => {
    let token = '';
    const page = formRoute(
      'GET',
      'consent',
      deps,
      (_view, form) => {
        token = form.csrfToken;
        return html`<form></form>`;
      },
      async () => show({}),
    );
    const handled: string[] = [];
    const post = (purpose: 'consent' | 'login') =>
      formRoute(
        'POST',
        purpose,
        deps,
        () => html``,
        async ({ challenge }) => {
          handled.push(`${purpose} ${challenge}`);
          return redirect('https://hydra.example/next');
        },
      );
    const response = await invoke(page, event({ query: `consent_challenge=${CHALLENGE}` }));
    const cookie = response.cookies?.[0]?.split(';')[0] ?? '';
    const sent = formPost('/consent', { challenge: CHALLENGE, csrf: token }, { cookies: [cookie] });

    expect((await invoke(post('consent'), sent)).statusCode).toBe(303);
    expect((await invoke(post('login'), sent)).statusCode).toBe(403);
    expect(handled).toEqual([`consent ${CHALLENGE}`]);
  });
});

describe('FormFields.choice', () => {
  const form = (query: string) => parseUrlEncoded(query);

  it('accepts one of the buttons', () => {
    expect(form('action=deny').choice('action', ['allow', 'deny'])).toBe('deny');
  });

  it('takes the given value for a missing field', () => {
    expect(form('').choice('action', ['login', 'cancel'], 'login')).toBe('login');
  });

  it.each(['', 'action=', 'action=ALLOW', 'action=allow+', 'action=allow&action=deny'])(
    'refuses %j with 400',
    (query) => {
      expect(() => form(query).choice('action', ['allow', 'deny'])).toThrow(
        expect.objectContaining({ status: 400 }),
      );
    },
  );
});
