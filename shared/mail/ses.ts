/**
 * The mail transport on Amazon SES v2 (`SendEmail`, simple content: subject, text and HTML).
 * The sender (MAIL_FROM), its configuration set and region are stage settings; locally
 * SES_ENDPOINT points at aws-ses-v2-local (scripts/lib/mail.ts). Loaded only by the functions
 * that send mail (shared/wiring.ts imports it on first use).
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { NodeHttpHandler } from '@smithy/node-http-handler';
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

export function createSesTransport(settings: SesSettings): MailTransport {
  const local = settings.endpoint !== undefined;
  const client = new SESv2Client({
    region: settings.region,
    ...(local
      ? {
          endpoint: settings.endpoint,
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {}),
    maxAttempts: 2,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 1000, requestTimeout: 3000 }),
  });
  return {
    async deliver(message: MailMessage) {
      try {
        await client.send(
          new SendEmailCommand({
            FromEmailAddress: settings.from,
            Destination: { ToAddresses: [message.to] },
            ...(settings.configurationSet
              ? { ConfigurationSetName: settings.configurationSet }
              : {}),
            Content: {
              Simple: {
                Subject: { Data: message.subject, Charset: 'UTF-8' },
                Body: {
                  Text: { Data: message.text, Charset: 'UTF-8' },
                  Html: { Data: message.html, Charset: 'UTF-8' },
                },
              },
            },
          }),
        );
      } catch (error) {
        throw new MailUnavailableError(error);
      }
    },
  };
}
