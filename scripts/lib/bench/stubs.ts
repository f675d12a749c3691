/**
 * The bench's Hydra and DynamoDB: the shared stubs (../stubs) answering at once for one
 * sign-in as a scenario has it, every call counted by operation. The cold runs reach them over
 * loopback servers in the parent process (./cold), so the runner loads nothing of ours beyond
 * the function and the function's own transports run as deployed; the warm runs over an
 * in-memory socket in their own process. What is timed is our code, not Hydra.
 */
import type {
  OAuth2Client,
  OAuth2ConsentRequest,
  OAuth2ConsentSession,
  OAuth2LoginRequest,
  OAuth2LogoutRequest,
} from '@ory/hydra-client';
import { answerDynamo, dynamoReply, type StubItems } from '../stubs/dynamo';
import { answerAdmin, operationOf, routeOf, verifierRedirect } from '../stubs/hydra-admin';
import { count, type CallCounts, type StubReply, type StubRequest } from '../stubs/reply';

export interface HydraScenario {
  /** Hydra remembers the user (login `skip`), as this subject. */
  loginSkip: boolean;
  /** Hydra remembers the consent (consent `skip`). */
  consentSkip: boolean;
  /** The client is first-party (`skip_consent`). */
  firstParty: boolean;
  /** The client may sign out without asking (`skip_logout_consent`). */
  skipLogoutConsent: boolean;
  subject: string;
  /** The `context` accept-login set, as the consent request carries it. */
  loginContext: object;
  requestedScope: string[];
}

/** Only to parse request paths. */
const STUB_ORIGIN = 'http://hydra-admin.stub:4445';
const PUBLIC_URL = 'http://hydra.stub:4444';

/** The login session Hydra names in every login request (it always names one). */
export const BENCH_SESSION_ID = 'bench-login-session-0001';

function client(scenario: HydraScenario): OAuth2Client {
  return {
    client_id: 'bench-app',
    client_name: 'Bench App',
    redirect_uris: ['http://app.stub/callback'],
    scope: 'openid offline_access profile email phone address',
    skip_consent: scenario.firstParty,
    skip_logout_consent: scenario.skipLogoutConsent,
  };
}

/**
 * Hydra in this scenario: each admin call answered (its JSON body parsed first, as Hydra would,
 * so the caller's serialisation is not optimised away) and counted in `counts`.
 */
export function hydraStub(
  scenario: HydraScenario,
  counts: CallCounts,
): (request: StubRequest) => StubReply {
  // What Hydra's login and consent requests share: the client and what it asked for.
  const asked = (challenge: string) => ({
    challenge,
    client: client(scenario),
    request_url: `${PUBLIC_URL}/oauth2/auth?client_id=bench-app`,
    requested_scope: scenario.requestedScope,
    requested_access_token_audience: [],
  });
  const requests = {
    login: (challenge: string): OAuth2LoginRequest => ({
      ...asked(challenge),
      skip: scenario.loginSkip,
      subject: scenario.loginSkip ? scenario.subject : '',
      session_id: BENCH_SESSION_ID,
      oidc_context: {},
    }),
    consent: (challenge: string): OAuth2ConsentRequest => ({
      ...asked(challenge),
      skip: scenario.consentSkip,
      subject: scenario.subject,
      context: scenario.loginContext,
      amr: ['pwd'],
    }),
    logout: (challenge: string): OAuth2LogoutRequest => ({
      challenge,
      client: client(scenario),
      request_url: `${PUBLIC_URL}/oauth2/sessions/logout`,
      rp_initiated: true,
      sid: 'stub-session',
      subject: scenario.subject,
    }),
  };
  const state = {
    request: (kind: keyof typeof requests, challenge: string) => requests[kind](challenge),
    redirect: (kind: keyof typeof requests) => verifierRedirect(PUBLIC_URL, kind, 'stub-verifier'),
    deviceRedirect: () => `${PUBLIC_URL}/oauth2/device/verify?device_verifier=stub-verifier`,
    // The account page's "apps you have authorised": one grant to the bench's client.
    consentSessions: (): OAuth2ConsentSession[] => [
      {
        consent_request: { ...requests.consent('bench-consent'), skip: false },
        grant_scope: scenario.requestedScope,
        grant_access_token_audience: [],
        handled_at: '2026-11-01T10:00:00Z',
        remember: true,
        remember_for: 2592000,
      },
    ],
  };
  return ({ method, path, body }) => {
    if (body) JSON.parse(body);
    const url = new URL(path, STUB_ORIGIN);
    if (routeOf(method, url).route !== 'unknown') count(counts, operationOf(method, url));
    return answerAdmin(state, method, url);
  };
}

/** DynamoDB holding these items, each call counted in `counts`. */
export function dynamoStub(
  items: StubItems,
  counts: CallCounts,
): (request: StubRequest) => StubReply {
  return ({ headers, body }) =>
    dynamoReply(answerDynamo(headers['x-amz-target'], body, items, counts));
}
