import {
  deleteUser,
  disableUser,
  enableUser,
  findUser,
  revokeUserSessions,
  setUserPassword,
  type UserAdminPorts,
} from '../../../shared/flows/user-admin';
import { sessionVerdict } from '../../../shared/users/sessions';
import type { User } from '../../../shared/users/types';
import { FakeHydra, FakePasswordHasher, InMemoryUserStore } from '../support/fakes';

const NEW_PASSWORD = 'a brand new passphrase';

function setup(options: { hydra?: boolean } = {}) {
  const hasher = new FakePasswordHasher();
  const users = new InMemoryUserStore(hasher);
  const hydra = new FakeHydra();
  const alice = users.add({ email: 'alice@example.com', password: 'the old passphrase' });
  const bob = users.add({ email: 'bob@example.com', password: 'bob passphrase' });
  const ports: UserAdminPorts = { users, hydra: options.hydra === false ? undefined : hydra };
  return { hasher, users, hydra, alice, bob, ports };
}

/** A session authenticated a minute ago: still current unless the user's sessions were ended. */
const aMinuteAgo = () => Date.now() / 1000 - 60;

/** Every action that ends the user's sessions, as one callable each. */
const ENDING = {
  'set-password': (ports: UserAdminPorts, user: User) => setUserPassword(ports, user, NEW_PASSWORD),
  disable: disableUser,
  revoke: revokeUserSessions,
  delete: deleteUser,
} as const;

const ALL = { ...ENDING, enable: enableUser } as const;

describe('findUser', () => {
  it('finds a user by its email (normalized like sign-in) or by its id', async () => {
    const { users, alice } = setup();

    expect(await findUser(users, '  Alice@Example.COM ')).toEqual(alice);
    expect(await findUser(users, alice.id)).toEqual(alice);
  });

  it('finds nobody for an unknown email or id', async () => {
    const { users } = setup();

    expect(await findUser(users, 'nobody@example.com')).toBeUndefined();
    expect(await findUser(users, 'user-999')).toBeUndefined();
  });
});

describe.each(Object.keys(ENDING) as (keyof typeof ENDING)[])(
  '%s ends the user’s sessions',
  (action) => {
    const run = ENDING[action];

    it('stamps the user in the store first, then revokes its consents (and tokens) at Hydra', async () => {
      const { users, alice, bob, ports } = setup();
      const stampedWhenHydraWasAsked: Array<string | undefined> = [];
      ports.hydra = {
        async revokeConsentSessions(subject) {
          stampedWhenHydraWasAsked.push(users.users.get(subject)?.sessionsValidAfter);
        },
      };

      const result = await run(ports, alice);

      expect(result).toMatchObject({ hydra: 'revoked' });
      expect(stampedWhenHydraWasAsked).toHaveLength(1);
      expect(stampedWhenHydraWasAsked[0]).toEqual(expect.any(String));
      // Bob is untouched.
      expect(await users.findById(bob.id)).toEqual(bob);
    });

    it('asks Hydra to revoke exactly this user’s subject', async () => {
      const { hydra, alice, ports } = setup();

      await run(ports, alice);

      expect(hydra.revokedSubjects).toEqual([alice.id]);
    });

    it('ends a remembered login authenticated before the change (our own check)', async () => {
      const { users, alice, ports } = setup();
      expect(sessionVerdict(alice, aMinuteAgo())).toBe('current');

      await run(ports, alice);

      expect(sessionVerdict(await users.findById(alice.id), aMinuteAgo())).not.toBe('current');
    });

    it('without Hydra (--no-revoke) still makes the store change, and says Hydra was not asked', async () => {
      const { users, hydra, alice, ports } = setup({ hydra: false });

      const result = await run(ports, alice);

      expect(result).toMatchObject({ hydra: 'not-asked' });
      expect(result.status).not.toBe('unchanged');
      expect(sessionVerdict(await users.findById(alice.id), aMinuteAgo())).not.toBe('current');
      expect(hydra.revokedSubjects).toEqual([]);
    });

    it('reports a failed Hydra revocation with its error, after the store change', async () => {
      const { users, hydra, alice, ports } = setup();
      hydra.failRevocation = true;

      const result = await run(ports, alice);

      expect(result).toMatchObject({ hydra: 'failed', error: new Error('hydra is down') });
      expect(result.status).not.toBe('unchanged');
      expect(sessionVerdict(await users.findById(alice.id), aMinuteAgo())).not.toBe('current');
    });
  },
);

