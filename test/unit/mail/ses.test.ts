/**
 * shared/mail/ses.ts: our SendEmail is the request SES v2's SDK client sends (path, headers,
 * signature, body), and it fails and retries as that client was set up to. Against a real SES v2
 * API: the e2e suites' mails (aws-ses-v2-local).
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { HydraRequestInit, HydraResponse } from '../../../shared/hydra/transport';
import {
  createSesTransport,
  MailUnavailableError,
  type SesSettings,
} from '../../../shared/mail/ses';

const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session-token-example',
};
const NOW = new Date('2026-12-02T03:04:05.000Z');
const SETTINGS: SesSettings = {
  from: 'Example <login@example.com>',
  region: 'eu-west-1',
  configurationSet: 'login-mail',
  endpoint: undefined,
};
const MESSAGE = {
  to: 'ada@example.org',
  subject: 'Reset your password',
  text: 'Open the link: https://login.example.com/recovery/reset?token=abc',
  html: '<p>Open <a href="https://login.example.com/recovery/reset?token=abc">the link</a></p>',
};

interface Sent {
  url: string;
  init: HydraRequestInit;
}

function answering(...answers: Array<{ status: number; type?: string } | Error>) {
  const sent: Sent[] = [];
  const transport = (url: string, init: HydraRequestInit): Promise<HydraResponse> => {
    sent.push({ url, init });
    const answer = answers[Math.min(sent.length, answers.length) - 1] ?? { status: 200 };
    if (answer instanceof Error) return Promise.reject(answer);
    return Promise.resolve({
      status: answer.status,
      header: (name: string) => (name === 'x-amzn-errortype' ? answer.type : undefined),
      text: () =>
        Promise.resolve(
          answer.status === 200 ? '{"MessageId":"m-1"}' : '{"message":"ada@example.org"}',
        ),
    });
  };
  return { sent, transport };
}

const noWait = () => Promise.resolve();

/** What the SDK hands its request handler (@smithy/protocol-http's HttpRequest, in part). */
interface HttpRequest {
  method: string;
  hostname: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

async function sdkRequest(settings: SesSettings): Promise<HttpRequest> {
  let captured: HttpRequest | undefined;
  const client = new SESv2Client({
    region: settings.region,
    credentials: CREDENTIALS,
    systemClockOffset: NOW.getTime() - Date.now(),
    requestHandler: {
      handle: (request: HttpRequest) => {
        captured = request;
        return Promise.resolve({
          response: {
            statusCode: 200,
            headers: { 'content-type': 'application/json' },
            body: Buffer.from('{"MessageId":"m-1"}'),
          },
        });
      },
    } as never,
  });
  await client.send(
    new SendEmailCommand({
      FromEmailAddress: settings.from,
      Destination: { ToAddresses: [MESSAGE.to] },
      ...(settings.configurationSet ? { ConfigurationSetName: settings.configurationSet } : {}),
      Content: {
        Simple: {
          Subject: { Data: MESSAGE.subject, Charset: 'UTF-8' },
          Body: {
            Text: { Data: MESSAGE.text, Charset: 'UTF-8' },
            Html: { Data: MESSAGE.html, Charset: 'UTF-8' },
          },
        },
      },
    }),
  );
  if (!captured) throw new Error('the SDK sent nothing');
  return captured;
}

describe('SendEmail', () => {
  it.each([
    ['with a configuration set', SETTINGS],
    ['without one', { ...SETTINGS, configurationSet: undefined }],
  ])('is the request SES v2’s SDK client sends, %s', async (_name, settings) => {
    const { sent, transport } = answering({ status: 200 });
    await createSesTransport(settings, {
      transport,
      credentials: () => CREDENTIALS,
      now: () => NOW,
    }).deliver(MESSAGE);
    const sdk = await sdkRequest(settings);

    expect(sent).toHaveLength(1);
    const [{ url, init }] = sent as [Sent];
    expect(url).toBe(`https://${sdk.hostname}${sdk.path}`);
    expect(init.method).toBe(sdk.method);
    expect(JSON.parse(init.body ?? '')).toEqual(JSON.parse(String(sdk.body)));
    // The same scope and signed headers; the signature differs only by what the SDK adds
    // (its user agent and checksum headers are signed too), so compare the parts.
    const credential = (authorization: string | undefined) =>
      /Credential=([^,]+)/.exec(authorization ?? '')?.[1];
    expect(credential(init.headers.authorization)).toBe(credential(sdk.headers.authorization));
    expect(init.headers['x-amz-date']).toBe(sdk.headers['x-amz-date']);
    expect(init.headers['x-amz-security-token']).toBe(CREDENTIALS.sessionToken);
    expect(init.headers['content-type']).toBe(sdk.headers['content-type']);
  });

  it('goes to the local endpoint with any credentials when one is set', async () => {
    const { sent, transport } = answering({ status: 200 });
    await createSesTransport(
      { ...SETTINGS, endpoint: 'http://127.0.0.1:8005' },
      {
        transport,
      },
    ).deliver(MESSAGE);

    expect(sent[0]?.url).toBe('http://127.0.0.1:8005/v2/email/outbound-emails');
    expect(sent[0]?.init.headers.authorization).toMatch(
      /Credential=local\/\d{8}\/eu-west-1\/ses\//,
    );
  });
});

describe('a mail SES does not take', () => {
  const deliver = (
    answers: Parameters<typeof answering>,
    credentials: () => typeof CREDENTIALS | undefined = () => CREDENTIALS,
  ) => {
    const { sent, transport } = answering(...answers);
    const delivery = createSesTransport(SETTINGS, {
      transport,
      credentials,
      sleep: noWait,
    }).deliver(MESSAGE);
    return { sent, delivery };
  };

  it('is refused at once for a final answer (a message rejected), naming SES’s type only', async () => {
    const { sent, delivery } = deliver([{ status: 400, type: 'MessageRejected' }]);
    const error: unknown = await delivery.catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(MailUnavailableError);
    expect(sent).toHaveLength(1);
    const cause = (error as Error).cause as Error;
    expect(cause.message).toBe('SES SendEmail: MessageRejected (status 400)');
    expect(JSON.stringify([String(error), cause.message])).not.toContain('ada@example.org');
  });

  it.each([
    ['a 5xx', { status: 503, type: 'ServiceUnavailable' }],
    ['a throttle', { status: 429, type: 'TooManyRequestsException' }],
    ['a timeout', new DOMException('timed out', 'TimeoutError')],
    ['a network failure', new Error('ECONNRESET')],
  ])('is tried once more after %s, and goes through then', async (_name, first) => {
    const { sent, delivery } = deliver([first, { status: 200 }]);
    await delivery;

    expect(sent).toHaveLength(2);
  });

  it('fails after its second attempt', async () => {
    const { sent, delivery } = deliver([{ status: 500, type: 'InternalFailure' }]);

    await expect(delivery).rejects.toBeInstanceOf(MailUnavailableError);
    expect(sent).toHaveLength(2);
  });

  it('fails without a request when the function has no credentials', async () => {
    const { sent, delivery } = deliver([{ status: 200 }], () => undefined);

    await expect(delivery).rejects.toBeInstanceOf(MailUnavailableError);
    expect(sent).toHaveLength(0);
  });
});
