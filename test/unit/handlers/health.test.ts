/**
 * GET /health: 200 and cacheable for a few seconds when the configuration, Hydra and the users
 * table all answer; 503, not cached, naming the check that failed, otherwise. No secret and no
 * error text in the answer.
 */
import { health } from '../../../functions/health';
import { ConfigError } from '../../../shared/config';
import { HydraUnavailableError } from '../../../shared/hydra/errors';
import { TableUnavailableError } from '../../../shared/users/table';
import { event } from '../support/events';
import { FakeHydra } from '../support/fakes';
import { COOKIE_SECRET, invoke, WEB } from '../support/handlers';
import { captureLogs } from '../support/logs';

const logs = captureLogs();

function site(options: { config?: Error; hydra?: Error; table?: Error } = {}) {
  const hydra = new FakeHydra();
  hydra.aliveFailure = options.hydra;
  const probes: number[] = [];
  const handler = health({
    web: WEB,
    hydra,
    configured: () => {
      if (options.config) throw options.config;
    },
    table: {
      probe: (timeoutMs) => {
        probes.push(timeoutMs);
        return options.table ? Promise.reject(options.table) : Promise.resolve();
      },
    },
  });
  return { hydra, probes, get: () => invoke(handler, event({ path: '/health' })) };
}

const body = (response: { body?: string }) => JSON.parse(response.body ?? '') as unknown;

describe('GET /health', () => {
  it('answers 200 with every check ok, cacheable for 5 s, after one Hydra call and one read', async () => {
    const { hydra, probes, get } = site();

    const response = await get();

    expect(response.statusCode).toBe(200);
    expect(body(response)).toEqual({
      status: 'ok',
      checks: { config: 'ok', hydra: 'ok', table: 'ok' },
    });
    expect(response.headers['cache-control']).toBe('public, max-age=5');
    expect(response.headers.pragma).toBeUndefined();
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    expect(hydra.calls.map((call) => call.method)).toEqual(['checkAlive']);
    expect(probes).toEqual([1000]);
  });

  it.each([
    [
      'Hydra does not answer',
      { hydra: new HydraUnavailableError('timeout', 'check alive') },
      'hydra',
    ],
    ['the table does not answer', { table: new TableUnavailableError(new Error('down')) }, 'table'],
  ])('answers 503, not cached, when %s', async (_name, failure, check) => {
    const response = await site(failure).get();

    expect(response.statusCode).toBe(503);
    expect(body(response)).toEqual({
      status: 'unavailable',
      checks: { config: 'ok', hydra: 'ok', table: 'ok', [check]: 'failed' },
    });
    expect(response.headers['cache-control']).toBe('no-store');
    expect(logs.entries()).toContainEqual(
      expect.objectContaining({ level: 'warn', message: 'health check failed', check }),
    );
  });

  it('answers 503 for a configuration it cannot read, without asking Hydra or the table', async () => {
    const { hydra, probes, get } = site({
      config: new ConfigError('COOKIE_SECRET', `is too short: ${COOKIE_SECRET}`),
    });

    const response = await get();

    expect(response.statusCode).toBe(503);
    expect(body(response)).toEqual({
      status: 'unavailable',
      checks: { config: 'failed', hydra: 'skipped', table: 'skipped' },
    });
    expect(hydra.calls).toEqual([]);
    expect(probes).toEqual([]);
    expect(logs.lines.join('\n')).not.toContain(COOKIE_SECRET);
  });
});
