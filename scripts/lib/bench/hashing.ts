/**
 * Password verification at the configured argon2id parameters (ARGON2_* from this shell, else
 * the defaults: shared/config.ts loadArgon2Parameters), through our hasher (shared/users/password),
 * one at a time, as POST /login does.
 */
import { loadArgon2Parameters, type Argon2Parameters } from '../../../shared/config';
import { createPasswordHasher } from '../../../shared/users/password';
import { BENCH_PASSWORD } from './fixtures';
import { summarize, type Summary } from '../stats';

export interface HashingMeasure {
  parameters: Argon2Parameters;
  verify: Summary;
  hash: Summary;
}

export async function measureHashing(runs: number): Promise<HashingMeasure> {
  const parameters = loadArgon2Parameters(process.env);
  const hasher = createPasswordHasher(parameters, process.env.PASSWORD_PEPPER || undefined);
  const hashes: number[] = [];
  const verifies: number[] = [];
  let stored = '';
  for (let index = 0; index < runs + 2; index += 1) {
    let started = performance.now();
    stored = await hasher.hash(BENCH_PASSWORD);
    const hashed = performance.now() - started;
    started = performance.now();
    const ok = await hasher.verify(stored, BENCH_PASSWORD);
    const verified = performance.now() - started;
    if (!ok) throw new Error('the hasher refused its own hash');
    if (index < 2) continue;
    hashes.push(hashed);
    verifies.push(verified);
  }
  return { parameters, verify: summarize(verifies), hash: summarize(hashes) };
}
