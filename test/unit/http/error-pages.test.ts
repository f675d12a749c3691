import { ConfigError } from '../../../shared/config';
import { errorResponse, jsonErrorResponse } from '../../../shared/http/error-pages';
import { badRequest, forbidden, HttpError } from '../../../shared/http/errors';
import {
  ChallengeNotFoundError,
  HydraUnavailableError,
  RequestAlreadyHandledError,
  RequestConflictError,
} from '../../../shared/hydra/errors';
import { TableUnavailableError } from '../../../shared/users/table';
import { captureLogs } from '../support/logs';
import { translator } from '../../../shared/i18n/messages';

const EN = translator('en');

const logs = captureLogs();

describe('errorResponse', () => {
  it('shows an HttpError as its own page and status, with its headers', () => {
    const response = errorResponse(
      new HttpError(
        405,
        {
          title: { key: 'error.methodNotAllowed.title' },
          message: { key: 'error.methodNotAllowed.message' },
        },
        { allow: 'GET' },
      ),
      EN,
    );

    expect(response.statusCode).toBe(405);
    expect(response.headers).toMatchObject({
      allow: 'GET',
      'content-type': 'text/html; charset=utf-8',
    });
    expect(response.body).toContain('This page does not accept that kind of request.');
  });

  it('shows a bad request as 400 and a refusal as 403', () => {
    expect(errorResponse(badRequest({ key: 'error.notJson' }), EN).statusCode).toBe(400);
    expect(errorResponse(forbidden({ key: 'error.csrf' }), EN).statusCode).toBe(403);
  });

  it('follows Hydra with a 303 when the request was already handled (410)', () => {
    const response = errorResponse(
      new RequestAlreadyHandledError('https://hydra.example/oauth2/auth?login_verifier=v'),
      EN,
    );

    expect(response).toMatchObject({
      statusCode: 303,
      headers: { location: 'https://hydra.example/oauth2/auth?login_verifier=v' },
    });
  });

  it('shows an "already done" page (410, no redirect) when Hydra says handled but names nowhere to go', () => {
    const response = errorResponse(new RequestAlreadyHandledError(undefined), EN);

    expect(response.statusCode).toBe(410);
    expect(response.headers.location).toBeUndefined();
    expect(response.body).toContain('Already done');
  });

  it.each([404, 400, 401])(
    'shows the "expired or invalid" page as 404 when Hydra answers %i',
    (status) => {
      const response = errorResponse(new ChallengeNotFoundError(status), EN);

      expect(response.statusCode).toBe(404);
      expect(response.body).toContain('This sign-in request has expired or is invalid');
    },
  );

  it('shows a double answer (409) as 409 with a way back', () => {
    const response = errorResponse(new RequestConflictError(), EN);

    expect(response.statusCode).toBe(409);
    expect(response.body).toContain('already answered');
  });

  it.each([
    ['server', 502],
    ['network', 502],
    ['unexpected', 502],
    ['timeout', 504],
  ] as const)('shows Hydra failing with %s as %i', (failure, status) => {
    const response = errorResponse(
      new HydraUnavailableError(failure, 'get login request', 500),
      EN,
    );

    expect(response.statusCode).toBe(status);
    expect(response.body).toContain('Sign-in is unavailable');
  });

  it('fails closed with 503 and retry-after when the user store is unavailable', () => {
    const response = errorResponse(new TableUnavailableError(new Error('ThrottlingException')), EN);

    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.body).not.toContain('ThrottlingException');
  });

  it('shows a configuration error as 500 without naming the variable', () => {
    const response = errorResponse(new ConfigError('COOKIE_SECRET', 'is required but not set'), EN);

    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('COOKIE_SECRET');
  });

  it('never puts a stack trace or an error message in the page', () => {
    const error = new Error('boom <script>alert(1)</script> at /var/task/secret.js');
    error.stack = `Error: boom\n    at handler (/var/task/functions/login-post.js:10:5)`;

    const response = errorResponse(error, EN);

    expect(response.statusCode).toBe(500);
    expect(response.body).toContain('Something went wrong');
    expect(response.body).not.toContain('boom');
    expect(response.body).not.toContain('/var/task');
    expect(response.body).not.toContain('<script>');
    expect(response.body).not.toMatch(/\bat handler\b/);
  });

  it('shows a thrown non-error as a 500 page too', () => {
    expect(errorResponse('a string', EN).statusCode).toBe(500);
    expect(errorResponse(undefined, EN).statusCode).toBe(500);
  });

  it('never puts Hydra error details (operation, status) in the page', () => {
    const response = errorResponse(
      new HydraUnavailableError('server', 'accept login request', 503),
      EN,
    );

    expect(response.body).not.toContain('accept login request');
    expect(response.body).not.toContain('503');
  });

  it('logs unexpected errors with their stack for the operator', () => {
    errorResponse(new TypeError('x is not a function'), EN);

    expect(logs.entries()).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'unexpected error',
        errorName: 'TypeError',
        stack: expect.stringContaining('TypeError'),
      }),
    );
  });
});

describe('jsonErrorResponse (the token hook: answers for Hydra, not pages)', () => {
  const bodyOf = (response: { body?: string }) =>
    JSON.parse(response.body ?? '') as { error: string; error_description: string };

  it('answers an HttpError as JSON with its status, code and headers', () => {
    const response = jsonErrorResponse(
      new HttpError(
        405,
        {
          title: { key: 'error.methodNotAllowed.title' },
          message: { key: 'error.methodNotAllowed.message' },
        },
        { allow: 'POST' },
      ),
    );

    expect(response.statusCode).toBe(405);
    expect(response.headers).toMatchObject({
      allow: 'POST',
      'content-type': 'application/json; charset=utf-8',
    });
    expect(bodyOf(response)).toEqual({
      error: 'method_not_allowed',
      error_description: 'This page does not accept that kind of request.',
    });
  });

  it('answers DynamoDB trouble with 503 and Retry-After, a misconfiguration with 500', () => {
    const unavailable = jsonErrorResponse(new TableUnavailableError(new Error('down')));
    const misconfigured = jsonErrorResponse(new ConfigError('TOKEN_HOOK_API_KEY', 'is not set'));

    expect(unavailable.statusCode).toBe(503);
    expect(unavailable.headers['retry-after']).toBe('5');
    expect(bodyOf(unavailable).error).toBe('temporarily_unavailable');
    expect(misconfigured.statusCode).toBe(500);
    expect(bodyOf(misconfigured).error).toBe('server_error');
    expect(misconfigured.body).not.toContain('TOKEN_HOOK_API_KEY');
  });

  it('answers an unexpected error with 500 and no stack trace, logging it for the operator', () => {
    const error = new Error('boom');
    error.stack = 'Error: boom\n    at handler (/var/task/functions/token-hook.js:10:5)';

    const response = jsonErrorResponse(error);

    expect(response.statusCode).toBe(500);
    expect(bodyOf(response).error).toBe('server_error');
    expect(response.body).not.toContain('boom');
    expect(response.body).not.toContain('token-hook.js');
    expect(logs.entries()).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'unexpected error' }),
    );
  });

  it('never redirects: a request Hydra already handled is a 410 JSON answer', () => {
    const response = jsonErrorResponse(
      new RequestAlreadyHandledError('https://hydra.example/oauth2/auth?login_verifier=v'),
    );

    expect(response.statusCode).toBe(410);
    expect(response.headers.location).toBeUndefined();
  });
});
