/**
 * scripts/lib/source-maps.ts: a stack logged by a minified bundle (no --enable-source-maps on
 * Lambda) read back in our sources through the map kept beside the bundle in its package.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { applySourceMaps, mapsFrom, stackOf } from '../../scripts/lib/source-maps';

let dir: string;
let stack: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hlc-maps-'));
  mkdirSync(join(dir, 'src', 'shared'), { recursive: true });
  mkdirSync(join(dir, 'src', 'functions'), { recursive: true });
  writeFileSync(
    join(dir, 'src', 'shared', 'thrower.ts'),
    ['export function explode(): never {', "  throw new Error('boom');", '}', ''].join('\n'),
  );
  writeFileSync(
    join(dir, 'src', 'functions', 'boom.ts'),
    [
      "import { explode } from '../shared/thrower';",
      'export const handler = () => explode();',
      '',
    ].join('\n'),
  );
  buildSync({
    entryPoints: [join(dir, 'src', 'functions', 'boom.ts')],
    outfile: join(dir, 'package', 'functions', 'boom.js'),
    bundle: true,
    minify: true,
    sourcemap: 'linked',
    platform: 'node',
    format: 'cjs',
    logLevel: 'silent',
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bundle = require(join(dir, 'package', 'functions', 'boom.js')) as { handler: () => void };
  try {
    bundle.handler();
  } catch (error) {
    // As Lambda logs it: the package is unpacked in /var/task.
    stack = ((error as Error).stack ?? '').replaceAll(join(dir, 'package'), '/var/task');
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a logged stack', () => {
  it('names positions in the minified bundle', () => {
    expect(stack).toMatch(/\/var\/task\/functions\/boom\.js:1:\d+/);
  });

  it('is read back in our sources, line and column, through the map beside the bundle', () => {
    const line = JSON.stringify({ level: 'error', message: 'unexpected error', stack });

    const mapped = applySourceMaps(stackOf(line), mapsFrom(join(dir, 'package')));

    expect(mapped).toContain('Error: boom');
    expect(mapped).toMatch(/src\/shared\/thrower\.ts:2:\d+/);
    expect(mapped).toMatch(/src\/functions\/boom\.ts:2:\d+/);
    expect(mapped).not.toContain('boom.js');
  });

  it('keeps the frames it has no map for as they are', () => {
    expect(applySourceMaps(stack, mapsFrom(join(dir, 'nowhere')))).toBe(stack);
  });
});
