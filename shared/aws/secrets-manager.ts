/**
 * Secrets Manager's GetSecretValue as one signed HTTPS request of our own: AWS Signature V4 over
 * node:crypto, sent with the node:http(s) transport the Hydra adapter uses. The AWS SDK client
 * would load the SDK's core into every function that reads a secret, the consent and logout
 * pages included, which otherwise load none of it (the bench measures both: README, Performance).
 *
 * Credentials are the function's own, from the environment Lambda sets (AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN); AWS_ENDPOINT_URL_SECRETS_MANAGER (the SDK's own
 * variable) points it at another endpoint (the bench's and the tests' local stub).
 */
import { createHash, createHmac } from 'node:crypto';
import { createNodeTransport, type HydraTransport } from '../hydra/transport';
import { SecretsUnavailableError } from '../secrets';

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
}): SignedRequest {
  const url = new URL(options.endpoint);
  const amzDate = options.now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = {
    'content-type': 'application/x-amz-json-1.1',
    host: url.host,
    'x-amz-date': amzDate,
    ...(options.credentials.sessionToken
      ? { 'x-amz-security-token': options.credentials.sessionToken }
      : {}),
    'x-amz-target': options.target,
  };
  const names = Object.keys(headers).sort();
  const signedHeaders = names.join(';');
  const canonical = [
    'POST',
    '/',
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
  return { url: `${url.origin}/`, headers, body: options.body };
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

export interface SecretsManagerOptions {
  region: string;
  /** AWS_ENDPOINT_URL_SECRETS_MANAGER, or the region's public endpoint. */
  endpoint?: string | undefined;
  timeoutMs: number;
  credentials: () => AwsCredentials | undefined;
  now?: () => Date;
  transport?: HydraTransport;
}

/** Reads the SecretString of a secret; every failure is a SecretsUnavailableError (no value in it). */
export function createSecretStringReader(
  options: SecretsManagerOptions,
): (secretId: string) => Promise<string> {
  const send = options.transport ?? createNodeTransport({ maxBodyBytes: 256 * 1024 });
  const endpoint = options.endpoint ?? `https://secretsmanager.${options.region}.amazonaws.com`;
  return async (secretId) => {
    const credentials = options.credentials();
    if (!credentials) throw new SecretsUnavailableError('no AWS credentials in the environment');
    const request = signedJsonRequest({
      endpoint,
      region: options.region,
      service: 'secretsmanager',
      target: 'secretsmanager.GetSecretValue',
      body: JSON.stringify({ SecretId: secretId }),
      credentials,
      now: options.now?.() ?? new Date(),
    });
    let status: number;
    let text: string;
    try {
      const response = await send(request.url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      const name = (error as { name?: string } | undefined)?.name;
      throw new SecretsUnavailableError(
        name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network',
      );
    }
    let json: { SecretString?: unknown; __type?: unknown } | undefined;
    try {
      json = JSON.parse(text) as typeof json;
    } catch {
      json = undefined;
    }
    if (status !== 200) {
      // The error type only (ResourceNotFoundException, AccessDeniedException, …): its message
      // may quote the request.
      const type = typeof json?.__type === 'string' ? json.__type.split('#').pop() : undefined;
      throw new SecretsUnavailableError(`status ${status}${type ? ` ${type}` : ''}`);
    }
    if (typeof json?.SecretString !== 'string') {
      throw new SecretsUnavailableError('the secret has no SecretString');
    }
    return json.SecretString;
  };
}
