/** The one error mapper: every failure becomes a page (or Hydra's redirect), never a stack trace. */
import { ConfigError } from '../config';
import {
  ChallengeNotFoundError,
  HydraUnavailableError,
  RequestAlreadyHandledError,
  RequestConflictError,
} from '../hydra/errors';
import { log } from '../log';
import { UserStoreUnavailableError } from '../users/types';
import { messagePage, type MessagePageView } from '../views/pages';
import { HttpError, SIGN_IN_EXPIRED } from './errors';
import { pageResponse, redirectResponse, type WebResponse } from './response';

function page(status: number, view: MessagePageView, headers: Record<string, string> = {}) {
  const response = pageResponse(status, messagePage(view));
  Object.assign(response.headers, headers);
  return response;
}

const ALREADY_DONE: MessagePageView = {
  title: 'Already done',
  message:
    'This request was already completed. You can close this page and go back to the application.',
};

const TRY_AGAIN = 'Please try again in a moment. If this keeps happening, contact support.';

export function errorResponse(error: unknown): WebResponse {
  if (error instanceof HttpError) {
    log.info('request refused', { status: error.status, reason: error.page.title });
    return page(error.status, error.page, error.headers);
  }
  if (error instanceof RequestAlreadyHandledError) {
    if (error.redirectTo === undefined) {
      log.info('request already handled, and Hydra named nowhere to go');
      return page(410, ALREADY_DONE);
    }
    log.info('request already handled: following Hydra');
    return redirectResponse(error.redirectTo);
  }
  if (error instanceof ChallengeNotFoundError) {
    log.info('unknown or expired challenge', { hydraStatus: error.status });
    return page(404, SIGN_IN_EXPIRED);
  }
  if (error instanceof RequestConflictError) {
    log.info('request already answered');
    return page(409, {
      title: 'Already answered',
      message: 'This request was already answered. Go back to the application and try again.',
    });
  }
  if (error instanceof HydraUnavailableError) {
    log.error('hydra unavailable', {
      failure: error.failure,
      operation: error.operation,
      hydraStatus: error.status,
    });
    const status = error.failure === 'timeout' ? 504 : 502;
    return page(status, { title: 'Sign-in is unavailable', message: TRY_AGAIN });
  }
  if (error instanceof UserStoreUnavailableError) {
    const cause = error.cause as { name?: string } | undefined;
    log.error('user store unavailable', { cause: cause?.name ?? 'unknown' });
    return page(
      503,
      { title: 'Sign-in is unavailable', message: TRY_AGAIN },
      { 'retry-after': '5' },
    );
  }
  if (error instanceof ConfigError) {
    log.error('misconfigured', { problem: error.message });
    return page(500, { title: 'Sign-in is unavailable', message: TRY_AGAIN });
  }
  const unexpected = error instanceof Error ? error : new Error(String(error));
  log.error('unexpected error', {
    errorName: unexpected.name,
    errorMessage: unexpected.message,
    stack: unexpected.stack,
  });
  return page(500, { title: 'Something went wrong', message: TRY_AGAIN });
}
