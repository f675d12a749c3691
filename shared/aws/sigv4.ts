/**
 * AWS Signature V4 over node:crypto, for the AWS services we call with requests of our own
 * instead of an SDK client (./secrets-manager, ./dynamodb: a POST to the endpoint's root with an
 * `X-Amz-Target`; ../mail/ses: a POST to a REST path). Credentials are the function's own, from
 * the environment Lambda sets.
 */
import { createHash, createHmac } from 'node:crypto';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

export interface SignedRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

const sha256 = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string) =>
  createHmac('sha256', key).update(data, 'utf8').digest();

/** A path as we send it: plain segments, so that it is its own canonical (URI-encoded) form. */
const PLAIN_PATH = /^\/[A-Za-z0-9/_.-]*$/;

/**
 * A POST of `body` to `path` on `endpoint` for `service` in `region`, signed with AWS Signature
 * V4: the signed headers are `headers` (lower-case names: content-type, x-amz-target), host,
 * x-amz-date and x-amz-security-token. For the REST protocols (SES v2: `/v2/email/…`) as for
 * the JSON ones (the root, with an `X-Amz-Target`).
 */
export function signedRequest(options: {
  endpoint: string;
  path: string;
  region: string;
  service: string;
  headers: Record<string, string>;
  body: string;
  credentials: AwsCredentials;
  now: Date;
}): SignedRequest {
  if (!PLAIN_PATH.test(options.path)) throw new Error(`not a plain request path: ${options.path}`);
  const url = new URL(options.endpoint);
  const amzDate = options.now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = {
    ...options.headers,
    host: url.host,
    'x-amz-date': amzDate,
    ...(options.credentials.sessionToken
      ? { 'x-amz-security-token': options.credentials.sessionToken }
      : {}),
  };
  const names = Object.keys(headers).sort();
  const signedHeaders = names.join(';');
  const canonical = [
    'POST',
    options.path,
    '',
    ...names.map((name) => `${name}:${headers[name]}`),
    '',
    signedHeaders,
    sha256(options.body),
  ].join('\n');
  const scope = `${day}/${options.region}/${options.service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(
    hmac(
      hmac(hmac(`AWS4${options.credentials.secretAccessKey}`, day), options.region),
      options.service,
    ),
    'aws4_request',
  );
  const signature = createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
  headers.authorization =
    `AWS4-HMAC-SHA256 Credential=${options.credentials.accessKeyId}/${scope}, ` +
    `SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { url: `${url.origin}${options.path}`, headers, body: options.body };
}

/**
 * A POST of `body` to `endpoint`'s root for `service` in `region`, signed with AWS Signature V4
 * (the signed headers: content-type, host, x-amz-date, x-amz-security-token, x-amz-target).
 */
export function signedJsonRequest(options: {
  endpoint: string;
  region: string;
  service: string;
  target: string;
  body: string;
  credentials: AwsCredentials;
  now: Date;
  /** The service's JSON protocol version: 1.1 (Secrets Manager) by default, 1.0 for DynamoDB. */
  jsonVersion?: '1.0' | '1.1';
}): SignedRequest {
  const { target, jsonVersion, ...request } = options;
  return signedRequest({
    ...request,
    path: '/',
    headers: {
      'content-type': `application/x-amz-json-${jsonVersion ?? '1.1'}`,
      'x-amz-target': target,
    },
  });
}

/** The function's credentials as Lambda gives them; undefined without a key pair. */
export function environmentCredentials(
  env: Record<string, string | undefined>,
): AwsCredentials | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) return undefined;
  return { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN || undefined };
}
