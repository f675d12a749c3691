/**
 * A `fetch`-shaped Hydra stub (support/hydra-scenario.ts, support/hydra-http.ts) served over real
 * node:http on 127.0.0.1, so the Hydra adapter reaches it the way it reaches Hydra: over its own
 * transport, to the URL of its configuration. Each request is handed to the stub as a fetch of the
 * same path under HYDRA_ADMIN, and its Response is written back. A stub failing the way fetch
 * fails on a deadline (a TimeoutError) is not answered, so that the adapter's own deadline passes;
 * any other failure (fetch's network TypeError) drops the connection.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HYDRA_ADMIN } from './hydra-http';

export type FetchStub = (input: string, init: RequestInit) => Promise<Response>;

export interface FetchServer {
  url: string;
  close: () => Promise<void>;
}

function headersOf(incoming: IncomingHttpHeaders): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

export async function serveFetch(stub: FetchStub): Promise<FetchServer> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      // The caller gave up (its deadline): a stub waiting on the signal stops waiting.
      const gone = new AbortController();
      response.once('close', () => gone.abort());
      stub(`${HYDRA_ADMIN}${request.url ?? '/'}`, {
        method: request.method ?? 'GET',
        headers: headersOf(request.headers),
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks).toString('utf8') } : {}),
        signal: gone.signal,
      }).then(
        async (answer) => {
          const body = await answer.text();
          response.writeHead(answer.status, Object.fromEntries(answer.headers));
          response.end(body);
        },
        (error: unknown) => {
          if ((error as { name?: string } | undefined)?.name !== 'TimeoutError') {
            request.socket.destroy();
          }
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
