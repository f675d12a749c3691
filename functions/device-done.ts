import { route, type RouteDeps } from '../shared/http/pipeline';
import { pageResponse } from '../shared/http/response';
import { deviceDonePage } from '../shared/views/device';
import { pageDeps } from '../shared/wiring';

/**
 * GET /device/done: Hydra's `urls.device.success`, after the login and consent of a device
 * sign-in. Hydra adds the device's `client_id`, unverified: the page does not name it.
 */
export const deviceDone = (deps: RouteDeps) =>
  route('GET', deps, () => Promise.resolve(pageResponse(200, deviceDonePage())));

export const handler = deviceDone(pageDeps());
