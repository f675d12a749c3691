/**
 * Hydra's error redirect (`/error?error=…&error_description=…&error_hint=…`) as a page.
 *
 * Anyone can write that URL, so nothing in it is shown as our own words: the `error` code only
 * picks one of the fixed messages below (an unknown or missing code gets the generic one), and
 * the three parameters are shown, escaped and clipped, only under "Technical details".
 *
 * Statuses, one rule per group:
 * - 400: the application sent a request that is malformed, not valid or not supported
 *   (invalid_request, invalid_grant, unauthorized_client, unsupported_response_type,
 *   invalid_scope, invalid_request_uri, invalid_request_object, request_not_supported,
 *   request_uri_not_supported, registration_not_supported), and any unknown or missing code;
 * - 401: the application could not be identified (invalid_client; Hydra's own status for it);
 * - 403: the request was understood but refused, by the user or by policy (access_denied,
 *   request_forbidden), or it needs the user and the application asked for no screens
 *   (login_required, consent_required, interaction_required, account_selection_required);
 * - 500: server_error; 503: temporarily_unavailable.
 */
import type { MessageKey } from '../i18n/messages';
import type { MessagePageView, TechnicalDetail } from './pages';

/** What the page says for one error code: written by us (the catalogs), never taken from the request. */
export interface OAuthErrorView {
  status: number;
  title: MessageKey;
  message: MessageKey;
  /** What to do next, said after the message. */
  next?: MessageKey;
}

const BAD_REQUEST = (
  message: MessageKey,
  title: MessageKey = 'oauth.badRequest.title',
): OAuthErrorView => ({ status: 400, title, message, next: 'oauth.tryAgain' });

const NEEDS_YOU = (code: string): OAuthErrorView => ({
  status: 403,
  title: `oauth.${code}.title` as MessageKey,
  message: `oauth.${code}.message` as MessageKey,
  next: 'oauth.tryAgain',
});

const UNSUPPORTED = BAD_REQUEST('oauth.unsupported.message', 'oauth.unsupported.title');

/** The fallback for an unknown or missing code. */
export const GENERIC_ERROR: OAuthErrorView = {
  status: 400,
  title: 'oauth.generic.title',
  message: 'oauth.generic.message',
  next: 'oauth.tryAgain',
};

const KNOWN: ReadonlyMap<string, OAuthErrorView> = new Map<string, OAuthErrorView>([
  [
    'access_denied',
    { status: 403, title: 'oauth.access_denied.title', message: 'oauth.access_denied.message' },
  ],
  ['request_forbidden', NEEDS_YOU('request_forbidden')],
  ['login_required', NEEDS_YOU('login_required')],
  ['consent_required', NEEDS_YOU('consent_required')],
  ['interaction_required', NEEDS_YOU('interaction_required')],
  ['account_selection_required', NEEDS_YOU('account_selection_required')],
  ['invalid_request', BAD_REQUEST('oauth.invalid_request.message')],
  [
    'invalid_client',
    {
      status: 401,
      title: 'oauth.invalid_client.title',
      message: 'oauth.invalid_client.message',
      next: 'oauth.tryAgain',
    },
  ],
  ['invalid_grant', BAD_REQUEST('oauth.invalid_grant.message', 'oauth.invalid_grant.title')],
  [
    'unauthorized_client',
    BAD_REQUEST('oauth.unauthorized_client.message', 'oauth.unauthorized_client.title'),
  ],
  [
    'unsupported_response_type',
    BAD_REQUEST('oauth.unsupported_response_type.message', 'oauth.unsupported_response_type.title'),
  ],
  ['invalid_scope', BAD_REQUEST('oauth.invalid_scope.message', 'oauth.invalid_scope.title')],
  ['invalid_request_uri', BAD_REQUEST('oauth.invalid_request_uri.message')],
  ['invalid_request_object', BAD_REQUEST('oauth.invalid_request_object.message')],
  ['request_not_supported', UNSUPPORTED],
  ['request_uri_not_supported', UNSUPPORTED],
  ['registration_not_supported', UNSUPPORTED],
  [
    'server_error',
    {
      status: 500,
      title: 'oauth.server_error.title',
      message: 'oauth.server_error.message',
      next: 'oauth.later',
    },
  ],
  [
    'temporarily_unavailable',
    {
      status: 503,
      title: 'oauth.temporarily_unavailable.title',
      message: 'oauth.temporarily_unavailable.message',
      next: 'oauth.later',
    },
  ],
]);

/** The fixed status, title and message for an OAuth 2.0 / OpenID Connect error code. */
export function oauthErrorView(code: string | undefined): OAuthErrorView {
  return (code !== undefined ? KNOWN.get(code) : undefined) ?? GENERIC_ERROR;
}

const MAX_TEXT = 500;

function clip(text: string | undefined): string | undefined {
  if (!text) return undefined;
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

/** Hydra's error redirect as a status and a message page. */
export function hydraErrorPage(input: {
  error: string | undefined;
  description: string | undefined;
  hint: string | undefined;
}): { status: number; view: MessagePageView } {
  const { status, title, message, next } = oauthErrorView(input.error);
  const technical: TechnicalDetail[] = [
    { label: 'error', value: clip(input.error), code: true },
    { label: 'error_description', value: clip(input.description) },
    { label: 'error_hint', value: clip(input.hint) },
  ].flatMap(({ value, ...rest }) => (value === undefined ? [] : [{ ...rest, value }]));
  return {
    status,
    view: {
      title: { key: title },
      message: { key: message },
      ...(next ? { next: { key: next } } : {}),
      technical,
    },
  };
}
