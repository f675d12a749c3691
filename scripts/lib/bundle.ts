/**
 * Each function bundled the way `serverless package` bundles it (serverless.yml, custom.esbuild:
 * bundle, minify, node22, CommonJS, @node-rs/argon2 external), into a folder of ours. The local
 * adapter and the benchmark load these bundles: what runs is what would be deployed.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import { REPO_ROOT } from './paths';

export const FUNCTIONS_DIR = join(REPO_ROOT, 'functions');

// The plugins serverless.yml's custom.esbuild loads too (a CommonJS file, as serverless takes it).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const FUNCTION_PLUGINS = require('../esbuild-plugins.cjs') as Plugin[];

/** Kept in step with serverless.yml's custom.esbuild (test/integration/package.test.ts builds that). */
export const BUNDLE_OPTIONS: BuildOptions = {
  bundle: true,
  minify: true,
  target: 'node22',
  platform: 'node',
  format: 'cjs',
  external: ['@node-rs/argon2'],
  plugins: FUNCTION_PLUGINS,
};

export interface Bundles {
  dir: string;
  /** function file name without extension → bundle path */
  files: Record<string, string>;
  metafile: Metafile;
}

export function functionNames(): string[] {
  return readdirSync(FUNCTIONS_DIR)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.replace(/\.ts$/, ''))
    .sort();
}

export interface BundleFunctionsOptions {
  /** Linked source maps (`<name>.js.map`), as serverless.yml's custom.esbuild makes them. */
  sourcemap?: boolean;
}

/** Bundles every function into `outdir` (one `<name>.js` each). */
export async function bundleFunctions(
  outdir: string,
  options: BundleFunctionsOptions = {},
): Promise<Bundles> {
  const names = functionNames();
  const result = await build({
    ...BUNDLE_OPTIONS,
    ...(options.sourcemap ? { sourcemap: 'linked' as const } : {}),
    entryPoints: Object.fromEntries(names.map((name) => [name, join(FUNCTIONS_DIR, `${name}.ts`)])),
    outdir,
    metafile: true,
    logLevel: 'warning',
  });
  return {
    dir: outdir,
    files: Object.fromEntries(names.map((name) => [name, join(outdir, `${name}.js`)])),
    metafile: result.metafile ?? { inputs: {}, outputs: {} },
  };
}
