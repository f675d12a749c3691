/**
 * The one adapter over Hydra's admin API (v2), for Hydra v26.2.0 and v2.3.0 alike, typed by the
 * models of @ory/hydra-client 26.2.0 (types only: test/unit/adapters/hydra-shapes.test.ts checks
 * that every field we send is one v2.3.0 accepts too). The generated client pulls axios into every
 * bundle and has no timeout of its own: for ten calls we use a light node:http transport
 * (./transport; not the global fetch, whose undici costs ~20 ms of a cold start).
 *
 * - every call has a deadline (AbortSignal.timeout);
 * - reads retry once on a timeout, a network error or a 5xx; accept/reject never retry blindly;
 * - answers become the typed errors in ./errors, which never carry the URL (it holds the challenge).
 */
import type {
  AcceptDeviceUserCodeRequest as HydraAcceptDeviceUserCodeRequest,
  AcceptOAuth2ConsentRequest,
  AcceptOAuth2LoginRequest,
  OAuth2ConsentRequest,
  OAuth2ConsentSession,
  OAuth2LoginRequest,
  OAuth2LogoutRequest,
  RejectOAuth2Request,
} from '@ory/hydra-client';
import {
  ChallengeNotFoundError,
  DeviceFlowUnsupportedError,
  HydraUnavailableError,
  RequestAlreadyHandledError,
  RequestConflictError,
} from './errors';
import { createNodeTransport, type HydraResponse } from './transport';

export type {
  AcceptOAuth2ConsentRequest,
  AcceptOAuth2LoginRequest,
  OAuth2Client,
  OAuth2ConsentRequest,
  OAuth2ConsentSession,
  OAuth2LoginRequest,
  OAuth2LogoutRequest,
  RejectOAuth2Request,
} from '@ory/hydra-client';

export type ChallengeKind = 'login' | 'consent' | 'logout';

/**
 * The body of PUT …/requests/device/accept (Hydra v25.4+): @ory/hydra-client's own model, with
 * the code required (the client types it optional; Hydra refuses a body without one).
 */
export type AcceptDeviceUserCodeRequest = Required<HydraAcceptDeviceUserCodeRequest>;

/** Hydra's answer to a device user code: where the browser goes next, or that it refused it. */
export type DeviceCodeAnswer =
  | { accepted: true; redirectTo: string }
  /** Unknown, mistyped, expired or already used: Hydra answers them all alike (400). */
  | { accepted: false };

export interface HydraAdmin {
  getLoginRequest(challenge: string): Promise<OAuth2LoginRequest>;
  acceptLoginRequest(challenge: string, body: AcceptOAuth2LoginRequest): Promise<string>;
  rejectLoginRequest(challenge: string, body: RejectOAuth2Request): Promise<string>;
  getConsentRequest(challenge: string): Promise<OAuth2ConsentRequest>;
  acceptConsentRequest(challenge: string, body: AcceptOAuth2ConsentRequest): Promise<string>;
  rejectConsentRequest(challenge: string, body: RejectOAuth2Request): Promise<string>;
  getLogoutRequest(challenge: string): Promise<OAuth2LogoutRequest>;
  acceptLogoutRequest(challenge: string): Promise<string>;
  /** Hydra answers a logout reject with 204 and nowhere to go: the caller renders a page. */
  rejectLogoutRequest(challenge: string): Promise<void>;
  /**
   * Revokes every consent of the subject, and with them its access and refresh tokens. Login
   * sessions are left to Hydra on purpose: deleting one while a browser still holds its cookie
   * makes that browser's next sign-in without "keep me signed in" fail inside Hydra
   * (ory/hydra#3371). A remembered login of a revoked user is refused by our own check instead
   * (the user's `sessionsValidAfter`; see shared/users/sessions.ts).
   */
  revokeConsentSessions(subject: string): Promise<void>;
  /**
   * Revokes the subject's consents to one client, and with them that client's access and refresh
   * tokens for the subject ("Remove access" on the account page). Other clients keep theirs.
   */
  revokeClientConsentSessions(subject: string, clientId: string): Promise<void>;
  /** The subject's remembered consents (what Hydra's consent `skip` is based on). */
  listConsentSessions(subject: string): Promise<OAuth2ConsentSession[]>;
  /**
   * Gives Hydra the user code typed for a device challenge (there is no admin GET for a device
   * request). Throws DeviceFlowUnsupportedError when Hydra has no device flow (v2.x).
   */
  acceptDeviceRequest(
    challenge: string,
    body: AcceptDeviceUserCodeRequest,
  ): Promise<DeviceCodeAnswer>;
  /**
   * GET /health/alive within `timeoutMs` (the health check): resolves when Hydra answers 200,
   * fails as any call does otherwise. Never retried.
   */
  checkAlive(timeoutMs: number): Promise<void>;
}

