import type {
  AcceptOAuth2ConsentRequest,
  OAuth2ConsentRequest,
  OAuth2ConsentSession,
} from '@ory/hydra-client';
import { loginContext } from '../../../shared/flows/claims';
import {
  givenAsFirstParty,
  rememberedConsentExpired,
  startConsent,
  submitConsent,
  type ConsentDeps,
  type ConsentOutcome,
  type ConsentSubmission,
} from '../../../shared/flows/consent';
import type { User } from '../../../shared/users/types';
import { FakeHydra, HYDRA_PUBLIC } from '../support/fakes';
import { captureLogs } from '../support/logs';
import { CLIENT, consentRequest } from '../support/payloads';

const CHALLENGE = 'consent-challenge-1';
const REMEMBER_FOR = 3600;
const LOGIN_REMEMBER_FOR = 7 * 24 * 3600;

captureLogs();

const ALICE: User = {
  id: 'user-1',
  email: 'alice@example.com',
  enabled: true,
  passwordHash: 'fake$v2$secret',
  passwordChangedAt: '2024-05-01T10:00:00.000Z',
  createdAt: '2024-05-01T10:00:00.000Z',
  updatedAt: '2024-05-01T10:00:00.000Z',
  profile: {
    name: 'Alice Liddell',
    given_name: 'Alice',
    email_verified: true,
    phone_number: '+44 20 7946 0000',
    phone_number_verified: true,
    address: { locality: 'Oxford', country: 'UK' },
    roles: ['admin'],
  },
};

function setup(overrides: Partial<OAuth2ConsentRequest> = {}) {
  const hydra = new FakeHydra();
  hydra.consentRequests.set(
    CHALLENGE,
    consentRequest({ context: loginContext(ALICE, ['roles']), ...overrides }),
  );
  const deps: ConsentDeps = {
    hydra,
    rememberForSeconds: REMEMBER_FOR,
    loginRememberForSeconds: LOGIN_REMEMBER_FOR,
  };
  return { hydra, deps };
}

function allow(overrides: Partial<ConsentSubmission> = {}): ConsentSubmission {
  return { action: 'allow', scopes: [], audiences: [], remember: false, ...overrides };
}

function acceptBody(hydra: FakeHydra): AcceptOAuth2ConsentRequest {
  const decision = hydra.only('consent');
  if (decision.kind !== 'consent' || decision.decision !== 'accept') {
    throw new Error(`expected an accept, got ${JSON.stringify(decision)}`);
  }
  return decision.body;
}

/** The client's request again at Hydra with prompt=consent, so that Hydra asks; nothing decided. */
function expectAskedAfresh(outcome: ConsentOutcome, hydra: FakeHydra) {
  expect(outcome).toEqual({
    kind: 'redirect',
    to: 'https://hydra.example/oauth2/auth?client_id=demo-app&prompt=consent',
  });
  expect(hydra.decisions).toEqual([]);
}

