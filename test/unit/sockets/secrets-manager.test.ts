/**
 * shared/aws/secrets-manager.ts over a real local server (the shared Secrets Manager stub): it
 * reads a secret, and fails with a reason that carries no value.
 */
import { startStubServer, type Listening } from '../../../scripts/lib/servers';
import { secretsManagerStub } from '../../../scripts/lib/stubs/secrets-manager';
import { createSecretStringReader } from '../../../shared/aws/secrets-manager';
import { environmentCredentials } from '../../../shared/aws/sigv4';
import { SecretsUnavailableError } from '../../../shared/secrets';

const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session-token-example',
};

describe('reading a secret', () => {
  const secrets: Record<string, string> = { 'app/test': '{"cookieSecret":"x"}' };
  let server: Listening;
  beforeAll(async () => {
    server = await startStubServer(secretsManagerStub(secrets));
  });
  afterAll(() => server.close());

  const reader = (credentials = () => environmentCredentials(CREDENTIALS_ENV)) =>
    createSecretStringReader({
      region: 'us-east-1',
      endpoint: server.url,
      timeoutMs: 1000,
      credentials,
    });
  const CREDENTIALS_ENV = {
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: CREDENTIALS.sessionToken,
  };

  it('answers its SecretString', async () => {
    await expect(reader()('app/test')).resolves.toBe('{"cookieSecret":"x"}');
  });

  it('names the service error of an unknown secret, without its message', async () => {
    const failure = await reader()('app/missing').catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(SecretsUnavailableError);
    expect((failure as SecretsUnavailableError).reason).toBe(
      'status 400 ResourceNotFoundException',
    );
  });

  it('refuses to send anything without credentials', async () => {
    await expect(reader(() => undefined)('app/test')).rejects.toThrow(
      'no AWS credentials in the environment',
    );
  });

  it('fails as "network" where nothing listens', async () => {
    const failure = await createSecretStringReader({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9',
      timeoutMs: 1000,
      credentials: () => CREDENTIALS,
    })('app/test').catch((error: unknown) => error);

    expect((failure as SecretsUnavailableError).reason).toBe('network');
  });
});
