import { redirect, show } from '../../../shared/flows/outcome';
import { HttpError } from '../../../shared/http/errors';
import { checkForm, choice, knownDevice, respond } from '../../../shared/http/render';
import { parseRequest } from '../../../shared/http/request';
import { html } from '../../../shared/views/html';
import { event, formPost } from '../support/events';
import { WEB } from '../support/handlers';

const CHALLENGE = 'challenge-1';
const get = () => parseRequest(event(), 'GET');

describe('respond', () => {
  it('sends a redirect outcome as a 303 to where the flow was told to go', () => {
    const response = respond(
      get(),
      WEB,
      redirect('https://hydra.example/next'),
      'login',
      CHALLENGE,
      () => html`unused`,
    );

    expect(response).toEqual({
      statusCode: 303,
      headers: { location: 'https://hydra.example/next' },
      body: '',
    });
  });

  it('sends the device cookie with the redirect after a sign-in; the browser is then known by it', () => {
    const device = { id: 'AAAAAAAAAAAAAAAAAAAAAw', accounts: ['aliceTagaliceTagalice0'] };

    const response = respond(
      get(),
      WEB,
      { ...redirect('https://hydra.example/next'), device },
      'login',
      CHALLENGE,
      () => html`unused`,
    );

    expect(response.statusCode).toBe(303);
    expect(response.cookies).toEqual([expect.stringMatching(/^__Host-hlc-device=/)]);
    const next = parseRequest(event({ cookies: [response.cookies![0]!.split(';')[0]!] }), 'GET');
    expect(knownDevice(next, WEB)).toEqual(device);
    expect(knownDevice(get(), WEB)).toBeUndefined();
  });

  it("renders a page with the flow's status and extra headers (retry-after on 429)", () => {
    const response = respond(
      get(),
      WEB,
      show({ text: 'slow down' }, 429, { 'retry-after': '120' }),
      'login',
      CHALLENGE,
      (view) => html`<p>${view.text}</p>`,
    );

    expect(response.statusCode).toBe(429);
    expect(response.headers['retry-after']).toBe('120');
    expect(response.body).toBe('<p>slow down</p>');
  });

  it('gives the page a CSRF token that the same browser can post back', () => {
    let token = '';
    const response = respond(get(), WEB, show({}), 'consent', CHALLENGE, (_view, form) => {
      token = form.csrfToken;
      return html`<form></form>`;
    });
    const cookie = response.cookies?.[0]?.split(';')[0] ?? '';

    expect(() =>
      checkForm(
        parseRequest(formPost('/consent', { csrf: token }, { cookies: [cookie] }), 'POST'),
        WEB,
        'consent',
        CHALLENGE,
      ),
    ).not.toThrow();
    expect(() =>
      checkForm(
        parseRequest(formPost('/consent', { csrf: token }, { cookies: [cookie] }), 'POST'),
        WEB,
        'login',
        CHALLENGE,
      ),
    ).toThrow(HttpError);
  });
});

describe('choice', () => {
  it('accepts one of the buttons', () => {
    expect(choice('deny', ['allow', 'deny'])).toBe('deny');
  });

  it.each([undefined, '', 'ALLOW', 'allow '])('refuses %j with 400', (value) => {
    expect(() => choice(value, ['allow', 'deny'])).toThrow(
      expect.objectContaining({ status: 400 }),
    );
  });
});
