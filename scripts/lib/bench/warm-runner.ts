/**
 * Warm requests to one function's bundle, in a process of its own: Hydra's admin API and DynamoDB
 * answered over in-memory sockets, argon2 stubbed (hashing is measured on
 * its own). After a warm-up, every request is timed from the handler call to its response; the
 * stubs count the calls. The result goes to fd 3 as one JSON line.
 */
import { readFileSync, writeSync } from 'node:fs';
import {
  answerInMemory,
  MEMORY_DYNAMODB_ENDPOINT,
  MEMORY_HYDRA_ADMIN_URL,
  MEMORY_SES_ENDPOINT,
} from '../stubs/memory-connection';
import { sesStub } from '../stubs/ses';
import type { CallCounts } from '../stubs/reply';
import { watchModules } from './module-hook';
import { lambdaContext } from '../lambda-events';
import { type BundledHandler, type WarmJob, type WarmResult } from './protocol';
import { dynamoStub, hydraStub } from './stubs';

function clear(counts: CallCounts): void {
  for (const name of Object.keys(counts)) delete counts[name];
}

async function main(): Promise<void> {
  const job = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as WarmJob;
  const hydraCalls: CallCounts = {};
  const dynamoCalls: CallCounts = {};
  const mailCalls: CallCounts = {};
  answerInMemory({
    [MEMORY_SES_ENDPOINT]: sesStub(mailCalls),
    [MEMORY_HYDRA_ADMIN_URL]: hydraStub(job.scenario, hydraCalls),
    [MEMORY_DYNAMODB_ENDPOINT]: dynamoStub(job.items, dynamoCalls),
  });
  watchModules(job.argon2, job.stubHash);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require(job.bundle) as {
    handler?: BundledHandler;
    getItem?: (table: string, pk: string) => Promise<unknown>;
  };
  let statusCode = 0;
  const run = async (index: number): Promise<number> => {
    if (job.mode === 'get' && loaded.getItem) {
      // The floor: one GetItem through the document client alone.
      const started = performance.now();
      const item = await loaded.getItem(process.env.USERS_TABLE ?? '', 'email#bench@example.com');
      const elapsed = performance.now() - started;
      statusCode = item ? 200 : 404;
      if (statusCode !== job.expectStatus) throw new Error('the floor read no item');
      return elapsed;
    }
    const event = structuredClone(job.event);
    if (!event || !loaded.handler) throw new Error(`${job.bundle}: no handler or no event`);
    const context = lambdaContext(job.functionName, { requestId: `warm-${index}` });
    const started = performance.now();
    const response = await loaded.handler(event, context);
    const elapsed = performance.now() - started;
    statusCode = response.statusCode;
    if (statusCode !== job.expectStatus) {
      throw new Error(
        `${job.functionName} answered ${statusCode}, expected ${job.expectStatus}: ${response.body?.slice(0, 300) ?? ''}`,
      );
    }
    return elapsed;
  };
  for (let index = 0; index < job.warmup; index += 1) await run(index);
  clear(hydraCalls);
  clear(dynamoCalls);
  clear(mailCalls);
  const durations: number[] = [];
  for (let index = 0; index < job.requests; index += 1) durations.push(await run(index));
  const result: WarmResult = {
    durations,
    statusCode,
    hydraCalls,
    dynamoCalls,
    mailCalls,
    rssMb: process.memoryUsage().rss / 1024 / 1024,
  };
  writeSync(3, `${JSON.stringify(result)}\n`);
  process.exit(0);
}

main().catch((error: Error) => {
  process.stderr.write(`warm-runner: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
