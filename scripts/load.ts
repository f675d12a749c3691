/**
 * `npm run load -- [--flows N] [--concurrency C] [--via in-process|offline]`: N complete sign-ins
 * (authorize → our login form → our consent form → code → tokens) through a real Hydra and our
 * functions (in this process behind the local adapter, or under serverless offline), C at a
 * time, all on 127.0.0.1 (scripts/lib/stack.ts). Reports throughput, latency and errors, and
 * exits non-zero on any error. Bounded: it stops after N flows or --max-seconds, whichever first.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { signInOverHttp } from './lib/http-flow';
import { CACHE_DIR } from './lib/paths';
import { startStack, type Stack } from './lib/stack';
import { summarize } from './lib/stats';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      flows: { type: 'string', default: '200' },
      concurrency: { type: 'string', default: '20' },
      'max-seconds': { type: 'string', default: '300' },
      via: { type: 'string', default: 'in-process' },
    },
  });
  const flows = Number(values.flows);
  const concurrency = Number(values.concurrency);
  const maxSeconds = Number(values['max-seconds']);
  const via = values.via;
  if (via !== 'in-process' && via !== 'offline') {
    console.error(
      'load: --via must be in-process (our functions behind a thin local adapter) or offline (serverless offline)',
    );
    return 2;
  }
  for (const [name, value] of Object.entries({ flows, concurrency, maxSeconds })) {
    if (!Number.isInteger(value) || value < 1) {
      console.error(`load: --${name} must be a positive whole number`);
      return 2;
    }
  }

  let stack: Stack | undefined;
  try {
    stack = await startStack({
      logDir: join(CACHE_DIR, 'load-logs'),
      // Hydra's SQLite (memory or file) fails concurrent writes ("database is locked"): under
      // load, Hydra gets a throwaway PostgreSQL when the machine has one.
      hydra: { database: 'concurrent' },
      functions: { via },
      functionEnv: {
        // Every flow comes from 127.0.0.1: the per-IP limit would be the bottleneck, not the code.
        THROTTLE_MAX_PER_IP: '1000000',
        LOG_LEVEL: 'warn',
      },
      relyingParty: { id: 'load-test', name: 'Load test' },
      warn: (message) => console.warn(`load: ${message}`),
    });
    const { appUrl, relyingParty } = stack;
    if (!relyingParty) throw new Error('no relying party');
    const { rp, redirectUri } = relyingParty;
    // One user per worker, as real sign-ins come from many people: one account signing in 20
    // times at once would (rightly) run into the per-account throttle.
    const users = Array.from({ length: concurrency }, (_, index) => ({
      email: `load-${index}@example.com`,
      password: randomBytes(12).toString('base64url'),
    }));
    for (const user of users) await stack.users.create(user);

    console.log(
      `load: ${flows} sign-ins, ${concurrency} at a time, functions ${via} at ${appUrl}, Hydra ${stack.hydraVersion ?? '(yours)'}`,
    );
    const deadline = Date.now() + maxSeconds * 1000;
    const durations: number[] = [];
    const errors = new Map<string, number>();
    let next = 0;
    const started = performance.now();
    const worker = async (user: { email: string; password: string }) => {
      while (next < flows && Date.now() < deadline) {
        next += 1;
        const flowStarted = performance.now();
        try {
          const tokens = await signInOverHttp(rp, {
            appUrl,
            redirectUri,
            identifier: user.email,
            password: user.password,
            params: { scope: 'openid profile email' },
          });
          if (!tokens.id_token) throw new Error('no ID token');
          durations.push(performance.now() - flowStarted);
        } catch (error) {
          const message = (error as Error).message;
          errors.set(message, (errors.get(message) ?? 0) + 1);
        }
      }
    };
    await Promise.all(users.map(worker));
    const seconds = (performance.now() - started) / 1000;
    const latency = summarize(durations);
    const failed = [...errors.values()].reduce((sum, count) => sum + count, 0);
    console.log(
      [
        `flows completed   ${durations.length} of ${flows} in ${seconds.toFixed(1)} s`,
        `throughput        ${(durations.length / seconds).toFixed(1)} sign-ins/s`,
        `latency per flow  p50 ${latency.p50.toFixed(0)} ms, p90 ${latency.p90.toFixed(0)} ms, p99 ${latency.p99.toFixed(0)} ms`,
        `errors            ${failed}`,
        ...[...errors].map(([message, count]) => `  ${count} × ${message}`),
      ].join('\n'),
    );
    return failed === 0 && durations.length === flows ? 0 : 1;
  } finally {
    await stack?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`load: ${error.message}`);
    process.exit(1);
  },
);
