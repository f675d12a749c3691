/** Probe: the secret read with the AWS SDK's Secrets Manager client, nothing else. */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { parseSecretString } from '../../../../shared/secrets';

export async function run(): Promise<void> {
  const client = new SecretsManagerClient({ region: process.env.AWS_REGION ?? 'us-east-1' });
  const { SecretString } = await client.send(
    new GetSecretValueCommand({ SecretId: process.env.APP_SECRET_ID ?? '' }),
  );
  parseSecretString(SecretString ?? '');
}
