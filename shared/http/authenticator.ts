/**
 * The account page's authenticator app over HTTP (the decisions: ../flows/authenticator):
 *   GET  /account/authenticator   the QR code and the secret of a new app (nothing stored yet);
 *   POST /account/authenticator   `enrol` (the app's first code), `recovery-codes` and `remove`
 *                                 (each with the current password).
 * Both need the account session (../http/account) of a fresh sign-in: without a session, GET
 * signs in through Hydra and POST changes nothing (401); a sign-in older than
 * FRESH_SIGN_IN_SECONDS is sent through Hydra again with `prompt=login` (both steps, for a user
 * with an app), back to the account page. Every form carries the account page's CSRF token.
 */
import type { AccountSettings } from '../config';
import { accountUser } from '../flows/account';
import {
  isFreshSignIn,
  startAuthenticator,
  submitAuthenticator,
  type AuthenticatorAction,
  type AuthenticatorDeps,
  type AuthenticatorResult,
} from '../flows/authenticator';
import type { User } from '../users/types';
import { enrolmentPage } from '../views/enrolment';
import {
  ACCOUNT_PATH,
  cookieSettings,
  notice,
  page,
  settingsOf,
  startSignIn,
  translatorFor,
  type AccountRouteDeps,
} from './account';
import {
  accountSessionCookie,
  clearAccountSessionCookie,
  readAccountSession,
  type AccountCookieSettings,
} from './account-cookies';
import { issueCsrf, verifyCsrf } from './csrf';
import { readDevice } from './device-cookie';
import { csrfSettings } from './form-route';
import { brandOf, route, secretsReady } from './pipeline';
import type { WebRequest } from './request';
import { pageResponse, redirectResponse, type WebResponse } from './response';

export interface AuthenticatorRouteDeps
  extends Omit<AccountRouteDeps, 'factors'>, AuthenticatorDeps {}

interface SignedIn {
  user: User;
  cookies: AccountCookieSettings;
}

/** The user of a fresh enough account session, or the answer that sends the browser on. */
async function signedIn(
  request: WebRequest,
  deps: AuthenticatorRouteDeps,
): Promise<SignedIn | { answer: WebResponse }> {
  const account: AccountSettings = settingsOf(deps);
  // The cookies' key is the secret's: read before any cookie is opened.
  await secretsReady(deps);
  const cookies = cookieSettings(deps, account);
  const session = readAccountSession(request, cookies);
  const user = await accountUser(deps, session);
  if (!user || !session) {
    const cleared = session ? [clearAccountSessionCookie(cookies)] : [];
    if (request.method === 'GET') return { answer: startSignIn(deps, account, cleared) };
    // Nothing is changed: the form's session is over (expired, or signed out everywhere).
    return {
      answer: notice(
        request,
        deps,
        401,
        { title: 'error.account.ended.title', message: 'error.account.ended.message' },
        [clearAccountSessionCookie(cookies)],
      ),
    };
  }
  const now = Math.floor((deps.now?.() ?? Date.now()) / 1000);
  if (!isFreshSignIn(session, now)) {
    return { answer: startSignIn(deps, account, [], { freshSignIn: true }) };
  }
  return { user, cookies };
}

function answer(
  request: WebRequest,
  deps: AuthenticatorRouteDeps,
  { user, cookies }: SignedIn,
  result: AuthenticatorResult,
): WebResponse {
  switch (result.kind) {
    case 'enrolment': {
      const csrf = issueCsrf(request, csrfSettings(deps.web), 'account', user.id);
      const t = translatorFor(request, user);
      const status =
        result.refused === 'throttled' ? 429 : result.refused === 'wrong-code' ? 400 : 200;
      const response = pageResponse(
        status,
        enrolmentPage(result.view, csrf.token, t, brandOf(deps)),
        t,
        csrf.setCookie ? [csrf.setCookie] : [],
      );
      if (result.refused === 'throttled') {
        response.headers['retry-after'] = String(result.retryAfterSeconds);
      }
      return response;
    }
    case 'refused':
      return page(request, deps, user, 400, result.view);
    case 'throttled': {
      const response = page(request, deps, user, 429, result.view);
      response.headers['retry-after'] = String(result.retryAfterSeconds);
      return response;
    }
    case 'done': {
      const response = redirectResponse(
        result.notice ? `${ACCOUNT_PATH}?done=${result.notice}` : ACCOUNT_PATH,
      );
      if (result.session) response.cookies = [accountSessionCookie(result.session, cookies)];
      return response;
    }
  }
}

/** GET /account/authenticator: the QR code and the secret of a new authenticator app. */
export const accountAuthenticatorGet = (deps: AuthenticatorRouteDeps) =>
  route('GET', deps, async (request, deps) => {
    const signed = await signedIn(request, deps);
    if ('answer' in signed) return signed.answer;
    return answer(request, deps, signed, await startAuthenticator(deps, signed.user));
  });

const ACTIONS = ['enrol', 'recovery-codes', 'remove'] as const;

function actionFrom(request: WebRequest, deps: AuthenticatorRouteDeps): AuthenticatorAction {
  const { form } = request;
  const action = form.choice('action', ACTIONS);
  const from = { sourceIp: request.sourceIp, device: readDevice(request, deps.web) };
  switch (action) {
    case 'enrol':
      return { action, sealed: form.one('enrolment') ?? '', code: form.one('code') ?? '', ...from };
    case 'recovery-codes':
    case 'remove':
      return { action, current: form.one('current') ?? '', ...from };
  }
}

/** POST /account/authenticator: enrol (the first code), new recovery codes, remove the app. */
export const accountAuthenticatorPost = (deps: AuthenticatorRouteDeps) =>
  route('POST', deps, async (request, deps) => {
    const signed = await signedIn(request, deps);
    if ('answer' in signed) return signed.answer;
    verifyCsrf(request, csrfSettings(deps.web), 'account', signed.user.id);
    const result = await submitAuthenticator(deps, signed.user, actionFrom(request, deps));
    return answer(request, deps, signed, result);
  });
