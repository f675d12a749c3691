/** What the benchmark hands its runner processes (a JSON file) and what they hand back (fd 3). */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { StubItems } from '../stubs/dynamo';
import type { CallCounts } from '../stubs/reply';
import type { HydraScenario } from './stubs';

export interface RunnerJob {
  /** `function`: require the bundle, then handle `event`; `require`: require it only; `get`: require
   * the document-client floor and read one item; `probe`: require a probe and await its `run()`
   * (an alternative measured: ./probes); `bare`: require nothing. */
  mode: 'function' | 'require' | 'get' | 'probe' | 'bare';
  bundle: string;
  functionName: string;
  event?: APIGatewayProxyEventV2;
  scenario: HydraScenario;
  /** `real`: argon2 runs (and is timed); `stub`: it answers at once (warm runs). */
  argon2: 'real' | 'stub';
  /** The stub's hash, and the stored hash of the bench user. */
  stubHash: string;
}

export interface ColdResult {
  /** performance.now() in the child when the first response was ready: since its time origin. */
  sinceOriginMs: number;
  /** CPU time (user + system, all threads) of the child by then: less sensitive to a busy machine. */
  cpuMs: number;
  requireMs: number;
  handleMs: number;
  hashMs: number;
  statusCode: number | undefined;
  /** Packages and files required from outside the bundle. */
  externals: string[];
  /** Node built-in modules (and Node's own dependencies, `internal/deps/…`: undici is fetch)
   * loaded by the bundle and its first event, beyond what the runner had. */
  builtins: string[];
  hydraCalls: CallCounts;
}

export interface WarmJob extends RunnerJob {
  items: StubItems;
  warmup: number;
  requests: number;
  expectStatus: number;
}

export interface WarmResult {
  durations: number[];
  statusCode: number;
  /** Totals over the measured requests. */
  hydraCalls: CallCounts;
  dynamoCalls: CallCounts;
  /** SES v2 calls (SendEmail). */
  mailCalls: CallCounts;
  rssMb: number;
}

/** The function's handler as the bundles export it. */
export type BundledHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<{ statusCode: number; headers?: Record<string, string>; body?: string }>;
