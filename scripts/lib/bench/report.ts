/** The bench's verdicts (./targets, each against a floor of the same run) and its Markdown. */
import type { ColdMeasure } from './cold';
import type { CostEstimate } from './cost';
import type { FlowMeasure } from './flow';
import type { HashingMeasure } from './hashing';
import type { CallCounts } from '../stubs/reply';
import type { BundleSize, ZipSize } from './sizes';
import { functionRoutes, memoryMb, serverlessFunctions } from '../serverless';
import { kb, ms } from '../stats';
import {
  FLOW_BUDGET,
  FUNCTION_BUDGETS,
  MINIMUM_CALLS,
  SIGN_IN_COLD,
  SIGN_IN_STEPS,
  WARM_BUDGET,
} from './targets';
import { WARM_FLOOR, type WarmMeasure } from './warm';

export interface Meta {
  date: string;
  node: string;
  cpu: string;
  cores: number;
  loadAverage: number[];
  commit: string;
  /** Uncommitted changes in the working tree at the time of the run. */
  dirty: boolean;
  seconds?: number;
}

export interface BenchData {
  meta: Meta;
  bundles: Record<string, BundleSize>;
  floorBundle: BundleSize;
  /** The alternatives measured beside the functions (./probes), by name. */
  probeBundles: Record<string, BundleSize>;
  zips: Record<string, ZipSize> | undefined;
  cold: ColdMeasure[];
  /** Packages whose code ran in a cold start (V8 coverage), by function. */
  ran: Record<string, Record<string, number>>;
  warm: WarmMeasure[];
  hashing: HashingMeasure;
  flow: FlowMeasure;
  cost: CostEstimate;
}

export interface Target {
  name: string;
  limit: string;
  measured: string;
  pass: boolean;
}

const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem']);

function total(counts: CallCounts): number {
  return Object.values(counts).reduce((sum, value) => sum + value, 0);
}

function dynamoSplit(counts: CallCounts): { reads: number; writes: number } {
  let reads = 0;
  let writes = 0;
  for (const [operation, value] of Object.entries(counts)) {
    if (READS.has(operation)) reads += value;
    else writes += value;
  }
  return { reads, writes };
}

function sameCalls(
  hydra: CallCounts,
  dynamo: CallCounts,
  key: string,
  mails: CallCounts = {},
): boolean {
  const minimum = MINIMUM_CALLS[key];
  if (!minimum) return false;
  if (Math.round(total(mails) * 100) !== Math.round((minimum.mails ?? 0) * 100)) return false;
  const names = new Set([...Object.keys(hydra), ...Object.keys(minimum.hydra)]);
  for (const name of names) {
    if (Math.round((hydra[name] ?? 0) * 100) !== Math.round((minimum.hydra[name] ?? 0) * 100)) {
      return false;
    }
  }
  const { reads, writes } = dynamoSplit(dynamo);
  return reads <= minimum.reads && writes <= minimum.writes;
}

function describeCalls(hydra: CallCounts, dynamo: CallCounts, mails: CallCounts = {}): string {
  const { reads, writes } = dynamoSplit(dynamo);
  const round = (value: number) => String(Math.round(value * 100) / 100);
  const sent = total(mails);
  return (
    `Hydra ${round(total(hydra))}, DynamoDB ${round(reads)} R / ${round(writes)} W` +
    (sent > 0 ? `, ${round(sent)} mail` : '')
  );
}

export function coldOf(
  data: BenchData,
  key: string,
  variant = 'deployed',
): ColdMeasure | undefined {
  return data.cold.find((measure) => measure.key === key && measure.variant === variant);
}

/** Cold start time used for the targets: login POST without its (deliberate) password work. */
function coldMs(measure: ColdMeasure): number {
  return measure.wallWithoutHashing.p50;
}

/** A package of the AWS SDK (v3: @aws-sdk/ and its @smithy/ core). */
function isAwsSdk(pkg: string): boolean {
  return pkg.startsWith('@aws-sdk/') || pkg.startsWith('@smithy/');
}

