import { startLogout, submitLogout } from '../../../shared/flows/logout';
import { setLogContext } from '../../../shared/log';
import { FakeHydra, FakePasswordHasher, HYDRA_PUBLIC, InMemoryUserStore } from '../support/fakes';
import { captureLogs } from '../support/logs';
import { CLIENT, logoutRequest } from '../support/payloads';

const CHALLENGE = 'logout-challenge-1';

const logs = captureLogs();

function setup(request = logoutRequest()) {
  const hydra = new FakeHydra();
  hydra.logoutRequests.set(CHALLENGE, request);
  const users = new InMemoryUserStore(new FakePasswordHasher());
  return { hydra, users, deps: { hydra, users } };
}

describe('GET /logout (startLogout)', () => {
  it('asks for confirmation, naming the client and the account, and decides nothing', async () => {
    const { hydra, users } = setup();
    const alice = users.add({
      email: 'Alice@Example.com',
      password: 'x',
      profile: { name: 'Alice' },
    });
    hydra.logoutRequests.set(CHALLENGE, logoutRequest({ subject: alice.id }));

    const outcome = await startLogout({ hydra, users }, CHALLENGE);

    expect(outcome).toEqual({
      kind: 'show',
      view: {
        page: 'confirm',
        clientName: 'Demo App',
        account: { email: 'alice@example.com', name: 'Alice' },
      },
    });
    expect(hydra.decisions).toEqual([]);
    expect(users.writes).toEqual([]);
  });

  it('names the account by its email alone when the user has no name', async () => {
    const { hydra, users } = setup();
    const bob = users.add({ email: 'bob@example.com', password: 'x' });
    hydra.logoutRequests.set(CHALLENGE, logoutRequest({ subject: bob.id }));

    const outcome = await startLogout({ hydra, users }, CHALLENGE);

    expect(outcome).toMatchObject({
      view: { page: 'confirm', account: { email: 'bob@example.com', name: undefined } },
    });
  });

  it('asks without naming the account when the user is gone', async () => {
    const { deps } = setup(logoutRequest({ subject: 'user-deleted-since' }));

    const outcome = await startLogout(deps, CHALLENGE);

    expect(outcome).toMatchObject({ view: { page: 'confirm', account: undefined } });
  });

  it('still asks, without the account, when the users table cannot be read', async () => {
    const { hydra } = setup();
    const users = {
      findById: () =>
        Promise.reject(Object.assign(new Error('down'), { name: 'TableUnavailable' })),
    };

    const outcome = await startLogout({ hydra, users }, CHALLENGE);

    expect(outcome).toMatchObject({ view: { page: 'confirm', account: undefined } });
    expect(logs.entries()).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'logout: the account could not be read, asking without its name',
        error: 'TableUnavailable',
      }),
    );
  });

  it('asks without a client name when the logout was not started by a client', async () => {
    const { deps } = setup(logoutRequest({ client: undefined, rp_initiated: false }));

    const outcome = await startLogout(deps, CHALLENGE);

    expect(outcome).toMatchObject({ view: { page: 'confirm', clientName: undefined } });
  });

  it('signs out at once for a client marked skip_logout_consent, reading no user', async () => {
    const { hydra, users, deps } = setup(
      logoutRequest({ client: { ...CLIENT, skip_logout_consent: true } }),
    );

    const outcome = await startLogout(deps, CHALLENGE);

    expect(users.calls).toEqual([]);
    expect(outcome).toEqual({
      kind: 'redirect',
      to: `${HYDRA_PUBLIC}/oauth2/auth?logout_verifier=accept-${CHALLENGE}`,
    });
    expect(hydra.decisions).toEqual([{ kind: 'logout', decision: 'accept', challenge: CHALLENGE }]);
  });
});

describe('POST /logout (submitLogout)', () => {
  it('accepts the logout and follows Hydra when the user confirms', async () => {
    const { hydra, deps } = setup();

    const outcome = await submitLogout(deps, CHALLENGE, 'logout');

    expect(outcome).toEqual({
      kind: 'redirect',
      to: `${HYDRA_PUBLIC}/oauth2/auth?logout_verifier=accept-${CHALLENGE}`,
    });
    expect(hydra.decisions).toEqual([{ kind: 'logout', decision: 'accept', challenge: CHALLENGE }]);
  });

  it('rejects the logout and shows the "still signed in" page when the user stays', async () => {
    const { hydra, deps } = setup();

    const outcome = await submitLogout(deps, CHALLENGE, 'stay');

    expect(outcome).toMatchObject({ kind: 'show', view: { page: 'stayed' } });
    expect(hydra.decisions).toEqual([{ kind: 'logout', decision: 'reject', challenge: CHALLENGE }]);
  });

  it("names the client's own site from Hydra's client record as the way back after staying", async () => {
    const { deps } = setup(
      logoutRequest({ client: { ...CLIENT, client_uri: 'https://app.example/' } }),
    );

    const outcome = await submitLogout(deps, CHALLENGE, 'stay');

    expect(outcome).toMatchObject({
      kind: 'show',
      view: { page: 'stayed', client: { name: 'Demo App', clientUri: 'https://app.example/' } },
    });
  });

  it('has no client to lead back to after staying when no client asked for the logout', async () => {
    const { deps } = setup(logoutRequest({ client: undefined, rp_initiated: false }));

    const outcome = await submitLogout(deps, CHALLENGE, 'stay');

    expect(outcome).toEqual({ kind: 'show', view: { page: 'stayed', client: undefined } });
  });

  it.each(['logout', 'stay'] as const)(
    'audits "%s" with the subject, the client, the source IP and the user agent',
    async (action) => {
      const { deps } = setup(logoutRequest({ subject: 'user-7' }));
      setLogContext({ sourceIp: '203.0.113.9', userAgent: `Firefox ${'x'.repeat(300)}` });

      await submitLogout(deps, CHALLENGE, action);

      const line = logs.entries().find((entry) => entry.message === 'audit');
      expect(line).toMatchObject({
        event: action === 'logout' ? 'logout.accepted' : 'logout.declined',
        subject: 'user-7',
        client: CLIENT.client_id,
        sourceIp: '203.0.113.9',
      });
      expect(String(line?.userAgent)).toMatch(/^Firefox x+$/);
      expect(String(line?.userAgent).length).toBeLessThan(200);
      setLogContext({});
    },
  );

  it('decides nothing for a logout challenge Hydra does not know', async () => {
    const { hydra, deps } = setup();

    await expect(submitLogout(deps, 'unknown-challenge', 'logout')).rejects.toThrow();
    expect(hydra.decisions).toEqual([]);
  });
});
