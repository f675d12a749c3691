/** Where things are in this repository, for every script and test that needs a path. */
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..');
/** The repository's `node_modules/.bin`: its `node` is Node 22, the Lambda runtime's major. */
export const BIN_DIR = join(REPO_ROOT, 'node_modules', '.bin');
/** What `npm start` keeps between runs (users, logs, the running stack's description). */
export const DATA_DIR = join(REPO_ROOT, '.data');
/** Builds and logs of tests, the load script and the benchmark (Hydra's build too). */
export const CACHE_DIR = join(REPO_ROOT, '.cache');
