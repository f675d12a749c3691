import { checkHealth, type HealthDeps } from '../shared/flows/health';
import { route, type RouteDeps } from '../shared/http/pipeline';
import { jsonResponse } from '../shared/http/response';
import { healthDeps } from '../shared/wiring';

/** How long a healthy answer may be reused (a load balancer's or a monitor's cache). */
export const HEALTHY_MAX_AGE_SECONDS = 5;

/**
 * GET /health: 200 {status: "ok", checks} when the configuration, Hydra's admin API and the users
 * table answer, cacheable for a few seconds; else 503 with the check that failed, not cached.
 */
export const health = (deps: HealthDeps & RouteDeps) =>
  route('GET', deps, async (_request, deps) => {
    const report = await checkHealth(deps);
    const response = jsonResponse(report.status === 'ok' ? 200 : 503, report);
    response.headers['cache-control'] =
      report.status === 'ok' ? `public, max-age=${HEALTHY_MAX_AGE_SECONDS}` : 'no-store';
    return response;
  });

export const handler = health(healthDeps());
