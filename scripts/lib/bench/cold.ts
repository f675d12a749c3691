/**
 * Cold starts: for each function, a fresh `node` that requires its bundle and answers its first
 * event (Hydra and DynamoDB stubbed), timed from the spawn to the first response; and the floors
 * measured the same way: bare `node`, and `node` requiring only the DynamoDB document client
 * (with and without its first GetItem). Runs go round-robin over the targets, so the shared
 * machine's noise spreads evenly; the first round is a warm-up (file cache) and is not counted.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { User } from '../../../shared/users/types';
import { startStubServer } from '../servers';
import type { StubItems } from '../stubs/dynamo';
import type { CallCounts, StubReply, StubRequest } from '../stubs/reply';
import type { BenchBuild } from './build';
import { secretsManagerStub } from '../stubs/secrets-manager';
import { sesStub } from '../stubs/ses';
import { packagesRun } from './coverage';
import {
  BENCH_SECRET_ID,
  benchSecretString,
  functionEnv,
  stubItems,
  type Scenario,
} from './fixtures';
import type { ColdResult, RunnerJob } from './protocol';
import { runChild } from './run-child';
import { summarize, type Summary } from '../stats';
import { dynamoStub, hydraStub, type HydraScenario } from './stubs';

/**
 * How a function is set up: `deployed` as serverless.yml deploys it now (its secrets read from
 * Secrets Manager at run time, no --enable-source-maps); `environment`: the same with its
 * secrets in the environment (the local stage); `before`: as deployed before both changes
 * (secrets in the environment, NODE_OPTIONS=--enable-source-maps).
 */
export type ColdVariant = 'deployed' | 'environment' | 'before';

const VARIANTS: Record<ColdVariant, { secretsManager: boolean; sourceMaps: boolean }> = {
  deployed: { secretsManager: true, sourceMaps: false },
  environment: { secretsManager: false, sourceMaps: false },
  before: { secretsManager: false, sourceMaps: true },
};

export interface ColdTarget {
  key: string;
  label: string;
  floor: boolean;
  functionName: string;
  job: RunnerJob;
  /** A fresh event for each run (a path whose event does not stay valid: ../fixtures). */
  freshEvent?: () => APIGatewayProxyEventV2;
  /** The status its first response must have (a function's path): another is an error, not a cold start. */
  expectStatus?: number;
  /** Only these variants (a probe's: `deployed`); every one asked for by default. */
  variants?: ColdVariant[];
}

export interface ColdMeasure extends Omit<
  ColdTarget,
  'job' | 'variants' | 'expectStatus' | 'freshEvent'
> {
  variant: ColdVariant;
  /** Spawn → first response, as the parent saw it. */
  wall: Summary;
  /** The same without the time spent inside argon2 (login POST only; otherwise equal). */
  wallWithoutHashing: Summary;
  /** The child's CPU time (user + system) until its first response. */
  cpu: Summary;
  require: Summary;
  firstEvent: Summary;
  hashing: Summary;
  statusCode: number | undefined;
  externals: string[];
  builtins: string[];
}

