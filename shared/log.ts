/**
 * Structured JSON logs, one line per entry, with the request id on every line. Callers pass
 * fields they chose on purpose: never a password, hash, challenge, cookie, CSRF token or token.
 * Identifiers (emails) are logged only as `identifierHash`.
 */
import { createHash } from 'node:crypto';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | undefined | string[]>;

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

let requestId: string | undefined;
let route: string | undefined;

type Sink = (line: string) => void;
let sink: Sink = (line) => process.stdout.write(`${line}\n`);

export function setLogContext(context: { requestId?: string; route?: string }): void {
  requestId = context.requestId;
  route = context.route;
}

/** Tests capture log lines here. */
export function setLogSink(next: Sink): void {
  sink = next;
}

function threshold(): number {
  const level = (process.env.LOG_LEVEL ?? 'info').toLowerCase() as LogLevel;
  return ORDER[level] ?? ORDER.info;
}

function write(level: LogLevel, message: string, fields: LogFields = {}): void {
  if (ORDER[level] < threshold()) return;
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
  write('info', 'audit', { event, ...fields });
}

/** A stable, non-reversible tag for an identifier, so log lines can be correlated without PII. */
export function identifierHash(identifier: string): string {
  return createHash('sha256').update(`hlc-log|${identifier}`).digest('base64url').slice(0, 16);
}
