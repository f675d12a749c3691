/**
 * What 1 million sign-ins cost on AWS at list prices, from the handler durations measured in the
 * flow (billed per 1 ms, rounded up) at serverless.yml's memory sizes on arm64, plus API Gateway
 * HTTP API requests and DynamoDB on-demand request units. The durations were measured on the
 * benchmark machine (x86), not on Graviton, with a local Hydra and dynalite: an estimate.
 */
import { functionRoutes, memoryMb as memoryOf } from '../serverless';
import type { StepCalls } from './flow';
import { SIGN_IN_STEPS } from './targets';

/** us-east-1 list prices, as published, checked 2026-11. */
export const PRICES = {
  checked: '2026-11',
  region: 'us-east-1',
  lambdaArmPerGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  httpApiPerMillionRequests: 1.0,
  dynamoPerMillionReadUnits: 0.125,
  dynamoPerMillionWriteUnits: 0.625,
};

export interface StepCost {
  step: string;
  functionName: string;
  memoryMb: number;
  /** Median handler time, and what Lambda bills for it (whole ms). */
  medianMs: number;
  billedMs: number;
  readUnits: number;
  writeUnits: number;
  lambdaUsd: number;
  dynamoUsd: number;
  httpApiUsd: number;
}

export interface CostEstimate {
  prices: typeof PRICES;
  steps: StepCost[];
  /** Per 1 million sign-ins. */
  lambdaComputeUsd: number;
  lambdaRequestsUsd: number;
  httpApiUsd: number;
  dynamoUsd: number;
  totalUsd: number;
  /** A cold start's INIT phase is billed too (since 2025-08): per 1,000 cold starts of login-post. */
  per1000ColdStartsUsd: number;
}

const WRITES = new Set(['UpdateItem', 'DeleteItem', 'PutItem']);

/**
 * Request units per call: our items are far below 1 KB (a write unit) and 4 KB (a read unit);
 * reads are strongly consistent (1 unit; an eventually consistent read would be half).
 */
function units(calls: StepCalls | undefined): { read: number; write: number } {
  let read = 0;
  let write = 0;
  for (const [operation, perFlow] of Object.entries(calls?.dynamo ?? {})) {
    if (operation === 'GetItem') read += perFlow;
    else if (WRITES.has(operation)) write += perFlow;
  }
  return { read, write };
}

export function estimateCost(
  medianMsByFunction: Record<string, number>,
  callsByStep: Record<string, StepCalls>,
  coldStartMs: number,
): CostEstimate {
  const million = 1_000_000;
  const routes = functionRoutes();
  const steps: StepCost[] = SIGN_IN_STEPS.map((step) => {
    const functionName = routes[step] ?? step;
    const memoryMb = memoryOf(functionName);
    const medianMs = medianMsByFunction[functionName] ?? NaN;
    const billedMs = Math.ceil(medianMs);
    const { read, write } = units(callsByStep[step]);
    return {
      step,
      functionName,
      memoryMb,
      medianMs,
      billedMs,
      readUnits: read,
      writeUnits: write,
      lambdaUsd: (billedMs / 1000) * (memoryMb / 1024) * PRICES.lambdaArmPerGbSecond * million,
      dynamoUsd:
        read * PRICES.dynamoPerMillionReadUnits + write * PRICES.dynamoPerMillionWriteUnits,
      httpApiUsd: PRICES.httpApiPerMillionRequests,
    };
  });
  const lambdaComputeUsd = steps.reduce((sum, step) => sum + step.lambdaUsd, 0);
  const lambdaRequestsUsd = steps.length * PRICES.lambdaPerMillionRequests;
  const httpApiUsd = steps.reduce((sum, step) => sum + step.httpApiUsd, 0);
  const dynamoUsd = steps.reduce((sum, step) => sum + step.dynamoUsd, 0);
  return {
    prices: PRICES,
    steps,
    lambdaComputeUsd,
    lambdaRequestsUsd,
    httpApiUsd,
    dynamoUsd,
    totalUsd: lambdaComputeUsd + lambdaRequestsUsd + httpApiUsd + dynamoUsd,
    per1000ColdStartsUsd:
      (Math.ceil(coldStartMs) / 1000) *
      (memoryOf('login-post') / 1024) *
      PRICES.lambdaArmPerGbSecond *
      1000,
  };
}
