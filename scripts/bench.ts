/**
 * `npm run bench -- [--runs 30] [--requests 2000] [--flows 30] [--no-package]`: how big, how fast
 * and how costly the functions are, each figure next to a floor measured in the same run:
 *
 *   1. bundle and zip size per function (the real `serverless package --stage prod`);
 *   2. cold start per function: a fresh `node` requiring its bundle and answering its first event,
 *      Hydra and DynamoDB stubbed; floors: bare `node`, `node` + the DynamoDB document client;
 *   3. warm overhead per path: ≥ 1,000 requests each, Hydra and DynamoDB answered in-process;
 *   4. password verification at the configured argon2id parameters;
 *   5. whole sign-ins through a real Hydra against the floor (a harness that accepts at once);
 *   6. Hydra admin calls and DynamoDB requests per step, against the protocol minimum;
 *   7. the cost of 1 million sign-ins at list prices.
 *
 * Writes bench-results/bench.json and bench-results/bench.md, prints the Markdown and each
 * target (scripts/lib/bench/targets.ts) with pass or miss. Not part of `npm test`.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildBench } from './lib/bench/build';
import { coldCoverage, coldTargets, measureCold } from './lib/bench/cold';
import { estimateCost } from './lib/bench/cost';
import { BENCH_PASSWORD, benchUser, scenarios } from './lib/bench/fixtures';
import { measureFlows } from './lib/bench/flow';
import { measureHashing } from './lib/bench/hashing';
import { markdown, targets, type BenchData, type Meta } from './lib/bench/report';
import { bundleSizes, packageZips, type ZipSize } from './lib/bench/sizes';
import { measureWarm } from './lib/bench/warm';
import { REPO_ROOT } from './lib/paths';
import { loadArgon2Parameters } from '../shared/config';
import { createPasswordHasher } from '../shared/users/password';

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

function meta(): Meta {
  return {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    node: process.version,
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus().length,
    loadAverage: loadavg(),
    commit: git(['rev-parse', '--short', 'HEAD']) || 'unknown',
    dirty: git(['status', '--porcelain', '--untracked-files=no']).length > 0,
  };
}

function positive(name: string, value: string | undefined): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new UsageError(`--${name} must be a positive whole number`);
  return number;
}

const USAGE = `usage: npm run bench -- [--runs N] [--requests N] [--flows N] [--latency MS] [--no-package] [--out DIR]
  --runs N        cold starts per function and floor (default 30)
  --requests N    warm requests per path (default 2000)
  --flows N       sign-in flows through real Hydra, ours and the floor each (default 30)
  --latency MS    a round trip added to every stub's answer in the cold starts (default 0: loopback)
  --no-package    skip \`serverless package\` (no zip sizes)
  --out DIR       where bench.json and bench.md go (default bench-results/)`;

/** A mistake on the command line: the message and the usage, no stack trace. */
class UsageError extends Error {}

function options() {
  try {
    return parseArgs({
      options: {
        runs: { type: 'string', default: '30' },
        requests: { type: 'string', default: '2000' },
        flows: { type: 'string', default: '30' },
        latency: { type: 'string', default: '0' },
        'no-package': { type: 'boolean', default: false },
        out: { type: 'string', default: join(REPO_ROOT, 'bench-results') },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function main(): Promise<void> {
  const values = options();
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const runs = positive('runs', values.runs);
  const requests = positive('requests', values.requests);
  const flows = positive('flows', values.flows);
  const latencyMs = Number(values.latency);
  if (!Number.isInteger(latencyMs) || latencyMs < 0) {
    throw new UsageError('--latency must be a whole number of milliseconds');
  }
  const started = performance.now();
  const info = meta();
  const scratch = mkdtempSync(join(tmpdir(), 'hlc-bench-'));
  try {
    progress('bundling');
    const build = await buildBench(join(scratch, 'build'));
    const sizes = bundleSizes(build);
    let zips: Record<string, ZipSize> | undefined;
    if (!values['no-package']) {
      progress('serverless package --stage prod (a copy of the repository)');
      zips = await packageZips(join(scratch, 'package'));
    }

    progress('password hashing');
    const hashing = await measureHashing(20);
    const hasher = createPasswordHasher(
      loadArgon2Parameters(process.env),
      process.env.PASSWORD_PEPPER || undefined,
    );
    const user = benchUser(await hasher.hash(BENCH_PASSWORD));
    const cookieSecret = randomBytes(32).toString('base64url');
    const paths = scenarios(user, cookieSecret);

    progress(`cold starts: ${runs} runs per target and variant`);
    const targetsToRun = coldTargets(build, paths, user);
    const cold = await measureCold({
      build,
      targets: targetsToRun,
      user,
      cookieSecret,
      runs,
      variants: ['deployed', 'environment', 'before'],
      latencyMs,
      progress,
    });
    progress('what each cold start runs (V8 coverage)');
    const ran = await coldCoverage({ build, targets: targetsToRun, user, cookieSecret, scratch });

    progress(`warm overhead: ${requests} requests per path`);
    const warm = await measureWarm({
      build,
      scenarios: paths,
      user,
      cookieSecret,
      requests,
      warmup: Math.min(500, Math.ceil(requests / 5)),
      progress,
    });

    progress(`sign-in flows: ${flows} of ours and ${flows} of the floor against a real Hydra`);
    const flow = await measureFlows({
      build,
      scratch,
      flows,
      warmup: 3,
      block: 5,
      progress,
    });
    const medianByFunction = Object.fromEntries(
      Object.entries(flow.invocations).map(([name, summary]) => [name, summary.p50]),
    );
    const loginPostCold = cold.find(
      (measure) => measure.key === 'login-post' && measure.variant === 'deployed',
    );
    const cost = estimateCost(medianByFunction, flow.calls, loginPostCold?.wall.p50 ?? NaN);

    const data: BenchData = {
      meta: { ...info, seconds: Math.round((performance.now() - started) / 1000) },
      bundles: sizes.functions,
      floorBundle: sizes.floor,
      probeBundles: sizes.probes,
      zips,
      cold,
      ran,
      warm,
      hashing,
      flow,
      cost,
    };
    const verdicts = targets(data);
    const report = markdown(data, verdicts);
    mkdirSync(values.out, { recursive: true });
    writeFileSync(
      join(values.out, 'bench.json'),
      `${JSON.stringify({ ...data, targets: verdicts }, null, 2)}\n`,
    );
    writeFileSync(join(values.out, 'bench.md'), `${report}\n`);
    console.log(report);
    const missed = verdicts.filter((target) => !target.pass);
    console.log(
      `\n${verdicts.length - missed.length} of ${verdicts.length} targets met; ` +
        `${missed.length} missed${missed.length ? `: ${missed.map((target) => target.name).join('; ')}` : ''}. ` +
        `Written to ${values.out}/bench.{json,md} in ${data.meta.seconds} s.`,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    if (error instanceof UsageError) {
      console.error(`bench: ${error.message}\n${USAGE}`);
      process.exit(2);
    }
    console.error(`bench: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
