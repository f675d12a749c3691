/**
 * Hydra's admin API as a scripted `fetch`, for property-based tests (the shared admin stub,
 * scripts/lib/stubs/hydra-admin, behind a script of faults): each call takes the next
 * answer of a generated script (a valid-typed payload, a 4xx, a 410, a 5xx, a timeout, a network
 * error, a body that is not a request, a redirect that is not a URL). It records every call,
 * every `redirect_to` it handed out and every fault it served, with the status the page must
 * then have, so a property can tell an injected fault from a bug.
 *
 * A "timeout" is answered at once with the error `fetch` throws when its AbortSignal.timeout
 * fires (a real never-answering server is in test/unit/faults/).
 */
import type {
  OAuth2ConsentRequest,
  OAuth2ConsentSession,
  OAuth2LoginRequest,
  OAuth2LogoutRequest,
} from '@ory/hydra-client';
import { answerAdmin, routeOf, type HydraState } from '../../../scripts/lib/stubs/hydra-admin';
import { json, toResponse } from '../../../scripts/lib/stubs/reply';
import { HYDRA_ADMIN } from './hydra-http';

export type HydraAnswer =
  | { kind: 'ok' }
  /** Hydra's answers for an unknown (404/400), expired (401) or doubly answered (409) request. */
  | { kind: 'status'; status: 400 | 401 | 404 | 409 }
  /** Already handled: 410 with a redirect_to (which may itself be broken). */
  | { kind: 'gone'; redirect: ScriptedRedirect }
  | { kind: 'server'; status: 500 | 502 | 503 }
  /** Statuses Hydra should never send us. */
  | { kind: 'unexpected'; status: 302 | 403 | 429 }
  | { kind: 'timeout' }
  | { kind: 'network' }
  /** A 2xx whose body is not what Hydra sends (a proxy's page, a cut-off or empty body). */
  | { kind: 'garbage'; body: string };

/** A redirect_to the stub may hand out; `good` ones are absolute http(s) URLs. */
export interface ScriptedRedirect {
  value: unknown;
  good: boolean;
}

export interface HydraScript {
  challenge: string;
  login: OAuth2LoginRequest | undefined;
  consent: OAuth2ConsentRequest | undefined;
  logout: OAuth2LogoutRequest | undefined;
  /** What GET /admin/oauth2/auth/sessions/consent lists (the user's remembered consents). */
  consentSessions: OAuth2ConsentSession[];
  /** Consumed one per call; once used up every call answers normally. */
  answers: HydraAnswer[];
  /** The redirect_to of successful accepts and rejects, in turn. */
  redirects: ScriptedRedirect[];
}

export interface ScriptedCall {
  method: string;
  path: string;
  challenge: string | null;
}

export class ScriptedHydra {
  readonly calls: ScriptedCall[] = [];
  /** Every redirect_to value handed out (as sent, before any normalisation). */
  readonly returnedRedirects: unknown[] = [];
  /** The page status each served fault may legitimately cause (502 or 504). */
  readonly servedFaults: number[] = [];
  private next = 0;
  private nextRedirect = 0;

  constructor(private readonly script: HydraScript) {}

  /** PUT and DELETE calls: accepts, rejects and revocations. */
  get changes(): ScriptedCall[] {
    return this.calls.filter((call) => call.method !== 'GET');
  }

  private redirect(): ScriptedRedirect {
    const { redirects } = this.script;
    const redirect = redirects[this.nextRedirect++ % redirects.length] ?? {
      value: 'https://hydra.example/oauth2/auth?login_verifier=v',
      good: true,
    };
    this.returnedRedirects.push(redirect.value);
    if (!redirect.good) this.servedFaults.push(502);
    return redirect;
  }

  private readonly state: HydraState = {
    request: (kind, challenge) =>
      challenge === this.script.challenge ? this.script[kind] : undefined,
    redirect: () => this.redirect().value,
    consentSessions: () => this.script.consentSessions,
    deviceRedirect: (challenge) =>
      challenge === this.script.challenge ? this.redirect().value : undefined,
  };

  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input);
    const method = init?.method ?? 'GET';
    const route = routeOf(method, url);
    const challenge =
      route.route === 'request' || route.route === 'device accept' ? route.challenge : null;
    this.calls.push({ method, path: url.pathname, challenge });
    if (url.origin !== HYDRA_ADMIN) throw new TypeError('fetch failed');

    const answer = this.script.answers[this.next++] ?? { kind: 'ok' };
    switch (answer.kind) {
      case 'status':
        // A 4xx says something of a challenge only on a call that names one; elsewhere (the
        // consent sessions, say) it is an answer the adapter does not expect.
        if (challenge === null) this.servedFaults.push(502);
        return toResponse(json(answer.status, { error: 'error', error_description: 'scripted' }));
      case 'gone': {
        const redirect = this.redirect();
        return toResponse(json(410, { redirect_to: redirect.value }));
      }
      case 'server':
      case 'unexpected':
        this.servedFaults.push(502);
        return toResponse(json(answer.status, { error: 'scripted failure' }));
      case 'timeout':
        this.servedFaults.push(504);
        throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
      case 'network':
        this.servedFaults.push(502);
        throw new TypeError('fetch failed');
      case 'garbage':
        // Only a read can tell a garbage body (an accept's is checked as a redirect).
        this.servedFaults.push(502);
        return new Response(answer.body, { status: 200, headers: { 'content-type': 'text/html' } });
      case 'ok':
        return toResponse(answerAdmin(this.state, method, url));
    }
  };
}
