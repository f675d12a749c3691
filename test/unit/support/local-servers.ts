/**
 * Real local HTTP servers on 127.0.0.1 for fault tests: a Hydra admin API whose behaviour is
 * chosen by the challenge (answer, never answer, 5xx, reset the connection), a DynamoDB endpoint
 * that always answers with throttling, and a port where nothing listens. Each records what it was
 * sent.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
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
  close(): Promise<void>;
}

async function listen(
  handle: (request: IncomingMessage, response: ServerResponse, calls: ServerCall[]) => void,
): Promise<LocalServer> {
  const calls: ServerCall[] = [];
  const server: Server = createServer((request, response) => {
    // Read the body first (a PUT has one), then answer.
    request.resume();
    request.on('end', () => handle(request, response, calls));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
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
export function startHydraServer(
  options: { revocationStatus?: number } = {},
): Promise<LocalServer> {
  return listen((request, response, calls) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/admin/oauth2/auth/sessions/consent' && request.method === 'DELETE') {
      calls.push({
        method: 'DELETE',
        path: url.pathname,
        challenge: null,
        query: Object.fromEntries(url.searchParams),
        ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
      });
      const status = options.revocationStatus ?? 204;
      response.writeHead(status, status === 204 ? {} : { 'content-type': 'application/json' });
      return response.end(status === 204 ? undefined : JSON.stringify({ error: 'server_error' }));
    }
    const match =
      /^\/admin\/oauth2\/auth\/requests\/(login|consent|logout)(?:\/(accept|reject))?$/.exec(
        url.pathname,
      );
    const kind = match?.[1] as 'login' | 'consent' | 'logout' | undefined;
    const challenge = kind ? url.searchParams.get(`${kind}_challenge`) : null;
    const method = request.method ?? 'GET';
    calls.push({ method, path: url.pathname, challenge });
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    const behaviour = (challenge ?? '').toLowerCase();
    const decision = method !== 'GET';
    const failing = (prefix: string) =>
      behaviour.startsWith(prefix) || (decision && behaviour.startsWith(`put${prefix}`));
    if (behaviour.startsWith('putlost')) {
      if (decision) return; // never answers
      const decided = calls.some((call) => call.method === 'PUT' && call.challenge === challenge);
      if (decided)
        return json(410, { redirect_to: `${HYDRA_PUBLIC}/oauth2/auth?lost=${challenge}` });
    }
    if (failing('hang')) return; // never answers
    if (failing('reset')) return request.socket.destroy();
    if (failing('fail500')) return json(500, { error: 'server_error' });
    if (failing('fail503')) return json(503, { error: 'unavailable' });
    if (!kind || !challenge) return json(404, { error: 'not_found' });
    if (method === 'GET' && !match?.[2]) {
      const payload = {
        login: loginRequest({
          challenge,
          session_id: `session-${challenge}`,
          ...(behaviour.startsWith('skip') ? { skip: true, subject: 'user-alice-0001' } : {}),
        }),
        consent: consentRequest({ challenge }),
        logout: logoutRequest({ challenge }),
      }[kind];
      return json(200, payload);
    }
    if (kind === 'logout' && match?.[2] === 'reject') {
      response.writeHead(204);
      return response.end();
    }
    return json(200, {
      redirect_to: `${HYDRA_PUBLIC}/oauth2/auth?${kind}_verifier=${match?.[2]}-${challenge}`,
    });
  });
}

/** A DynamoDB endpoint that answers every request the way DynamoDB throttles. */
export function startThrottlingDynamo(): Promise<LocalServer> {
  return listen((request, response, calls) => {
    calls.push({
      method: request.method ?? 'POST',
      path: String(request.headers['x-amz-target'] ?? ''),
      challenge: null,
    });
    response.writeHead(400, {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': 'THROTTLED0000000000000000000000000000000000000000000',
    });
    response.end(
      JSON.stringify({
        __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
        message: 'The level of configured provisioned throughput for the table was exceeded.',
      }),
    );
  });
}

/** A 127.0.0.1 URL where nothing listens (connections are refused). */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
