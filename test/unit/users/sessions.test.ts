import { sessionVerdict } from '../../../shared/users/sessions';
import type { User } from '../../../shared/users/types';

const ENDED_AT = '2024-05-01T10:00:00.400Z';
const ENDED_SECOND = Math.floor(Date.parse(ENDED_AT) / 1000);

function user(overrides: Partial<User> = {}): User {
  return {
    id: 'user-1',
    email: 'alice@example.com',
    enabled: true,
    passwordHash: 'fake$v2$x',
    passwordChangedAt: '2024-04-01T00:00:00.000Z',
    createdAt: '2024-04-01T00:00:00.000Z',
    updatedAt: '2024-04-01T00:00:00.000Z',
    profile: {},
    ...overrides,
  };
}

describe('sessionVerdict (whether a remembered session still counts)', () => {
  it('counts every session of a user whose sessions were never ended', () => {
    expect(sessionVerdict(user(), ENDED_SECOND)).toBe('current');
    // A session whose start was never recorded, too.
    expect(sessionVerdict(user(), -Infinity)).toBe('current');
  });

  it('counts a session authenticated in a later second than the sessions were ended', () => {
    expect(sessionVerdict(user({ sessionsValidAfter: ENDED_AT }), ENDED_SECOND + 1)).toBe(
      'current',
    );
  });

  it('refuses a session authenticated before the sessions were ended', () => {
    const ended = user({ sessionsValidAfter: ENDED_AT });

    expect(sessionVerdict(ended, ENDED_SECOND - 1)).toBe('revoked');
    expect(sessionVerdict(ended, -Infinity)).toBe('revoked');
  });

  it('refuses a session authenticated in the same second as the revocation, before or after it', () => {
    const ended = user({ sessionsValidAfter: ENDED_AT });

    // Hydra's times are whole seconds: 10:00:00 may be before or after 10:00:00.400.
    expect(sessionVerdict(ended, ENDED_SECOND)).toBe('revoked');
    expect(sessionVerdict(ended, ENDED_SECOND + 0.9)).toBe('revoked');
  });

  it('refuses every session when the stamp cannot be read (fail closed)', () => {
    expect(sessionVerdict(user({ sessionsValidAfter: 'not a date' }), ENDED_SECOND + 10)).toBe(
      'revoked',
    );
  });

  it('refuses the sessions of a disabled user, however recent', () => {
    expect(sessionVerdict(user({ enabled: false }), ENDED_SECOND + 1000)).toBe('disabled');
  });

  it('refuses the sessions of a deleted user', () => {
    expect(sessionVerdict(undefined, ENDED_SECOND + 1000)).toBe('deleted');
  });
});
