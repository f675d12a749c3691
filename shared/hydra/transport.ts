/**
 * How the Hydra admin adapter talks HTTP: a narrow interface of what it uses, and a light default
 * over node:http / node:https. Node's global `fetch` is undici, which costs ~20 ms to load on a
 * cold start for the first call; node:http is already in the process (the AWS SDK uses it) and
 * node:https is only loaded for an https:// admin URL.
 *
 * - keep-alive agents: warm invocations reuse the connection; idle ones are dropped after 4 s;
 * - the caller's AbortSignal is the deadline: it aborts the request (or the body) and the call
 *   fails with the signal's reason (a DOMException named TimeoutError for AbortSignal.timeout),
 *   as `fetch` does;
 * - redirects are never followed (the status is handed back as it is);
 * - the body is read as UTF-8 text, at most `maxBodyBytes` of it (1 MiB by default).
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { coldStartWorkWaiting, firstRequestSent } from '../cold-start';

export interface HydraRequestInit {
  method: string;
  headers: Record<string, string>;
  body?: string | undefined;
  signal: AbortSignal;
}

export interface HydraResponse {
  status: number;
  /** A response header (Hydra's `Link` for paginated lists), repeated ones joined with ", ". */
  header(name: string): string | undefined;
  /** The body as text; fails (and releases the connection) past the size cap or the deadline. */
  text(): Promise<string>;
  /** Discards the body without reading it. */
  cancel?(): Promise<void>;
}

export type HydraTransport = (url: string, init: HydraRequestInit) => Promise<HydraResponse>;

/** The largest response body read from Hydra's admin API (`maxBodyBytes` by default). */
export const MAX_HYDRA_RESPONSE_BYTES = 1024 * 1024;
/** How long an idle keep-alive connection is kept (undici's default keep-alive timeout). */
const IDLE_TIMEOUT_MS = 4_000;

export interface NodeTransportOptions {
  maxBodyBytes?: number;
}

/** The body was larger than the transport accepts. */
export class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';
  constructor(limit: number) {
    super(`response body larger than ${limit} bytes`);
  }
}

function abortReason(signal: AbortSignal): Error {
  // Our signals come from AbortSignal.timeout/abort(), whose reasons are DOMExceptions (an Error,
  // though not always of this realm's Error, so no instanceof check).
  return (
    (signal.reason as Error | undefined) ??
    new DOMException('This operation was aborted', 'AbortError')
  );
}

/** A transport over node:http / node:https with its own keep-alive agents. */
export function createNodeTransport(options: NodeTransportOptions = {}): HydraTransport {
  const maxBodyBytes = options.maxBodyBytes ?? MAX_HYDRA_RESPONSE_BYTES;
  let httpAgent: HttpAgent | undefined;
  let https: { agent: HttpsAgent; request: typeof httpRequest } | undefined;

  function client(protocol: string): { agent: HttpAgent; request: typeof httpRequest } {
    if (protocol === 'http:') {
      httpAgent ??= new HttpAgent({ keepAlive: true, timeout: IDLE_TIMEOUT_MS });
      return { agent: httpAgent, request: httpRequest };
    }
    if (protocol === 'https:') {
      if (!https) {
        // Loaded on first use only: TLS is not needed for an http:// admin URL.
        const module = process.getBuiltinModule('node:https');
        https = {
          agent: new module.Agent({ keepAlive: true, timeout: IDLE_TIMEOUT_MS }),
          request: module.request,
        };
      }
      return https;
    }
    throw new TypeError(`unsupported protocol ${protocol}`);
  }

  return (url, init) =>
    new Promise<HydraResponse>((resolve, reject) => {
      const { signal } = init;
      if (signal.aborted) return reject(abortReason(signal));
      const target = new URL(url);
      const { agent, request: send } = client(target.protocol);
      const headers: Record<string, string | number> = { ...init.headers };
      if (init.body !== undefined) headers['content-length'] = Buffer.byteLength(init.body);

      let response: IncomingMessage | undefined;
      const onAbort = () => {
        const reason = abortReason(signal);
        if (response) response.destroy(reason);
        else request.destroy(reason);
      };
      const done = () => signal.removeEventListener('abort', onAbort);

      const request = send(target, { method: init.method, headers, agent }, (incoming) => {
        response = incoming;
        const cap = maxBodyBytes;
        resolve({
          status: incoming.statusCode ?? 0,
          header: (name) => {
            const value = incoming.headers[name.toLowerCase()];
            return Array.isArray(value) ? value.join(', ') : value;
          },
          text: () =>
            new Promise<string>((resolveText, rejectText) => {
              if (incoming.destroyed && !incoming.complete) {
                done();
                return rejectText(incoming.errored ?? new Error('response body cut off'));
              }
              const chunks: Buffer[] = [];
              let size = 0;
              incoming.on('data', (chunk: Buffer) => {
                size += chunk.length;
                if (size > cap) {
                  incoming.destroy(new ResponseTooLargeError(cap));
                  return;
                }
                chunks.push(chunk);
              });
              incoming.once('end', () => {
                done();
                resolveText(Buffer.concat(chunks).toString('utf8'));
              });
              incoming.once('error', (error) => {
                done();
                rejectText(error);
              });
              incoming.once('close', () => {
                // Destroyed before its end (the peer dropped the connection mid-body).
                if (!incoming.complete) {
                  done();
                  rejectText(new Error('response body cut off'));
                }
              });
            }),
          cancel: () =>
            new Promise<void>((resolveCancel) => {
              // Drain rather than destroy: a short body keeps the connection for the next call.
              // The deadline still applies to the drain; a failure only means it is not reused.
              const finish = () => {
                done();
                resolveCancel();
              };
              if (incoming.readableEnded || incoming.destroyed) return finish();
              incoming.once('end', finish);
              incoming.once('close', finish);
              incoming.once('error', finish);
              incoming.resume();
            }),
        });
      });
      signal.addEventListener('abort', onAbort, { once: true });
      request.once('error', (error) => {
        if (!response) {
          done();
          reject(error);
        }
      });
      if (coldStartWorkWaiting()) request.once('finish', firstRequestSent);
      request.end(init.body);
    });
}
