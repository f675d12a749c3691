/**
 * `serverless package --stage prod` as a deploy machine without AWS access runs it, for the
 * packaging test and the benchmark. The service is packaged from a copy of the repository
 * (node_modules linked, not copied): serverless-esbuild builds in <service>/.esbuild and deletes
 * it when done, which would pull the build out from under a `serverless offline` running from
 * the repository at the same time.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { BIN_DIR, REPO_ROOT } from './paths';

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

/** This shell without anything stage-specific, with dummy AWS keys. */
function packagingEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (
      !/^(AWS_|HYDRA_|COOKIE_|DYNAMODB_|USERS_TABLE|THROTTLE_|LOGIN_|CONSENT_|ACCESS_TOKEN_|LOG_LEVEL|PORT$|LAMBDA_PORT$|SLS_|ARGON2_|PASSWORD_|CSRF_)/.test(
        name,
      )
    ) {
      env[name] = value;
    }
  }
  return {
    ...env,
    PATH: `${BIN_DIR}:${process.env.PATH ?? ''}`,
    AWS_ACCESS_KEY_ID: 'dummy',
    AWS_SECRET_ACCESS_KEY: 'dummy',
    AWS_REGION: 'us-east-1',
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
  };
}

/** Packages the `prod` stage from a copy of the repository under `workDir`; returns the package folder. */
export async function packageForProd(workDir: string, timeoutMs = 240_000): Promise<string> {
  return packageStage(workDir, { stage: 'prod', timeoutMs });
}

export interface PackageOptions {
  stage: string;
  /** `--param name=value` each. */
  params?: Record<string, string>;
  /** Extra environment of the `serverless package` run (e.g. an npm registry). */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** The files of the repository that packaging reads (what is copied), as paths relative to it. */
export function packagedFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string, relative: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (relative === '' && NOT_COPIED.has(entry.name)) continue;
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(join(dir, entry.name), path);
      else if (entry.isFile()) files.push(path);
    }
  };
  walk(REPO_ROOT, '');
  return files.sort();
}

/** Packages `options.stage` from a copy of the repository under `workDir`; returns the package folder. */
export async function packageStage(workDir: string, options: PackageOptions): Promise<string> {
  const serviceDir = join(workDir, 'service');
  const outDir = join(workDir, 'package');
  mkdirSync(workDir, { recursive: true });
  cpSync(REPO_ROOT, serviceDir, {
    recursive: true,
    filter: (source) => dirname(source) !== REPO_ROOT || !NOT_COPIED.has(basename(source)),
  });
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(serviceDir, 'node_modules'), 'dir');
  const params = Object.entries(options.params ?? {}).flatMap(([name, value]) => [
    '--param',
    `${name}=${value}`,
  ]);
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const child = spawn(
      join(BIN_DIR, 'serverless'),
      ['package', '--stage', options.stage, '--package', outDir, ...params],
      {
        cwd: serviceDir,
        env: { ...packagingEnv(), ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 240_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else
        reject(
          new PackageError(
            `serverless package exited with ${code}:\n${output.slice(-3000)}`,
            output,
          ),
        );
    });
  });
  return outDir;
}

/** A `serverless package` that failed (or was killed: exit code null), with its whole output. */
export class PackageError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
    this.name = 'PackageError';
  }
}
