/** Probe: the secret read our way (shared/aws/secrets-manager: one request signed by shared/aws/sigv4, no SDK). */
import { createSecretStringReader } from '../../../../shared/aws/secrets-manager';
import { environmentCredentials } from '../../../../shared/aws/sigv4';
import { parseSecretString } from '../../../../shared/secrets';

export async function run(): Promise<void> {
  const read = createSecretStringReader({
    region: process.env.AWS_REGION ?? 'us-east-1',
    endpoint: process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER,
    timeoutMs: 3000,
    credentials: () => environmentCredentials(process.env),
  });
  parseSecretString(await read(process.env.APP_SECRET_ID ?? ''));
}
