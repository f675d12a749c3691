/**
 * Our functions in this process, behind a thin HTTP server on 127.0.0.1 that turns each request
 * into the API Gateway HTTP API (payload 2.0) event the function would get on AWS, and its result
 * back into a response. The functions are the bundles `serverless package` would deploy (see
 * ./bundle). For the benchmark and the load script: it measures our code, not serverless
 * offline's worker threads. (The end-to-end tests and `npm start` use serverless offline, as
 * users do.) The functions read their configuration from process.env: set it first.
 */
import type { IncomingMessage, RequestListener } from 'node:http';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { WebResponse } from '../../shared/http/response';
import type { Bundles } from './bundle';
import { cookiesOf, httpApiEvent, lambdaContext } from './lambda-events';
import { functionRoutes, memoryMb } from './serverless';

export type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<WebResponse>;

/** A function's handler from its bundle. */
export function loadHandler(bundles: Bundles, name: string): Handler {
  const file = bundles.files[name];
  if (!file) throw new Error(`no bundle for function ${name}`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(file) as { handler: Handler }).handler;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** One invocation as the adapter saw it: the function, its handler's time and its status. */
export interface Invocation {
  name: string;
  ms: number;
  statusCode: number;
}

export interface LocalFunctionsOptions {
  /** Called after every handler call (for timing and billing estimates). */
  onInvoke?: (invocation: Invocation) => void;
}

/** The adapter as a request listener (lib/stack.ts serves it). */
export function functionsListener(
  bundles: Bundles,
  options: LocalFunctionsOptions = {},
): RequestListener {
  // The routes of serverless.yml, each to its function (a file under functions/).
  const routes = functionRoutes();
  return (request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', `http://${request.headers.host ?? '127.0.0.1'}`);
      const name = routes[`${request.method} ${url.pathname}`];
      if (!name) {
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end('{"message":"Not Found"}');
        return;
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
      }
      const body = await readBody(request);
      const event = httpApiEvent({
        method: request.method ?? 'GET',
        host: url.host,
        path: url.pathname,
        rawQueryString: url.search.replace(/^\?/, ''),
        headers,
        cookies: cookiesOf(headers.cookie),
        ...(body ? { body } : {}),
        sourceIp: request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
      });
      const handler = loadHandler(bundles, name);
      const started = performance.now();
      const result = await handler(event, lambdaContext(name, { memoryMb: memoryMb(name) }));
      options.onInvoke?.({ name, ms: performance.now() - started, statusCode: result.statusCode });
      const outgoing: Record<string, string | string[]> = { ...result.headers };
      if (result.cookies?.length) outgoing['set-cookie'] = result.cookies;
      response.writeHead(result.statusCode, outgoing);
      response.end(result.body ?? '');
    })().catch((error: Error) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`local adapter: ${error.name}`);
    });
  };
}
