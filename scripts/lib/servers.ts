/**
 * Servers on 127.0.0.1 for the local stack, the bench and the tests: listening on a port (or a
 * free one) with a close that does not wait for keep-alive connections, a stub server that
 * answers each request from a function (./stubs), and free or busy ports.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import type { StubReply, StubRequest } from './stubs/reply';

export interface Listening {
  url: string;
  port: number;
  close: () => Promise<void>;
}

/** Listens on 127.0.0.1 (port 0: a free one). */
export async function listen(server: Server, port = 0): Promise<Listening> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * What a stub server does with a request: answer it, never answer (`hang`), or drop the
 * connection (`reset`).
 */
export type StubHandler = (
  request: StubRequest,
  raw: IncomingMessage,
) => StubReply | 'hang' | 'reset' | Promise<StubReply | 'hang' | 'reset'>;

function headersOf(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

function send(response: ServerResponse, reply: StubReply): void {
  response.writeHead(reply.status, {
    ...reply.headers,
    ...(reply.status === 204 ? {} : { 'content-length': Buffer.byteLength(reply.body ?? '') }),
  });
  response.end(reply.body);
}

/** A server whose every request (its body read first) is answered by `handle`. */
export function startStubServer(handle: StubHandler, port = 0): Promise<Listening> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const stubRequest: StubRequest = {
        method: request.method ?? 'GET',
        path: request.url ?? '/',
        headers: headersOf(request),
        body: Buffer.concat(chunks).toString('utf8'),
      };
      void Promise.resolve()
        .then(() => handle(stubRequest, request))
        .then(
          (reply) => {
            if (reply === 'reset') request.socket.destroy();
            else if (reply !== 'hang') send(response, reply);
          },
          () => response.destroy(),
        );
    });
  });
  return listen(server, port);
}

/** `count` different free TCP ports on 127.0.0.1 (held together while found, so none twice). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createNetServer().unref());
  try {
    return await Promise.all(
      servers.map(
        (server) =>
          new Promise<number>((resolve, reject) => {
            server.once('error', reject);
            server.listen(0, '127.0.0.1', () => {
              const address = server.address();
              resolve(typeof address === 'object' && address ? address.port : 0);
            });
          }),
      ),
    );
  } finally {
    await Promise.all(
      servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
    );
  }
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const [port = 0] = await freePorts(1);
  return port;
}

/** Whether something already listens on 127.0.0.1:port. */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createNetServer();
    server.once('error', () => resolve(true));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
  });
}
