/** Probe: the secret read our way (shared/aws/secrets-manager: one signed request, no SDK). */
import {
  createSecretStringReader,
  environmentCredentials,
} from '../../../../shared/aws/secrets-manager';
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
