import {
  idTokenClaims,
  loginContext,
  readLoginContext,
  type LoginContext,
} from '../../../shared/flows/claims';
import type { User } from '../../../shared/users/types';

function user(overrides: Partial<User> = {}): User {
  return {
    id: 'user-1',
    email: 'alice@example.com',
    enabled: true,
    passwordHash: 'fake$v2$secret',
    passwordChangedAt: '2024-05-01T10:00:00.000Z',
    createdAt: '2024-05-01T10:00:00.000Z',
    updatedAt: '2024-05-02T00:00:00.000Z',
    profile: {},
    ...overrides,
  };
}

describe('loginContext', () => {
  it('carries the stored email, email_verified (false by default) and updated_at in seconds', () => {
    const context = loginContext(user(), []);

    expect(context).toEqual({
      v: 1,
      claims: {
        email: 'alice@example.com',
        email_verified: false,
        updated_at: Date.parse('2024-05-02T00:00:00.000Z') / 1000,
      },
      accessTokenClaims: {},
    });
  });

  it('keeps roles and groups out of the identity claims', () => {
    const context = loginContext(user({ profile: { roles: ['admin'], groups: ['staff'] } }), []);

    expect(context.claims).not.toHaveProperty('roles');
    expect(context.claims).not.toHaveProperty('groups');
  });

  it('drops phone_number_verified when the user has no phone number', () => {
    const context = loginContext(user({ profile: { phone_number_verified: true } }), []);

    expect(context.claims).not.toHaveProperty('phone_number_verified');
  });

  it('puts only the configured claims into access tokens, from roles, groups or the profile', () => {
    const context = loginContext(
      user({ profile: { name: 'Alice', roles: ['admin'], groups: ['staff'] } }),
      ['roles', 'name', 'missing'],
    );

    expect(context.accessTokenClaims).toEqual({ roles: ['admin'], name: 'Alice' });
  });

  it('survives the round trip through Hydra (JSON) intact', () => {
    const context = loginContext(user({ profile: { name: 'Alice', roles: ['admin'] } }), ['roles']);

    expect(readLoginContext(JSON.parse(JSON.stringify(context)))).toEqual(context);
  });
});

describe('readLoginContext', () => {
  it.each([
    ['nothing', undefined],
    ['null', null],
    ['a string', 'claims'],
    ['another version', { v: 2, claims: { email: 'a@example.com' } }],
    ['claims that are not an object', { v: 1, claims: 'a@example.com' }],
  ])('ignores %s', (_name, value) => {
    expect(readLoginContext(value)).toBeUndefined();
  });

  it('defaults missing access token claims to none', () => {
    expect(readLoginContext({ v: 1, claims: { email: 'a@example.com' } })).toEqual({
      v: 1,
      claims: { email: 'a@example.com' },
      accessTokenClaims: {},
    });
  });
});

describe('idTokenClaims', () => {
  const context: LoginContext = {
    v: 1,
    claims: {
      name: 'Alice',
      nickname: '',
      email: 'alice@example.com',
      email_verified: true,
      phone_number: '+1 555 0100',
      address: { country: 'NL' },
    },
    accessTokenClaims: { roles: ['admin'] },
  };

  it('releases nothing for openid alone', () => {
    expect(idTokenClaims(context, ['openid'])).toEqual({});
  });

  it('releases the claims of each granted scope, skipping empty values', () => {
    expect(idTokenClaims(context, ['openid', 'profile'])).toEqual({ name: 'Alice' });
    expect(idTokenClaims(context, ['email'])).toEqual({
      email: 'alice@example.com',
      email_verified: true,
    });
    expect(idTokenClaims(context, ['phone'])).toEqual({ phone_number: '+1 555 0100' });
    expect(idTokenClaims(context, ['address'])).toEqual({ address: { country: 'NL' } });
  });

  it('never releases access token claims or claims of unknown scopes into the id token', () => {
    expect(idTokenClaims(context, ['roles', 'offline_access', 'custom'])).toEqual({});
  });

  it('releases nothing without a login context', () => {
    expect(idTokenClaims(undefined, ['profile', 'email'])).toEqual({});
  });
});
