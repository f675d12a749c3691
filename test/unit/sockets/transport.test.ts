/**
 * The Hydra adapter's default transport (node:http) against a real HTTP server on 127.0.0.1:
 * what goes over the wire, what comes back, the deadline, refused connections, keep-alive reuse,
 * redirects not followed and the body size cap.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { loadWhileFirstRequestWaits } from '../../../shared/cold-start';
import { createNodeTransport, type HydraTransport } from '../../../shared/hydra/transport';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  socket: Socket;
}

let server: Server;
let base: string;
let received: Received[];
let answer: (response: ServerResponse, request: Received) => void;

beforeEach(async () => {
  received = [];
  answer = (response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"ok":true}');
  };
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry: Received = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        socket: request.socket,
      };
      received.push(entry);
      answer(response, entry);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const deadline = (ms = 2000) => AbortSignal.timeout(ms);

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('node:http transport', () => {
  let send: HydraTransport;
  beforeEach(() => {
    send = createNodeTransport();
  });

  test('sends the method, path, query and headers, and hands back status and body', async () => {
    answer = (response) => {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end('{"error":"not_found"}');
    };
    const response = await send(`${base}/admin/x?login_challenge=a%20b&n=1`, {
      method: 'GET',
      headers: { accept: 'application/json', authorization: 'Bearer t0k3n' },
      signal: deadline(),
    });

    expect(response.status).toBe(404);
    expect(await response.text()).toBe('{"error":"not_found"}');
    expect(received).toHaveLength(1);
    expect(received[0]?.method).toBe('GET');
    expect(received[0]?.url).toBe('/admin/x?login_challenge=a%20b&n=1');
    expect(received[0]?.headers.accept).toBe('application/json');
    expect(received[0]?.headers.authorization).toBe('Bearer t0k3n');
    expect(received[0]?.body).toBe('');
  });

  test('sends a JSON body with its length', async () => {
    const body = JSON.stringify({ remember: true, subject: 'ünïcode-user' });
    const response = await send(`${base}/admin/accept`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body,
      signal: deadline(),
    });

    expect(response.status).toBe(200);
    expect(JSON.parse(await response.text())).toEqual({ ok: true });
    expect(received[0]?.method).toBe('PUT');
    expect(received[0]?.headers['content-type']).toBe('application/json');
    expect(received[0]?.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(received[0]?.body).toBe(body);
  });

  test('an empty answer (204) reads as an empty text', async () => {
    answer = (response) => {
      response.writeHead(204);
      response.end();
    };
    const response = await send(`${base}/x`, { method: 'DELETE', headers: {}, signal: deadline() });

    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
  });

  test('does not follow redirects', async () => {
    answer = (response) => {
      response.writeHead(302, { location: `${base}/elsewhere` });
      response.end();
    };
    const response = await send(`${base}/x`, { method: 'GET', headers: {}, signal: deadline() });

    expect(response.status).toBe(302);
    expect(received.map((request) => request.url)).toEqual(['/x']);
  });

  test('a server that never answers: fails with a TimeoutError at the deadline', async () => {
    answer = () => undefined;
    const started = performance.now();
    const error = await failure(
      send(`${base}/x`, { method: 'GET', headers: {}, signal: deadline(150) }),
    );
    const elapsed = performance.now() - started;

    expect(error.name).toBe('TimeoutError');
    expect(elapsed).toBeGreaterThanOrEqual(100);
    expect(elapsed).toBeLessThan(2000);
  });

  test('a body that stops coming: its text fails with a TimeoutError at the deadline', async () => {
    answer = (response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"partial":');
    };
    const started = performance.now();
    const response = await send(`${base}/x`, {
      method: 'GET',
      headers: {},
      signal: deadline(150),
    });
    const error = await failure(response.text());

    expect(error.name).toBe('TimeoutError');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  test('an already aborted signal sends nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await failure(
      send(`${base}/x`, { method: 'GET', headers: {}, signal: controller.signal }),
    );

    expect(error.name).toBe('AbortError');
    expect(received).toHaveLength(0);
  });

  test('a refused connection fails with a network error, not a timeout', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const error = await failure(
      send(`http://127.0.0.1:${port}/x`, { method: 'GET', headers: {}, signal: deadline() }),
    );

    expect(error.name).not.toBe('TimeoutError');
    expect(error.name).not.toBe('AbortError');
    expect((error as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });

  test('a connection dropped without an answer fails with a network error', async () => {
    answer = (_response, request) => request.socket.destroy();
    const error = await failure(
      send(`${base}/x`, { method: 'GET', headers: {}, signal: deadline() }),
    );

    expect(error.name).not.toBe('TimeoutError');
    expect(error.name).not.toBe('AbortError');
  });

  test('keep-alive: consecutive calls reuse one connection', async () => {
    for (let index = 0; index < 3; index += 1) {
      const response = await send(`${base}/x${index}`, {
        method: index === 1 ? 'PUT' : 'GET',
        headers: {},
        body: index === 1 ? '{}' : undefined,
        signal: deadline(),
      });
      await response.text();
    }
    // A cancelled body leaves the connection usable too.
    await (await send(`${base}/y`, { method: 'GET', headers: {}, signal: deadline() })).cancel?.();
    await (await send(`${base}/z`, { method: 'GET', headers: {}, signal: deadline() })).text();

    expect(received).toHaveLength(5);
    const sockets = new Set(received.map((request) => request.socket));
    expect(sockets.size).toBe(1);
  });

  test('a body over the cap fails (and the connection is dropped), one at the cap reads', async () => {
    const capped = createNodeTransport({ maxBodyBytes: 1024 });
    answer = (response, request) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('x'.repeat(request.url === '/big' ? 64 * 1024 : 1024));
    };

    const big = await capped(`${base}/big`, { method: 'GET', headers: {}, signal: deadline() });
    const error = await failure(big.text());
    expect(error.name).toBe('ResponseTooLargeError');

    const fits = await capped(`${base}/fits`, { method: 'GET', headers: {}, signal: deadline() });
    expect(await fits.text()).toBe('x'.repeat(1024));
  });

  test('the default cap is 1 MiB', async () => {
    answer = (response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('x'.repeat(1024 * 1024 + 1));
    };
    const response = await send(`${base}/x`, { method: 'GET', headers: {}, signal: deadline() });

    expect((await failure(response.text())).name).toBe('ResponseTooLargeError');
  });

  test('https: loads node:https on first use (a plain HTTP server fails the handshake)', async () => {
    const error = await failure(
      send(base.replace('http:', 'https:'), { method: 'GET', headers: {}, signal: deadline() }),
    );

    expect(error.name).not.toBe('TimeoutError');
    expect(error.name).not.toBe('AbortError');
    expect((error as NodeJS.ErrnoException).code).toMatch(/^(EPROTO|ERR_SSL_|ECONNRESET)/);
  });

  test('refuses other protocols without sending', async () => {
    const error = await failure(
      send('ftp://127.0.0.1/x', { method: 'GET', headers: {}, signal: deadline() }),
    );

    expect(error).toBeInstanceOf(TypeError);
  });
  test("a cold start's loads run once, when the first request is on the wire and before its answer is read", async () => {
    const events: string[] = [];
    answer = (response) => {
      events.push('server has the request');
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    };
    loadWhileFirstRequestWaits(() => events.push('load'));
    loadWhileFirstRequestWaits(() => {
      throw new Error('a load that fails here is left to fail where it is used');
    });

    const first = await send(`${base}/first`, { method: 'GET', headers: {}, signal: deadline() });
    events.push('answer');
    await first.text();
    await (await send(`${base}/second`, { method: 'GET', headers: {}, signal: deadline() })).text();

    // Once, and before the first answer was read (the request went out first: it was written).
    expect(events.filter((event) => event === 'load')).toHaveLength(1);
    expect(events.indexOf('load')).toBeLessThan(events.indexOf('answer'));
    expect(events.filter((event) => event === 'server has the request')).toHaveLength(2);
  });
});
