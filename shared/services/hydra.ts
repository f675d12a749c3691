import { config } from '../config';
import { createHydraAdmin, type HydraAdmin } from '../hydra/admin';

let instance: HydraAdmin | undefined;

/** The Hydra admin adapter of this process, made once from the configuration. */
export function hydraAdmin(): HydraAdmin {
  const { hydraAdminUrl, hydraAdminToken, hydraTimeoutMs } = config();
  return (instance ??= createHydraAdmin({
    baseUrl: hydraAdminUrl,
    token: hydraAdminToken,
    timeoutMs: hydraTimeoutMs,
  }));
}
