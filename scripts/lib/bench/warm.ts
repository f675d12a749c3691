/**
 * Warm overhead: each path's bundle in a process of its own, Hydra and DynamoDB answered in that
 * process (no network), argon2 stubbed; after a warm-up, ≥ 1,000 requests timed one by one. The
 * same runs count the Hydra admin calls and DynamoDB requests each request makes.
 */
import type { User } from '../../../shared/users/types';
import type { BenchBuild } from './build';
import { functionEnv, stubItems, type Scenario } from './fixtures';
import {
  MEMORY_DYNAMODB_ENDPOINT,
  MEMORY_HYDRA_ADMIN_URL,
  MEMORY_SES_ENDPOINT,
} from '../stubs/memory-connection';
import type { CallCounts } from '../stubs/reply';
import type { WarmJob, WarmResult } from './protocol';
import { runChild } from './run-child';
import { summarize, type Summary } from '../stats';

export const WARM_FLOOR = 'floor-document-client-get';

export interface WarmMeasure {
  key: string;
  label: string;
  functionName: string;
  statusCode: number;
  perRequest: Summary;
  /** Calls per request (totals over the measured requests divided by their number). */
  hydraCalls: CallCounts;
  dynamoCalls: CallCounts;
  /** SES v2 calls per request. */
  mailCalls: CallCounts;
  rssMb: number;
}

function perRequest(counts: CallCounts, requests: number): CallCounts {
  return Object.fromEntries(
    Object.entries(counts).map(([name, total]) => [name, total / requests]),
  );
}

export async function measureWarm(options: {
  build: BenchBuild;
  scenarios: Scenario[];
  user: User;
  cookieSecret: string;
  requests: number;
  warmup: number;
  progress: (message: string) => void;
  /** e.g. ['--cpu-prof', '--cpu-prof-dir', dir] */
  nodeArgs?: string[];
}): Promise<WarmMeasure[]> {
  const measures: WarmMeasure[] = [];
  const first = options.scenarios[0];
  if (!first) return measures;
  // The floor: what one DynamoDB call costs through the document client alone, warm.
  const floor: Scenario = {
    ...first,
    key: WARM_FLOOR,
    functionName: 'floor',
    label: 'floor: 1 GetItem, document client alone',
    expectStatus: 200,
  };
  for (const scenario of [...options.scenarios, floor]) {
    const isFloor = scenario.key === WARM_FLOOR;
    const bundle = isFloor
      ? options.build.floor.file
      : options.build.functions.files[scenario.functionName];
    if (!bundle) throw new Error(`no bundle for ${scenario.functionName}`);
    const job: WarmJob = {
      mode: isFloor ? 'get' : 'function',
      bundle,
      functionName: scenario.functionName,
      event: scenario.freshEvent ? scenario.freshEvent() : scenario.event,
      scenario: scenario.hydra,
      argon2: 'stub',
      stubHash: options.user.passwordHash,
      items: stubItems(options.user),
      warmup: options.warmup,
      requests: options.requests,
      expectStatus: scenario.expectStatus,
    };
    const env = functionEnv({
      functionName: scenario.functionName,
      cookieSecret: options.cookieSecret,
      dynamodbEndpoint: MEMORY_DYNAMODB_ENDPOINT,
      hydraAdminUrl: MEMORY_HYDRA_ADMIN_URL,
      sesEndpoint: MEMORY_SES_ENDPOINT,
      // As deployed; the secrets in the environment (a warm request reads them from the cache).
      sourceMaps: false,
    });
    const { result } = await runChild<WarmResult>(options.build.warmRunner, job, env, {
      timeoutMs: 300_000,
      nodeArgs: options.nodeArgs ?? [],
    });
    measures.push({
      key: scenario.key,
      label: scenario.label,
      functionName: scenario.functionName,
      statusCode: result.statusCode,
      perRequest: summarize(result.durations),
      hydraCalls: perRequest(result.hydraCalls, options.requests),
      dynamoCalls: perRequest(result.dynamoCalls, options.requests),
      mailCalls: perRequest(result.mailCalls, options.requests),
      rssMb: result.rssMb,
    });
    options.progress(`warm: ${scenario.key} done`);
  }
  return measures;
}
