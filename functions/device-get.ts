import { startDevice, type StartDeviceDeps } from '../shared/flows/device';
import { formRoute } from '../shared/http/form-route';
import type { RouteDeps } from '../shared/http/pipeline';
import { devicePage } from '../shared/views/device';
import { startDeviceDeps } from '../shared/wiring';

/**
 * GET /device?device_challenge=…[&user_code=…]: Hydra's `urls.device.verification`, the code
 * form (prefilled with the code from the device's link). Nothing to read from Hydra.
 */
export const deviceGet = (deps: StartDeviceDeps & RouteDeps) =>
  formRoute('GET', 'device', deps, devicePage, ({ request }, deps) =>
    Promise.resolve(startDevice(deps, request.query.one('user_code'))),
  );

export const handler = deviceGet(startDeviceDeps());
