/**
 * Real local HTTP servers on 127.0.0.1 for fault tests (scripts/lib/servers' stub server): a
 * Hydra admin API (the shared admin stub) whose behaviour is chosen by the challenge (answer,
 * never answer, 5xx, reset the connection), a DynamoDB endpoint that always answers with
 * throttling, and a port where nothing listens. Each records what it was sent.
 */
import { freePort, startStubServer } from '../../../scripts/lib/servers';
import { THROTTLED } from '../../../scripts/lib/stubs/dynamo';
import {
  answerAdmin,
  routeOf,
  verifierRedirect,
  type HydraState,
} from '../../../scripts/lib/stubs/hydra-admin';
import { json, NO_CONTENT } from '../../../scripts/lib/stubs/reply';
import { HYDRA_PUBLIC } from './hydra-http';
import { consentRequest, loginRequest, logoutRequest } from './payloads';

export interface ServerCall {
  method: string;
  path: string;
  challenge: string | null;
  /** The query of a call about a subject's sessions (only there). */
  query?: Record<string, string>;
  /** The `authorization` header, when the call had one. */
  authorization?: string;
}

export interface LocalServer {
  url: string;
  calls: ServerCall[];
  close: () => Promise<void>;
}

/**
 * What the Hydra server does with a challenge, by its prefix:
 *   hang…     never answers anything
 *   fail500…  answers every call with 500 (fail503…: 503)
 *   reset…    drops the connection without an answer
 *   puthang…, putreset…, putfail500…, putfail503…: reads answer normally, accepts and
 *             rejects fail that way
 *   putlost…  accepts and rejects never answer, and once one was sent, reads answer 410 (the
 *             decision was taken, its answer lost) with a redirect_to
 *   skip…     a normal Hydra whose login request is remembered (skip) for user-alice-0001
 * Login requests name a login session (`session_id`): session-<challenge>.
 *   anything else: a normal Hydra (the request of that kind; a redirect_to for a decision)
 * DELETE /admin/oauth2/auth/sessions/consent (revoking a subject's consents) answers 204, or
 * `revocationStatus` when given.
 */
export async function startHydraServer(
  options: { revocationStatus?: number } = {},
): Promise<LocalServer> {
  const calls: ServerCall[] = [];
  const state: HydraState = {
    request: (kind, challenge) =>
      challenge
        ? {
            login: loginRequest({
              challenge,
              session_id: `session-${challenge}`,
              ...(challenge.toLowerCase().startsWith('skip')
                ? { skip: true, subject: 'user-alice-0001' }
                : {}),
            }),
            consent: consentRequest({ challenge }),
            logout: logoutRequest({ challenge }),
          }[kind]
        : undefined,
    redirect: (kind, decision, challenge) =>
      verifierRedirect(HYDRA_PUBLIC, kind, `${decision}-${challenge}`),
  };
  const server = await startStubServer(({ method, path, headers }) => {
    const url = new URL(path, 'http://127.0.0.1');
    const route = routeOf(method, url);
    if (route.route === 'revoke sessions' && route.what === 'consent') {
      calls.push({
        method,
        path: url.pathname,
        challenge: null,
        query: Object.fromEntries(url.searchParams),
        ...(headers.authorization ? { authorization: headers.authorization } : {}),
      });
      const status = options.revocationStatus ?? 204;
      return status === 204 ? NO_CONTENT : json(status, { error: 'server_error' });
    }
    const challenge = route.route === 'request' ? route.challenge : null;
    calls.push({
      method,
      path: url.pathname,
      challenge,
      ...(headers.authorization ? { authorization: headers.authorization } : {}),
    });
    const behaviour = (challenge ?? '').toLowerCase();
    const decision = method !== 'GET';
    const failing = (prefix: string) =>
      behaviour.startsWith(prefix) || (decision && behaviour.startsWith(`put${prefix}`));
    if (behaviour.startsWith('putlost')) {
      if (decision) return 'hang';
      const decided = calls.some((call) => call.method === 'PUT' && call.challenge === challenge);
      if (decided)
        return json(410, { redirect_to: `${HYDRA_PUBLIC}/oauth2/auth?lost=${challenge}` });
    }
    if (failing('hang')) return 'hang';
    if (failing('reset')) return 'reset';
    if (failing('fail500')) return json(500, { error: 'server_error' });
    if (failing('fail503')) return json(503, { error: 'unavailable' });
    // Only the requests and the revocation above: a stub of what the fault tests call.
    if (route.route !== 'request') return json(404, { error: 'not_found' });
    return answerAdmin(state, method, url);
  });
  return { url: server.url, calls, close: server.close };
}

/** A DynamoDB endpoint that answers every request the way DynamoDB throttles. */
export async function startThrottlingDynamo(): Promise<LocalServer> {
  const calls: ServerCall[] = [];
  const server = await startStubServer(({ method, headers }) => {
    calls.push({ method, path: headers['x-amz-target'] ?? '', challenge: null });
    return THROTTLED;
  });
  return { url: server.url, calls, close: server.close };
}

/** A 127.0.0.1 URL where nothing listens (connections are refused). */
export async function closedPortUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}`;
}
