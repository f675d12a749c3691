/**
 * The one stand-in for Hydra's admin API (v2): the routes our functions and the users CLI call,
 * and Hydra's answers to them, with payloads typed by @ory/hydra-client. What a stub knows (the
 * pending requests, where a decision redirects, the remembered consents) is its own; how it
 * fails is its carrier's (the unit tests' fetch stubs and fault servers, the bench's counting
 * stub). No imports at run time: the bench's warm runner bundles it.
 */
import type { ErrorOAuth2, OAuth2ConsentSession } from '@ory/hydra-client';
import { json, NO_CONTENT, type StubReply } from './reply';

export type RequestKind = 'login' | 'consent' | 'logout';
export type Decision = 'accept' | 'reject';

const REQUEST = /^\/admin\/oauth2\/auth\/requests\/(login|consent|logout)(?:\/(accept|reject))?$/;
const SESSIONS = '/admin/oauth2/auth/sessions/';
/** Hydra v25.4+: the user code typed for a device challenge. */
const DEVICE_ACCEPT = '/admin/oauth2/auth/requests/device/accept';

/** An admin call, by what it is about. */
export type AdminRoute =
  /** GET a login, consent or logout request, or PUT a decision on it. */
  | {
      route: 'request';
      kind: RequestKind;
      decision: Decision | undefined;
      /** The `<kind>_challenge` parameter; null when the call has none. */
      challenge: string | null;
    }
  /** PUT …/requests/device/accept?device_challenge=: a device user code (Hydra v25.4+). */
  | { route: 'device accept'; challenge: string | null }
  /** GET …/sessions/consent?subject=: the subject's remembered consents. */
  | { route: 'consent sessions'; subject: string }
  /** DELETE …/sessions/<what>: revoking a subject's consent or login sessions. */
  | { route: 'revoke sessions'; what: string }
  /** GET /health/alive: Hydra's liveness (the health check). */
  | { route: 'alive' }
  | { route: 'unknown' };

export function routeOf(method: string, url: URL): AdminRoute {
  const request = REQUEST.exec(url.pathname);
  if (request) {
    const kind = request[1] as RequestKind;
    return {
      route: 'request',
      kind,
      decision: request[2] as Decision | undefined,
      challenge: url.searchParams.get(`${kind}_challenge`),
    };
  }
  if (method === 'PUT' && url.pathname === DEVICE_ACCEPT) {
    return { route: 'device accept', challenge: url.searchParams.get('device_challenge') };
  }
  if (method === 'GET' && url.pathname === `${SESSIONS}consent`) {
    return { route: 'consent sessions', subject: url.searchParams.get('subject') ?? '' };
  }
  if (method === 'DELETE' && url.pathname.startsWith(SESSIONS)) {
    return { route: 'revoke sessions', what: url.pathname.slice(SESSIONS.length) };
  }
  if (method === 'GET' && url.pathname === '/health/alive') return { route: 'alive' };
  return { route: 'unknown' };
}

/** The adapter's name for a call (shared/hydra/admin.ts), e.g. `accept login request`. */
export function operationOf(method: string, url: URL): string {
  const route = routeOf(method, url);
  switch (route.route) {
    case 'request':
      return route.decision
        ? `${route.decision} ${route.kind} request`
        : `get ${route.kind} request`;
    case 'device accept':
      return 'accept device request';
    case 'consent sessions':
      return 'list consent sessions';
    case 'revoke sessions':
      return `revoke ${route.what} sessions`;
    case 'alive':
      return 'check alive';
    case 'unknown':
      return `${method} ${url.pathname}`;
  }
}

/** What a stub Hydra knows. */
export interface HydraState {
  /** The pending request of this kind for a challenge; none answers 404. */
  request(kind: RequestKind, challenge: string | null): object | undefined;
  /** The `redirect_to` of a decision (none: a body without one). */
  redirect(kind: RequestKind, decision: Decision, challenge: string | null): unknown;
  /** The subject's remembered consents. */
  consentSessions?(subject: string): OAuth2ConsentSession[];
  /**
   * Where an accepted device user code sends the browser (Hydra v25.4+); without it the stub is a
   * Hydra without the device flow, which answers with its "route not found" page.
   */
  deviceRedirect?(challenge: string | null): unknown;
}

/** Where Hydra's public side sends the browser on after a decision, in the stubs. */
export function verifierRedirect(publicUrl: string, kind: RequestKind, verifier: string): string {
  return `${publicUrl}/oauth2/auth?${kind}_verifier=${verifier}`;
}

const NOT_FOUND: ErrorOAuth2 = {
  error: 'Unable to locate the resource',
  error_description: 'Not Found',
};

/** Hydra v2.3.0 on a route it does not have: an HTML page, not one of its JSON errors. */
const ROUTE_NOT_FOUND: StubReply = {
  status: 404,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body: '<!DOCTYPE html><html lang="en"><head><title>404 - Route not found</title></head></html>',
};

/** Hydra's answer to one admin call, from what the stub knows. */
export function answerAdmin(state: HydraState, method: string, url: URL): StubReply {
  const route = routeOf(method, url);
  switch (route.route) {
    case 'consent sessions':
      return json(200, state.consentSessions?.(route.subject) ?? []);
    case 'revoke sessions':
      return NO_CONTENT;
    case 'alive':
      return json(200, { status: 'ok' });
    case 'device accept': {
      if (!state.deviceRedirect) return ROUTE_NOT_FOUND;
      const to = state.deviceRedirect(route.challenge);
      // An unknown challenge: Hydra's JSON 404, as for the other requests.
      if (to === undefined) return json(404, NOT_FOUND);
      return json(200, { redirect_to: to });
    }
    case 'unknown':
      return json(404, { error: 'not_found' } satisfies ErrorOAuth2);
    case 'request':
      break;
  }
  const { kind, decision, challenge } = route;
  const request = state.request(kind, challenge);
  if (!request) return json(404, NOT_FOUND);
  if (method === 'GET' && !decision) return json(200, request);
  if (method === 'PUT' && kind === 'logout' && decision === 'reject') return NO_CONTENT;
  if (method === 'PUT' && decision) {
    const to = state.redirect(kind, decision, challenge);
    return json(200, to === undefined ? {} : { redirect_to: to });
  }
  return json(405, { error: 'method_not_allowed' } satisfies ErrorOAuth2);
}
