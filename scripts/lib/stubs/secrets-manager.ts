/**
 * Secrets Manager's GetSecretValue, as the bench and the tests need it: the secrets by id (a
 * SecretString each), answered the way the service answers (JSON 1.1, `__type` on an error).
 * It checks that a request is signed (an AWS4-HMAC-SHA256 Authorization header for the service);
 * the signature itself is checked in the adapter's unit test, against the AWS SDK's signer.
 * No imports but ./reply: the bench's runners bundle it.
 */
import { count, json, type CallCounts, type StubReply, type StubRequest } from './reply';

export type StubSecrets = Record<string, string>;

function error(status: number, type: string, message: string): StubReply {
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1' },
    body: JSON.stringify({ __type: type, message }),
  };
}

/** GetSecretValue of `secrets` (read on each call: a test may rotate a value), counted. */
export function secretsManagerStub(
  secrets: StubSecrets,
  counts: CallCounts = {},
): (request: StubRequest) => StubReply {
  return ({ method, headers, body }) => {
    if (method !== 'POST' || headers['x-amz-target'] !== 'secretsmanager.GetSecretValue') {
      return error(400, 'UnknownOperationException', 'unknown operation');
    }
    if (
      !/^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[^/]+\/secretsmanager\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/.test(
        headers.authorization ?? '',
      )
    ) {
      return error(400, 'IncompleteSignatureException', 'not signed');
    }
    count(counts, 'GetSecretValue');
    const secretId = (JSON.parse(body) as { SecretId?: string }).SecretId ?? '';
    const value = secrets[secretId];
    if (value === undefined) {
      return error(
        400,
        'ResourceNotFoundException',
        "Secrets Manager can't find the specified secret.",
      );
    }
    const reply = json(200, {
      ARN: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${secretId}-AbCdEf`,
      Name: secretId,
      SecretString: value,
      VersionId: '00000000-0000-4000-8000-000000000000',
      VersionStages: ['AWSCURRENT'],
      CreatedDate: 1_700_000_000,
    });
    return { ...reply, headers: { 'content-type': 'application/x-amz-json-1.1' } };
  };
}
