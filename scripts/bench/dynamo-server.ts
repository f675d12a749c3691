/**
 * The DynamoDB stub (./dynamo-stub) behind a tiny HTTP server on 127.0.0.1: a cold-start run
 * points DYNAMODB_ENDPOINT here, so the child process starts nothing of ours beyond the function.
 */
import { createServer } from 'node:http';
import type { CallCounts } from './hydra-stub';
import { answerDynamo, type StubItems } from './dynamo-stub';

export interface DynamoStubServer {
  endpoint: string;
  counts: CallCounts;
  close(): Promise<void>;
}

export async function startDynamoStubServer(items: StubItems): Promise<DynamoStubServer> {
  const counts: CallCounts = {};
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const target = request.headers['x-amz-target'];
      const body = answerDynamo(
        Array.isArray(target) ? target[0] : target,
        Buffer.concat(chunks).toString('utf8'),
        items,
        counts,
      );
      response.writeHead(200, {
        'content-type': 'application/x-amz-json-1.0',
        'content-length': Buffer.byteLength(body),
        'x-amzn-requestid': 'bench',
      });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
