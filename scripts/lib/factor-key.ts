/**
 * FACTOR_KEY for local runs: a random key made once and kept in .data/factor-key (never in the
 * repository), so that `npm start`, the e2e stacks and the users CLI on their tables seal and
 * open second factors with the same key. FACTOR_KEY in the environment wins.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR } from './paths';

export const LOCAL_FACTOR_KEY_FILE = join(DATA_DIR, 'factor-key');

export function localFactorKey(env: NodeJS.ProcessEnv = process.env): string {
  const given = env.FACTOR_KEY?.trim();
  if (given) return given;
  if (existsSync(LOCAL_FACTOR_KEY_FILE)) return readFileSync(LOCAL_FACTOR_KEY_FILE, 'utf8').trim();
  mkdirSync(DATA_DIR, { recursive: true });
  const key = randomBytes(32).toString('base64');
  // `wx`: two stacks starting at once keep the first one's key.
  try {
    writeFileSync(LOCAL_FACTOR_KEY_FILE, `${key}\n`, { mode: 0o600, flag: 'wx' });
  } catch {
    return readFileSync(LOCAL_FACTOR_KEY_FILE, 'utf8').trim();
  }
  return key;
}
