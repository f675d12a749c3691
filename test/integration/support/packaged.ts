/**
 * Packaged stages, kept between the test files of a run (and between runs) while nothing that
 * packaging reads has changed: `serverless package` takes a minute or two, and the package and
 * template tests read the same packages. Each is keyed by the stage, its params and a hash of
 * the files packaging reads, under .cache/packages/ (one per stage and params: older ones are
 * removed); a package is moved into place only when complete, so two test files packaging the
 * same stage at once each get a whole one.
 */
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packagedFiles, packageStage, type PackageOptions } from '../../../scripts/lib/package';
import { CACHE_DIR, REPO_ROOT } from '../../../scripts/lib/paths';

const PACKAGES_DIR = join(CACHE_DIR, 'packages');

/**
 * What packaging reads: the service definition, the lock, the sources and the build scripts
 * (packaging copies the rest of the repository too, but nothing else ends up in a package).
 */
const INPUTS =
  /^(serverless\.yml|package(-lock)?\.json|tsconfig\.json|(functions|shared|scripts)\/.*)$/;

/** `<stage>-<params hash>`: one package of these kept at a time. */
function nameOf(options: PackageOptions): string {
  const params = createHash('sha256').update(JSON.stringify(options.params ?? {}));
  return `${options.stage}-${params.digest('hex').slice(0, 8)}`;
}

function keyOf(options: PackageOptions): string {
  const hash = createHash('sha256');
  for (const file of packagedFiles().filter((path) => INPUTS.test(path))) {
    hash.update(file);
    hash.update(readFileSync(join(REPO_ROOT, file)));
  }
  return `${nameOf(options)}-${hash.digest('hex').slice(0, 16)}`;
}

/** The package folder of `options.stage` (zips and CloudFormation templates), made if needed. */
export async function packagedStage(options: PackageOptions): Promise<string> {
  const key = keyOf(options);
  const done = join(PACKAGES_DIR, key);
  if (existsSync(join(done, 'package', 'cloudformation-template-update-stack.json'))) {
    return join(done, 'package');
  }
  // Packaged from a copy of the repository outside it (a copy cannot go into itself), then
  // moved into the cache whole.
  const work = mkdtempSync(join(tmpdir(), 'hlc-package-'));
  const partial = join(PACKAGES_DIR, `${key}.${process.pid}.partial`);
  try {
    const packageDir = await packageStage(work, options);
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    cpSync(packageDir, join(partial, 'package'), { recursive: true });
    try {
      renameSync(partial, done);
    } catch {
      // Another test file finished the same package first: that one is used.
    }
    // The same stage and params packaged from older sources: not needed any more.
    for (const entry of readdirSync(PACKAGES_DIR)) {
      if (entry.startsWith(`${nameOf(options)}-`) && entry !== key && !entry.endsWith('.partial')) {
        rmSync(join(PACKAGES_DIR, entry), { recursive: true, force: true });
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(partial, { recursive: true, force: true });
  }
  return join(done, 'package');
}

/** A packaged template, parsed. */
export function templateOf(packageDir: string): CloudFormationTemplate {
  return JSON.parse(
    readFileSync(join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8'),
  ) as CloudFormationTemplate;
}

export interface CloudFormationResource {
  Type: string;
  Properties: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  DependsOn?: string[] | string;
}

export interface CloudFormationTemplate {
  Resources: Record<string, CloudFormationResource>;
  Outputs?: Record<string, { Value: unknown; Description?: string }>;
}
