/**
 * Hydra's admin API behind a stubbed `globalThis.fetch`, for driving the real handlers (and the
 * real adapter inside them): the shared admin stub (scripts/lib/stubs/hydra-admin) answering
 * from the requests a test sets, failing as a test says, and recording every call with the JSON
 * body it was sent.
 */
import type {
  ErrorOAuth2,
  OAuth2ConsentRequest,
  OAuth2ConsentSession,
  OAuth2LoginRequest,
  OAuth2LogoutRequest,
  OAuth2RedirectTo,
} from '@ory/hydra-client';
import {
  answerAdmin,
  routeOf,
  verifierRedirect,
  type HydraState,
} from '../../../scripts/lib/stubs/hydra-admin';
import { json, toResponse } from '../../../scripts/lib/stubs/reply';

export const HYDRA_ADMIN = 'http://hydra-admin.test:4445';
export const HYDRA_PUBLIC = 'https://hydra.example';

export interface HydraCall {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

/** How Hydra answers a given challenge instead of the normal way. */
export type Failure =
  | { status: 410; redirectTo: string }
  | { status: 400 | 401 | 404 | 409 | 500 | 503 }
  | 'hang'
  | 'network';

export class HydraHttpStub {
  readonly requests = {
    login: new Map<string, OAuth2LoginRequest>(),
    consent: new Map<string, OAuth2ConsentRequest>(),
    logout: new Map<string, OAuth2LogoutRequest>(),
  };
  /** Failures of every call about a challenge. */
  readonly failures = new Map<string, Failure>();
  /** Failures of the accept/reject calls only (the reads still answer). */
  readonly decisionFailures = new Map<string, Failure>();
  readonly calls: HydraCall[] = [];
  /** Remembered consents per subject (GET /admin/oauth2/auth/sessions/consent). */
  readonly consentSessions = new Map<string, OAuth2ConsentSession[]>();

  /** The calls that accepted or rejected something (PUTs). */
  get decisions(): HydraCall[] {
    return this.calls.filter((call) => call.method === 'PUT');
  }

  private readonly state: HydraState = {
    request: (kind, challenge) =>
      challenge === null ? undefined : this.requests[kind].get(challenge),
    redirect: (kind, decision, challenge) =>
      verifierRedirect(HYDRA_PUBLIC, kind, `${decision}-${challenge}`),
    consentSessions: (subject) => this.consentSessions.get(subject) ?? [],
  };

  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input);
    const method = init?.method ?? 'GET';
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    this.calls.push({ method, path: url.pathname, query: url.searchParams, body });
    if (url.origin !== HYDRA_ADMIN) throw new TypeError('fetch failed');

    const route = routeOf(method, url);
    const challenge = route.route === 'request' ? (route.challenge ?? '') : undefined;
    const failure =
      challenge === undefined
        ? undefined
        : ((method === 'PUT' ? this.decisionFailures.get(challenge) : undefined) ??
          this.failures.get(challenge));
    if (failure === 'hang') return new Promise((_resolve, reject) => hang(init?.signal, reject));
    if (failure === 'network') throw new TypeError('fetch failed');
    if (failure?.status === 410) {
      return toResponse(json(410, { redirect_to: failure.redirectTo } satisfies OAuth2RedirectTo));
    }
    if (failure) return toResponse(json(failure.status, { error: 'error' } satisfies ErrorOAuth2));
    return toResponse(answerAdmin(this.state, method, url));
  };
}

/** Never answers; fails the way fetch does when the caller's deadline passes. */
function hang(signal: AbortSignal | null | undefined, reject: (reason: unknown) => void) {
  if (!signal) return;
  const abort = () =>
    reject(signal.reason ?? new DOMException('The operation was aborted.', 'AbortError'));
  if (signal.aborted) abort();
  else signal.addEventListener('abort', abort, { once: true });
}

/**
 * Installs one stable `globalThis.fetch` for the whole test file that answers from the current
 * stub. The Hydra adapter is made once per process; in unit tests its default transport sends
 * through `globalThis.fetch` while it is replaced (support/hydra-transport.ts).
 */
export function useHydraStub(): () => HydraHttpStub {
  let current = new HydraHttpStub();
  const original = globalThis.fetch;
  beforeAll(() => {
    globalThis.fetch = (input: string | URL | Request, init?: RequestInit) =>
      current.fetch(input, init);
  });
  beforeEach(() => {
    current = new HydraHttpStub();
  });
  afterAll(() => {
    globalThis.fetch = original;
  });
  return () => current;
}
