/**
 * The one error mapper: every failure becomes a page (or Hydra's redirect) for browsers, or a JSON
 * error for machines; never a stack trace.
 */
import { UNBRANDED, type Brand } from '../brand/brand';
import { ConfigError } from '../config';
import {
  ChallengeNotFoundError,
  DeviceFlowUnsupportedError,
  HydraUnavailableError,
  RequestAlreadyHandledError,
  RequestConflictError,
} from '../hydra/errors';
import { SignInRequirementError } from '../flows/acr';
import { log } from '../log';
import { SecretsUnavailableError } from '../secrets';
import { TableUnavailableError } from '../users/table';
import { ourEnglish, type Translator } from '../i18n/messages';
import { messagePage, type MessagePageView } from '../views/pages';
import { textOf } from '../views/say';
import { HttpError, SIGN_IN_EXPIRED } from './errors';
import { jsonResponse, pageResponse, redirectResponse, type WebResponse } from './response';

function page(
  status: number,
  view: MessagePageView,
  t: Translator,
  brand: Brand,
  headers: Record<string, string> = {},
) {
  const response = pageResponse(status, messagePage(view, t, brand), t);
  Object.assign(response.headers, headers);
  return response;
}

const ALREADY_DONE: MessagePageView = {
  title: { key: 'error.alreadyDone.title' },
  message: { key: 'error.alreadyDone.message' },
};

/** Hydra before v25.4 has no device authorization flow. */
export const DEVICE_UNSUPPORTED: MessagePageView = {
  title: { key: 'error.deviceUnsupported.title' },
  message: { key: 'error.deviceUnsupported.message' },
};

const UNAVAILABLE: MessagePageView = {
  title: { key: 'error.unavailable.title' },
  message: { key: 'error.tryAgainLater' },
};

/** What went wrong, whatever the answer is made of (a page or JSON). Logged once, here. */
interface Failure {
  status: number;
  view: MessagePageView;
  headers?: Record<string, string>;
  /** Hydra's redirect_to for a request it already handled: browsers follow it. */
  redirectTo?: string;
}

function failure(error: unknown): Failure {
  if (error instanceof HttpError) {
    log.info('request refused', { status: error.status, reason: error.page.message.key });
    return { status: error.status, view: error.page, headers: error.headers };
  }
  if (error instanceof SignInRequirementError) {
    log.info('sign-in requirement not met', { reason: error.reason });
    switch (error.reason) {
      case 'no-second-factor':
        return {
          status: 403,
          view: {
            title: { key: 'error.secondFactorNeeded.title' },
            message: { key: 'error.secondFactorNeeded.message' },
          },
        };
      case 'client-misconfigured':
        return {
          status: 500,
          view: {
            title: { key: 'error.clientMisconfigured.title' },
            message: { key: 'error.clientMisconfigured.message' },
          },
        };
      case 'second-step-expired':
        return { status: 403, view: SIGN_IN_EXPIRED };
    }
  }
  if (error instanceof RequestAlreadyHandledError) {
    if (error.redirectTo === undefined) {
      log.info('request already handled, and Hydra named nowhere to go');
      return { status: 410, view: ALREADY_DONE };
    }
    log.info('request already handled: following Hydra');
    return { status: 410, view: ALREADY_DONE, redirectTo: error.redirectTo };
  }
  if (error instanceof ChallengeNotFoundError) {
    log.info('unknown or expired challenge', { hydraStatus: error.status });
    return { status: 404, view: SIGN_IN_EXPIRED };
  }
  if (error instanceof RequestConflictError) {
    log.info('request already answered');
    return {
      status: 409,
      view: {
        title: { key: 'error.alreadyAnswered.title' },
        message: { key: 'error.alreadyAnswered.message' },
      },
    };
  }
  if (error instanceof DeviceFlowUnsupportedError) {
    log.warn('device sign-in attempted, but Hydra has no device flow (v25.4+ has it)');
    return { status: 501, view: DEVICE_UNSUPPORTED };
  }
  if (error instanceof HydraUnavailableError) {
    log.error('hydra unavailable', {
      failure: error.failure,
      operation: error.operation,
      hydraStatus: error.status,
    });
    const status = error.failure === 'timeout' ? 504 : 502;
    return { status, view: UNAVAILABLE };
  }
  if (error instanceof TableUnavailableError) {
    const cause = error.cause as { name?: string } | undefined;
    log.error('user store unavailable', { cause: cause?.name ?? 'unknown' });
    return {
      status: 503,
      view: UNAVAILABLE,
      headers: { 'retry-after': '5' },
    };
  }
  if (error instanceof SecretsUnavailableError) {
    // Why, never what: the reason names a key or a status, no value.
    log.error('secrets unavailable', { reason: error.reason });
    return { status: 503, view: UNAVAILABLE, headers: { 'retry-after': '5' } };
  }
  if (error instanceof ConfigError) {
    log.error('misconfigured', { problem: error.message });
    return { status: 500, view: UNAVAILABLE };
  }
  const unexpected = error instanceof Error ? error : new Error(String(error));
  log.error('unexpected error', {
    errorName: unexpected.name,
    errorMessage: unexpected.message,
    stack: unexpected.stack,
  });
  return {
    status: 500,
    view: { title: { key: 'error.unexpected.title' }, message: { key: 'error.tryAgainLater' } },
  };
}

/** For the browser: a page, or Hydra's redirect when the request was already handled. */
export function errorResponse(
  error: unknown,
  t: Translator,
  brand: Brand = UNBRANDED,
): WebResponse {
  const found = failure(error);
  if (found.redirectTo !== undefined) return redirectResponse(found.redirectTo);
  return page(found.status, found.view, t, brand, found.headers);
}

/** OAuth-style error codes for the JSON answers (RFC 6749 §5.2 where one fits). */
const JSON_ERROR_CODES: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'access_denied',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  410: 'gone',
  413: 'request_too_large',
  415: 'unsupported_media_type',
  503: 'temporarily_unavailable',
};

/** For a machine (Hydra's token hook): `{error, error_description}` with the same status. */
export function jsonErrorResponse(error: unknown): WebResponse {
  const found = failure(error);
  const response = jsonResponse(found.status, {
    error: JSON_ERROR_CODES[found.status] ?? 'server_error',
    error_description: textOf(ourEnglish(), found.view.message),
  });
  Object.assign(response.headers, found.headers);
  return response;
}
