import { HttpError } from '../../../shared/http/errors';
import {
  challengeFrom,
  MAX_FORM_BODY_BYTES,
  MAX_CHALLENGE_LENGTH,
  parseJsonRequest,
  parseRequest,
} from '../../../shared/http/request';
import { event, formPost } from '../support/events';

function refusal(run: () => unknown): HttpError {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected an HttpError, nothing was thrown');
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('parseRequest', () => {
  it('parses a GET: lower-cased headers, query, cookies and the source IP', () => {
    const request = parseRequest(
      event({
        query: 'login_challenge=abc&x=%C3%A9',
        headers: { 'X-Custom': 'yes', Cookie: 'b=2' },
        cookies: ['a=1'],
        sourceIp: '198.51.100.4',
      }),
      'GET',
    );

    expect(request.headers['x-custom']).toBe('yes');
    expect(request.query.one('login_challenge')).toBe('abc');
    expect(request.query.one('x')).toBe('é');
    expect(request.cookies.get('a')).toBe('1');
    expect(request.cookies.get('b')).toBe('2');
    expect(request.sourceIp).toBe('198.51.100.4');
  });

  it('reads the query from queryStringParameters when there is no raw query string', () => {
    const base = event();
    const request = parseRequest(
      {
        ...base,
        rawQueryString: undefined as unknown as string,
        queryStringParameters: { a: 'b c' },
      },
      'GET',
    );

    expect(request.query.one('a')).toBe('b c');
  });

  it('parses a urlencoded POST form, keeping repeated multi-value fields', () => {
    const request = parseRequest(
      formPost('/consent', { challenge: 'abc', scope: ['openid', 'email'], note: 'a+b & c' }),
      'POST',
    );

    expect(request.form.one('challenge')).toBe('abc');
    expect(request.form.all('scope')).toEqual(['openid', 'email']);
    expect(request.form.one('note')).toBe('a+b & c');
  });

  it('answers another method with 405 and an Allow header', () => {
    const error = refusal(() => parseRequest(event({ method: 'PUT' }), 'GET'));

    expect(error.status).toBe(405);
    expect(error.headers).toEqual({ allow: 'GET' });
    expect(refusal(() => parseRequest(event({ method: 'GET' }), 'POST')).status).toBe(405);
  });

  it.each([
    ['no content type', {}],
    ['JSON', { 'content-type': 'application/json' }],
    ['multipart', { 'content-type': 'multipart/form-data; boundary=x' }],
    ['text', { 'content-type': 'text/plain' }],
  ])('answers a POST with %s with 415', (_name, headers) => {
    const error = refusal(() =>
      parseRequest(event({ method: 'POST', body: 'a=b', headers }), 'POST'),
    );

    expect(error.status).toBe(415);
  });

  it('accepts the urlencoded content type with a charset and in any case', () => {
    const request = parseRequest(
      event({
        method: 'POST',
        body: 'a=b',
        headers: { 'Content-Type': 'Application/X-WWW-Form-Urlencoded; charset=UTF-8' },
      }),
      'POST',
    );

    expect(request.form.one('a')).toBe('b');
  });

  it('accepts a body of exactly 16 KiB', () => {
    const body = `a=${'x'.repeat(MAX_FORM_BODY_BYTES - 2)}`;

    expect(
      parseRequest(event({ method: 'POST', body, headers: FORM }), 'POST').form.one('a'),
    ).toHaveLength(MAX_FORM_BODY_BYTES - 2);
  });

  it('answers a body over 16 KiB with 413', () => {
    const body = `a=${'x'.repeat(MAX_FORM_BODY_BYTES - 1)}`;

    expect(
      refusal(() => parseRequest(event({ method: 'POST', body, headers: FORM }), 'POST')).status,
    ).toBe(413);
  });

  it('counts bytes, not characters, against the limit', () => {
    const body = `a=${'é'.repeat(MAX_FORM_BODY_BYTES / 2)}`;

    expect(body.length).toBeLessThan(MAX_FORM_BODY_BYTES);
    expect(
      refusal(() => parseRequest(event({ method: 'POST', body, headers: FORM }), 'POST')).status,
    ).toBe(413);
  });

  it('decodes a base64 body', () => {
    const body = Buffer.from('challenge=abc&identifier=a%40example.com').toString('base64');

    const request = parseRequest(
      event({ method: 'POST', body, isBase64Encoded: true, headers: FORM }),
      'POST',
    );

    expect(request.form.one('identifier')).toBe('a@example.com');
  });

  it('answers a base64 body over 16 KiB once decoded with 413', () => {
    const body = Buffer.from(`a=${'x'.repeat(MAX_FORM_BODY_BYTES - 1)}`).toString('base64');

    expect(
      refusal(() =>
        parseRequest(event({ method: 'POST', body, isBase64Encoded: true, headers: FORM }), 'POST'),
      ).status,
    ).toBe(413);
  });

  it('accepts a base64 body of exactly 16 KiB once decoded', () => {
    const body = Buffer.from(`a=${'x'.repeat(MAX_FORM_BODY_BYTES - 2)}`).toString('base64');

    expect(
      parseRequest(
        event({ method: 'POST', body, isBase64Encoded: true, headers: FORM }),
        'POST',
      ).form.one('a'),
    ).toHaveLength(MAX_FORM_BODY_BYTES - 2);
  });

  it('answers a huge base64 body with 413 without decoding it', () => {
    const body = 'A'.repeat(10 * 1024 * 1024);
    const from = jest.spyOn(Buffer, 'from');

    const error = refusal(() =>
      parseRequest(event({ method: 'POST', body, isBase64Encoded: true, headers: FORM }), 'POST'),
    );

    expect(error.status).toBe(413);
    expect(from).not.toHaveBeenCalledWith(body, 'base64');
    from.mockRestore();
  });

  it('answers a body that is not valid UTF-8 with 400', () => {
    const body = Buffer.from([0x61, 0x3d, 0xc3, 0x28]).toString('base64');

    const error = refusal(() =>
      parseRequest(event({ method: 'POST', body, isBase64Encoded: true, headers: FORM }), 'POST'),
    );

    expect(error.status).toBe(400);
  });

  it.each(['a=%', 'a=%E0%A4%A', 'a=%ZZ', '%=b', 'a=%C3%28'])(
    'answers malformed percent-encoding (%s) with 400',
    (body) => {
      expect(
        refusal(() => parseRequest(event({ method: 'POST', body, headers: FORM }), 'POST')).status,
      ).toBe(400);
    },
  );

  it('answers a malformed query string with 400', () => {
    expect(
      refusal(() => parseRequest(event({ query: 'login_challenge=%E0%A4%A' }), 'GET')).status,
    ).toBe(400);
  });
});

describe('parseJsonRequest', () => {
  const JSON_TYPE = { 'content-type': 'application/json; charset=UTF-8' };
  const post = (body: string, headers: Record<string, string> = JSON_TYPE, base64 = false) =>
    event({ method: 'POST', path: '/token-hook', body, headers, isBase64Encoded: base64 });

  it('reads the headers and source IP at once, and the JSON body when asked', () => {
    const request = parseJsonRequest(
      post('{"a":[1,"x"]}', { ...JSON_TYPE, 'X-Key': 'k' }),
      'POST',
      1024,
    );

    expect(request.headers['x-key']).toBe('k');
    expect(request.sourceIp).toBe('203.0.113.7');
    expect(request.json()).toEqual({ a: [1, 'x'] });
  });

  it('answers another method with 405 before anything else', () => {
    const error = refusal(() => parseJsonRequest(event({ method: 'GET' }), 'POST', 1024));

    expect(error.status).toBe(405);
    expect(error.headers).toEqual({ allow: 'POST' });
  });

  it('checks the body only when it is read (after the caller is authenticated)', () => {
    const request = parseJsonRequest(post('not json', {}), 'POST', 4);

    expect(refusal(() => request.json()).status).toBe(415);
  });

  it.each([
    ['not JSON', post('{"a":'), 400],
    ['empty', post(''), 400],
    ['not UTF-8', post(Buffer.from([0x7b, 0xff, 0x7d]).toString('base64'), JSON_TYPE, true), 400],
    ['a form', post('a=1', { 'content-type': 'application/x-www-form-urlencoded' }), 415],
    ['over the limit', post(JSON.stringify('x'.repeat(1024))), 413],
    [
      'over the limit in base64',
      post(Buffer.from('1'.repeat(2000)).toString('base64'), JSON_TYPE, true),
      413,
    ],
  ])('answers a body %s with %i', (_name, e, status) => {
    const request = parseJsonRequest(e, 'POST', 1024);

    expect(refusal(() => request.json()).status).toBe(status);
  });

  it('accepts a body of exactly the limit, and base64', () => {
    const text = JSON.stringify('x'.repeat(1022));

    expect(parseJsonRequest(post(text), 'POST', 1024).json()).toHaveLength(1022);
    expect(
      parseJsonRequest(
        post(Buffer.from(text).toString('base64'), JSON_TYPE, true),
        'POST',
        1024,
      ).json(),
    ).toHaveLength(1022);
  });
});

describe('single-value fields', () => {
  it('refuses a single-value field sent twice with 400', () => {
    const request = parseRequest(formPost('/login', { password: ['one', 'two'] }), 'POST');

    expect(refusal(() => request.form.one('password')).status).toBe(400);
  });

  it('refuses a challenge sent twice in the query with 400', () => {
    const request = parseRequest(event({ query: 'login_challenge=a&login_challenge=b' }), 'GET');

    expect(refusal(() => challengeFrom(request.query, 'login_challenge')).status).toBe(400);
  });
});

describe('challengeFrom', () => {
  const query = (raw: string) => parseRequest(event({ query: raw }), 'GET').query;

  it('returns a well-formed challenge as is', () => {
    const challenge = 'Ab9_-.~=' + 'x'.repeat(2000);

    expect(challengeFrom(query(`login_challenge=${challenge}`), 'login_challenge')).toBe(challenge);
  });

  it('accepts a challenge of the maximum length (challenges are long)', () => {
    const challenge = 'a'.repeat(MAX_CHALLENGE_LENGTH);

    expect(challengeFrom(query(`login_challenge=${challenge}`), 'login_challenge')).toBe(challenge);
  });

  it.each([
    ['a missing challenge', ''],
    ['an empty challenge', 'login_challenge='],
    ['a challenge sent under another name', 'consent_challenge=abc'],
  ])('answers %s with 400', (_name, raw) => {
    const error = refusal(() => challengeFrom(query(raw), 'login_challenge'));

    expect(error.status).toBe(400);
    expect(error.page.message).toEqual({ key: 'error.noChallenge' });
  });

  it.each([
    ['too long', `login_challenge=${'a'.repeat(MAX_CHALLENGE_LENGTH + 1)}`],
    ['with a space', 'login_challenge=ab%20cd'],
    ['with markup', 'login_challenge=%3Cscript%3E'],
    ['with a slash', 'login_challenge=a%2Fb'],
    ['with a newline', 'login_challenge=a%0Ab'],
    ['with non-ASCII letters', 'login_challenge=%C3%A9t%C3%A9'],
  ])('answers a challenge %s with 400', (_name, raw) => {
    expect(refusal(() => challengeFrom(query(raw), 'login_challenge')).status).toBe(400);
  });

  it('treats the string "undefined" as an ordinary challenge, not as a missing one', () => {
    expect(challengeFrom(query('login_challenge=undefined'), 'login_challenge')).toBe('undefined');
  });
});
