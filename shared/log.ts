/**
 * Structured JSON logs, one line per entry, with the request id on every line. Callers pass
 * fields they chose on purpose: never a password, hash, challenge, cookie, CSRF token or token.
 * Identifiers (emails) are logged only as a keyed tag (`identifierTag`, shared/users/tags.ts).
 * Audit lines also carry who asked: the source IP and a truncated user agent.
 */
import { logLevel, type LogLevel } from './config';

export type LogFields = Record<string, string | number | boolean | undefined | string[]>;

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

let requestId: string | undefined;
let route: string | undefined;
let sourceIp: string | undefined;
let userAgent: string | undefined;

/** How much of a user agent an audit line keeps: enough to tell browsers apart. */
export const MAX_LOGGED_USER_AGENT = 120;

type Sink = (line: string) => void;
let sink: Sink = (line) => process.stdout.write(`${line}\n`);

export function setLogContext(context: {
  requestId?: string | undefined;
  route?: string | undefined;
  sourceIp?: string | undefined;
  userAgent?: string | undefined;
}): void {
  requestId = context.requestId;
  route = context.route;
  sourceIp = context.sourceIp;
  userAgent = context.userAgent?.slice(0, MAX_LOGGED_USER_AGENT);
}

/** Tests capture log lines here. */
export function setLogSink(next: Sink): void {
  sink = next;
}

function write(level: LogLevel, message: string, fields: LogFields = {}): void {
  if (ORDER[level] < ORDER[logLevel()]) return;
  sink(
    JSON.stringify({
      level,
      time: new Date().toISOString(),
      requestId,
      route,
      message,
      ...fields,
    }),
  );
}

export const log = {
  debug: (message: string, fields?: LogFields) => write('debug', message, fields),
  info: (message: string, fields?: LogFields) => write('info', message, fields),
  warn: (message: string, fields?: LogFields) => write('warn', message, fields),
  error: (message: string, fields?: LogFields) => write('error', message, fields),
};

/** A security decision worth keeping: login success/failure, consent, logout, revocations. */
export function audit(event: string, fields: LogFields = {}): void {
  write('info', 'audit', { event, sourceIp, userAgent, ...fields });
}
