/**
 * What the end-to-end suites need: a hydra binary (v2.3.0, or the HYDRA_VERSION given) and
 * Debian's chromium. Locally a missing one skips the suites with the reason printed; in CI
 * (CI=true) it is a failure.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR } from '../../../scripts/lib/paths';
import { findChromium } from './browser';

/** The Hydra the suites run against: v2.3.0 unless HYDRA_VERSION names another (v26.2.0). */
export const HYDRA_VERSION = process.env.HYDRA_VERSION?.trim() || 'v2.3.0';

function hydraVersionOf(binary: string): string | undefined {
  try {
    return execFileSync(binary, ['version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return undefined;
  }
}

export function findHydra(): string | undefined {
  const candidates = [
    process.env.HYDRA_BIN,
    join(CACHE_DIR, 'hydra', HYDRA_VERSION, 'hydra'),
    'hydra',
  ].filter((candidate): candidate is string => Boolean(candidate));
  for (const candidate of candidates) {
    if (candidate !== 'hydra' && !existsSync(candidate)) continue;
    if (hydraVersionOf(candidate)?.includes(HYDRA_VERSION)) return candidate;
  }
  return undefined;
}

export interface Prerequisites {
  hydra: string;
  chromium: string;
}

/** The prerequisites, or the reason the suites cannot run (thrown in CI). */
export function e2ePrerequisites(): Prerequisites | string {
  const hydra = findHydra();
  const chromium = findChromium();
  const missing = [
    hydra ? undefined : `hydra ${HYDRA_VERSION} (run scripts/build-hydra.sh, or set HYDRA_BIN)`,
    chromium ? undefined : 'chromium (apt-get install chromium, or set CHROMIUM_BIN)',
  ].filter(Boolean);
  if (hydra && chromium) return { hydra, chromium };
  const reason = `end-to-end suites skipped: missing ${missing.join(' and ')}`;
  if (process.env.CI === 'true') throw new Error(reason.replace('skipped', 'cannot run in CI'));
  return reason;
}
