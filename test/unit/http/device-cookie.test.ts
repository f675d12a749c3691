import {
  DEVICE_COOKIE_SECONDS,
  deviceCookie,
  deviceCookieName,
  readDevice,
  type DeviceCookieSettings,
} from '../../../shared/http/device-cookie';
import { parseRequest } from '../../../shared/http/request';
import { MAX_DEVICE_ACCOUNTS, type KnownDevice } from '../../../shared/throttle/throttle';
import { createIdentifierTags } from '../../../shared/users/tags';
import { event } from '../support/events';

const SECRET = 'a-test-secret-of-at-least-32-characters!';
const NOW = Date.parse('2024-05-01T10:00:00Z');
const tags = createIdentifierTags(SECRET);
const DEVICE: KnownDevice = {
  id: 'AAAAAAAAAAAAAAAAAAAAAw',
  accounts: [tags.account('alice@example.com'), tags.account('bob@example.com')],
};

function settings(overrides: Partial<DeviceCookieSettings> = {}): DeviceCookieSettings {
  return { secret: SECRET, secure: true, now: () => NOW, ...overrides };
}

/** The `name=value` a browser sends back for a Set-Cookie. */
const sentBack = (setCookie: string) => setCookie.split(';')[0]!;

/** What we read from a browser that sends these cookies. */
const read = (cookies: string[], options: Partial<DeviceCookieSettings> = {}) =>
  readDevice(parseRequest(event({ cookies }), 'GET'), settings(options));

/** The cookie value with one of its dot-separated parts replaced. */
function withPart(setCookie: string, index: number, replace: (part: string) => string): string {
  const [name, value] = sentBack(setCookie).split(/=(.*)/s) as [string, string];
  const parts = value.split('.');
  parts[index] = replace(parts[index]!);
  return `${name}=${parts.join('.')}`;
}

describe('the device cookie', () => {
  it('is read back as the device it was made for', () => {
    const cookie = deviceCookie(DEVICE, settings());

    expect(read([sentBack(cookie)])).toEqual(DEVICE);
  });

  it('is a __Host- cookie: HttpOnly, Secure, SameSite=Lax, site-wide, kept for a year', () => {
    const cookie = deviceCookie(DEVICE, settings());
    const attributes = cookie.split('; ').slice(1);

    expect(cookie.startsWith('__Host-hlc-device=')).toBe(true);
    expect(attributes.sort()).toEqual(
      ['HttpOnly', `Max-Age=${365 * 24 * 3600}`, 'Path=/', 'SameSite=Lax', 'Secure'].sort(),
    );
  });

  it('over plain http (local development) drops the __Host- prefix and Secure', () => {
    const cookie = deviceCookie(DEVICE, settings({ secure: false }));

    expect(deviceCookieName(false)).toBe('hlc-device');
    expect(cookie.startsWith('hlc-device=')).toBe(true);
    expect(cookie).not.toContain('Secure');
    expect(read([sentBack(cookie)], { secure: false })).toEqual(DEVICE);
    // Each setting reads only its own cookie.
    expect(read([sentBack(cookie)], { secure: true })).toBeUndefined();
  });

  it('names the device and account tags only, never an email', () => {
    const cookie = deviceCookie(DEVICE, settings());

    expect(cookie).not.toMatch(/alice|bob|example/i);
  });

  it('is still good just before it expires, and no more at its expiry', () => {
    const cookie = sentBack(deviceCookie(DEVICE, settings()));
    const expiry = NOW + DEVICE_COOKIE_SECONDS * 1000;

    expect(read([cookie], { now: () => expiry - 1000 })).toEqual(DEVICE);
    expect(read([cookie], { now: () => expiry })).toBeUndefined();
    expect(read([cookie], { now: () => expiry + 86_400_000 })).toBeUndefined();
  });

  it('made with another secret is not ours', () => {
    const cookie = sentBack(deviceCookie(DEVICE, settings({ secret: `${SECRET}-other` })));

    expect(read([cookie])).toBeUndefined();
  });

  describe('forged', () => {
    const cookie = () => deviceCookie(DEVICE, settings());
    const otherTag = tags.account('mallory@example.com');

    it.each([
      ['another device id', 1, () => 'BBBBBBBBBBBBBBBBBBBBBw'],
      ['a later expiry', 2, (expiry: string) => String(Number(expiry) + 1)],
      ['another account added', 3, (accounts: string) => `${accounts}~${otherTag}`],
      ['an account swapped for another', 3, () => otherTag],
      ['a MAC of all A', 4, () => 'A'.repeat(43)],
      [
        'a MAC one character off',
        4,
        (mac: string) => `${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`,
      ],
    ] as const)('with %s is refused', (_name, index, replace) => {
      expect(read([withPart(cookie(), index, replace)])).toBeUndefined();
    });
  });

  it(`naming more than ${MAX_DEVICE_ACCOUNTS} accounts is refused, even when signed by us`, () => {
    const accounts = Array.from({ length: MAX_DEVICE_ACCOUNTS + 1 }, (_, i) =>
      tags.account(`user${i}@example.com`),
    );
    const atTheLimit = { id: DEVICE.id, accounts: accounts.slice(0, MAX_DEVICE_ACCOUNTS) };

    expect(read([sentBack(deviceCookie(atTheLimit, settings()))])).toEqual(atTheLimit);
    expect(read([sentBack(deviceCookie({ id: DEVICE.id, accounts }, settings()))])).toBeUndefined();
  });

  it('naming something that is not an account tag is refused, even when signed by us', () => {
    const odd = { id: DEVICE.id, accounts: [DEVICE.accounts[0]!, 'x'.repeat(23)] };

    expect(read([sentBack(deviceCookie(odd, settings()))])).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['a word', 'hello'],
    ['another version', () => sentBack(deviceCookie(DEVICE, settings())).replace('=v1.', '=v2.')],
    ['cut short', () => sentBack(deviceCookie(DEVICE, settings())).slice(0, -5)],
    ['with a part missing', () => withPart(deviceCookie(DEVICE, settings()), 2, () => '')],
    ['with spaces inside', () => withPart(deviceCookie(DEVICE, settings()), 3, (a) => ` ${a}`)],
    [
      'with a non-numeric expiry',
      () => withPart(deviceCookie(DEVICE, settings()), 2, () => 'soon'),
    ],
    ['quoted', () => sentBack(deviceCookie(DEVICE, settings())).replace(/=(.*)$/, '="$1"')],
  ])('garbled (%s) is no device', (_name, value) => {
    const cookie = typeof value === 'function' ? value() : `__Host-hlc-device=${value}`;

    expect(read([cookie])).toBeUndefined();
  });

  it('absent is no device', () => {
    expect(read([])).toBeUndefined();
    expect(read(['__Host-hlc-csrf=abc'])).toBeUndefined();
  });
});
