/**
 * The Hydra stub (./hydra-stub) behind a tiny HTTP server on 127.0.0.1: a cold-start run points
 * HYDRA_ADMIN_URL here, so the child process loads nothing of ours beyond the function, and the
 * function's own transport (node:http, keep-alive) runs as deployed. Runs are sequential: the
 * scenario and the counts are those of the current run.
 */
import { createServer } from 'node:http';
import { answerHydra, type CallCounts, type HydraScenario } from './hydra-stub';

export interface HydraStubServer {
  url: string;
  /** Answer from now on as in this scenario, with fresh counts. */
  reset(scenario: HydraScenario): void;
  /** The calls since the last reset, by operation. */
  counts(): CallCounts;
  close(): Promise<void>;
}

/** Answers 500 until the first reset. */
export async function startHydraStubServer(): Promise<HydraStubServer> {
  let current: HydraScenario | undefined;
  let counts: CallCounts = {};
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (!current) {
        response.writeHead(500);
        response.end();
        return;
      }
      const answer = answerHydra(
        current,
        request.method ?? 'GET',
        request.url ?? '/',
        Buffer.concat(chunks).toString('utf8'),
        counts,
      );
      response.writeHead(
        answer.status,
        answer.status === 204
          ? {}
          : {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(answer.body),
            },
      );
      response.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    reset(next) {
      current = next;
      counts = {};
    },
    counts: () => ({ ...counts }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
