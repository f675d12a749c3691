import { parseCookies, serializeCookie } from '../../../shared/http/cookies';

describe('parseCookies', () => {
  it('reads the cookies of an HTTP API event and of a Cookie header', () => {
    const cookies = parseCookies(['a=1', 'b=two'], 'c=3; d=x=y');

    expect(Object.fromEntries(cookies)).toEqual({ a: '1', b: 'two', c: '3', d: 'x=y' });
  });

  it('keeps the first value of a cookie sent twice', () => {
    expect(parseCookies(['a=first'], 'a=second; a=third').get('a')).toBe('first');
  });

  it('skips pairs without a name or an equals sign', () => {
    const cookies = parseCookies(['=orphan', 'flag'], ' ; ok=1');

    expect(Object.fromEntries(cookies)).toEqual({ ok: '1' });
  });

  it('reads nothing from nothing', () => {
    expect(parseCookies(undefined, undefined).size).toBe(0);
  });
});

describe('serializeCookie', () => {
  it('makes a secure, HttpOnly cookie valid for the whole site', () => {
    expect(
      serializeCookie('__Host-x', 'v', { secure: true, httpOnly: true, sameSite: 'Lax' }),
    ).toBe('__Host-x=v; Path=/; SameSite=Lax; HttpOnly; Secure');
  });

  it('adds Max-Age when asked and leaves out what is not', () => {
    expect(
      serializeCookie('x', 'v', {
        secure: false,
        httpOnly: false,
        sameSite: 'Strict',
        maxAgeSeconds: 0,
      }),
    ).toBe('x=v; Path=/; SameSite=Strict; Max-Age=0');
  });

  it('never sets a Domain', () => {
    expect(
      serializeCookie('x', 'v', { secure: true, httpOnly: true, sameSite: 'Lax' }),
    ).not.toMatch(/domain/i);
  });
});
