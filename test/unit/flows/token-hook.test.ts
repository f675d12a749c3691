import fc from 'fast-check';
import {
  authTimeSeconds,
  decideTokenHook,
  MAX_SUBJECT_LENGTH,
  type TokenHookDecision,
  type TokenHookDeps,
} from '../../../shared/flows/token-hook';
import type { User } from '../../../shared/users/types';
import { FakePasswordHasher, InMemoryUserStore } from '../support/fakes';
import { captureLogs } from '../support/logs';
import { CLIENT_ID, rfc3339, SID, tokenHookBody } from '../support/token-hook-payloads';

const logs = captureLogs();

function setup(accessTokenClaims: string[] = ['roles']) {
  const users = new InMemoryUserStore(new FakePasswordHasher());
  const alice = users.add({
    email: 'alice@example.com',
    password: 'correct horse battery staple',
    profile: {
      name: 'Alice Liddell',
      given_name: 'Alice',
      email_verified: true,
      roles: ['reader'],
    },
  });
  const deps: TokenHookDeps = { users, accessTokenClaims };
  return { users, alice, deps };
}

/** What consent put into the tokens at sign-in (the `ext` Hydra sends back). */
const AT_CONSENT = { name: 'Alice Liddell', given_name: 'Alice' };

const SECOND = 1000;

function issued(decision: TokenHookDecision) {
  if (decision.status !== 200) throw new Error(`expected 200, got ${JSON.stringify(decision)}`);
  return decision.body.session;
}

function audits(event: string) {
  return logs.entries().filter((entry) => entry.event === event);
}

describe('the token hook: who may still get tokens', () => {
  it('refuses a disabled user (403) and says why in the audit line', async () => {
    const { users, alice, deps } = setup();
    const signedIn = rfc3339(Date.now() - 60 * SECOND);
    await users.setEnabled(alice.id, false);

    const decision = await decideTokenHook(
      deps,
      tokenHookBody({ subject: alice.id, authTime: signedIn }),
    );

    expect(decision).toMatchObject({ status: 403, body: { error: 'access_denied' } });
    expect(audits('token.refused')).toEqual([
      expect.objectContaining({
        subject: alice.id,
        client: CLIENT_ID,
        reason: 'disabled',
        grantTypes: ['refresh_token'],
      }),
    ]);
    expect(audits('token.issued')).toEqual([]);
  });

  it('refuses a disabled user even when the session began after it was disabled', async () => {
    const { users, alice, deps } = setup();
    await users.setEnabled(alice.id, false);

    const decision = await decideTokenHook(
      deps,
      tokenHookBody({ subject: alice.id, authTime: rfc3339(Date.now() + 5 * SECOND) }),
    );

    expect(decision.status).toBe(403);
  });

  it('refuses a deleted user (403)', async () => {
    const { users, alice, deps } = setup();
    await users.delete(alice.id);

    const decision = await decideTokenHook(deps, tokenHookBody({ subject: alice.id }));

    expect(decision.status).toBe(403);
    expect(audits('token.refused')).toEqual([
      expect.objectContaining({ subject: alice.id, reason: 'deleted' }),
    ]);
  });

  it('refuses a subject that was never a user of ours (403)', async () => {
    const { deps } = setup();

    const decision = await decideTokenHook(deps, tokenHookBody({ subject: 'someone-else' }));

    expect(decision.status).toBe(403);
  });

  it('refuses a session that began before the user’s sessions were revoked (403)', async () => {
    const { users, alice, deps } = setup();
    const signedIn = rfc3339(Date.now() - 60 * SECOND);
    await users.revokeSessions(alice.id);

    const decision = await decideTokenHook(
      deps,
      tokenHookBody({ subject: alice.id, authTime: signedIn }),
    );

    expect(decision.status).toBe(403);
    expect(audits('token.refused')).toEqual([
      expect.objectContaining({ subject: alice.id, reason: 'revoked' }),
    ]);
  });

  it('refuses a session from before a password change (403)', async () => {
    const { users, alice, deps } = setup();
    const signedIn = rfc3339(Date.now() - 60 * SECOND);
    await users.setPassword(alice.id, 'a new long passphrase');

    const decision = await decideTokenHook(
      deps,
      tokenHookBody({ subject: alice.id, authTime: signedIn }),
    );

    expect(decision.status).toBe(403);
  });

  it('issues tokens (200) for a session that began after the revocation', async () => {
    const { users, alice, deps } = setup();
    const revoked = await users.revokeSessions(alice.id);
    const signedInAgain = Date.parse(revoked?.sessionsValidAfter ?? '') + 2 * SECOND;

    const decision = await decideTokenHook(
      deps,
      tokenHookBody({ subject: alice.id, authTime: rfc3339(signedInAgain) }),
    );

    expect(decision.status).toBe(200);
  });

  it('counts a sign-in in the same second as the revocation as before it (403)', async () => {
    const { users, alice, deps } = setup();
    const revoked = await users.revokeSessions(alice.id);
    const sameSecond = Date.parse(revoked?.sessionsValidAfter ?? '');

    const decision = await decideTokenHook(
      deps,
      tokenHookBody({ subject: alice.id, authTime: rfc3339(sameSecond) }),
    );

    expect(decision.status).toBe(403);
  });

  it.each([
    ['missing', undefined],
    ['null', null],
    ["Go's zero time", '0001-01-01T00:00:00Z'],
    ['unreadable', 'yesterday'],
  ])(
    'treats an auth_time that is %s as unknown: refused once sessions were ended',
    async (_name, authTime) => {
      const { users, alice, deps } = setup();
      const body = tokenHookBody({ subject: alice.id });
      const claims = body.session.id_token.id_token_claims as Record<string, unknown>;
      if (authTime === undefined) delete claims.auth_time;
      else claims.auth_time = authTime;

      expect((await decideTokenHook(deps, body)).status).toBe(200);
      await users.revokeSessions(alice.id);
      expect((await decideTokenHook(deps, body)).status).toBe(403);
    },
  );

  it('finds the subject in id_token_claims.sub when session.id_token.subject is absent', async () => {
    const { users, alice, deps } = setup();
    const body = tokenHookBody({ subject: alice.id });
    delete (body.session.id_token as Partial<typeof body.session.id_token>).subject;
    await users.setEnabled(alice.id, false);

    expect((await decideTokenHook(deps, body)).status).toBe(403);
  });

  it('looks up the real subject, not a pairwise one in id_token_claims.sub', async () => {
    const { alice, deps } = setup();
    const body = tokenHookBody({ subject: alice.id });
    body.session.id_token.id_token_claims.sub = 'pairwise-3f1a9c';

    expect((await decideTokenHook(deps, body)).status).toBe(200);
  });

  it('issues client_credentials tokens as they are (204): no user is involved', async () => {
    const { deps } = setup();

    const decision = await decideTokenHook(deps, tokenHookBody({ grant: 'client_credentials' }));

    expect(decision).toEqual({ status: 204 });
    expect(audits('token.issued')).toEqual([
      expect.objectContaining({ client: CLIENT_ID, claims: 'unchanged' }),
    ]);
  });
});