export function coldTargets(build: BenchBuild, scenarios: Scenario[], user: User): ColdTarget[] {
  const base = scenarios[0];
  if (!base) throw new Error('no scenarios');
  const common = { scenario: base.hydra, argon2: 'real' as const, stubHash: user.passwordHash };
  const floor = (
    key: string,
    label: string,
    mode: RunnerJob['mode'],
    bundle: string,
    functionName: string,
  ): ColdTarget => ({
    key,
    label,
    floor: true,
    functionName,
    job: { ...common, mode, bundle, functionName },
  });
  return [
    floor('floor-bare', 'floor: bare node', 'bare', '', 'bare'),
    floor(
      'floor-document-client',
      'floor: node + DynamoDB document client',
      'require',
      build.floor.file,
      'floor',
    ),
    floor(
      'floor-document-client-get',
      'floor: node + document client + 1 GetItem',
      'get',
      build.floor.file,
      'floor',
    ),
    ...build.probes.map((probe): ColdTarget => {
      // A probe that answers a path's event (every route in one function) is set up as the
      // function of that path; the others run on their own.
      const path = scenarios.find((candidate) => candidate.key === probe.answers);
      return {
        key: `probe-${probe.name}`,
        label: probe.label,
        floor: true,
        functionName: path?.functionName ?? 'probe',
        variants: ['deployed'],
        job: {
          ...common,
          ...(path ? { scenario: path.hydra, event: path.event } : {}),
          mode: path ? 'function' : 'probe',
          bundle: probe.file,
          functionName: path?.functionName ?? 'probe',
        },
      };
    }),
    ...scenarios
      .filter((candidate) => candidate.main)
      .map(({ functionName, label, hydra, event, expectStatus, freshEvent }): ColdTarget => {
        const bundle = build.functions.files[functionName];
        if (!bundle) throw new Error(`no bundle for ${functionName}`);
        return {
          key: functionName,
          label,
          floor: false,
          functionName,
          expectStatus,
          freshEvent,
          job: { ...common, scenario: hydra, mode: 'function', bundle, functionName, event },
        };
      }),
  ];
}

interface BenchStubs {
  hydraAdminUrl: string;
  dynamodbEndpoint: string;
  secretsManagerEndpoint: string;
  sesEndpoint: string;
  /** Hydra answers from now on as in this scenario, with fresh counts (runs are sequential). */
  reset(scenario: HydraScenario): void;
  /** Hydra's calls since the last reset, by operation. */
  hydraCalls(): CallCounts;
  close: () => Promise<void>;
}

/** The stubs on loopback servers; Hydra answers 500 until the first reset. */
async function startBenchStubs(
  items: StubItems,
  cookieSecret: string,
  latencyMs: number,
): Promise<BenchStubs> {
  let answer: ((request: StubRequest) => StubReply) | undefined;
  let counts: CallCounts = {};
  // Each answer `latencyMs` late, as a service a network away would be (0: loopback only).
  const late =
    (stub: (request: StubRequest) => StubReply) =>
    (request: StubRequest): StubReply | Promise<StubReply> =>
      latencyMs > 0
        ? new Promise((resolve) => setTimeout(() => resolve(stub(request)), latencyMs))
        : stub(request);
  const hydra = await startStubServer(late((request) => answer?.(request) ?? { status: 500 }));
  const dynamo = await startStubServer(late(dynamoStub(items, {})));
  const secrets = await startStubServer(
    late(secretsManagerStub({ [BENCH_SECRET_ID]: benchSecretString(cookieSecret) })),
  );
  const ses = await startStubServer(late(sesStub()));
  return {
    hydraAdminUrl: hydra.url,
    dynamodbEndpoint: dynamo.url,
    secretsManagerEndpoint: secrets.url,
    sesEndpoint: ses.url,
    reset(scenario) {
      counts = {};
      answer = hydraStub(scenario, counts);
    },
    hydraCalls: () => ({ ...counts }),
    close: async () => {
      await Promise.all([hydra.close(), dynamo.close(), secrets.close(), ses.close()]);
    },
  };
}

interface ColdOptions {
  build: BenchBuild;
  targets: ColdTarget[];
  user: User;
  /** A network round trip added to every stub's answer (ms; default none). */
  latencyMs?: number;
  cookieSecret: string;
}

/**
 * Runs `each` with the stubs up, handing it the environment of a target's runner: the
 * function's on Lambda, pointed at the stubs, Hydra reset to the target's scenario.
 */
