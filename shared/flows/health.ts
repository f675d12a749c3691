/**
 * GET /health: can this deployment sign anyone in? Its configuration reads, Hydra's admin API
 * answers /health/alive, and the users table answers one read, each within a short deadline and
 * in parallel. No secret is read for it but Hydra's admin token where Hydra needs one.
 */
import type { HydraAdmin } from '../hydra/admin';
import { log } from '../log';
import type { TableProbe } from '../users/health-probe';

/** How long Hydra and the table each have: a health check answers fast or says what is slow. */
export const HEALTH_CHECK_TIMEOUT_MS = 1000;

export interface HealthDeps {
  /** Reads the configuration: throws (a ConfigError) when it is not usable. */
  configured(): void;
  hydra: Pick<HydraAdmin, 'checkAlive'>;
  table: TableProbe;
}

/** A check passed, failed, or was not made (the configuration to make it with is not usable). */
export type CheckResult = 'ok' | 'failed' | 'skipped';

export interface HealthReport {
  status: 'ok' | 'unavailable';
  checks: { config: CheckResult; hydra: CheckResult; table: CheckResult };
}

async function check(name: string, run: () => Promise<void>): Promise<CheckResult> {
  try {
    await run();
    return 'ok';
  } catch (error) {
    // Which check and the error's kind: never its message (it may hold a URL or a key).
    log.warn('health check failed', {
      check: name,
      errorName: (error as { name?: string } | undefined)?.name ?? 'unknown',
    });
    return 'failed';
  }
}

export async function checkHealth(deps: HealthDeps): Promise<HealthReport> {
  const config = await check('config', () => Promise.resolve(deps.configured()));
  if (config === 'failed') {
    return { status: 'unavailable', checks: { config, hydra: 'skipped', table: 'skipped' } };
  }
  const [hydra, table] = await Promise.all([
    check('hydra', () => deps.hydra.checkAlive(HEALTH_CHECK_TIMEOUT_MS)),
    check('table', () => deps.table.probe(HEALTH_CHECK_TIMEOUT_MS)),
  ]);
  const ok = hydra === 'ok' && table === 'ok';
  return { status: ok ? 'ok' : 'unavailable', checks: { config, hydra, table } };
}
