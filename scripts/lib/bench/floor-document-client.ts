/**
 * The floor of a DynamoDB function: the AWS SDK's DynamoDB document client and nothing else,
 * bundled like a function (../bundle BUNDLE_OPTIONS). Requiring this bundle costs what any
 * function that talks to DynamoDB has to pay; `getItem` adds the SDK's first request.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

const endpoint = process.env.DYNAMODB_ENDPOINT || undefined;

const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    region: process.env.AWS_REGION ?? 'us-east-1',
    ...(endpoint
      ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  }),
);

export async function getItem(tableName: string, pk: string): Promise<unknown> {
  const result = await client.send(new GetCommand({ TableName: tableName, Key: { pk } }));
  return result.Item;
}