async function withStubs<T>(
  options: ColdOptions,
  each: (
    env: (target: ColdTarget, variant: ColdVariant) => NodeJS.ProcessEnv,
    stubs: BenchStubs,
  ) => Promise<T>,
): Promise<T> {
  const stubs = await startBenchStubs(
    stubItems(options.user),
    options.cookieSecret,
    options.latencyMs ?? 0,
  );
  try {
    return await each((target, variant) => {
      stubs.reset(target.job.scenario);
      const { secretsManager, sourceMaps } = VARIANTS[variant];
      return functionEnv({
        functionName: target.functionName,
        cookieSecret: options.cookieSecret,
        dynamodbEndpoint: stubs.dynamodbEndpoint,
        hydraAdminUrl: stubs.hydraAdminUrl,
        sesEndpoint: stubs.sesEndpoint,
        sourceMaps,
        secretsManager: secretsManager ? stubs.secretsManagerEndpoint : undefined,
      });
    }, stubs);
  } finally {
    await stubs.close();
  }
}

/** Packages whose code ran in each function's cold start (one extra, untimed run each). */
export function coldCoverage(
  options: ColdOptions & { scratch: string },
): Promise<Record<string, Record<string, number>>> {
  return withStubs(options, async (env) => {
    const ran: Record<string, Record<string, number>> = {};
    for (const target of options.targets.filter((candidate) => !candidate.floor)) {
      ran[target.key] = await packagesRun(
        options.build.coldRunner,
        target.freshEvent ? { ...target.job, event: target.freshEvent() } : target.job,
        env(target, 'deployed'),
        options.scratch,
      );
    }
    return ran;
  });
}

export function measureCold(
  options: ColdOptions & {
    runs: number;
    variants: ColdVariant[];
    progress: (message: string) => void;
    nodeArgs?: string[];
  },
): Promise<ColdMeasure[]> {
  return withStubs(options, async (env, stubs) => {
    const samples = new Map<string, ColdResult[]>();
    const walls = new Map<string, number[]>();
    const warmupRounds = 1;
    for (let round = 0; round < options.runs + warmupRounds; round += 1) {
      for (const target of options.targets) {
        for (const variant of target.variants ?? options.variants) {
          const run = await runChild<ColdResult>(
            options.build.coldRunner,
            target.freshEvent ? { ...target.job, event: target.freshEvent() } : target.job,
            env(target, variant),
            { nodeArgs: options.nodeArgs ?? [] },
          );
          run.result.hydraCalls = stubs.hydraCalls();
          if (target.job.mode === 'function' && run.result.statusCode === undefined) {
            throw new Error(`${target.key}: no response`);
          }
          if (target.expectStatus !== undefined && run.result.statusCode !== target.expectStatus) {
            const problem = `${target.key} (${variant}) answered ${run.result.statusCode}, expected ${target.expectStatus}`;
            // The first round proves the set-up; later, a busy machine may make a deadline pass
            // (GET /health's checks have 1 s): said, not fatal to a long run.
            if (round < warmupRounds) throw new Error(problem);
            options.progress(`${problem} (round ${round + 1})`);
          }
          if (round < warmupRounds) continue;
          const id = `${target.key}|${variant}`;
          samples.set(id, [...(samples.get(id) ?? []), run.result]);
          walls.set(id, [...(walls.get(id) ?? []), run.wallMs]);
        }
      }
      options.progress(`cold starts: round ${round + 1} of ${options.runs + warmupRounds}`);
    }
    const measures: ColdMeasure[] = [];
    for (const target of options.targets) {
      for (const variant of target.variants ?? options.variants) {
        const id = `${target.key}|${variant}`;
        const results = samples.get(id) ?? [];
        const wall = walls.get(id) ?? [];
        const last = results[results.length - 1];
        measures.push({
          key: target.key,
          label: target.label,
          floor: target.floor,
          functionName: target.functionName,
          variant,
          wall: summarize(wall),
          wallWithoutHashing: summarize(
            wall.map((ms, index) => ms - (results[index]?.hashMs ?? 0)),
          ),
          cpu: summarize(results.map((result) => result.cpuMs)),
          require: summarize(results.map((result) => result.requireMs)),
          firstEvent: summarize(results.map((result) => result.handleMs)),
          hashing: summarize(results.map((result) => result.hashMs)),
          statusCode: last?.statusCode,
          externals: last?.externals ?? [],
          builtins: last?.builtins ?? [],
        });
      }
    }
    return measures;
  });
}
