import { submitDevice, type DeviceDeps } from '../shared/flows/device';
import { formRoute } from '../shared/http/form-route';
import type { RouteDeps } from '../shared/http/pipeline';
import { devicePage } from '../shared/views/device';
import { deviceDeps } from '../shared/wiring';

/** POST /device: the code, counted, to Hydra; then on to the login, as Hydra says. */
export const devicePost = (deps: DeviceDeps & RouteDeps) =>
  formRoute('POST', 'device', deps, devicePage, ({ challenge, form, request }, deps) =>
    submitDevice(deps, challenge, {
      userCode: form.one('user_code') ?? '',
      sourceIp: request.sourceIp,
    }),
  );

export const handler = devicePost(deviceDeps());