/** A function's cold-start and bundle targets, against the floor its budget names. */
function functionTargets(data: BenchData, name: string, bundle: BundleSize): Target[] {
  const budget = FUNCTION_BUDGETS[name];
  if (!budget) {
    return [{ name: `${name}: budget`, limit: 'one in targets.ts', measured: 'none', pass: false }];
  }
  const cold = coldOf(data, name);
  const list: Target[] = [];
  if (!cold) {
    list.push({
      name: `${name}: cold start (median)`,
      limit: 'a measured path (fixtures.ts)',
      measured: 'none',
      pass: false,
    });
  }
  if (budget.floor === 'document client') {
    const floor = coldOf(data, 'floor-document-client');
    if (cold && floor) {
      const ratio = coldMs(cold) / floor.wall.p50;
      list.push({
        name: `${name}: cold start (median)`,
        limit: `≤ ${budget.coldStartTimes} × (node + document client)`,
        measured:
          `${ms(coldMs(cold))} ms = ${ratio.toFixed(2)} × ${ms(floor.wall.p50)} ms ` +
          `(CPU ${ms(cold.cpu.p50)} = ${(cold.cpu.p50 / floor.cpu.p50).toFixed(2)} × ${ms(floor.cpu.p50)})`,
        pass: ratio <= budget.coldStartTimes,
      });
    }
    const ratio = bundle.bytes / data.floorBundle.bytes;
    list.push({
      name: `${name}: bundle`,
      limit: `≤ ${budget.bundleTimes} × document client alone`,
      measured: `${kb(bundle.bytes)} = ${ratio.toFixed(2)} × ${kb(data.floorBundle.bytes)}`,
      pass: ratio <= budget.bundleTimes,
    });
    return list;
  }
  const ran = Object.keys(data.ran[name] ?? {}).filter(isAwsSdk);
  list.push({
    name: `${name}: loads no AWS SDK`,
    limit: 'none in the bundle or run',
    measured: bundle.awsSdk || ran.length > 0 ? 'loads it' : 'none',
    pass: !bundle.awsSdk && ran.length === 0,
  });
  const bare = coldOf(data, 'floor-bare');
  if (cold && bare) {
    const extra = coldMs(cold) - bare.wall.p50;
    list.push({
      name: `${name}: cold start (median)`,
      limit: `≤ bare node + ${budget.coldStartPlusMs} ms`,
      measured: `${ms(coldMs(cold))} ms = bare ${ms(bare.wall.p50)} + ${ms(extra)} ms`,
      pass: extra <= budget.coldStartPlusMs,
    });
  }
  list.push({
    name: `${name}: bundle`,
    limit: `≤ ${budget.bundleBytes / 1024} KB`,
    measured: kb(bundle.bytes),
    pass: bundle.bytes <= budget.bundleBytes,
  });
  return list;
}

function callsTarget(
  name: string,
  key: string,
  hydra: CallCounts,
  dynamo: CallCounts,
  mails: CallCounts = {},
): Target {
  return {
    name,
    limit: 'protocol minimum',
    measured: describeCalls(hydra, dynamo, mails),
    pass: sameCalls(hydra, dynamo, key, mails),
  };
}

