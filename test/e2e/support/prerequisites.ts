/**
 * What the end-to-end suites need: a hydra binary of the version the jest project names
 * (`e2e-v26.2.0`, `e2e-v2.3.0`: jest.config.cjs) and Debian's chromium. Locally a missing one
 * skips the suites with the reason printed; in CI (CI=true) it is a failure.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { hydraVersionFromEnv, type HydraVersion } from '../../../scripts/lib/hydra';
import { CACHE_DIR } from '../../../scripts/lib/paths';
import { findChromium } from './browser';

/**
 * The Hydra this run's suites talk to: the one the jest project sets (its `globals`), else
 * HYDRA_VERSION (a run outside the projects), else v26.2.0.
 */
const fromProject = (globalThis as { HYDRA_VERSION?: string }).HYDRA_VERSION;
export const HYDRA_VERSION: HydraVersion = hydraVersionFromEnv(
  fromProject ? { HYDRA_VERSION: fromProject } : process.env,
);

/**
 * What differs between the versions, as the suites see it. From v26.2.0 on Hydra refuses a
 * client whose `logo_uri`, `policy_uri`, `tos_uri` or `client_uri` is not http(s) (400, "must use
 * https:// or http:// as HTTP scheme"): such links reach our pages only from older Hydras.
 */
export const HYDRA_REFUSES_NON_HTTP_CLIENT_URIS = HYDRA_VERSION !== 'v2.3.0';

/** HYDRA_BIN_V26_2_0 for v26.2.0, HYDRA_BIN_V2_3_0 for v2.3.0 (what .ci/run sets). */
export function binaryVariable(version: HydraVersion): string {
  return `HYDRA_BIN_${version.slice(1).replace(/\./g, '_').toUpperCase()}`;
}

/** What `hydra version` says on its "Version:" line. */
function hydraVersionOf(binary: string): string | undefined {
  try {
    const output = execFileSync(binary, ['version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return /^Version:\s*(\S+)\s*$/m.exec(output)?.[1];
  } catch {
    return undefined;
  }
}

/**
 * The binary for HYDRA_VERSION: its own variable (HYDRA_BIN_V26_2_0, HYDRA_BIN_V2_3_0), HYDRA_BIN,
 * the cached build (.cache/hydra/<version>/hydra, as scripts/build-hydra.sh leaves it), or `hydra`
 * on PATH; the first that reports that version. One of another version is passed over.
 */
export function findHydra(version: HydraVersion = HYDRA_VERSION): string | undefined {
  const candidates = [
    process.env[binaryVariable(version)],
    process.env.HYDRA_BIN,
    join(CACHE_DIR, 'hydra', version, 'hydra'),
    'hydra',
  ].filter((candidate): candidate is string => Boolean(candidate));
  for (const candidate of candidates) {
    if (candidate !== 'hydra' && !existsSync(candidate)) continue;
    if (hydraVersionOf(candidate) === version) return candidate;
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
    hydra
      ? undefined
      : `hydra ${HYDRA_VERSION} (run HYDRA_VERSION=${HYDRA_VERSION} scripts/build-hydra.sh, or set ${binaryVariable(HYDRA_VERSION)})`,
    chromium ? undefined : 'chromium (apt-get install chromium, or set CHROMIUM_BIN)',
  ].filter(Boolean);
  if (hydra && chromium) return { hydra, chromium };
  const reason = `end-to-end suites on Hydra ${HYDRA_VERSION} skipped: missing ${missing.join(' and ')}`;
  if (process.env.CI === 'true') throw new Error(reason.replace('skipped', 'cannot run in CI'));
  return reason;
}
