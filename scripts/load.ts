/**
 * `npm run load -- [--flows N] [--concurrency C]`: N complete sign-ins (authorize → our login
 * form → our consent form → code → tokens) through a real Hydra and our functions under
 * serverless offline, C at a time, all on 127.0.0.1. Reports throughput, latency and errors, and
 * exits non-zero on any error. Bounded: it stops after N flows or --max-seconds, whichever first.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findOrBuildHydra, startHydra } from './lib/hydra';
import { CACHE_DIR } from './lib/paths';
import { signInOverHttp } from './lib/http-flow';
import { bundleFunctions } from './lib/bundle';
import { startLocalFunctions } from './lib/local-adapter';
import { startOffline } from './lib/offline';
import { findPostgresBin, startPostgres } from './lib/postgres';
import { freePort } from './lib/servers';
import { registerRelyingParty } from './lib/relying-party';
import { LOCAL_USERS_TABLE, localUserStore, startLocalDynamo } from './lib/dynamo';

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

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

  const stops: Array<() => Promise<void>> = [];
  try {
    const logDir = join(CACHE_DIR, 'load-logs');
    const [appPort, lambdaPort, publicPort, adminPort, callbackPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const scratch = mkdtempSync(join(tmpdir(), 'hlc-load-'));
    stops.push(async () => rmSync(scratch, { recursive: true, force: true }));
    // Hydra's SQLite (memory or file) fails concurrent writes ("database is locked"): under
    // load, Hydra gets a throwaway PostgreSQL when the machine has one.
    let hydraDsn = `sqlite://${join(scratch, 'hydra.sqlite')}?_fk=true&_journal_mode=WAL&_busy_timeout=10000`;
    if (findPostgresBin()) {
      const postgres = await startPostgres(join(logDir, 'postgres.log'));
      stops.push(postgres.stop);
      hydraDsn = postgres.dsn;
    } else {
      console.warn(
        'load: PostgreSQL not found (apt-get install postgresql): Hydra on SQLite, which fails concurrent writes',
      );
    }
    const dynamo = await startLocalDynamo({});
    stops.push(dynamo.stop);
    const hydra = await startHydra({
      binary: findOrBuildHydra(),
      publicPort,
      adminPort,
      appUrl: `http://127.0.0.1:${appPort}`,
      logFile: join(logDir, 'hydra.log'),
      dsn: hydraDsn,
    });
    stops.push(hydra.stop);
    const functionEnv = {
      HYDRA_ADMIN_URL: hydra.adminUrl,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      USERS_TABLE: LOCAL_USERS_TABLE,
      COOKIE_SECRET: randomBytes(32).toString('base64url'),
      COOKIE_SECURE: 'false',
      // Every flow comes from 127.0.0.1: the per-IP limit would be the bottleneck, not the code.
      THROTTLE_MAX_PER_IP: '1000000',
      LOG_LEVEL: 'warn',
    };
    let appUrl: string;
    if (via === 'offline') {
      const offline = await startOffline({
        port: appPort,
        lambdaPort,
        hydraAdminUrl: functionEnv.HYDRA_ADMIN_URL,
        dynamodbEndpoint: functionEnv.DYNAMODB_ENDPOINT,
        usersTable: functionEnv.USERS_TABLE,
        cookieSecret: functionEnv.COOKIE_SECRET,
        logFile: join(logDir, 'functions.log'),
        extraEnv: functionEnv,
      });
      stops.push(offline.stop);
      appUrl = offline.url;
    } else {
      Object.assign(process.env, functionEnv);
      const local = await startLocalFunctions(
        await bundleFunctions(join(CACHE_DIR, 'bundles')),
        appPort,
      );
      stops.push(local.close);
      appUrl = local.url;
    }

    const redirectUri = `http://127.0.0.1:${callbackPort}/callback`;
    const rp = await registerRelyingParty(hydra, {
      id: 'load-test',
      name: 'Load test',
      redirectUri,
    });
    // One user per worker, as real sign-ins come from many people: one account signing in 20
    // times at once would (rightly) run into the per-account throttle.
    const store = localUserStore(dynamo.endpoint);
    const users = Array.from({ length: concurrency }, (_, index) => ({
      email: `load-${index}@example.com`,
      password: randomBytes(12).toString('base64url'),
    }));
    for (const user of users) await store.create(user);

    console.log(`load: ${flows} sign-ins, ${concurrency} at a time, functions ${via} at ${appUrl}`);
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
    durations.sort((a, b) => a - b);
    const failed = [...errors.values()].reduce((sum, count) => sum + count, 0);
    console.log(
      [
        `flows completed   ${durations.length} of ${flows} in ${seconds.toFixed(1)} s`,
        `throughput        ${(durations.length / seconds).toFixed(1)} sign-ins/s`,
        `latency per flow  p50 ${percentile(durations, 50).toFixed(0)} ms, p90 ${percentile(durations, 90).toFixed(0)} ms, p99 ${percentile(durations, 99).toFixed(0)} ms`,
        `errors            ${failed}`,
        ...[...errors].map(([message, count]) => `  ${count} × ${message}`),
      ].join('\n'),
    );
    return failed === 0 && durations.length === flows ? 0 : 1;
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`load: ${error.message}`);
    process.exit(1);
  },
);