export function targets(data: BenchData): Target[] {
  const list = functionOrder(data).flatMap((name) => {
    const bundle = data.bundles[name];
    return bundle ? functionTargets(data, name, bundle) : [];
  });
  const paths = data.warm.filter((measure) => measure.key !== WARM_FLOOR);
  for (const name of Object.keys(FUNCTION_BUDGETS)) {
    if (!paths.some((measure) => measure.functionName === name)) {
      list.push({
        name: `${name}: warm path`,
        limit: 'one measured',
        measured: 'none',
        pass: false,
      });
    }
  }
  for (const warm of paths) {
    list.push({
      name: `${warm.key}: warm overhead`,
      limit: `p50 ≤ ${WARM_BUDGET.p50Ms} ms, p99 ≤ ${WARM_BUDGET.p99Ms} ms`,
      measured: `p50 ${ms(warm.perRequest.p50)} ms, p99 ${ms(warm.perRequest.p99)} ms`,
      pass: warm.perRequest.p50 <= WARM_BUDGET.p50Ms && warm.perRequest.p99 <= WARM_BUDGET.p99Ms,
    });
  }
  const ratio = data.flow.oursWithoutHashing.p50 / data.flow.floor.p50;
  list.push({
    name: 'sign-in flow: ours / floor, without hashing (medians)',
    limit: `≤ ${FLOW_BUDGET.oursOverFloor}`,
    measured: `${ms(data.flow.oursWithoutHashing.p50)} / ${ms(data.flow.floor.p50)} ms = ${ratio.toFixed(2)}`,
    pass: ratio <= FLOW_BUDGET.oursOverFloor,
  });
  // A sign-in's steps are counted against real Hydra and dynalite; the other paths by the stubs.
  const routes = functionRoutes();
  const stepPaths = SIGN_IN_STEPS.map((step) => routes[step]);
  for (const step of SIGN_IN_STEPS) {
    const calls = data.flow.calls[step];
    const key = routes[step];
    if (calls && key) {
      list.push(
        callsTarget(`${step}: calls (real Hydra + dynalite)`, key, calls.hydra, calls.dynamo),
      );
    }
  }
  for (const warm of paths.filter((measure) => !stepPaths.includes(measure.key))) {
    list.push(
      callsTarget(
        `${warm.key}: calls (stubs)`,
        warm.key,
        warm.hydraCalls,
        warm.dynamoCalls,
        warm.mailCalls,
      ),
    );
  }
  return list;
}

