/**
 * shared/aws/sigv4.ts: our own Signature V4 (of GetSecretValue here) is the AWS SDK's own
 * (@smithy/signature-v4 signs the same request the same way). Reading a secret over HTTP:
 * test/unit/sockets/secrets-manager.test.ts.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import { signedJsonRequest, signedRequest } from '../../../shared/aws/sigv4';
import { Sha256 } from '../support/sha256';

const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session-token-example',
};
const NOW = new Date('2026-12-02T03:04:05.678Z');

describe('the Signature V4 of a GetSecretValue', () => {
  it.each([
    ['with a session token (Lambda)', CREDENTIALS],
    ['without one', { ...CREDENTIALS, sessionToken: undefined }],
  ])('is the one the AWS SDK signer makes, %s', async (_name, credentials) => {
    const body = JSON.stringify({ SecretId: 'hydra-login-consent/prod' });
    const ours = signedJsonRequest({
      endpoint: 'https://secretsmanager.eu-central-1.amazonaws.com',
      region: 'eu-central-1',
      service: 'secretsmanager',
      target: 'secretsmanager.GetSecretValue',
      body,
      credentials,
      now: NOW,
    });
    const signer = new SignatureV4({
      credentials,
      region: 'eu-central-1',
      service: 'secretsmanager',
      sha256: Sha256,
      applyChecksum: false,
    });
    const unsigned = Object.fromEntries(
      Object.entries(ours.headers).filter(([name]) => name !== 'authorization'),
    );
    const sdk = await signer.sign(
      {
        method: 'POST',
        protocol: 'https:',
        hostname: 'secretsmanager.eu-central-1.amazonaws.com',
        path: '/',
        headers: unsigned,
        body,
      },
      { signingDate: NOW },
    );

    expect(ours.headers.authorization).toBe(sdk.headers.authorization);
    expect(ours.url).toBe('https://secretsmanager.eu-central-1.amazonaws.com/');
  });
});

describe('the Signature V4 of an SES v2 SendEmail (a REST path)', () => {
  it('is the one the AWS SDK signer makes', async () => {
    const body = JSON.stringify({ FromEmailAddress: 'login@example.com' });
    const ours = signedRequest({
      endpoint: 'https://email.eu-west-1.amazonaws.com',
      path: '/v2/email/outbound-emails',
      region: 'eu-west-1',
      service: 'ses',
      headers: { 'content-type': 'application/json' },
      body,
      credentials: CREDENTIALS,
      now: NOW,
    });
    const signer = new SignatureV4({
      credentials: CREDENTIALS,
      region: 'eu-west-1',
      service: 'ses',
      sha256: Sha256,
      applyChecksum: false,
    });
    const unsigned = Object.fromEntries(
      Object.entries(ours.headers).filter(([name]) => name !== 'authorization'),
    );
    const sdk = await signer.sign(
      {
        method: 'POST',
        protocol: 'https:',
        hostname: 'email.eu-west-1.amazonaws.com',
        path: '/v2/email/outbound-emails',
        headers: unsigned,
        body,
      },
      { signingDate: NOW },
    );

    expect(ours.headers.authorization).toBe(sdk.headers.authorization);
    expect(ours.url).toBe('https://email.eu-west-1.amazonaws.com/v2/email/outbound-emails');
  });

  it('refuses a path that would need encoding', () => {
    expect(() =>
      signedRequest({
        endpoint: 'https://email.eu-west-1.amazonaws.com',
        path: '/v2/email/a b',
        region: 'eu-west-1',
        service: 'ses',
        headers: {},
        body: '',
        credentials: CREDENTIALS,
        now: NOW,
      }),
    ).toThrow('not a plain request path');
  });
});