describe('the token hook: current claims', () => {
  it('hands out the user’s current claims on a refresh: a new name shows', async () => {
    const { users, alice, deps } = setup();
    // Consent put the name at sign-in; the user's name changes before the refresh.
    users.users.set(alice.id, {
      ...alice,
      profile: { ...alice.profile, name: 'Alice Hargreaves', roles: ['reader', 'editor'] },
    } satisfies User);

    const session = issued(
      await decideTokenHook(
        deps,
        tokenHookBody({ subject: alice.id, idTokenExt: AT_CONSENT, extra: { roles: ['reader'] } }),
      ),
    );

    expect(session.id_token.name).toBe('Alice Hargreaves');
    expect(session.access_token).toEqual({ roles: ['reader', 'editor'] });
    expect(audits('token.issued')).toEqual([
      expect.objectContaining({
        subject: alice.id,
        client: CLIENT_ID,
        grantTypes: ['refresh_token'],
        scopes: ['openid', 'offline_access', 'profile'],
        claims: 'current',
      }),
    ]);
  });

  it('releases only the claims of the granted scopes: no email without `email`', async () => {
    const { alice, deps } = setup();

    const withoutEmail = issued(
      await decideTokenHook(
        deps,
        tokenHookBody({
          subject: alice.id,
          grantedScopes: ['openid', 'offline_access', 'profile'],
        }),
      ),
    );
    const withEmail = issued(
      await decideTokenHook(
        deps,
        tokenHookBody({
          subject: alice.id,
          grantedScopes: ['openid', 'offline_access', 'profile', 'email'],
        }),
      ),
    );

    expect(withoutEmail.id_token).toEqual({
      name: 'Alice Liddell',
      given_name: 'Alice',
      updated_at: Date.parse(alice.updatedAt) / 1000,
      sid: SID,
    });
    expect(withoutEmail.id_token).not.toHaveProperty('email');
    expect(withoutEmail.id_token).not.toHaveProperty('email_verified');
    expect(withEmail.id_token).toMatchObject({
      email: 'alice@example.com',
      email_verified: true,
    });
  });

  it('drops claims of scopes no longer granted (a refresh may narrow the scope)', async () => {
    const { alice, deps } = setup();

    const session = issued(
      await decideTokenHook(
        deps,
        tokenHookBody({
          subject: alice.id,
          grantedScopes: ['openid', 'offline_access'],
          idTokenExt: { ...AT_CONSENT, email: 'alice@example.com' },
        }),
      ),
    );

    expect(session.id_token).toEqual({ sid: SID });
  });

  it('hands back the sid Hydra put into the ID token (RP-initiated logout needs it)', async () => {
    const { alice, deps } = setup();

    const session = issued(
      await decideTokenHook(deps, tokenHookBody({ subject: alice.id, sid: 'login-session-42' })),
    );

    expect(session.id_token.sid).toBe('login-session-42');
  });

  it('puts only the configured user claims into access tokens', async () => {
    const { alice, deps } = setup([]);

    const session = issued(await decideTokenHook(deps, tokenHookBody({ subject: alice.id })));

    expect(session.access_token).toEqual({});
  });

  it('leaves the code exchange as consent made it (204), after checking the user', async () => {
    const { users, alice, deps } = setup();
    const body = tokenHookBody({
      grant: 'authorization_code',
      subject: alice.id,
      idTokenExt: AT_CONSENT,
    });

    expect(await decideTokenHook(deps, body)).toEqual({ status: 204 });
    await users.setEnabled(alice.id, false);
    expect((await decideTokenHook(deps, body)).status).toBe(403);
  });
});

