/**
 * DynamoDB and Hydra's admin API answered in this process without a network: node:http agents
 * asked for a connection to MEMORY_DYNAMODB_ENDPOINT or MEMORY_HYDRA_ADMIN_URL get an in-memory
 * duplex stream that reads each HTTP request and writes the stub's answer. The AWS SDK's own HTTP
 * handler, signing, (un)marshalling and keep-alive, and the Hydra adapter's node:http transport,
 * run as on Lambda; only the wire is missing. For the bench's warm runs (a process of their own).
 */
import { Agent } from 'node:http';
import { Duplex } from 'node:stream';
import type { StubReply, StubRequest } from './reply';

/** Nothing listens there: if the hook ever missed, a call would fail with ECONNREFUSED. */
export const MEMORY_DYNAMODB_ENDPOINT = 'http://127.0.0.1:9';
export const MEMORY_HYDRA_ADMIN_URL = 'http://127.0.0.1:7';
export const MEMORY_SES_ENDPOINT = 'http://127.0.0.1:11';
const HOST = '127.0.0.1';

/** Answers one request (a stub: ./hydra-admin, ./dynamo). */
export type HttpAnswer = (request: StubRequest) => StubReply;

const REASONS: Record<number, string> = { 200: 'OK', 204: 'No Content', 404: 'Not Found' };

const HEADER_END = Buffer.from('\r\n\r\n');

/** One keep-alive connection: parses requests as they are written, pushes the answers back. */
class MemorySocket extends Duplex {
  private pending: Buffer = Buffer.alloc(0);
  readonly remoteAddress = HOST;

  constructor(
    private readonly answer: HttpAnswer,
    readonly remotePort: number,
  ) {
    super();
  }

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error) => void): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    try {
      this.serve();
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  private serve(): void {
    for (;;) {
      const end = this.pending.indexOf(HEADER_END);
      if (end < 0) return;
      const lines = this.pending.subarray(0, end).toString('latin1').split('\r\n');
      const [method = 'GET', path = '/'] = (lines[0] ?? '').split(' ');
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0)
          headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const length = Number(headers['content-length'] ?? 0);
      const start = end + HEADER_END.length;
      if (this.pending.length < start + length) return;
      const body = this.pending.subarray(start, start + length).toString('utf8');
      this.pending = this.pending.subarray(start + length);
      const reply = this.answer({ method, path, headers, body });
      const text = reply.body ?? '';
      const response =
        `HTTP/1.1 ${reply.status} ${REASONS[reply.status] ?? 'Status'}\r\n` +
        Object.entries(reply.headers ?? {})
          .map(([name, value]) => `${name}: ${value}\r\n`)
          .join('') +
        (reply.status === 204 ? '' : `content-length: ${Buffer.byteLength(text)}\r\n`) +
        `connection: keep-alive\r\n\r\n${text}`;
      // Answer on a later tick, as a socket would: never inside the caller's write.
      setImmediate(() => this.push(response));
    }
  }

  setTimeout(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}

type CreateConnection = (
  options: { host?: string; port?: number | string },
  ...rest: unknown[]
) => unknown;

/**
 * From now on, connections to each endpoint (an http://127.0.0.1:port URL, e.g.
 * MEMORY_DYNAMODB_ENDPOINT) are answered by its function.
 */
export function answerInMemory(answers: Record<string, HttpAnswer>): void {
  const byPort = new Map(
    Object.entries(answers).map(([endpoint, answer]) => [Number(new URL(endpoint).port), answer]),
  );
  const prototype = Agent.prototype as unknown as { createConnection: CreateConnection };
  const original = prototype.createConnection;
  prototype.createConnection = function (this: Agent, options, ...rest) {
    const answer = options.host === HOST ? byPort.get(Number(options.port)) : undefined;
    if (answer) return new MemorySocket(answer, Number(options.port));
    return original.call(this, options, ...rest);
  };
}
