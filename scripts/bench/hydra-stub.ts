/**
 * A stand-in for Hydra's admin API (v2): answers (status and JSON text) to a method and URL, the
 * payloads typed by @ory/hydra-client's models, answered at once, every call counted by
 * operation. The cold-start benchmark serves it over HTTP on 127.0.0.1 from the parent process
 * (./hydra-server), the warm one over an in-memory socket (./memory-connection), so the
 * functions' own node:http transport runs and what is timed is our code, not Hydra. No imports at
 * run time.
 */
import type {
  OAuth2Client,
  OAuth2ConsentRequest,
  OAuth2ConsentSession,
  OAuth2LoginRequest,
  OAuth2LogoutRequest,
  OAuth2RedirectTo,
} from '@ory/hydra-client';

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

/** Calls per operation, e.g. `get login request`: 1. */
export type CallCounts = Record<string, number>;

/** Only to parse request paths. */
const STUB_ORIGIN = 'http://hydra-admin.stub:4445';
const PUBLIC_URL = 'http://hydra.stub:4444';
const REQUESTS = '/admin/oauth2/auth/requests/';

export function count(counts: CallCounts, operation: string): void {
  counts[operation] = (counts[operation] ?? 0) + 1;
}

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

export interface StubAnswer {
  status: number;
  /** JSON text; empty for a 204. */
  body: string;
}

function json(body: unknown, status = 200): StubAnswer {
  return { status, body: JSON.stringify(body) };
}

const NO_CONTENT: StubAnswer = { status: 204, body: '' };

function redirect(step: string): StubAnswer {
  const body: OAuth2RedirectTo = { redirect_to: `${PUBLIC_URL}/oauth2/auth?${step}=stub-verifier` };
  return json(body);
}

function answer(scenario: HydraScenario, method: string, url: URL, counts: CallCounts): StubAnswer {
  const path = url.pathname;
  if (method === 'GET' && path === '/admin/oauth2/auth/sessions/consent') {
    count(counts, 'list consent sessions');
    const sessions: OAuth2ConsentSession[] = [];
    return json(sessions);
  }
  if (method === 'DELETE' && path.startsWith('/admin/oauth2/auth/sessions/')) {
    count(counts, `revoke ${path.slice('/admin/oauth2/auth/sessions/'.length)} sessions`);
    return NO_CONTENT;
  }
  if (!path.startsWith(REQUESTS)) return json({ error: 'not_found' }, 404);
  const [kind = '', decision] = path.slice(REQUESTS.length).split('/');
  const challenge = url.searchParams.get(`${kind}_challenge`) ?? '';
  if (method === 'GET' && decision === undefined) {
    count(counts, `get ${kind} request`);
    if (kind === 'login') {
      const request: OAuth2LoginRequest = {
        challenge,
        client: client(scenario),
        request_url: `${PUBLIC_URL}/oauth2/auth?client_id=bench-app`,
        requested_scope: scenario.requestedScope,
        requested_access_token_audience: [],
        skip: scenario.loginSkip,
        subject: scenario.loginSkip ? scenario.subject : '',
        oidc_context: {},
      };
      return json(request);
    }
    if (kind === 'consent') {
      const request: OAuth2ConsentRequest = {
        challenge,
        client: client(scenario),
        request_url: `${PUBLIC_URL}/oauth2/auth?client_id=bench-app`,
        requested_scope: scenario.requestedScope,
        requested_access_token_audience: [],
        skip: scenario.consentSkip,
        subject: scenario.subject,
        context: scenario.loginContext,
        amr: ['pwd'],
      };
      return json(request);
    }
    if (kind === 'logout') {
      const request: OAuth2LogoutRequest = {
        challenge,
        client: client(scenario),
        request_url: `${PUBLIC_URL}/oauth2/sessions/logout`,
        rp_initiated: true,
        sid: 'stub-session',
        subject: scenario.subject,
      };
      return json(request);
    }
  }
  if (method === 'PUT' && (decision === 'accept' || decision === 'reject')) {
    count(counts, `${decision} ${kind} request`);
    if (kind === 'logout' && decision === 'reject') return NO_CONTENT;
    return redirect(kind === 'logout' ? 'logout_verifier' : `${kind}_verifier`);
  }
  return json({ error: 'not_found' }, 404);
}

/**
 * Hydra's answer to one admin call (`path` with its query, as on the request line; the JSON
 * body, if any, is parsed as Hydra would, so the caller's serialisation is not optimised away).
 */
export function answerHydra(
  scenario: HydraScenario,
  method: string,
  path: string,
  body: string,
  counts: CallCounts,
): StubAnswer {
  if (body) JSON.parse(body);
  return answer(scenario, method, new URL(path, STUB_ORIGIN), counts);
}