describe('the token hook: bodies that are not Hydra’s', () => {
  const base = () => tokenHookBody({ subject: 'user-1' }) as unknown as Record<string, never>;

  it.each<[string, () => unknown]>([
    ['no body at all', () => undefined],
    ['null', () => null],
    ['a string', () => 'session'],
    ['an array', () => [base()]],
    ['no session', () => ({ request: base().request })],
    ['no request', () => ({ session: base().session })],
    ['a session that is a list', () => ({ ...base(), session: [] })],
    [
      'no subject anywhere',
      () => {
        const body = tokenHookBody();
        body.session.id_token.subject = '';
        body.session.id_token.id_token_claims.sub = '';
        return body;
      },
    ],
    [
      'a subject that is not a string',
      () => {
        const body = tokenHookBody() as { session: { id_token: Record<string, unknown> } };
        body.session.id_token.subject = { id: 'user-1' };
        return body;
      },
    ],
    [
      'a subject far too long',
      () => tokenHookBody({ subject: 'u'.repeat(MAX_SUBJECT_LENGTH + 1) }),
    ],
    [
      'granted scopes that are not a list of strings',
      () => {
        const body = tokenHookBody() as { request: Record<string, unknown> };
        body.request.granted_scopes = 'openid profile';
        return body;
      },
    ],
    [
      'grant types with a number',
      () => {
        const body = tokenHookBody() as { request: Record<string, unknown> };
        body.request.grant_types = ['refresh_token', 7];
        return body;
      },
    ],
    [
      'an ext that is a string',
      () => {
        const body = tokenHookBody() as {
          session: { id_token: { id_token_claims: Record<string, unknown> } };
        };
        body.session.id_token.id_token_claims.ext = 'sid';
        return body;
      },
    ],
  ])('answers %s with 400, reading no user', async (_name, make) => {
    const { deps } = setup();
    const findById = jest.spyOn(deps.users, 'findById');

    const decision = await decideTokenHook(deps, make());

    expect(decision).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(findById).not.toHaveBeenCalled();
  });

  it('reads Go’s null lists as empty', async () => {
    const { alice, deps } = setup();
    const body = tokenHookBody({ subject: alice.id, grantedScopes: null });
    (body.request as Record<string, unknown>).granted_audience = null;

    expect(await decideTokenHook(deps, body)).toEqual({ status: 204 });
  });

  it('answers any JSON value with 200, 204, 400 or 403, never by throwing', async () => {
    const { alice, deps } = setup();
    const valid = tokenHookBody({ subject: alice.id });
    // Arbitrary JSON, and Hydra's body with any one part replaced by arbitrary JSON.
    const mutated = fc
      .tuple(
        fc.constantFrom(
          ['session'],
          ['request'],
          ['session', 'id_token'],
          ['session', 'id_token', 'subject'],
          ['session', 'id_token', 'id_token_claims'],
          ['session', 'id_token', 'id_token_claims', 'auth_time'],
          ['session', 'id_token', 'id_token_claims', 'ext'],
          ['request', 'granted_scopes'],
          ['request', 'grant_types'],
          ['request', 'client_id'],
        ),
        fc.jsonValue(),
      )
      .map(([path, value]) => {
        const body = structuredClone(valid) as unknown as Record<string, unknown>;
        let at = body;
        for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
        at[path[path.length - 1] as string] = value;
        return body;
      });

    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), mutated), async (body) => {
        const decision = await decideTokenHook(deps, body);
        expect([200, 204, 400, 403]).toContain(decision.status);
      }),
      { numRuns: 300, seed: 20261201 },
    );
  });
});

describe('authTimeSeconds', () => {
  it.each<[unknown, number]>([
    ['2026-12-01T21:32:30Z', 1796160750],
    ['2026-12-01T21:32:30.022071817Z', 1796160750.022],
    ['2026-12-01T22:32:30+01:00', 1796160750],
    [1796160750, 1796160750],
    ['0001-01-01T00:00:00Z', -Infinity],
    ['1796160750', -Infinity],
    ['2026-12-01 21:32:30', -Infinity],
    ['2026-13-01T21:32:30Z', -Infinity],
    [Number.NaN, -Infinity],
    [0, -Infinity],
    [undefined, -Infinity],
    [{ seconds: 1 }, -Infinity],
  ])('reads %p as %p', (value, seconds) => {
    expect(authTimeSeconds(value)).toBe(seconds);
  });
});
