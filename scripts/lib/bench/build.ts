/**
 * Everything the benchmark runs, built into one scratch folder: the functions exactly as
 * `serverless package` bundles them (linked source maps included), the DynamoDB document-client
 * floor bundled the same way, and the two runner scripts. The folder gets a `node_modules` link
 * to the repository's, so the bundles find @node-rs/argon2 (external, as on Lambda).
 */
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { BUNDLE_OPTIONS, bundleFunctions, type Bundles } from '../bundle';
import { REPO_ROOT } from '../paths';

/** An alternative measured beside the functions (./probes), bundled like a function. */
export interface Probe {
  name: string;
  label: string;
  file: string;
  /** The path whose event it answers (a handler), else it exports `run()`. */
  answers?: string;
}

const PROBES: Omit<Probe, 'file'>[] = [
  { name: 'secrets-ours', label: 'probe: read the secret, our own signed request' },
  { name: 'secrets-powertools', label: 'probe: read the secret, Powertools Parameters' },
  { name: 'secrets-sdk', label: 'probe: read the secret, AWS SDK client' },
  { name: 'metrics-emf', label: 'probe: a metric, EMF on our audit line' },
  { name: 'metrics-powertools', label: 'probe: a metric, Powertools Metrics' },
  {
    name: 'one-function',
    label: 'probe: every route in one function, GET /login',
    answers: 'login-get',
  },
];

export interface BenchBuild {
  dir: string;
  functions: Bundles;
  /** The document-client floor bundle and its metafile. */
  floor: { file: string; metafile: Metafile };
  /** The probes and their metafile. */
  probes: Probe[];
  probeMetafile: Metafile;
  coldRunner: string;
  warmRunner: string;
}

export async function buildBench(dir: string): Promise<BenchBuild> {
  mkdirSync(dir, { recursive: true });
  const modules = join(dir, 'node_modules');
  if (!existsSync(modules)) symlinkSync(join(REPO_ROOT, 'node_modules'), modules, 'dir');
  const functions = await bundleFunctions(join(dir, 'functions'), { sourcemap: true });
  const floorFile = join(dir, 'floor', 'document-client.js');
  const floor = await build({
    ...BUNDLE_OPTIONS,
    sourcemap: 'linked',
    entryPoints: [join(__dirname, 'floor-document-client.ts')],
    outfile: floorFile,
    metafile: true,
    logLevel: 'warning',
  });
  const probes = await build({
    ...BUNDLE_OPTIONS,
    sourcemap: 'linked',
    entryPoints: Object.fromEntries(
      PROBES.map((probe) => [probe.name, join(__dirname, 'probes', `${probe.name}.ts`)]),
    ),
    outdir: join(dir, 'probes'),
    metafile: true,
    logLevel: 'warning',
  });
  // The runners: not minified (nothing of theirs is measured but a few hundred bytes of stubs).
  await build({
    entryPoints: {
      'cold-runner': join(__dirname, 'cold-runner.ts'),
      'warm-runner': join(__dirname, 'warm-runner.ts'),
    },
    outdir: join(dir, 'runners'),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    logLevel: 'warning',
  });
  return {
    dir,
    functions,
    floor: { file: floorFile, metafile: floor.metafile ?? { inputs: {}, outputs: {} } },
    probes: PROBES.map((probe) => ({ ...probe, file: join(dir, 'probes', `${probe.name}.js`) })),
    probeMetafile: probes.metafile ?? { inputs: {}, outputs: {} },
    coldRunner: join(dir, 'runners', 'cold-runner.js'),
    warmRunner: join(dir, 'runners', 'warm-runner.js'),
  };
}
