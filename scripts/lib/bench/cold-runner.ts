/**
 * One cold start, in a fresh `node` process: Hydra's admin API and DynamoDB at stub endpoints
 * (HYDRA_ADMIN_URL and DYNAMODB_ENDPOINT, served by the parent, which counts the calls), then require one function's bundle and
 * hand it its first event. The result goes to fd 3 as one JSON line, then the process exits.
 * Bundled on its own by the benchmark: it imports nothing a function would not load anyway.
 */
import { readFileSync, writeSync } from 'node:fs';
import { watchModules } from './module-hook';
import { lambdaContext } from '../lambda-events';
import { type BundledHandler, type ColdResult, type RunnerJob } from './protocol';

function loadedBuiltins(): string[] {
  const list = (process as unknown as { moduleLoadList: string[] }).moduleLoadList;
  return list
    .filter(
      (entry) =>
        entry.startsWith('NativeModule ') &&
        (!entry.includes(' internal/') || entry.includes(' internal/deps/')),
    )
    .map((entry) => entry.slice('NativeModule '.length));
}

async function main(): Promise<void> {
  const job = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as RunnerJob;
  const watch = watchModules(job.argon2, job.stubHash);
  const before = new Set(loadedBuiltins());
  let statusCode: number | undefined;
  const started = performance.now();
  let required = started;
  if (job.mode !== 'bare') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(job.bundle) as {
      handler?: BundledHandler;
      getItem?: (table: string, pk: string) => Promise<unknown>;
      run?: () => Promise<void>;
    };
    required = performance.now();
    if (job.mode === 'function') {
      if (!loaded.handler || !job.event) throw new Error(`${job.bundle} has no handler`);
      const response = await loaded.handler(
        job.event,
        lambdaContext(job.functionName, { requestId: 'cold-1' }),
      );
      statusCode = response.statusCode;
    } else if (job.mode === 'probe') {
      if (!loaded.run) throw new Error(`${job.bundle} has no run`);
      await loaded.run();
      statusCode = 200;
    } else if (job.mode === 'get') {
      if (!loaded.getItem) throw new Error(`${job.bundle} has no getItem`);
      await loaded.getItem(process.env.USERS_TABLE ?? '', 'email#bench@example.com');
      statusCode = 200;
    }
  }
  const done = performance.now();
  const cpu = process.cpuUsage();
  const result: ColdResult = {
    sinceOriginMs: done,
    cpuMs: (cpu.user + cpu.system) / 1000,
    requireMs: required - started,
    handleMs: done - required,
    hashMs: watch.hashMs,
    statusCode,
    externals: watch.externals.filter((request) => request !== job.bundle),
    builtins: loadedBuiltins().filter((name) => !before.has(name)),
    hydraCalls: {},
  };
  writeSync(3, `${JSON.stringify(result)}\n`);
  process.exit(0);
}

main().catch((error: Error) => {
  process.stderr.write(`cold-runner: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
