import type { Translator } from '../i18n/messages';
import type { SafeHtml } from '../views/html';

export interface WebResponse {
  statusCode: number;
  headers: Record<string, string>;
  cookies?: string[];
  body?: string;
}

/**
 * A page, in the language `t` wrote it in: `Content-Language` says which, and `Vary` that the
 * browser's `Accept-Language` chose it (a cache must not serve it to another language).
 */
export function pageResponse(
  status: number,
  page: SafeHtml,
  t: Translator,
  cookies: string[] = [],
): WebResponse {
  return {
    statusCode: status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-language': t.locale,
      vary: 'Accept-Language',
    },
    ...(cookies.length > 0 ? { cookies } : {}),
    body: page.value,
  };
}

/**
 * 303 See Other: after a POST the browser follows with a GET. `location` must be a URL that
 * Hydra's admin API returned (see checkedRedirect), never one taken from the request.
 */
export function redirectResponse(location: string): WebResponse {
  return { statusCode: 303, headers: { location }, body: '' };
}

/** A JSON answer (to a machine: Hydra's token hook); 204 carries no body. */
export function jsonResponse(status: number, body?: unknown): WebResponse {
  if (status === 204 || body === undefined) return { statusCode: status, headers: {}, body: '' };
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  };
}
