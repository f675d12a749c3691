/**
 * Sizes: each function's minified bundle (from esbuild's metafile, with what is in it by
 * package), and the zips the real `serverless package --stage prod` makes (bundle, source map,
 * and @node-rs/argon2 with its linux-arm64 binding where a function uses it). The service is
 * packaged from a copy of the repository (scripts/lib/package.ts), as the packaging test does.
 */
import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Metafile } from 'esbuild';
import { functionNames } from '../bundle';
import { packageForProd } from '../package';
import { serverlessName } from '../serverless';
import { openZip } from '../zip';
import type { BenchBuild } from './build';

export interface PackageShare {
  name: string;
  bytes: number;
}

export interface BundleSize {
  /** Minified JS, as deployed. */
  bytes: number;
  /** Bytes in the output by package (`shared`, `functions` for ours), largest first. */
  packages: PackageShare[];
  /** The AWS SDK (any @aws-sdk/ or @smithy/ module) is in the bundle. */
  awsSdk: boolean;
  /** The bundle requires @node-rs/argon2 (external, shipped next to it). */
  argon2: boolean;
}

export interface ZipSize {
  bytes: number;
  entries: number;
  /** Uncompressed bytes by part: bundle, source map, node_modules. */
  parts: Record<string, number>;
}

function packageOf(input: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (match?.[1]) return match[1];
  return input.split('/').find((part) => part !== '..' && part !== '.') ?? input;
}

export function bundleSize(metafile: Metafile, file: string): BundleSize {
  const output = Object.entries(metafile.outputs).find(
    ([path]) => path.endsWith(`/${basename(file)}`) || path === basename(file),
  )?.[1];
  if (!output) throw new Error(`no metafile output for ${file}`);
  const shares = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = packageOf(input);
    shares.set(name, (shares.get(name) ?? 0) + bytesInOutput);
  }
  const packages = [...shares]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes);
  return {
    bytes: statSync(file).size,
    packages,
    awsSdk: packages.some(
      ({ name }) => name.startsWith('@aws-sdk/') || name.startsWith('@smithy/'),
    ),
    argon2: output.imports.some((entry) => entry.path === '@node-rs/argon2'),
  };
}

export function bundleSizes(build: BenchBuild): {
  functions: Record<string, BundleSize>;
  floor: BundleSize;
  probes: Record<string, BundleSize>;
} {
  return {
    probes: Object.fromEntries(
      build.probes.map((probe) => [probe.name, bundleSize(build.probeMetafile, probe.file)]),
    ),
    functions: Object.fromEntries(
      Object.entries(build.functions.files).map(([name, file]) => [
        name,
        bundleSize(build.functions.metafile, file),
      ]),
    ),
    floor: bundleSize(build.floor.metafile, build.floor.file),
  };
}

/** `serverless package --stage prod` from a copy of the repository; the zips' sizes by function file. */
export async function packageZips(workDir: string): Promise<Record<string, ZipSize>> {
  const outDir = await packageForProd(workDir);
  const zips: Record<string, ZipSize> = {};
  for (const name of functionNames()) {
    const path = join(outDir, `${serverlessName(name)}.zip`);
    const zip = openZip(path);
    const parts: Record<string, number> = {};
    for (const entry of zip.entries) {
      const part = entry.name.startsWith('node_modules/')
        ? 'node_modules'
        : entry.name.endsWith('.map')
          ? 'source map'
          : 'bundle';
      parts[part] = (parts[part] ?? 0) + entry.size;
    }
    zips[name] = { bytes: statSync(path).size, entries: zip.entries.length, parts };
  }
  return zips;
}
