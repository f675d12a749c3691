/**
 * The AWS SDK's document client behind the stores' DocumentClient (shared/aws/dynamodb), for the
 * users CLI and the scripts, run by people with AWS profiles and SSO: the SDK's whole credential
 * chain, which the functions do without (their credentials are Lambda's environment).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { DocumentClient } from '../../shared/aws/dynamodb';
import { DEFAULT_AWS_REGION } from '../../shared/config';

export interface SdkDocumentClient extends DocumentClient {
  /** Closes the SDK client's connections. */
  destroy(): void;
}

/** `client` as the stores call it; the same marshalling as the functions' own client. */
export function sdkDocumentClient(client: DynamoDBDocumentClient): SdkDocumentClient {
  return {
    get: (input, options) => client.send(new GetCommand(input), options),
    put: (input, options) => client.send(new PutCommand(input), options),
    update: (input, options) => client.send(new UpdateCommand(input), options),
    delete: (input, options) => client.send(new DeleteCommand(input), options),
    scan: (input, options) => client.send(new ScanCommand(input), options),
    destroy: () => client.destroy(),
  };
}

/**
 * The SDK's document client of the users table. `region`: DEFAULT_AWS_REGION when not given.
 * A 127.0.0.1 / localhost endpoint (dynalite) takes any key; any other endpoint and the
 * region's use the SDK's default credential chain.
 */
export function createSdkDocumentClient(options: {
  region?: string | undefined;
  endpoint?: string | undefined;
}): SdkDocumentClient {
  const local =
    options.endpoint?.includes('127.0.0.1') === true ||
    options.endpoint?.includes('localhost') === true;
  const client = new DynamoDBClient({
    region: options.region ?? DEFAULT_AWS_REGION,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    maxAttempts: 3,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 1000, requestTimeout: 2000 }),
  });
  return sdkDocumentClient(
    DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
  );
}