describe('GET /consent (startConsent)', () => {
  /** A consent the user gave this client before, as Hydra lists it. */
  function remembered(
    hydra: FakeHydra,
    clientId: string,
    audiences: string[],
    session: Partial<OAuth2ConsentSession> = {},
  ) {
    hydra.consentSessions.set('user-1', [
      ...(hydra.consentSessions.get('user-1') ?? []),
      {
        consent_request: consentRequest({ client: { ...CLIENT, client_id: clientId } }),
        grant_scope: ['openid', 'profile', 'email'],
        grant_access_token_audience: audiences,
        remember: true,
        remember_for: 3600,
        handled_at: new Date(Date.now() - 60_000).toISOString(),
        ...session,
      },
    ]);
  }

  it('asks for an audience granted before without "Remember this decision", even when a later remembered consent exists', async () => {
    const { hydra, deps } = setup({ skip: true });
    // Allowed for the audience once, not remembered; later allowed with no audience, remembered.
    remembered(hydra, CLIENT.client_id ?? '', ['https://api.example'], { remember: false });
    remembered(hydra, CLIENT.client_id ?? '', []);

    const outcome = await startConsent(deps, CHALLENGE);

    expectAskedAfresh(outcome, hydra);
  });

  it('asks again when the remembered consent for the audience has expired', async () => {
    const { hydra, deps } = setup({ skip: true });
    remembered(hydra, CLIENT.client_id ?? '', ['https://api.example'], {
      remember_for: 60,
      handled_at: new Date(Date.now() - 61_000).toISOString(),
    });

    const outcome = await startConsent(deps, CHALLENGE);

    expectAskedAfresh(outcome, hydra);
  });

  it('asks again when no single remembered consent covers every scope and audience', async () => {
    const { hydra, deps } = setup({ skip: true });
    remembered(hydra, CLIENT.client_id ?? '', ['https://api.example'], { grant_scope: ['openid'] });
    remembered(hydra, CLIENT.client_id ?? '', []);

    const outcome = await startConsent(deps, CHALLENGE);

    expectAskedAfresh(outcome, hydra);
  });

  it('counts a consent remembered for ever (remember_for 0)', async () => {
    const { hydra, deps } = setup({ skip: true });
    remembered(hydra, CLIENT.client_id ?? '', ['https://api.example'], {
      remember_for: 0,
      handled_at: '2001-01-01T00:00:00Z',
    });

    const outcome = await startConsent(deps, CHALLENGE);

    expect(outcome.kind).toBe('redirect');
  });

  it('treats a remembered consent with an unreadable time as expired', () => {
    expect(
      rememberedConsentExpired(
        { remember: true, remember_for: 60, handled_at: 'soon' },
        Date.now(),
      ),
    ).toBe(true);
    expect(rememberedConsentExpired({ remember: true, remember_for: 60 }, Date.now())).toBe(true);
  });

  it('accepts at once what was requested when Hydra remembers the consent, with claims set', async () => {
    const { hydra, deps } = setup({ skip: true });
    remembered(hydra, CLIENT.client_id ?? '', ['https://api.example']);

    const outcome = await startConsent(deps, CHALLENGE);

    expect(outcome).toEqual({
      kind: 'redirect',
      to: `${HYDRA_PUBLIC}/oauth2/auth?consent_verifier=accept-${CHALLENGE}`,
    });
    expect(acceptBody(hydra)).toEqual({
      grant_scope: ['openid', 'profile', 'email'],
      grant_access_token_audience: ['https://api.example'],
      remember: false,
      remember_for: undefined,
      session: {
        id_token: {
          name: 'Alice Liddell',
          given_name: 'Alice',
          updated_at: Date.parse(ALICE.updatedAt) / 1000,
          email: 'alice@example.com',
          email_verified: true,
        },
        access_token: { roles: ['admin'] },
      },
    });
  });

  it('asks again when Hydra remembers the scopes but the client now wants a new audience', async () => {
    const { hydra, deps } = setup({ skip: true });
    remembered(hydra, CLIENT.client_id ?? '', ['https://other.example']);

    const outcome = await startConsent(deps, CHALLENGE);

    expectAskedAfresh(outcome, hydra);
  });

  it('does not count an audience granted to another client', async () => {
    const { hydra, deps } = setup({ skip: true });
    remembered(hydra, 'another-app', ['https://api.example']);

    const outcome = await startConsent(deps, CHALLENGE);

    expectAskedAfresh(outcome, hydra);
  });

  it('answers consent_required, asking nothing, when the client asked for no interaction (prompt=none)', async () => {
    const { hydra, deps } = setup({
      skip: true,
      request_url: 'https://hydra.example/oauth2/auth?client_id=demo-app&prompt=none',
    });
    remembered(hydra, CLIENT.client_id ?? '', ['https://other.example']);

    const outcome = await startConsent(deps, CHALLENGE);

    expect(outcome).toEqual({
      kind: 'redirect',
      to: `${HYDRA_PUBLIC}/oauth2/auth?consent_verifier=reject-${CHALLENGE}`,
    });
    expect(hydra.only('consent')).toMatchObject({
      decision: 'reject',
      body: { error: 'consent_required' },
    });
  });

  it('shows the form where the request cannot be made again: asked afresh already, a device sign-in, no URL', async () => {
    for (const request_url of [
      'https://hydra.example/oauth2/auth?client_id=demo-app&prompt=consent',
      'https://hydra.example/oauth2/device/verify?device_challenge=d1',
      undefined,
    ]) {
      const { hydra, deps } = setup({ skip: true, request_url });
      remembered(hydra, CLIENT.client_id ?? '', ['https://other.example']);

      const outcome = await startConsent(deps, CHALLENGE);

      expect(outcome.kind).toBe('show');
      expect(hydra.decisions).toEqual([]);
    }
  });

  it('skips, with no audience requested, on a remembered consent the user chose', async () => {
    const { hydra, deps } = setup({ skip: true, requested_access_token_audience: [] });
    remembered(hydra, CLIENT.client_id ?? '', []);

    const outcome = await startConsent(deps, CHALLENGE);

    expect(outcome.kind).toBe('redirect');
    expect(hydra.consentSessionLists).toBe(1);
  });

  it('asks a client made third-party since, whose remembered consent was given as first-party', async () => {
    // Given while the client had skip_consent, as startConsent accepts it (its context marked).
    const firstParty = setup({ client: { ...CLIENT, skip_consent: true } });
    await startConsent(firstParty.deps, CHALLENGE);
    const given = acceptBody(firstParty.hydra);
    const { hydra, deps } = setup({ skip: true, requested_access_token_audience: [] });
    remembered(hydra, CLIENT.client_id ?? '', [], {
      context: given.context,
      remember_for: given.remember_for ?? 0,
    });

    const outcome = await startConsent(deps, CHALLENGE);

    expect(givenAsFirstParty({ context: given.context })).toBe(true);
    expectAskedAfresh(outcome, hydra);
  });

  it('accepts at once for a first-party client (skip_consent), with claims set', async () => {
    const { hydra, deps } = setup({ client: { ...CLIENT, skip_consent: true } });

    const outcome = await startConsent(deps, CHALLENGE);

    expect(outcome.kind).toBe('redirect');
    const body = acceptBody(hydra);
    expect(body.grant_scope).toEqual(['openid', 'profile', 'email']);
    expect(body.session?.id_token).toMatchObject({ email: 'alice@example.com' });
  });

  it("marks a first-party consent as given without asking, and keeps the login context's claims", async () => {
    const { hydra, deps } = setup({ client: { ...CLIENT, skip_consent: true } });

    await startConsent(deps, CHALLENGE);

    expect(acceptBody(hydra).context).toEqual({
      ...loginContext(ALICE, ['roles']),
      givenAsFirstParty: true,
    });
  });

  it('leaves the context of a consent the user gave as Hydra has it (no mark)', async () => {
    const { hydra, deps } = setup();

    await submitConsent(deps, CHALLENGE, allow({ remember: true }));

    expect(acceptBody(hydra)).not.toHaveProperty('context');
    expect(givenAsFirstParty({ context: loginContext(ALICE, ['roles']) })).toBe(false);
  });

  it('remembers a first-party consent for as long as "keep me signed in" lasts, so that silent sign-in works', async () => {
    const { hydra, deps } = setup({ client: { ...CLIENT, skip_consent: true } });

    await startConsent(deps, CHALLENGE);

    expect(acceptBody(hydra)).toMatchObject({ remember: true, remember_for: LOGIN_REMEMBER_FOR });
  });

  it('remembers a first-party consent again on a remembered sign-in (skip)', async () => {
    const { hydra, deps } = setup({ skip: true, client: { ...CLIENT, skip_consent: true } });

    await startConsent(deps, CHALLENGE);

    expect(acceptBody(hydra)).toMatchObject({ remember: true, remember_for: LOGIN_REMEMBER_FOR });
    expect(hydra.consentSessionLists).toBe(0);
  });

  it('asks the user otherwise: scopes with descriptions, openid required, nothing decided', async () => {
    const { hydra, deps } = setup({ requested_scope: ['openid', 'email', 'custom:read'] });

    const outcome = await startConsent(deps, CHALLENGE);

    expect(outcome).toEqual({
      kind: 'show',
      view: {
        client: expect.objectContaining({ name: 'Demo App' }),
        userName: 'alice@example.com',
        scopes: [
          { name: 'openid', description: 'scope.openid', required: true },
          { name: 'email', description: 'scope.email', required: false },
          { name: 'custom:read', description: undefined, required: false },
        ],
        audiences: ['https://api.example'],
        switchAccountUrl: 'https://hydra.example/oauth2/auth?client_id=demo-app&prompt=login',
      },
    });
    expect(hydra.decisions).toEqual([]);
  });

  it('passes on the languages the application asked for (ui_locales) to the page', async () => {
    const { deps } = setup({ oidc_context: { ui_locales: ['de-AT', 'en'] } });

    const outcome = await startConsent(deps, CHALLENGE);

    expect(outcome).toMatchObject({ kind: 'show', view: { uiLocales: ['de-AT', 'en'] } });
  });

  it("passes on the user's locale claim (from the login context) to the page", async () => {
    const withLocale = { ...ALICE, profile: { ...ALICE.profile, locale: 'pt-BR' } };
    const { deps } = setup({ context: loginContext(withLocale, []) });
    const { deps: without } = setup();

    expect(await startConsent(deps, CHALLENGE)).toMatchObject({ view: { userLocale: 'pt-BR' } });
    expect(await startConsent(without, CHALLENGE)).not.toHaveProperty('view.userLocale');
  });

  it('offers another account only through a fresh authorization request at Hydra (prompt=login), never for prompt=none or a device sign-in', async () => {
    const asked = await startConsent(
      setup({ request_url: 'https://hydra.example/oauth2/auth?client_id=demo-app&prompt=consent' })
        .deps,
      CHALLENGE,
    );
    const silent = await startConsent(
      setup({ request_url: 'https://hydra.example/oauth2/auth?client_id=demo-app&prompt=none' })
        .deps,
      CHALLENGE,
    );
    const none = await startConsent(setup({ request_url: undefined }).deps, CHALLENGE);
    const device = await startConsent(
      setup({ request_url: 'https://hydra.example/oauth2/device/verify?device_challenge=d1' }).deps,
      CHALLENGE,
    );

    expect(asked).toMatchObject({
      view: {
        switchAccountUrl:
          'https://hydra.example/oauth2/auth?client_id=demo-app&prompt=consent+login',
      },
    });
    expect(silent).toMatchObject({ view: { switchAccountUrl: undefined } });
    expect(none).toMatchObject({ view: { switchAccountUrl: undefined } });
    expect(device).toMatchObject({ view: { switchAccountUrl: undefined } });
  });

  it('drops the hints that name the current user from the "Use another account" link', async () => {
    const outcome = await startConsent(
      setup({
        request_url:
          'https://hydra.example/oauth2/auth?client_id=demo-app&login_hint=alice%40example.com&id_token_hint=eyJ.x.y&state=s1',
      }).deps,
      CHALLENGE,
    );

    expect(outcome).toMatchObject({
      view: {
        switchAccountUrl:
          'https://hydra.example/oauth2/auth?client_id=demo-app&state=s1&prompt=login',
      },
    });
  });

  it('names the user by subject when the login context is missing', async () => {
    const { deps } = setup({ context: undefined });

    const outcome = await startConsent(deps, CHALLENGE);

    expect(outcome).toMatchObject({ kind: 'show', view: { userName: 'user-1' } });
  });
});

