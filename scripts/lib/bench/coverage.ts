/**
 * Which packages' code a bundle actually runs in its cold start (require + first event), from
 * V8's coverage (NODE_V8_COVERAGE) of one extra, untimed run: every function of the bundle that
 * ran is mapped through the bundle's source map to its original file, and so to its package.
 * This tells a package that is merely in the bundle from one that is loaded.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ColdResult, RunnerJob } from './protocol';
import { runChild } from './run-child';

interface ScriptCoverage {
  url: string;
  functions: Array<{ functionName: string; ranges: Array<{ startOffset: number; count: number }> }>;
}

function packageOf(source: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (match?.[1]) return match[1];
  return /(^|\/)(shared|functions|scripts)\//.exec(source)?.[2] === 'scripts' ? 'bench' : 'ours';
}

/** Packages with at least one function that ran, with how many of their functions ran. */
export async function packagesRun(
  runner: string,
  job: RunnerJob,
  env: NodeJS.ProcessEnv,
  scratch: string,
): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(scratch, 'coverage-'));
  try {
    await runChild<ColdResult>(runner, job, { ...env, NODE_V8_COVERAGE: dir });
    const url = pathToFileURL(job.bundle).href;
    const script = readdirSync(dir)
      .flatMap(
        (file) =>
          (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { result: ScriptCoverage[] })
            .result,
      )
      .find((entry) => entry.url === url);
    if (!script) return {};
    const code = readFileSync(job.bundle, 'utf8');
    const lineStarts = [0];
    for (let index = code.indexOf('\n'); index >= 0; index = code.indexOf('\n', index + 1)) {
      lineStarts.push(index + 1);
    }
    const map = new SourceMap(
      JSON.parse(readFileSync(`${job.bundle}.map`, 'utf8')) as SourceMapPayload,
    );
    const ran: Record<string, number> = {};
    for (const fn of script.functions) {
      const range = fn.ranges[0];
      if (!range || range.count === 0) continue;
      let line = 0;
      while (
        line + 1 < lineStarts.length &&
        (lineStarts[line + 1] ?? Infinity) <= range.startOffset
      ) {
        line += 1;
      }
      const entry = map.findEntry(line, range.startOffset - (lineStarts[line] ?? 0));
      const source = 'originalSource' in entry ? entry.originalSource : undefined;
      if (!source) continue;
      const name = packageOf(source);
      ran[name] = (ran[name] ?? 0) + 1;
    }
    return ran;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
