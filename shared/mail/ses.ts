/**
 * The mail transport on Amazon SES v2: `SendEmail` (simple content: subject, text and HTML) as
 * one signed request of our own (POST /v2/email/outbound-emails, ../aws/sigv4) over the node:http
 * transport the Hydra adapter uses. SES v2's SDK client loaded about 460 KB into each mailing
 * function's cold start for this one call (README, Performance); the request is the one it sent
 * (test/unit/mail/ses.test.ts compares them). The sender (MAIL_FROM), its configuration set and
 * region are stage settings; locally SES_ENDPOINT points at aws-ses-v2-local (scripts/lib/mail.ts).
 * Loaded only by the functions that send mail (shared/wiring.ts imports it on first use).
 *
 * As the SDK client was set up: 2 attempts (a 5xx, a throttle, a timeout or a network failure
 * is tried once more after a short jittered wait; any other answer is final), 3 s per attempt.
 * The function's credentials come from the environment Lambda sets; a local endpoint takes any.
 */
import { environmentCredentials, signedRequest, type AwsCredentials } from '../aws/sigv4';
import { createNodeTransport, type HydraTransport } from '../hydra/transport';
import type { MailMessage, MailTransport } from './mailer';

export interface SesSettings {
  from: string;
  region: string;
  configurationSet: string | undefined;
  endpoint: string | undefined;
}

/** Thrown when SES did not take the mail (the error names no address, no link). */
export class MailUnavailableError extends Error {
  constructor(cause: unknown) {
    super('the mail could not be sent', { cause });
    this.name = 'MailUnavailableError';
  }
}

export const SEND_EMAIL_PATH = '/v2/email/outbound-emails';

export interface SesTransportOptions {
  transport?: HydraTransport;
  credentials?: () => AwsCredentials | undefined;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Requests per mail, the first included (2). */
  maxAttempts?: number;
  /** Each attempt's deadline (3 s). */
  attemptTimeoutMs?: number;
}

/** SES's answer, or what became of the request: a type and a status, never a value. */
class SesCallError extends Error {
  constructor(
    readonly type: string,
    readonly status: number | undefined,
  ) {
    super(`SES SendEmail: ${type}${status === undefined ? '' : ` (status ${status})`}`);
    this.name = 'SesCallError';
  }
}

/** Worth a second attempt: SES's own failures and throttles, and requests that got no answer. */
function retryable(error: SesCallError): boolean {
  if (error.status === undefined) return true;
  return error.status >= 500 || error.status === 429 || /Throttl|TooManyRequests/.test(error.type);
}

/** The SendEmail request body, as SES v2's SDK client serialises it. Pure. */
export function sendEmailBody(settings: SesSettings, message: MailMessage): string {
  return JSON.stringify({
    ...(settings.configurationSet ? { ConfigurationSetName: settings.configurationSet } : {}),
    Content: {
      Simple: {
        Body: {
          Html: { Charset: 'UTF-8', Data: message.html },
          Text: { Charset: 'UTF-8', Data: message.text },
        },
        Subject: { Charset: 'UTF-8', Data: message.subject },
      },
    },
    Destination: { ToAddresses: [message.to] },
    FromEmailAddress: settings.from,
  });
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createSesTransport(
  settings: SesSettings,
  options: SesTransportOptions = {},
): MailTransport {
  const endpoint = settings.endpoint ?? `https://email.${settings.region}.amazonaws.com`;
  const local = settings.endpoint !== undefined;
  const credentials =
    options.credentials ??
    (() =>
      local
        ? { accessKeyId: 'local', secretAccessKey: 'local' }
        : environmentCredentials(process.env));
  const send = options.transport ?? createNodeTransport();

  async function attempt(body: string): Promise<SesCallError | undefined> {
    const given = credentials();
    if (!given) return new SesCallError('MissingCredentials', undefined);
    const request = signedRequest({
      endpoint,
      path: SEND_EMAIL_PATH,
      region: settings.region,
      service: 'ses',
      headers: { 'content-type': 'application/json' },
      body,
      credentials: given,
      now: options.now?.() ?? new Date(),
    });
    try {
      const response = await send(request.url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(options.attemptTimeoutMs ?? 3000),
      });
      const type = response.header('x-amzn-errortype')?.split(':')[0];
      // The answer's text is read (to free the connection) but never kept: it can quote values.
      await response.text();
      if (response.status === 200) return undefined;
      return new SesCallError(type || 'UnknownError', response.status);
    } catch (error) {
      const name = (error as { name?: string } | undefined)?.name;
      return new SesCallError(
        name === 'TimeoutError' || name === 'AbortError' ? 'TimeoutError' : 'NetworkError',
        undefined,
      );
    }
  }

  return {
    async deliver(message: MailMessage) {
      const body = sendEmailBody(settings, message);
      const maxAttempts = options.maxAttempts ?? 2;
      for (let attempts = 1; ; attempts++) {
        const failure = await attempt(body);
        if (!failure) return;
        if (attempts >= maxAttempts || !retryable(failure)) throw new MailUnavailableError(failure);
        // Full jitter over 100 ms, the SDK's base delay.
        await (options.sleep ?? sleepFor)(Math.floor((options.random ?? Math.random)() * 100));
      }
    },
  };
}
