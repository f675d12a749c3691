/**
 * Runs a runner script in a fresh Node 22 process (the repository's `node`, the Lambda
 * runtime's major) and reads its one-line JSON result from fd 3. The wall time is taken here,
 * from just before the spawn to the arrival of the line: process start included.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN_DIR } from '../paths';

export const NODE = join(BIN_DIR, 'node');

export interface ChildRun<T> {
  wallMs: number;
  result: T;
}

let jobs = 0;

/** Writes `job` next to the runner and runs it; rejects on a non-zero exit or a missing result. */
export function runChild<T>(
  runner: string,
  job: unknown,
  env: NodeJS.ProcessEnv,
  options: { timeoutMs?: number; nodeArgs?: string[] } = {},
): Promise<ChildRun<T>> {
  jobs += 1;
  const jobFile = join(runner, '..', `job-${process.pid}-${jobs}.json`);
  writeFileSync(jobFile, JSON.stringify(job));
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let line = '';
    let arrived: number | undefined;
    let errors = '';
    const child = spawn(NODE, [...(options.nodeArgs ?? []), runner, jobFile], {
      env,
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    const results = child.stdio[3];
    if (!results || !('setEncoding' in results)) {
      child.kill('SIGKILL');
      reject(new Error('no result pipe'));
      return;
    }
    results.setEncoding('utf8');
    results.on('data', (chunk: string) => {
      line += chunk;
      if (arrived === undefined && line.includes('\n')) arrived = performance.now();
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0 || arrived === undefined) {
        reject(
          new Error(
            `${runner} exited with ${code ?? signal}${errors ? `: ${errors.slice(0, 2000)}` : ''}`,
          ),
        );
        return;
      }
      resolve({ wallMs: arrived - started, result: JSON.parse(line) as T });
    });
  });
}
