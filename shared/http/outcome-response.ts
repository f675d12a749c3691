/**
 * From a flow's outcome to a response: Hydra's redirect (with the device cookie after a
 * sign-in, and the session cookie after one that ends with the browser session), or the page the flow shows; a refusal's page with its status and headers.
 */
import type { Outcome, Refusal } from '../flows/outcome';
import { deviceCookie, type DeviceCookieSettings } from './device-cookie';
import { endPendingSignInCookie, pendingSignInCookie } from './pending-sign-in';
import { redirectResponse, type WebResponse } from './response';
import { sessionCookie } from './session-cookie';

interface Answer {
  status: number;
  headers: Record<string, string>;
}

/**
 * 401 for credentials that do not match; 400 for a device code Hydra refused or a field the form
 * cannot take; 429 for too many attempts, with when to try again; for a mailed link, 410 when it
 * was used or expired, 400 when it is not one of ours.
 */
function refusalAnswer(refusal: Refusal): Answer {
  switch (refusal.reason) {
    case 'wrong-credentials':
      return { status: 401, headers: {} };
    case 'wrong-code':
      return { status: 400, headers: {} };
    case 'throttled':
      return { status: 429, headers: { 'retry-after': String(refusal.retryAfterSeconds) } };
    case 'bad-input':
      return { status: 400, headers: {} };
    case 'taken':
      return { status: 409, headers: {} };
    case 'link':
      return { status: refusal.problem === 'invalid' ? 400 : 410, headers: {} };
  }
}

export function outcomeResponse<View>(
  outcome: Outcome<View>,
  cookies: DeviceCookieSettings,
  page: (view: View, status: number) => WebResponse,
): WebResponse {
  if (outcome.kind === 'redirect') {
    const response = redirectResponse(outcome.to);
    const set = [
      ...(outcome.device ? [deviceCookie(outcome.device, cookies)] : []),
      ...(outcome.browserSession ? [sessionCookie(outcome.browserSession, cookies)] : []),
      ...(outcome.pendingSignIn ? [pendingSignInCookie(outcome.pendingSignIn, cookies)] : []),
      ...(outcome.endPendingSignIn ? [endPendingSignInCookie(cookies)] : []),
    ];
    if (set.length > 0) response.cookies = set;
    return response;
  }
  const { status, headers } =
    outcome.kind === 'refused' ? refusalAnswer(outcome.refusal) : { status: 200, headers: {} };
  const response = page(outcome.view, status);
  Object.assign(response.headers, headers);
  return response;
}
