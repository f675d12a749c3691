/**
 * The functions' bundles for local stacks under serverless offline, built once for a state of the
 * sources and reused by every stack started from it.
 *
 * serverless-esbuild builds each of the 33 functions on its own (each one parsing the same
 * dependencies again): about 20 s of every stack's start, on a quiet machine, and a test run
 * starts about 30 stacks. One esbuild build of all of them takes about 4 s. A stack copies the
 * bundles into its own build folder (serverless offline's `location`), and the local plugin
 * scripts/serverless-prebuilt.cjs tells serverless-esbuild not to build them again; it still adds
 * the extras (catalogs, brand files, the passkey script), which differ from stack to stack.
 *
 * The bundles are `bundleFunctions`' (serverless.yml's custom.esbuild options, linked source
 * maps), kept under .cache/offline-bundles/<key>: the key is a hash of everything they are made
 * of (our sources, the lock file of the dependencies, the options), so an edit is never served
 * from an older build. Two processes that build at once each build into a folder of their own
 * and the first rename wins.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BUNDLE_OPTIONS, bundleFunctions } from './bundle';
import { CACHE_DIR, REPO_ROOT } from './paths';

/** What the bundles are made of: our code (and what it reads at build time), the dependencies. */
const SOURCE_FOLDERS = ['functions', 'shared', 'browser'];
const SOURCE_FILES = ['package-lock.json', 'tsconfig.json', 'scripts/esbuild-plugins.cjs'];

export const OFFLINE_BUNDLES_DIR = join(CACHE_DIR, 'offline-bundles');

/** Builds older than this are removed when a new one is made (a run in progress keeps its own). */
const KEEP_MS = 6 * 60 * 60 * 1000;

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) return filesUnder(path);
      return entry.isFile() ? [path] : [];
    })
    .sort();
}

/** A hash of every file the bundles are made of (path and content) and of the build options. */
export function sourcesKey(root: string = REPO_ROOT): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(BUNDLE_OPTIONS));
  const files = [
    ...SOURCE_FOLDERS.flatMap((folder) => filesUnder(join(root, folder))),
    ...SOURCE_FILES.map((file) => join(root, file)),
  ];
  for (const file of files) {
    hash.update(`\0${relative(root, file)}\0`);
    hash.update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 32);
}

function removeOldBuilds(except: string): void {
  if (!existsSync(OFFLINE_BUNDLES_DIR)) return;
  for (const name of readdirSync(OFFLINE_BUNDLES_DIR)) {
    const path = join(OFFLINE_BUNDLES_DIR, name);
    if (name !== except && Date.now() - statSync(path).mtimeMs > KEEP_MS) {
      rmSync(path, { recursive: true, force: true });
    }
  }
}

/**
 * The folder holding `<function>.js` (and its `.js.map`) for every function, as the sources are
 * now: built if no earlier stack built them.
 */
export async function offlineBundles(): Promise<string> {
  const key = sourcesKey();
  const dir = join(OFFLINE_BUNDLES_DIR, key);
  if (existsSync(dir)) return dir;
  const building = `${dir}.${process.pid}.building`;
  rmSync(building, { recursive: true, force: true });
  await bundleFunctions(building, { sourcemap: true });
  try {
    renameSync(building, dir);
  } catch (error) {
    // Another process made the same build first: use its.
    rmSync(building, { recursive: true, force: true });
    if (!existsSync(dir)) throw error;
  }
  removeOldBuilds(key);
  return dir;
}
