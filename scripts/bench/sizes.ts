/**
 * Sizes: each function's minified bundle (from esbuild's metafile, with what is in it by
 * package), and the zips the real `serverless package --stage prod` makes (bundle, source map,
 * and @node-rs/argon2 with its linux-arm64 binding where a function uses it). The service is
 * packaged from a copy of the repository, as test/integration/package.test.ts does, so a
 * `serverless offline` running from the repository keeps its build folder.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, statSync, symlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Metafile } from 'esbuild';
import { openZip } from '../../test/integration/support/zip';
import { functionNames } from '../lib/bundle';
import { REPO_ROOT } from '../lib/hydra';
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
} {
  return {
    functions: Object.fromEntries(
      Object.entries(build.functions.files).map(([name, file]) => [
        name,
        bundleSize(build.functions.metafile, file),
      ]),
    ),
    floor: bundleSize(build.floor.metafile, build.floor.file),
  };
}

/** login-get → loginGet (serverless.yml's function names). */
export function serverlessName(file: string): string {
  return file.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** Top-level entries of the repository that packaging does not read. */
const NOT_COPIED = new Set([
  'node_modules',
  '.git',
  '.esbuild',
  '.serverless',
  '.build',
  '.data',
  '.cache',
  'coverage',
  'test',
  'test-results',
  'bench-results',
]);

/** A deploy machine's shell without AWS access: dummy keys, nothing stage-specific. */
function packagingEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (
      !/^(AWS_|HYDRA_|COOKIE_|DYNAMODB_|USERS_TABLE|THROTTLE_|LOGIN_|CONSENT_|ACCESS_TOKEN_|LOG_LEVEL|PORT$|LAMBDA_PORT$|SLS_|ARGON2_|PASSWORD_)/.test(
        name,
      )
    ) {
      env[name] = value;
    }
  }
  return {
    ...env,
    PATH: `${join(REPO_ROOT, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
    AWS_ACCESS_KEY_ID: 'dummy',
    AWS_SECRET_ACCESS_KEY: 'dummy',
    AWS_REGION: 'us-east-1',
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
  };
}

/** `serverless package --stage prod` from a copy of the repository; the zips' sizes by function file. */
export async function packageZips(workDir: string): Promise<Record<string, ZipSize>> {
  const serviceDir = join(workDir, 'service');
  const outDir = join(workDir, 'package');
  mkdirSync(workDir, { recursive: true });
  cpSync(REPO_ROOT, serviceDir, {
    recursive: true,
    filter: (source) => dirname(source) !== REPO_ROOT || !NOT_COPIED.has(basename(source)),
  });
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(serviceDir, 'node_modules'), 'dir');
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const child = spawn(
      join(REPO_ROOT, 'node_modules', '.bin', 'serverless'),
      ['package', '--stage', 'prod', '--package', outDir],
      { cwd: serviceDir, env: packagingEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`serverless package exited with ${code}:\n${output.slice(-3000)}`));
    });
  });
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