export interface HydraAdminOptions {
  baseUrl: string;
  /** The admin API's bearer token, or where to get it (the secrets, read at run time). */
  token?: string | undefined | (() => Promise<string | undefined>);
  timeoutMs: number;
}

interface Call {
  operation: string;
  method: 'GET' | 'PUT' | 'DELETE';
  path: string;
  query: Record<string, string>;
  body?: unknown;
  /** Whether the call may be sent twice (reads, and deletes that are idempotent). */
  retry: boolean;
  /** Its own deadline, shorter than HYDRA_TIMEOUT_MS (the health check's). */
  timeoutMs?: number;
  /** This call's own reading of an answer that is not a 2xx, before the common one. */
  failure?: (status: number, json: unknown) => Error | undefined;
  /**
   * The call names a challenge: a 400, 401 or 404 then says Hydra no longer knows it
   * (ChallengeNotFoundError). On any other call they are answers we do not expect (a wrong
   * HYDRA_ADMIN_URL or token, say), as any other 4xx is.
   */
  namesChallenge?: true;
}

/** Hydra's JSON error body (`{error, error_description}`), as opposed to someone else's page. */
function hydraErrorCode(json: unknown): string | undefined {
  const error = (json as { error?: unknown } | undefined)?.error;
  return typeof error === 'string' ? error : undefined;
}

/** The user code was refused: unknown, mistyped, expired or used (Hydra says which only in its log). */
class UserCodeRefused extends Error {}

/**
 * The accept of a device user code, read for what only it can answer: a 400 `invalid_request`
 * refuses the code; a 404 that is not Hydra's JSON is the "route not found" page of a Hydra
 * without a device flow (v2.x). A 404 in Hydra's JSON is an unknown challenge, as elsewhere.
 */
function deviceAcceptFailure(status: number, json: unknown): Error | undefined {
  const code = hydraErrorCode(json);
  if (status === 400 && code === 'invalid_request') return new UserCodeRefused();
  if (status === 404 && code === undefined) return new DeviceFlowUnsupportedError();
  return undefined;
}

const REQUESTS = '/admin/oauth2/auth/requests';

/**
 * Consent sessions come in pages: v26 by keyset (at most 500 a page), v2.3.0 by offset (up to
 * 1,000); both link the next page in a `Link` header (rel="next", its `page_token`). At most this
 * many pages are read (5,000 sessions): past that, a caller sees fewer remembered consents than
 * there are, so it asks the user again rather than skipping.
 */
const CONSENT_SESSION_PAGE_SIZE = 500;
const CONSENT_SESSION_PAGES = 10;

