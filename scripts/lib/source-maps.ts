/**
 * A logged stack trace, read through the source maps of the package it came from. The functions
 * run without --enable-source-maps (it costs every cold start: README, Performance), so their
 * stacks name positions in the minified bundles (/var/task/functions/<name>.js:1:12345); each
 * package keeps the bundle's map beside it (functions/<name>.js.map in the zip), and this maps
 * every such frame back to our TypeScript, with Node's own source-map reader (node:module).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { join } from 'node:path';
import { openZip } from './zip';

/** Where a bundle's map is found: by the bundle's path in the package (functions/<name>.js). */
export type MapSource = (bundlePath: string) => SourceMapPayload | undefined;

/**
 * The maps of a package folder (`serverless package`'s .serverless/, or one downloaded from
 * Lambda): its zips, or a folder of bundles and their maps (an esbuild output folder).
 */
export function mapsFrom(folder: string): MapSource {
  const cache = new Map<string, SourceMapPayload | undefined>();
  const zips = existsSync(folder)
    ? readdirSync(folder)
        .filter((name) => name.endsWith('.zip'))
        .map((name) => join(folder, name))
    : [];
  return (bundlePath) => {
    if (cache.has(bundlePath)) return cache.get(bundlePath);
    const entry = `${bundlePath}.map`;
    let text: string | undefined;
    const plain = join(folder, entry);
    if (existsSync(plain) && statSync(plain).isFile()) text = readFileSync(plain, 'utf8');
    for (const zip of zips) {
      if (text !== undefined) break;
      const archive = openZip(zip);
      if (archive.entries.some((candidate) => candidate.name === entry)) {
        text = archive.read(entry).toString('utf8');
      }
    }
    const payload = text === undefined ? undefined : (JSON.parse(text) as SourceMapPayload);
    cache.set(bundlePath, payload);
    return payload;
  };
}

/** A frame's location in a bundle: `(/var/task/functions/login-post.js:1:2345)` or without (). */
const FRAME =
  /(\(?)(?:file:\/\/)?(?:\/var\/task\/)?((?:functions|[\w.-]+)\/[\w.-]+\.js):(\d+):(\d+)(\)?)/g;

/** The stack with every frame of a bundle whose map is known put back in our sources. */
export function applySourceMaps(stack: string, maps: MapSource): string {
  const readers = new Map<string, SourceMap | undefined>();
  const reader = (bundle: string) => {
    if (!readers.has(bundle)) {
      const payload = maps(bundle);
      readers.set(bundle, payload ? new SourceMap(payload) : undefined);
    }
    return readers.get(bundle);
  };
  return stack.replace(
    FRAME,
    (whole, open: string, bundle: string, line: string, column: string, close: string) => {
      const map = reader(bundle);
      if (!map) return whole;
      const entry = map.findEntry(Number(line) - 1, Number(column) - 1);
      if (!('originalSource' in entry) || !entry.originalSource) return whole;
      const source = entry.originalSource.replace(/^(?:\.\.\/)+/, '');
      return `${open}${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}${close}`;
    },
  );
}

/** The stack in a log line (our JSON line's `stack`, or the line itself when it is not JSON). */
export function stackOf(line: string): string {
  try {
    const entry = JSON.parse(line) as { stack?: unknown };
    if (typeof entry.stack === 'string') return entry.stack;
  } catch {
    // Not one of our JSON lines: a raw stack (Lambda's own error report, a copy).
  }
  return line;
}
