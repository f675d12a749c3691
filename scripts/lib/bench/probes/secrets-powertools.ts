/** Probe: the secret read with Powertools Parameters (its SecretsProvider over the AWS SDK client). */
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { parseSecretString } from '../../../../shared/secrets';

export async function run(): Promise<void> {
  const value = await getSecret(process.env.APP_SECRET_ID ?? '', { maxAge: 300 });
  if (typeof value !== 'string') throw new Error('no SecretString');
  parseSecretString(value);
}