/** The page_token of the rel="next" link in a Link header, if there is one. */
export function nextPageToken(link: string | undefined): string | undefined {
  if (!link) return undefined;
  for (const entry of link.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(entry);
    if (!match) continue;
    const [, target = '', params = ''] = match;
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;]+))/i.exec(params);
    const relations = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (!relations.includes('next')) continue;
    try {
      return new URL(target, 'http://hydra.invalid').searchParams.get('page_token') || undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** An absolute http(s) URL Hydra gave us, re-serialized; anything else is not followed. */
function usableRedirect(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Only ever send the browser to an absolute http(s) URL Hydra gave us, re-serialized. */
export function checkedRedirect(value: unknown, operation: string): string {
  const url = usableRedirect(value);
  if (url === undefined) throw new HydraUnavailableError('unexpected', operation);
  return url;
}

export function createHydraAdmin(options: HydraAdminOptions): HydraAdmin {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  // Its own keep-alive agents: one adapter per function (shared/wiring.ts), or per CLI run.
  const send = createNodeTransport();
  const { token } = options;
  const fixed: Record<string, string> = { accept: 'application/json' };
  if (typeof token === 'string' && token) fixed.authorization = `Bearer ${token}`;
  const headersNow = async (): Promise<Record<string, string>> => {
    if (typeof token !== 'function') return fixed;
    const now = await token();
    return now ? { ...fixed, authorization: `Bearer ${now}` } : fixed;
  };

  async function attempt(call: Call): Promise<HydraResponse> {
    const url = `${baseUrl}${call.path}?${new URLSearchParams(call.query).toString()}`;
    const headers = await headersNow();
    try {
      return await send(url, {
        method: call.method,
        headers:
          call.body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: AbortSignal.timeout(call.timeoutMs ?? options.timeoutMs),
      });
    } catch (error) {
      const name = (error as { name?: string } | undefined)?.name;
      const failure = name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network';
      throw new HydraUnavailableError(failure, call.operation);
    }
  }

  /** The JSON of a 2xx answer, and its Link header; any other answer is thrown as its error. */
  async function exchange(call: Call): Promise<{ json: unknown; link: string | undefined }> {
    let response: HydraResponse;
    let retried = false;
    try {
      response = await attempt(call);
    } catch (error) {
      if (!(error instanceof HydraUnavailableError) || !call.retry) throw error;
      retried = true;
      response = await attempt(call);
    }
    // One retry in all: a 5xx after a failed first attempt is not tried a third time.
    if (response.status >= 500 && call.retry && !retried) {
      await response.cancel?.();
      response = await attempt(call);
    }
    const status = response.status;
    const text = await response.text().catch(() => '');
    const json = parseJson(text);
    if (status >= 200 && status < 300) return { json, link: response.header('link') };
    const own = call.failure?.(status, json);
    if (own) throw own;
    if (status === 410) {
      // Hydra v2.3.0 answers a used logout challenge with a path-only redirect_to: nothing we
      // can follow, but still "already handled", not an outage.
      const redirectTo = (json as { redirect_to?: unknown } | undefined)?.redirect_to;
      throw new RequestAlreadyHandledError(usableRedirect(redirectTo));
    }
    if (call.namesChallenge && (status === 404 || status === 400 || status === 401))
      throw new ChallengeNotFoundError(status);
    if (status === 409) throw new RequestConflictError();
    const failure =
      status >= 500 ? 'server' : status === 401 || status === 403 ? 'refused' : 'unexpected';
    throw new HydraUnavailableError(failure, call.operation, status);
  }

  async function request(call: Call): Promise<unknown> {
    return (await exchange(call)).json;
  }

  async function redirectFrom(call: Call): Promise<string> {
    const json = (await request(call)) as { redirect_to?: unknown } | undefined;
    return checkedRedirect(json?.redirect_to, call.operation);
  }

  async function read<T>(kind: ChallengeKind, challenge: string, retry = true): Promise<T> {
    const operation = `get ${kind} request`;
    const json = await request({
      operation,
      method: 'GET',
      path: `${REQUESTS}/${kind}`,
      query: { [`${kind}_challenge`]: challenge },
      retry,
      namesChallenge: true,
    });
    // A 2xx whose body is not a JSON object (a proxy's page, a cut-off body) is not a request.
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new HydraUnavailableError('unexpected', operation);
    }
    return json as T;
  }

  /**
   * Sends an accept or reject, never twice. When its answer is lost (a timeout, a dropped
   * connection) Hydra may or may not have taken the decision, and a 409 says some decision was
   * already taken (a double submit): re-read the request once instead. A 410 then says where the
   * browser goes next (RequestAlreadyHandledError, which the error pages follow); otherwise the
   * original failure stands.
   */
  async function decideOnce<T>(
    kind: ChallengeKind,
    challenge: string,
    send: () => Promise<T>,
  ): Promise<T> {
    try {
      return await send();
    } catch (error) {
      const unknownOutcome =
        error instanceof RequestConflictError ||
        (error instanceof HydraUnavailableError &&
          (error.failure === 'timeout' || error.failure === 'network'));
      if (!unknownOutcome) throw error;
      try {
        await read(kind, challenge, false);
      } catch (reread) {
        if (reread instanceof RequestAlreadyHandledError) throw reread;
      }
      throw error;
    }
  }

  function decisionCall(
    kind: ChallengeKind,
    verdict: 'accept' | 'reject',
    challenge: string,
    body?: unknown,
  ): Call {
    return {
      operation: `${verdict} ${kind} request`,
      method: 'PUT',
      path: `${REQUESTS}/${kind}/${verdict}`,
      query: { [`${kind}_challenge`]: challenge },
      body,
      retry: false,
      namesChallenge: true,
    };
  }

  function decide(
    kind: ChallengeKind,
    verdict: 'accept' | 'reject',
    challenge: string,
    body: unknown,
  ): Promise<string> {
    return decideOnce(kind, challenge, () =>
      redirectFrom(decisionCall(kind, verdict, challenge, body)),
    );
  }

  return {
    getLoginRequest: (challenge) => read<OAuth2LoginRequest>('login', challenge),
    acceptLoginRequest: (challenge, body) => decide('login', 'accept', challenge, body),
    rejectLoginRequest: (challenge, body) => decide('login', 'reject', challenge, body),
    getConsentRequest: (challenge) => read<OAuth2ConsentRequest>('consent', challenge),
    acceptConsentRequest: (challenge, body) => decide('consent', 'accept', challenge, body),
    rejectConsentRequest: (challenge, body) => decide('consent', 'reject', challenge, body),
    getLogoutRequest: (challenge) => read<OAuth2LogoutRequest>('logout', challenge),
    acceptLogoutRequest: (challenge) => decide('logout', 'accept', challenge, undefined),
    async rejectLogoutRequest(challenge) {
      await decideOnce('logout', challenge, () =>
        request(decisionCall('logout', 'reject', challenge)),
      );
    },
    async listConsentSessions(subject) {
      const operation = 'list consent sessions';
      const sessions: OAuth2ConsentSession[] = [];
      const seen = new Set<string>();
      let pageToken: string | undefined;
      for (let page = 0; page < CONSENT_SESSION_PAGES; page += 1) {
        const { json, link } = await exchange({
          operation,
          method: 'GET',
          path: '/admin/oauth2/auth/sessions/consent',
          query: {
            subject,
            page_size: String(CONSENT_SESSION_PAGE_SIZE),
            ...(pageToken === undefined ? {} : { page_token: pageToken }),
          },
          retry: true,
        });
        if (!Array.isArray(json)) throw new HydraUnavailableError('unexpected', operation);
        sessions.push(...(json as OAuth2ConsentSession[]));
        pageToken = nextPageToken(link);
        // v2.3.0 links a "next" page even to an empty list; a token seen before is a loop.
        if (json.length === 0 || pageToken === undefined || seen.has(pageToken)) break;
        seen.add(pageToken);
      }
      return sessions;
    },
    async acceptDeviceRequest(challenge, body) {
      try {
        const redirectTo = await redirectFrom({
          operation: 'accept device request',
          method: 'PUT',
          path: `${REQUESTS}/device/accept`,
          query: { device_challenge: challenge },
          body,
          // A timeout is not retried: the page says to try again (accepting twice is harmless).
          retry: false,
          failure: deviceAcceptFailure,
          namesChallenge: true,
        });
        return { accepted: true, redirectTo };
      } catch (error) {
        if (error instanceof UserCodeRefused) return { accepted: false };
        throw error;
      }
    },
    async revokeConsentSessions(subject) {
      await request({
        operation: 'revoke consent sessions',
        method: 'DELETE',
        path: '/admin/oauth2/auth/sessions/consent',
        query: { subject, all: 'true' },
        retry: true,
      });
    },
    async checkAlive(timeoutMs) {
      await request({
        operation: 'check alive',
        method: 'GET',
        path: '/health/alive',
        query: {},
        retry: false,
        timeoutMs,
      });
    },
    async revokeClientConsentSessions(subject, clientId) {
      await request({
        operation: 'revoke consent sessions of a client',
        method: 'DELETE',
        path: '/admin/oauth2/auth/sessions/consent',
        query: { subject, client: clientId },
        retry: true,
      });
    },
  };
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