describe('POST /consent (submitConsent)', () => {
  it('grants only the scopes both requested and chosen', async () => {
    const { hydra, deps } = setup();

    await submitConsent(deps, CHALLENGE, allow({ scopes: ['openid', 'email'] }));

    expect(acceptBody(hydra).grant_scope).toEqual(['openid', 'email']);
  });

  it('ignores chosen scopes that were never requested', async () => {
    const { hydra, deps } = setup();

    await submitConsent(
      deps,
      CHALLENGE,
      allow({ scopes: ['openid', 'profile', 'offline_access', 'admin'] }),
    );

    expect(acceptBody(hydra).grant_scope).toEqual(['openid', 'profile']);
  });

  it('keeps openid granted when it was requested, even if unticked', async () => {
    const { hydra, deps } = setup();

    await submitConsent(deps, CHALLENGE, allow({ scopes: ['email'] }));

    expect(acceptBody(hydra).grant_scope).toEqual(['openid', 'email']);
  });

  it('does not add openid when it was not requested', async () => {
    const { hydra, deps } = setup({ requested_scope: ['profile'] });

    await submitConsent(deps, CHALLENGE, allow({ scopes: ['openid', 'profile'] }));

    expect(acceptBody(hydra).grant_scope).toEqual(['profile']);
  });

  it('grants only the audiences both requested and chosen', async () => {
    const { hydra, deps } = setup({
      requested_access_token_audience: ['https://api.example', 'https://billing.example'],
    });

    await submitConsent(
      deps,
      CHALLENGE,
      allow({ scopes: ['openid'], audiences: ['https://billing.example', 'https://evil.example'] }),
    );

    expect(acceptBody(hydra).grant_access_token_audience).toEqual(['https://billing.example']);
  });

  it('grants no audience when none is left ticked', async () => {
    const { hydra, deps } = setup();

    await submitConsent(deps, CHALLENGE, allow({ scopes: ['openid'] }));

    expect(acceptBody(hydra).grant_access_token_audience).toEqual([]);
  });

  it('puts id_token claims only for the granted scopes', async () => {
    const { hydra, deps } = setup({
      requested_scope: ['openid', 'profile', 'email', 'phone', 'address'],
    });

    await submitConsent(deps, CHALLENGE, allow({ scopes: ['openid', 'phone'] }));

    expect(acceptBody(hydra).session).toEqual({
      id_token: { phone_number: '+44 20 7946 0000', phone_number_verified: true },
      access_token: { roles: ['admin'] },
    });
  });

  it('releases profile, email, phone and address claims when all are granted', async () => {
    const { hydra, deps } = setup({
      requested_scope: ['openid', 'profile', 'email', 'phone', 'address'],
    });

    await submitConsent(
      deps,
      CHALLENGE,
      allow({ scopes: ['openid', 'profile', 'email', 'phone', 'address'] }),
    );

    expect(acceptBody(hydra).session?.id_token).toEqual({
      name: 'Alice Liddell',
      given_name: 'Alice',
      updated_at: Date.parse(ALICE.updatedAt) / 1000,
      email: 'alice@example.com',
      email_verified: true,
      phone_number: '+44 20 7946 0000',
      phone_number_verified: true,
      address: { locality: 'Oxford', country: 'UK' },
    });
  });

  it('remembers the decision for the configured time only when asked to', async () => {
    const remembered = setup();
    await submitConsent(remembered.deps, CHALLENGE, allow({ remember: true }));
    expect(acceptBody(remembered.hydra)).toMatchObject({
      remember: true,
      remember_for: REMEMBER_FOR,
    });

    const once = setup();
    await submitConsent(once.deps, CHALLENGE, allow({ remember: false }));
    expect(acceptBody(once.hydra).remember).toBe(false);
    expect(acceptBody(once.hydra).remember_for).toBeUndefined();
  });

  it('rejects with access_denied when the user denies, granting nothing', async () => {
    const { hydra, deps } = setup();

    const outcome = await submitConsent(deps, CHALLENGE, {
      ...allow({ scopes: ['openid', 'email'] }),
      action: 'deny',
    });

    expect(outcome).toEqual({
      kind: 'redirect',
      to: `${HYDRA_PUBLIC}/oauth2/auth?consent_verifier=reject-${CHALLENGE}`,
    });
    const decision = hydra.only('consent');
    expect(decision.decision).toBe('reject');
    expect('body' in decision && decision.body).toMatchObject({ error: 'access_denied' });
  });

  it('re-reads the request from Hydra: an unknown challenge grants nothing', async () => {
    const { hydra, deps } = setup();

    await expect(
      submitConsent(deps, 'forged-challenge', allow({ scopes: ['openid'] })),
    ).rejects.toMatchObject({ name: 'ChallengeNotFoundError' });
    expect(hydra.decisions).toEqual([]);
  });
});
