/** From a flow's outcome to a response: Hydra's redirect, or a page with a fresh CSRF token. */
import type { Outcome } from '../flows/outcome';
import type { SafeHtml } from '../views/html';
import type { WebSettings } from './cookies';
import { badRequest } from './errors';
import { issueCsrf, verifyCsrf, type CsrfSettings, type FormPurpose } from './csrf';
import { deviceCookie, readDevice } from './device-cookie';
import type { WebRequest } from './request';
import { pageResponse, redirectResponse, type WebResponse } from './response';

export function csrfSettings(web: WebSettings): CsrfSettings {
  return { secret: web.secret, secure: web.secure, ttlSeconds: web.csrfTtlSeconds };
}

/** The browser's device cookie, when it is valid (see ./device-cookie). */
export function knownDevice(request: WebRequest, web: WebSettings) {
  return readDevice(request, web);
}

export interface FormContext {
  challenge: string;
  csrfToken: string;
}

export function respond<View>(
  request: WebRequest,
  web: WebSettings,
  outcome: Outcome<View>,
  purpose: FormPurpose,
  challenge: string,
  render: (view: View, form: FormContext) => SafeHtml,
): WebResponse {
  if (outcome.kind === 'redirect') {
    const response = redirectResponse(outcome.to);
    if (outcome.device) response.cookies = [deviceCookie(outcome.device, web)];
    return response;
  }
  const csrf = issueCsrf(request, csrfSettings(web), purpose, challenge);
  const response = pageResponse(
    outcome.status,
    render(outcome.view, { challenge, csrfToken: csrf.token }),
    csrf.setCookie ? [csrf.setCookie] : [],
  );
  Object.assign(response.headers, outcome.headers);
  return response;
}

/** Refuses (403, nothing sent to Hydra) a form that did not come from our page in this browser. */
export function checkForm(
  request: WebRequest,
  web: WebSettings,
  purpose: FormPurpose,
  challenge: string,
): void {
  verifyCsrf(request, csrfSettings(web), purpose, challenge);
}

/** A form field that must be one of a few values (a button's); anything else is a client mistake. */
export function choice<T extends string>(value: string | undefined, allowed: readonly T[]): T {
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined) throw badRequest('The form was not sent by one of its buttons.');
  return found;
}
