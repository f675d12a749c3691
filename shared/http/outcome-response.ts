/**
 * From a flow's outcome to a response: Hydra's redirect (with the device cookie after a
 * sign-in), or the page the flow shows, with its status and headers.
 */
import type { Outcome } from '../flows/outcome';
import { deviceCookie, type DeviceCookieSettings } from './device-cookie';
import { redirectResponse, type WebResponse } from './response';

export function outcomeResponse<View>(
  outcome: Outcome<View>,
  cookies: DeviceCookieSettings,
  page: (view: View, status: number) => WebResponse,
): WebResponse {
  if (outcome.kind === 'redirect') {
    const response = redirectResponse(outcome.to);
    if (outcome.device) response.cookies = [deviceCookie(outcome.device, cookies)];
    return response;
  }
  const response = page(outcome.view, outcome.status);
  Object.assign(response.headers, outcome.headers);
  return response;
}
