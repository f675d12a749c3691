/**
 * Secrets Manager's GetSecretValue as one signed HTTPS request of our own: AWS Signature V4 over
 * node:crypto, sent with the node:http(s) transport the Hydra adapter uses. The AWS SDK client
 * would load the SDK's core into every function that reads a secret, the consent and logout
 * pages included, which otherwise load none of it (the bench measures both: README, Performance).
 *
 * The signature is ./sigv4's. Credentials are the function's own, from the environment Lambda sets
 * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN); AWS_ENDPOINT_URL_SECRETS_MANAGER (the SDK's own
 * variable) points it at another endpoint (the bench's and the tests' local stub).
 */
import { createNodeTransport, type HydraTransport } from '../hydra/transport';
import { SecretsUnavailableError } from '../secrets';
import { signedJsonRequest, type AwsCredentials } from './sigv4';

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
