/**
 * Where the test clients' redirect URIs point: a real HTTP server on loopback that records each
 * arrival. (Playwright's request interception only sees the first request of a redirect chain,
 * and skip paths reach the client through a chain of redirects.)
 */
import { createServer, type Server } from 'node:http';
import { listen } from '../../../scripts/lib/servers';

export interface CallbackServer {
  baseUrl: string;
  /**
   * The next arrival, from now on, whose URL starts with `prefix` and carries these query
   * parameters (an authorization's `state`: a flow a test left unfinished never takes another's).
   */
  next(prefix: string, params?: Record<string, string>): Promise<URL>;
  close: () => Promise<void>;
}

/** On a free port unless given one. */
export async function startCallbackServer(port = 0): Promise<CallbackServer> {
  const waiting: Array<{ matches: (url: URL) => boolean; resolve: (url: URL) => void }> = [];
  let baseUrl = '';
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', baseUrl);
    const index = waiting.findIndex((waiter) => waiter.matches(url));
    if (index >= 0) waiting.splice(index, 1)[0]?.resolve(url);
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('reached the client');
  });
  const { url, close } = await listen(server, port);
  baseUrl = url;
  return {
    baseUrl,
    next: (prefix, params = {}) =>
      new Promise<URL>((resolve) =>
        waiting.push({
          matches: (url) =>
            url.href.startsWith(prefix) &&
            Object.entries(params).every(([name, value]) => url.searchParams.get(name) === value),
          resolve,
        }),
      ),
    close,
  };
}
