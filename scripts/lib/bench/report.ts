/** The benchmark's verdicts (issue 5's targets, each against a floor of the same run) and its Markdown. */
import type { ColdMeasure } from './cold';
import type { CostEstimate } from './cost';
import type { FlowMeasure } from './flow';
import type { HashingMeasure } from './hashing';
import type { CallCounts } from '../stubs/reply';
import type { BundleSize, ZipSize } from './sizes';
import { memoryMb } from '../serverless';
import { kb, ms } from './stats';
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

/** The fewest calls each path can make (see the report's notes). */
export const MINIMUM: Record<
  string,
  { hydra: CallCounts; reads: number; writes: number; why: string }
> = {
  'login-get': {
    hydra: { 'get login request': 1 },
    reads: 0,
    writes: 0,
    why: 'read the login request',
  },
  'login-get-skip': {
    hydra: { 'get login request': 1, 'accept login request': 1 },
    reads: 2,
    writes: 0,
    why: 'read the request, re-check the user (1 read) and when the session began (1 read, alongside), accept',
  },
  'login-post': {
    hydra: { 'get login request': 1, 'accept login request': 1 },
    reads: 1,
    writes: 6,
    why: 'read the request (no counter moves for a challenge Hydra no longer knows), accept; 1 user read; throttle from a new browser: +1 below the limit for (account, IP), IP and account before the hash, then clear the first and give back the other two (a known browser: 1 + 1)',
  },
  'consent-get': {
    hydra: { 'get consent request': 1 },
    reads: 0,
    writes: 0,
    why: 'read the consent request; claims travel in the login context',
  },
  'consent-get-skip': {
    hydra: { 'get consent request': 1, 'accept consent request': 1 },
    reads: 0,
    writes: 0,
    why: 'read, accept; claims from the login context',
  },
  'consent-post': {
    hydra: { 'get consent request': 1, 'accept consent request': 1 },
    reads: 0,
    writes: 0,
    why: 'read (grant = requested ∩ chosen), accept',
  },
  'logout-get': { hydra: { 'get logout request': 1 }, reads: 0, writes: 0, why: 'read' },
  'logout-post': {
    hydra: { 'get logout request': 1, 'accept logout request': 1 },
    reads: 0,
    writes: 0,
    why: 'read (subject and client for the audit line), accept',
  },
  error: { hydra: {}, reads: 0, writes: 0, why: 'nothing to call' },
  'token-hook': {
    hydra: {},
    reads: 1,
    writes: 0,
    why: 're-check the user by its subject (1 read)',
  },
};

/** The flow's steps, by the warm path that answers them. */
export const STEP_PATHS: Record<string, string> = {
  'GET /login': 'login-get',
  'POST /login': 'login-post',
  'GET /consent': 'consent-get',
  'POST /consent': 'consent-post',
};

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

function sameCalls(hydra: CallCounts, dynamo: CallCounts, key: string): boolean {
  const minimum = MINIMUM[key];
  if (!minimum) return false;
  const names = new Set([...Object.keys(hydra), ...Object.keys(minimum.hydra)]);
  for (const name of names) {
    if (Math.round((hydra[name] ?? 0) * 100) !== Math.round((minimum.hydra[name] ?? 0) * 100)) {
      return false;
    }
  }
  const { reads, writes } = dynamoSplit(dynamo);
  return reads <= minimum.reads && writes <= minimum.writes;
}