describe.each(Object.keys(ALL) as (keyof typeof ALL)[])(
  '%s of a user the store cannot change',
  (action) => {
    const run = ALL[action];

    it('reports an incomplete record (found by email, not by id), changes nothing and asks Hydra nothing', async () => {
      const { users, hydra, alice, ports } = setup();
      users.users.set(alice.id, { ...alice, enabled: action === 'disable' || action === 'delete' });
      const before = structuredClone(users.users.get(alice.id));
      users.withoutIdPointer.add(alice.id);

      const result = await run(ports, alice);

      expect(result).toEqual({ status: 'unchanged', user: alice, because: 'incomplete' });
      expect(users.users.get(alice.id)).toEqual(before);
      expect(hydra.revokedSubjects).toEqual([]);
    });

    it('reports a user deleted since it was found as gone, and asks Hydra nothing', async () => {
      const { users, hydra, alice, ports } = setup();
      users.users.delete(alice.id);

      const result = await run(ports, alice);

      expect(result).toEqual({ status: 'unchanged', user: alice, because: 'gone' });
      expect(hydra.revokedSubjects).toEqual([]);
    });
  },
);

describe('setUserPassword', () => {
  it('sets the new password (the old one no longer verifies) and returns the changed user', async () => {
    const { users, hasher, alice, ports } = setup();

    const result = await setUserPassword(ports, alice, NEW_PASSWORD);

    const stored = await users.findById(alice.id);
    expect(result).toEqual({ status: 'changed', user: stored, hydra: 'revoked' });
    expect(await hasher.verify(stored!.passwordHash, NEW_PASSWORD)).toBe(true);
    expect(await hasher.verify(stored!.passwordHash, 'the old passphrase')).toBe(false);
  });
});

describe('disableUser', () => {
  it('disables the user', async () => {
    const { users, alice, ports } = setup();

    const result = await disableUser(ports, alice);

    expect(result).toMatchObject({ status: 'changed', user: { id: alice.id, enabled: false } });
    expect((await users.findById(alice.id))?.enabled).toBe(false);
  });
});

describe('enableUser', () => {
  it('enables the user without ending its sessions again or asking Hydra anything', async () => {
    const { users, hydra, alice, ports } = setup();
    const stamp = '2024-06-01T00:00:00.000Z';
    users.users.set(alice.id, { ...alice, enabled: false, sessionsValidAfter: stamp });

    const result = await enableUser(ports, alice);

    expect(result).toEqual({
      status: 'changed',
      user: { ...alice, enabled: true, sessionsValidAfter: stamp },
    });
    expect(hydra.revokedSubjects).toEqual([]);
  });
});

describe('revokeUserSessions', () => {
  it('ends the sessions but leaves the user enabled with its password', async () => {
    const { users, alice, ports } = setup();

    await revokeUserSessions(ports, alice);

    const stored = await users.findById(alice.id);
    expect(stored).toMatchObject({ enabled: true, passwordHash: alice.passwordHash });
    expect(stored?.sessionsValidAfter).toEqual(expect.any(String));
  });
});

describe('deleteUser', () => {
  it('deletes the user after revoking at Hydra', async () => {
    const { users, hydra, alice, ports } = setup();

    const result = await deleteUser(ports, alice);

    expect(result).toEqual({ status: 'deleted', user: alice, hydra: 'revoked' });
    expect(await users.findById(alice.id)).toBeUndefined();
    expect(await users.findByIdentifier(alice.email)).toBeUndefined();
    expect(hydra.revokedSubjects).toEqual([alice.id]);
  });

  it('deletes without Hydra (--no-revoke)', async () => {
    const { users, alice, ports } = setup({ hydra: false });

    const result = await deleteUser(ports, alice);

    expect(result).toEqual({ status: 'deleted', user: alice, hydra: 'not-asked' });
    expect(await users.findById(alice.id)).toBeUndefined();
  });

  it('keeps the user, disabled, when Hydra fails: the same delete can retry the revocation', async () => {
    const { users, hydra, alice, ports } = setup();
    hydra.failRevocation = true;

    const result = await deleteUser(ports, alice);

    expect(result).toMatchObject({ status: 'disabled', hydra: 'failed' });
    expect((await users.findById(alice.id))?.enabled).toBe(false);

    hydra.failRevocation = false;
    const retried = await deleteUser(ports, (await users.findById(alice.id))!);

    expect(retried).toMatchObject({ status: 'deleted', hydra: 'revoked' });
    expect(await users.findById(alice.id)).toBeUndefined();
  });

  it('reports a delete that failed after disabling and revoking, with its error', async () => {
    const { users, alice, ports } = setup();
    const failure = new Error('the user store is unavailable');
    users.delete = async () => {
      throw failure;
    };

    const result = await deleteUser(ports, alice);

    expect(result).toMatchObject({ status: 'disabled', hydra: 'revoked', deleteError: failure });
    expect((await users.findById(alice.id))?.enabled).toBe(false);
  });

  it('reports a delete that found no record any more as disabled, not deleted', async () => {
    const { users, alice, ports } = setup();
    users.delete = async () => false;

    const result = await deleteUser(ports, alice);

    expect(result).toMatchObject({ status: 'disabled', hydra: 'revoked' });
    expect(result).not.toHaveProperty('deleteError');
  });
});
