/** Sealed values (the account page's cookies): readable and changeable only by us. */
import { open, seal } from '../../../shared/http/sealed';

const SECRET = 'unit-test-cookie-secret-0123456789abcdef';
const NOW = 1_800_000_000;

const sealed = (value: unknown, expiresAt = NOW + 60) =>
  seal(SECRET, 'hlc-account-session-v1', { value, expiresAt });

describe('sealed values', () => {
  it('opens what it sealed, and the browser sees none of it', () => {
    const value = sealed({ subject: 'user-1', authTime: NOW });
    expect(open(SECRET, 'hlc-account-session-v1', value, NOW)).toEqual({
      subject: 'user-1',
      authTime: NOW,
    });
    expect(value).not.toContain('user-1');
    expect(Buffer.from(value.split('.')[2] ?? '', 'base64url').toString()).not.toContain('user');
  });

  it('seals the same value differently each time (a fresh nonce)', () => {
    expect(sealed('same')).not.toBe(sealed('same'));
  });

  it('refuses a value changed by one character, expired, of another purpose or under another secret', () => {
    const value = sealed({ subject: 'user-1' });
    const body = value.split('.')[2] ?? '';
    const flipped = `${body[0] === 'A' ? 'B' : 'A'}${body.slice(1)}`;
    expect(
      open(SECRET, 'hlc-account-session-v1', value.replace(body, flipped), NOW),
    ).toBeUndefined();
    expect(open(SECRET, 'hlc-account-session-v1', sealed('x', NOW), NOW)).toBeUndefined();
    expect(open(SECRET, 'hlc-account-signin-v1', value, NOW)).toBeUndefined();
    expect(open(`${SECRET}-other`, 'hlc-account-session-v1', value, NOW)).toBeUndefined();
  });

  it('refuses what is not a sealed value at all', () => {
    for (const given of [
      undefined,
      '',
      'v1',
      'v1...',
      'v2.AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA',
    ]) {
      expect(open(SECRET, 'hlc-account-session-v1', given, NOW)).toBeUndefined();
    }
  });
});
