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
import type { MessagePageView, TechnicalDetail } from './pages';

/** What the page says for one error code: written by us, never taken from the request. */
export interface OAuthErrorView {
  status: number;
  title: string;
  message: string;
}

const TRY_AGAIN = 'Go back to the application and try again.';
const LATER = 'Wait a moment, then go back to the application and try again.';

const BAD_REQUEST = (message: string, title = 'This sign-in request is not valid') => ({
  status: 400,
  title,
  message: `${message} ${TRY_AGAIN}`,
});

const NEEDS_YOU = (message: string, title: string) => ({
  status: 403,
  title,
  message: `${message} ${TRY_AGAIN}`,
});

const UNSUPPORTED = BAD_REQUEST(
  'The application sent a kind of sign-in request that this service does not support.',
  'This sign-in request is not supported',
);

/** The fallback for an unknown or missing code. */
export const GENERIC_ERROR: OAuthErrorView = {
  status: 400,
  title: 'Sign-in could not be completed',
  message: `The sign-in request could not be completed. ${TRY_AGAIN}`,
};

const KNOWN: ReadonlyMap<string, OAuthErrorView> = new Map<string, OAuthErrorView>([
  [
    'access_denied',
    {
      status: 403,
      title: 'Access was not granted',
      message: `The sign-in was cancelled or access was refused, so the application did not get access to your account. If you want to continue, go back to the application and try again.`,
    },
  ],
  [
    'request_forbidden',
    NEEDS_YOU('This sign-in request is not allowed.', 'This sign-in request is not allowed'),
  ],
  [
    'login_required',
    NEEDS_YOU(
      'The application asked to continue without showing you a sign-in screen, but you need to sign in first.',
      'You need to sign in',
    ),
  ],
  [
    'consent_required',
    NEEDS_YOU(
      'The application asked to continue without asking you, but it needs your permission first.',
      'Your permission is needed',
    ),
  ],
  [
    'interaction_required',
    NEEDS_YOU(
      'The application asked to continue without showing you any screen, but this sign-in needs you to take part.',
      'Your input is needed',
    ),
  ],
  [
    'account_selection_required',
    NEEDS_YOU(
      'The application asked to continue without showing you any screen, but you need to choose an account first.',
      'Choose an account',
    ),
  ],
  [
    'invalid_request',
    BAD_REQUEST('The application sent a sign-in request that is incomplete or not valid.'),
  ],
  [
    'invalid_client',
    {
      status: 401,
      title: 'The application was not recognised',
      message: `The application that sent you here could not be identified, so sign-in cannot continue. ${TRY_AGAIN}`,
    },
  ],
  [
    'invalid_grant',
    BAD_REQUEST(
      'This sign-in has expired, was already used, or is not valid.',
      'This sign-in is no longer valid',
    ),
  ],
  [
    'unauthorized_client',
    BAD_REQUEST(
      'The application is not allowed to sign you in this way.',
      'The application is not allowed to do this',
    ),
  ],
  [
    'unsupported_response_type',
    BAD_REQUEST(
      'The application asked to sign you in in a way that this service does not support.',
      'This sign-in method is not supported',
    ),
  ],
  [
    'invalid_scope',
    BAD_REQUEST(
      'The application asked for access that is not available.',
      'The requested access is not available',
    ),
  ],
  [
    'invalid_request_uri',
    BAD_REQUEST('The application pointed to sign-in details that could not be used.'),
  ],
  [
    'invalid_request_object',
    BAD_REQUEST('The application sent sign-in details that are not valid.'),
  ],
  ['request_not_supported', UNSUPPORTED],
  ['request_uri_not_supported', UNSUPPORTED],
  ['registration_not_supported', UNSUPPORTED],
  [
    'server_error',
    {
      status: 500,
      title: 'Something went wrong',
      message: `The sign-in service ran into a problem. ${LATER}`,
    },
  ],
  [
    'temporarily_unavailable',
    {
      status: 503,
      title: 'Sign-in is unavailable',
      message: `The sign-in service is busy or under maintenance. ${LATER}`,
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
  const { status, title, message } = oauthErrorView(input.error);
  const technical: TechnicalDetail[] = [
    { label: 'error', value: clip(input.error), code: true },
    { label: 'error_description', value: clip(input.description) },
    { label: 'error_hint', value: clip(input.hint) },
  ].flatMap(({ value, ...rest }) => (value === undefined ? [] : [{ ...rest, value }]));
  return { status, view: { title, message, technical } };
}
