import { brandOf, route, type RouteDeps } from '../shared/http/pipeline';
import { pageTranslator } from '../shared/http/language';
import { pageResponse } from '../shared/http/response';
import { deviceDonePage } from '../shared/views/device';
import { pageDeps } from '../shared/wiring';

/**
 * GET /device/done: Hydra's `urls.device.success`, after the login and consent of a device
 * sign-in. Hydra adds the device's `client_id`, unverified: the page does not name it.
 */
export const deviceDone = (deps: RouteDeps) =>
  route('GET', deps, (request, deps) => {
    const t = pageTranslator(request.headers);
    return pageResponse(200, deviceDonePage(t, brandOf(deps)), t);
  });

export const handler = deviceDone(pageDeps());