/** The functions in serverless.yml's order (a sign-in's, then the others), then any other. */
function functionOrder(data: BenchData): string[] {
  const declared = serverlessFunctions().map((definition) => definition.file);
  const rank = (name: string) =>
    declared.includes(name) ? declared.indexOf(name) : declared.length;
  return Object.keys(data.bundles).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function loads(data: BenchData, name: string): string {
  const cold = coldOf(data, name);
  const ran = Object.keys(data.ran[name] ?? {});
  const parts: string[] = [];
  if (ran.some(isAwsSdk)) parts.push('AWS SDK');
  if (cold?.externals.some((request) => request.startsWith('@node-rs/argon2')))
    parts.push('argon2');
  if (cold?.builtins.includes('internal/deps/undici/undici')) parts.push('fetch (undici)');
  return parts.length > 0 ? parts.join(', ') : '—';
}

export function markdown(data: BenchData, verdicts: Target[]): string {
  const { meta, flow, cost, hashing } = data;
  const functions = functionOrder(data);
  const coldCell = (measure: ColdMeasure | undefined) =>
    measure ? `${ms(measure.wall.p50)} (${ms(measure.wall.p90)})` : 'n/a';
  const cpuCell = (measure: ColdMeasure | undefined) => (measure ? ms(measure.cpu.p50) : 'n/a');
  const variantCell = (key: string, variant: string) => {
    const measure = coldOf(data, key, variant);
    return measure ? `${ms(measure.wall.p50)} / ${ms(measure.cpu.p50)}` : 'n/a';
  };
  const sections: string[] = [];
  sections.push(
    `Measured ${meta.date} on ${meta.cpu} (${meta.cores} cores, shared: load ${meta.loadAverage
      .map((value) => value.toFixed(1))
      .join(
        ' / ',
      )} at start), Node ${meta.node}, commit ${meta.commit}${meta.dirty ? ' + local changes' : ''}. ` +
      'Medians (p50) and percentiles, since other work ran on the machine; x86, not Graviton.',
  );
  sections.push(
    table(
      [
        'function',
        'memory',
        'bundle',
        'zip',
        'cold start ms p50 (p90)',
        'CPU ms p50',
        'secrets in the environment: ms / CPU ms',
        'before: + --enable-source-maps: ms / CPU ms',
        'runs at cold start',
      ],
      functions.map((name) => {
        const cold = coldOf(data, name);
        const zip = data.zips?.[name];
        return [
          name,
          `${memoryMb(name)} MB`,
          kb(data.bundles[name]?.bytes ?? NaN),
          zip ? kb(zip.bytes) : 'n/a',
          name === 'login-post' && cold
            ? `${coldCell(cold)}, ${ms(cold.wallWithoutHashing.p50)} without the hash`
            : coldCell(cold),
          cpuCell(cold),
          variantCell(name, 'environment'),
          variantCell(name, 'before'),
          loads(data, name),
        ];
      }),
    ),
  );
  sections.push(
    table(
      [
        'floor',
        'bundle',
        'cold start ms p50 (p90)',
        'CPU ms p50',
        'environment: ms / CPU ms',
        'before: ms / CPU ms',
      ],
      [
        ['bare `node`', 'floor-bare'],
        ['node + DynamoDB document client', 'floor-document-client'],
        ['node + document client + 1 GetItem', 'floor-document-client-get'],
      ].map(([label = '', key = '']) => {
        const measure = coldOf(data, key);
        const bundle = key === 'floor-bare' ? '—' : kb(data.floorBundle.bytes);
        return [
          label,
          bundle,
          coldCell(measure),
          cpuCell(measure),
          variantCell(key, 'environment'),
          variantCell(key, 'before'),
        ];
      }),
    ),
  );
  sections.push(probesTable(data));
  sections.push(signInAfterIdle(data));
  sections.push(
    `Cold start: a fresh \`node\` (${data.meta.node}) from its spawn to the first response, ${data.cold[0]?.wall.n ?? 0} runs per row, ` +
      'Hydra, DynamoDB and Secrets Manager stubbed, deployed settings (secrets read from Secrets Manager at run time, no --enable-source-maps; the map is in the zip); login-post verifies a real password. ' +
      '"Secrets in the environment": the same without Secrets Manager (the local stage). "Before": secrets in the environment and NODE_OPTIONS=--enable-source-maps, as deployed until this change. ' +
      'CPU: user + system time of the whole process (all threads). Runs at cold start: packages whose code ran (V8 coverage) and modules loaded. ' +
      `Warm (below): handler call to response, ${data.warm[0]?.perRequest.n ?? 0} requests per path after a warm-up; Hydra and DynamoDB answered over in-memory sockets ` +
      '(the AWS SDK runs, the network does not), argon2 stubbed (its cost is the verify time under the flow). Calls counted by the stubs.',
  );
  sections.push(
    table(
      ['path', 'warm p50 ms', 'warm p99 ms', 'Hydra admin calls', 'DynamoDB R / W', 'minimum'],
      data.warm.map((warm) => {
        const { reads, writes } = dynamoSplit(warm.dynamoCalls);
        const minimum = MINIMUM_CALLS[warm.key];
        return [
          warm.label,
          ms(warm.perRequest.p50),
          ms(warm.perRequest.p99),
          String(total(warm.hydraCalls)),
          `${reads} / ${writes}`,
          minimum
            ? `${total(minimum.hydra)}, ${minimum.reads} / ${minimum.writes}: ${minimum.why}`
            : '',
        ];
      }),
    ),
  );
  const ratio = flow.ours.p50 / flow.floor.p50;
  const ratioWithout = flow.oursWithoutHashing.p50 / flow.floor.p50;
  sections.push(
    table(
      [`sign-in flow (real Hydra ${flow.hydraVersion})`, 'p50 ms', 'p90 ms', 'ours / floor (p50)'],
      [
        ['ours', ms(flow.ours.p50), ms(flow.ours.p90), ratio.toFixed(2)],
        [
          'ours without hashing',
          ms(flow.oursWithoutHashing.p50),
          ms(flow.oursWithoutHashing.p90),
          ratioWithout.toFixed(2),
        ],
        ['floor: harness accepts via the admin API', ms(flow.floor.p50), ms(flow.floor.p90), '1'],
      ],
    ),
  );
  sections.push(
    `${flow.flows} sequential flows each (ours and floor alternating in blocks), after a warm-up. ` +
      'Our functions run in-process behind the thin API Gateway adapter (scripts/lib/local-adapter.ts), ' +
      "so serverless offline's overhead is not counted; users in dynalite; Hydra with an in-memory database. " +
      '"Without hashing" subtracts each flow\'s own time inside argon2. ' +
      `Keep-alive: our functions opened ${flow.connections.hydraAdmin} connection(s) to Hydra's admin API and ${flow.connections.dynamo} to DynamoDB in ${flow.flows} flows. ` +
      `Password verification (argon2id m=${hashing.parameters.memoryCost} KiB, t=${hashing.parameters.timeCost}, ` +
      `p=${hashing.parameters.parallelism}): p50 ${ms(hashing.verify.p50)} ms, p90 ${ms(hashing.verify.p90)} ms.`,
  );
  sections.push(
    table(
      ['per 1 million sign-ins', 'USD'],
      [
        ...cost.steps.map((step) => [
          `Lambda ${step.functionName} (${step.memoryMb} MB, ${step.billedMs} ms billed)`,
          step.lambdaUsd.toFixed(2),
        ]),
        [
          `Lambda requests (${cost.steps.length} × $0.20 per million)`,
          cost.lambdaRequestsUsd.toFixed(2),
        ],
        [
          `HTTP API requests (${cost.steps.length} × $1.00 per million)`,
          cost.httpApiUsd.toFixed(2),
        ],
        [
          `DynamoDB on demand (${cost.steps.reduce((sum, step) => sum + step.readUnits, 0)} RRU + ${cost.steps.reduce((sum, step) => sum + step.writeUnits, 0)} WRU per sign-in)`,
          cost.dynamoUsd.toFixed(2),
        ],
        ['**total**', `**${cost.totalUsd.toFixed(2)}**`],
      ],
    ),
  );
  sections.push(
    `Prices as published, checked ${cost.prices.checked} (${cost.prices.region}): Lambda arm64 $${cost.prices.lambdaArmPerGbSecond} per GB-second ` +
      `and $${cost.prices.lambdaPerMillionRequests.toFixed(2)} per million requests, HTTP API $${cost.prices.httpApiPerMillionRequests.toFixed(2)} per million, ` +
      `DynamoDB on demand $${cost.prices.dynamoPerMillionReadUnits} per million RRU and $${cost.prices.dynamoPerMillionWriteUnits} per million WRU. ` +
      'Billed time is the median handler time in the flow above, rounded up to the ms, measured on this x86 machine ' +
      'against local Hydra and dynalite (not Graviton, not DynamoDB over the network). ' +
      `Cold starts are extra: each login-post INIT costs about $${cost.per1000ColdStartsUsd.toFixed(4)} per 1,000.`,
  );
  sections.push(
    table(
      ['target', 'limit', 'measured', 'result'],
      verdicts.map((target) => [
        target.name,
        target.limit,
        target.measured,
        target.pass ? 'pass' : '**miss**',
      ]),
    ),
  );
  return sections.join('\n\n');
}

/** The alternatives the choices were made by: each probe against bare node, same run. */
function probesTable(data: BenchData): string {
  const bare = coldOf(data, 'floor-bare');
  const rows = Object.entries(data.probeBundles).map(([name, bundle]) => {
    const measure = coldOf(data, `probe-${name}`);
    const extra = (value: number | undefined, floor: number | undefined) =>
      value === undefined || floor === undefined ? 'n/a' : `+${ms(value - floor)}`;
    return [
      measure?.label.replace(/^probe: /, '') ?? name,
      kb(bundle.bytes),
      measure ? `${ms(measure.wall.p50)} (${ms(measure.wall.p90)})` : 'n/a',
      extra(measure?.wall.p50, bare?.wall.p50),
      measure ? ms(measure.cpu.p50) : 'n/a',
      extra(measure?.cpu.p50, bare?.cpu.p50),
    ];
  });
  return [
    table(
      [
        'alternative (probe)',
        'bundle',
        'cold start ms p50 (p90)',
        'over bare node',
        'CPU ms p50',
        'CPU over bare node',
      ],
      rows,
    ),
    'Probes: a bundle built like a function that does only this (scripts/lib/bench/probes), a fresh `node` each run, the secret from the Secrets Manager stub over loopback (on Lambda add a TLS handshake and a round trip in the region). ' +
      '"Every route in one function" answers GET /login\'s event with one bundle of all the handlers.',
  ].join('\n\n');
}

/**
 * What a user pays when every function of a sign-in is cold (after idle): the sum of their
 * cold starts, next to the same sum for their floors, and one function for all routes instead.
 */
function signInAfterIdle(data: BenchData): string {
  const sum = (values: (number | undefined)[]) =>
    values.every((value) => value !== undefined)
      ? values.reduce<number>((total, value) => total + (value ?? 0), 0)
      : NaN;
  const wall = (key: string, variant = 'deployed') => {
    const measure = coldOf(data, key, variant);
    return measure ? coldMs(measure) : undefined;
  };
  const cpu = (key: string, variant = 'deployed') => coldOf(data, key, variant)?.cpu.p50;
  const floorKey = (name: string) =>
    FUNCTION_BUDGETS[name]?.floor === 'document client' ? 'floor-document-client' : 'floor-bare';
  const ours = sum(SIGN_IN_COLD.map((name) => wall(name)));
  const before = sum(SIGN_IN_COLD.map((name) => wall(name, 'before')));
  const floors = sum(SIGN_IN_COLD.map((name) => coldOf(data, floorKey(name))?.wall.p50));
  const warmOf = (name: string) =>
    data.warm.find((measure) => measure.key === name)?.perRequest.p50;
  const one = wall('probe-one-function');
  // Its first POST /login still loads what GET /login did not (the AWS SDK, argon2, the first
  // DynamoDB request): about login-post's cold start less login-get's. The rest is warm.
  const firstPost = sum([wall('login-post'), -(wall('login-get') ?? NaN)]);
  const oneThenWarm = sum([one, Math.max(0, firstPost), ...SIGN_IN_COLD.slice(2).map(warmOf)]);
  const hash = coldOf(data, 'login-post')?.hashing.p50;
  return [
    table(
      ['a sign-in after idle (' + SIGN_IN_COLD.join(' + ') + ')', 'ms (sum of p50)', 'CPU ms'],
      [
        [
          'ours, a function per route, all cold',
          ms(ours),
          ms(sum(SIGN_IN_COLD.map((n) => cpu(n)))),
        ],
        [
          'before (secrets in the environment, --enable-source-maps)',
          ms(before),
          ms(sum(SIGN_IN_COLD.map((n) => cpu(n, 'before')))),
        ],
        [
          'their floors (document client for the DynamoDB functions, bare node for the others)',
          ms(floors),
          ms(sum(SIGN_IN_COLD.map((n) => coldOf(data, floorKey(n))?.cpu.p50))),
        ],
        [
          'one function for all routes (estimate): one cold start, what POST /login loads first, the rest warm',
          ms(oneThenWarm),
          'n/a',
        ],
      ],
    ),
    `Each cold start: spawn to first response, login-post without its hash (${ms(hash ?? NaN)} ms, paid warm too). ` +
      'The token hook runs when the application redeems the code (Hydra calls it before it issues the tokens). ' +
      "One function for all routes: its cold start with GET /login's event (probe above), plus the warm p50 of the other steps.",
  ].join('\n\n');
}
