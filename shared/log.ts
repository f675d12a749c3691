/**
 * Structured JSON logs, one line per entry, with the request id on every line. Callers pass
 * fields they chose on purpose: never a password, hash, challenge, cookie, CSRF token or token.
 * Identifiers (emails) are logged only as a keyed tag (`identifierTag`, shared/users/tags.ts).
 * Audit lines also carry who asked: the source IP and a truncated user agent.
 *
 * The audit lines of a sign-in are CloudWatch metrics too, in the Embedded Metric Format: the
 * line itself carries the `_aws` metadata that makes CloudWatch count it (namespace
 * HydraLoginConsent, dimension Stage), so a metric costs no call, no extra line and no library.
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

function write(
  level: LogLevel,
  message: string,
  fields: LogFields = {},
  options: { always?: boolean; metric?: Record<string, unknown> } = {},
): void {
  if (!options.always && ORDER[level] < ORDER[logLevel()]) return;
  sink(
    JSON.stringify({
      level,
      time: new Date().toISOString(),
      requestId,
      route,
      message,
      ...fields,
      ...options.metric,
    }),
  );
}

export const log = {
  debug: (message: string, fields?: LogFields) => write('debug', message, fields),
  info: (message: string, fields?: LogFields) => write('info', message, fields),
  warn: (message: string, fields?: LogFields) => write('warn', message, fields),
  error: (message: string, fields?: LogFields) => write('error', message, fields),
};

/** The CloudWatch namespace of the functions' metrics. */
export const METRICS_NAMESPACE = 'HydraLoginConsent';

/**
 * The metric each audit event counts. SecondFactorUsed is reserved for the second factor
 * (planned): its event is to be named here when it exists.
 */
export const METRIC_OF_EVENT: Readonly<Record<string, string>> = {
  'login.success': 'SignInSucceeded',
  'login.failure': 'SignInFailed',
  'login.throttled': 'SignInThrottled',
};

/** STAGE (serverless.yml sets it): the metrics' one dimension, so stages do not mix. */
function stage(): string {
  return process.env.STAGE?.trim() || 'local';
}

/** The EMF metadata and value that make CloudWatch count `metric` from the line it is in. */
function emf(metric: string): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [
        {
          Namespace: METRICS_NAMESPACE,
          Dimensions: [['Stage']],
          Metrics: [{ Name: metric, Unit: 'Count' }],
        },
      ],
    },
    Stage: stage(),
    [metric]: 1,
  };
}

/**
 * A security decision worth keeping: login success/failure, consent, logout, revocations. The
 * events that count a metric are written whatever the log level: the metric is in the line.
 */
export function audit(event: string, fields: LogFields = {}): void {
  const metric = METRIC_OF_EVENT[event];
  const line = { event, sourceIp, userAgent, ...fields };
  if (metric === undefined) {
    write('info', 'audit', line);
    return;
  }
  write('info', 'audit', line, { always: true, metric: emf(metric) });
}