function describeCalls(hydra: CallCounts, dynamo: CallCounts): string {
  const { reads, writes } = dynamoSplit(dynamo);
  const round = (value: number) => String(Math.round(value * 100) / 100);
  return `Hydra ${round(total(hydra))}, DynamoDB ${round(reads)} R / ${round(writes)} W`;
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

export function targets(data: BenchData): Target[] {
  const list: Target[] = [];
  const bare = coldOf(data, 'floor-bare');
  const floor = coldOf(data, 'floor-document-client');
  for (const name of functionOrder(data)) {
    const bundle = data.bundles[name];
    if (!bundle) continue;
    const cold = coldOf(data, name);
    if (bundle.awsSdk) {
      if (cold && floor) {
        const ratio = coldMs(cold) / floor.wall.p50;
        list.push({
          name: `${name}: cold start (median)`,
          limit: '≤ 1.25 × (node + document client)',
          measured: `${ms(coldMs(cold))} ms = ${ratio.toFixed(2)} × ${ms(floor.wall.p50)} ms`,
          pass: ratio <= 1.25,
        });
      }
      const ratio = bundle.bytes / data.floorBundle.bytes;
      list.push({
        name: `${name}: bundle`,
        limit: '≤ 1.2 × document client alone',
        measured: `${kb(bundle.bytes)} = ${ratio.toFixed(2)} × ${kb(data.floorBundle.bytes)}`,
        pass: ratio <= 1.2,
      });
    } else {
      const ran = Object.keys(data.ran[name] ?? {}).filter(
        (pkg) => pkg.startsWith('@aws-sdk/') || pkg.startsWith('@smithy/'),
      );
      list.push({
        name: `${name}: loads no AWS SDK`,
        limit: 'none in the bundle or run',
        measured: bundle.awsSdk || ran.length > 0 ? 'loads it' : 'none',
        pass: !bundle.awsSdk && ran.length === 0,
      });
      if (cold && bare) {
        const extra = coldMs(cold) - bare.wall.p50;
        list.push({
          name: `${name}: cold start (median)`,
          limit: '≤ bare node + 15 ms',
          measured: `${ms(coldMs(cold))} ms = bare ${ms(bare.wall.p50)} + ${ms(extra)} ms`,
          pass: extra <= 15,
        });
      }
      list.push({
        name: `${name}: bundle`,
        limit: '≤ 60 KB',
        measured: kb(bundle.bytes),
        pass: bundle.bytes <= 60 * 1024,
      });
    }
  }
  for (const warm of data.warm.filter((measure) => measure.key !== WARM_FLOOR)) {
    list.push({
      name: `${warm.key}: warm overhead`,
      limit: 'p50 ≤ 1 ms, p99 ≤ 5 ms',
      measured: `p50 ${ms(warm.perRequest.p50)} ms, p99 ${ms(warm.perRequest.p99)} ms`,
      pass: warm.perRequest.p50 <= 1 && warm.perRequest.p99 <= 5,
    });
  }
  const ratio = data.flow.oursWithoutHashing.p50 / data.flow.floor.p50;
  list.push({
    name: 'sign-in flow: ours / floor, without hashing (medians)',
    limit: '≤ 1.15',
    measured: `${ms(data.flow.oursWithoutHashing.p50)} / ${ms(data.flow.floor.p50)} ms = ${ratio.toFixed(2)}`,
    pass: ratio <= 1.15,
  });
  for (const [step, key] of Object.entries(STEP_PATHS)) {
    const calls = data.flow.calls[step];
    if (!calls) continue;
    list.push({
      name: `${step}: calls (real Hydra + dynalite)`,
      limit: 'protocol minimum',
      measured: describeCalls(calls.hydra, calls.dynamo),
      pass: sameCalls(calls.hydra, calls.dynamo, key),
    });
  }
  for (const warm of data.warm.filter(
    (measure) => measure.key !== WARM_FLOOR && !Object.values(STEP_PATHS).includes(measure.key),
  )) {
    list.push({
      name: `${warm.key}: calls (stubs)`,
      limit: 'protocol minimum',
      measured: describeCalls(warm.hydraCalls, warm.dynamoCalls),
      pass: sameCalls(warm.hydraCalls, warm.dynamoCalls, warm.key),
    });
  }
  return list;
}

/** The functions in the order of a sign-in, then the others. */
const ORDER = [
  'login-get',
  'login-post',
  'consent-get',
  'consent-post',
  'logout-get',
  'logout-post',
];

function functionOrder(data: BenchData): string[] {
  const rank = (name: string) => (ORDER.includes(name) ? ORDER.indexOf(name) : ORDER.length);
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
  if (ran.some((pkg) => pkg.startsWith('@aws-sdk/') || pkg.startsWith('@smithy/'))) {
    parts.push('AWS SDK');
  }
  if (cold?.externals.some((request) => request.startsWith('@node-rs/argon2')))
    parts.push('argon2');
  if (cold?.builtins.includes('internal/deps/undici/undici')) parts.push('fetch (undici)');
  return parts.length > 0 ? parts.join(', ') : '—';
}

export function markdown(data: BenchData, verdicts: Target[]): string {
  const { meta, flow, cost, hashing } = data;
  const bare = coldOf(data, 'floor-bare');
  const floorCold = coldOf(data, 'floor-document-client');
  const floorGet = coldOf(data, 'floor-document-client-get');
  const functions = functionOrder(data);
  const coldCell = (measure: ColdMeasure | undefined) =>
    measure ? `${ms(measure.wall.p50)} (${ms(measure.wall.p90)})` : 'n/a';
  const cpuCell = (measure: ColdMeasure | undefined) => (measure ? ms(measure.cpu.p50) : 'n/a');
  const plainCell = (key: string) => {
    const measure = coldOf(data, key, 'plain');
    return measure ? ms(measure.wall.p50) : 'n/a';
  };
  const out: string[] = [];
  out.push(
    `Measured ${meta.date} on ${meta.cpu} (${meta.cores} cores, shared: load ${meta.loadAverage
      .map((value) => value.toFixed(1))
      .join(
        ' / ',
      )} at start), Node ${meta.node}, commit ${meta.commit}${meta.dirty ? ' + local changes' : ''}. ` +
      'Medians (p50) and percentiles, since other work ran on the machine; x86, not Graviton.',
  );
  out.push('');
  out.push(
    table(
      [
        'function',
        'memory',
        'bundle',
        'zip',
        'cold start ms p50 (p90)',
        'CPU ms p50',
        'without --enable-source-maps',
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
          plainCell(name),
          loads(data, name),
        ];
      }),
    ),
  );
  out.push('');
  out.push(
    table(
      ['floor', 'bundle', 'cold start ms p50 (p90)', 'CPU ms p50', 'without --enable-source-maps'],
      [
        ['bare `node`', '—', coldCell(bare), cpuCell(bare), plainCell('floor-bare')],
        [
          'node + DynamoDB document client',
          kb(data.floorBundle.bytes),
          coldCell(floorCold),
          cpuCell(floorCold),
          plainCell('floor-document-client'),
        ],
        [
          'node + document client + 1 GetItem',
          kb(data.floorBundle.bytes),
          coldCell(floorGet),
          cpuCell(floorGet),
          plainCell('floor-document-client-get'),
        ],
      ],
    ),
  );
  out.push('');
  out.push(
    `Cold start: a fresh \`node\` (${data.meta.node}) from its spawn to the first response, ${data.cold[0]?.wall.n ?? 0} runs per row, ` +
      'Hydra and DynamoDB stubbed, deployed settings (linked source map, NODE_OPTIONS=--enable-source-maps); login-post verifies a real password. ' +
      'CPU: user + system time of the whole process (all threads). Runs at cold start: packages whose code ran (V8 coverage) and modules loaded. ' +
      `Warm (below): handler call to response, ${data.warm[0]?.perRequest.n ?? 0} requests per path after a warm-up; Hydra and DynamoDB answered over in-memory sockets ` +
      '(the AWS SDK runs, the network does not), argon2 stubbed (its cost is the verify time under the flow). Calls counted by the stubs.',
  );
  out.push('');
  out.push(
    table(
      ['path', 'warm p50 ms', 'warm p99 ms', 'Hydra admin calls', 'DynamoDB R / W', 'minimum'],
      data.warm.map((warm) => {
        const { reads, writes } = dynamoSplit(warm.dynamoCalls);
        const minimum = MINIMUM[warm.key];
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
  out.push('');
  const ratio = flow.ours.p50 / flow.floor.p50;
  const ratioWithout = flow.oursWithoutHashing.p50 / flow.floor.p50;
  out.push(
    table(
      ['sign-in flow (real Hydra v2.3.0)', 'p50 ms', 'p90 ms', 'ours / floor (p50)'],
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
  out.push('');
  out.push(
    `${flow.flows} sequential flows each (ours and floor alternating in blocks), after a warm-up. ` +
      'Our functions run in-process behind the thin API Gateway adapter (scripts/lib/local-adapter.ts), ' +
      "so serverless offline's overhead is not counted; users in dynalite; Hydra with an in-memory database. " +
      '"Without hashing" subtracts each flow\'s own time inside argon2. ' +
      `Keep-alive: our functions opened ${flow.connections.hydraAdmin} connection(s) to Hydra's admin API and ${flow.connections.dynamo} to DynamoDB in ${flow.flows} flows. ` +
      `Password verification (argon2id m=${hashing.parameters.memoryCost} KiB, t=${hashing.parameters.timeCost}, ` +
      `p=${hashing.parameters.parallelism}): p50 ${ms(hashing.verify.p50)} ms, p90 ${ms(hashing.verify.p90)} ms.`,
  );
  out.push('');
  out.push(
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
  out.push('');
  out.push(
    `Prices as published, checked ${cost.prices.checked} (${cost.prices.region}): Lambda arm64 $${cost.prices.lambdaArmPerGbSecond} per GB-second ` +
      `and $${cost.prices.lambdaPerMillionRequests.toFixed(2)} per million requests, HTTP API $${cost.prices.httpApiPerMillionRequests.toFixed(2)} per million, ` +
      `DynamoDB on demand $${cost.prices.dynamoPerMillionReadUnits} per million RRU and $${cost.prices.dynamoPerMillionWriteUnits} per million WRU. ` +
      'Billed time is the median handler time in the flow above, rounded up to the ms, measured on this x86 machine ' +
      'against local Hydra and dynalite (not Graviton, not DynamoDB over the network). ' +
      `Cold starts are extra: each login-post INIT costs about $${cost.per1000ColdStartsUsd.toFixed(4)} per 1,000.`,
  );
  out.push('');
  out.push(
    table(
      ['target (issue 5)', 'limit', 'measured', 'result'],
      verdicts.map((target) => [
        target.name,
        target.limit,
        target.measured,
        target.pass ? 'pass' : '**miss**',
      ]),
    ),
  );
  return out.join('\n');
}
