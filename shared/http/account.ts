/**
 * The account page over HTTP. The page is a first-party client of Hydra: a browser without our
 * account session is sent to Hydra's authorize endpoint (code + PKCE, state and nonce in a
 * sealed cookie), signs in on our own login page (or not at all, when Hydra remembers it and
 * our skip path agrees), and comes back to /account/callback, where the code is exchanged and
 * our own session begins (./account-cookies). Every request re-reads the user: a session of a
 * user deleted, disabled or signed out everywhere since is not one, and the browser signs in
 * again. Every form carries a CSRF token bound to the user (purpose `account`).
 */
import {
  ACCOUNT_NOTICES,
  accountUser,
  accountView,
  submitAccount,
  type AccountAction,
  type AccountDeps,
  type AccountNotice,
} from '../flows/account';
import type { AccountSettings } from '../config';
import {
  accountRedirectUri,
  authorizeUrl,
  newPendingSignIn,
  SignInRefusedError,
  type AccountTokens,
} from '../hydra/public';
import type { Translator } from '../i18n/messages';
import { log } from '../log';
import type { User } from '../users/types';
import { accountNoticePage, accountPage, type AccountNoticeView } from '../views/account';
import {
  accountSessionCookie,
  clearAccountSessionCookie,
  clearPendingSignInCookie,
  pendingSignInCookie,
  readAccountSession,
  readPendingSignIn,
  type AccountCookieSettings,
} from './account-cookies';
import type { WebSettings } from './cookies';
import { readDevice } from './device-cookie';
import { csrfSettings } from './form-route';
import { issueCsrf, verifyCsrf } from './csrf';
import { badRequest, HttpError } from './errors';
import { pageTranslator } from './language';
import { brandOf, route, secretsReady, type RouteDeps } from './pipeline';
import type { WebRequest } from './request';
import { pageResponse, redirectResponse, type WebResponse } from './response';

export interface AccountRouteDeps extends AccountDeps, RouteDeps {
  /** The account page's settings; undefined: there is no account page (404). */
  account: AccountSettings | undefined;
  /** Hydra's token endpoint, for the account page's client. */
  tokens: AccountTokens;
}

export const ACCOUNT_PATH = '/account';

export function settingsOf(deps: AccountRouteDeps): AccountSettings {
  const { account } = deps;
  if (!account) {
    throw new HttpError(404, {
      title: { key: 'error.account.off.title' },
      message: { key: 'error.account.off.message' },
    });
  }
  return account;
}

export function cookieSettings(
  deps: AccountRouteDeps,
  account: AccountSettings,
): AccountCookieSettings {
  return {
    secret: deps.web.secret,
    secure: deps.web.secure,
    sessionSeconds: account.sessionSeconds,
  };
}

/** The page's language: the user's own `locale` first, then the browser's. */
export function translatorFor(request: WebRequest, user?: User): Translator {
  const locale = user?.profile.locale;
  return pageTranslator(request.headers, locale ? { userLocale: locale } : {});
}

/** A page with a way back to the account page (which signs the user in again). */
export function notice(
  request: WebRequest,
  deps: AccountRouteDeps,
  status: number,
  view: AccountNoticeView,
  cookies: string[],
  user?: User,
): WebResponse {
  const t = translatorFor(request, user);
  return pageResponse(status, accountNoticePage(view, t, brandOf(deps)), t, cookies);
}

/**
 * Off to Hydra for a sign-in: a fresh state, nonce and PKCE verifier in a sealed cookie.
 * `freshSignIn`: even when Hydra remembers the user (`prompt=login`).
 */
export function startSignIn(
  deps: AccountRouteDeps,
  account: AccountSettings,
  cookies: string[] = [],
  options: { freshSignIn?: boolean } = {},
) {
  const pending = newPendingSignIn();
  const response = redirectResponse(
    authorizeUrl(
      {
        hydraPublicUrl: account.hydraPublicUrl,
        clientId: account.clientId,
        redirectUri: accountRedirectUri(account),
      },
      pending,
      options,
    ),
  );
  response.cookies = [...cookies, pendingSignInCookie(pending, cookieSettings(deps, account))];
  return response;
}

function noticeFrom(request: WebRequest): AccountNotice | undefined {
  const done = request.query.one('done');
  return ACCOUNT_NOTICES.find((candidate) => candidate === done);
}

/** The account page, with a CSRF token for its forms (bound to the user). */
export function page(
  request: WebRequest,
  deps: AccountRouteDeps,
  user: User,
  status: number,
  view: Parameters<typeof accountPage>[0],
): WebResponse {
  const csrf = issueCsrf(request, csrfSettings(deps.web), 'account', user.id);
  const t = translatorFor(request, user);
  return pageResponse(
    status,
    accountPage(view, csrf.token, t, brandOf(deps)),
    t,
    csrf.setCookie ? [csrf.setCookie] : [],
  );
}

/** GET /account: the page, or a sign-in through Hydra first. */
export const accountGet = (deps: AccountRouteDeps) =>
  route('GET', deps, async (request, deps) => {
    const account = settingsOf(deps);
    // The cookies' key is the secret's: read before any cookie is opened.
    await secretsReady(deps);
    const cookies = cookieSettings(deps, account);
    const session = readAccountSession(request, cookies);
    const user = await accountUser(deps, session);
    if (!user)
      return startSignIn(deps, account, session ? [clearAccountSessionCookie(cookies)] : []);
    const view = await accountView(deps, user, { notice: noticeFrom(request) });
    return page(request, deps, user, 200, view);
  });

/** What Hydra's authorization response may carry (RFC 6749 4.1.2 and 4.1.2.1). */
const CODE = /^[A-Za-z0-9_\-.~]{1,2048}$/;

/** GET /account/callback?code&state: Hydra's answer; the account session begins. */
export const accountCallback = (deps: AccountRouteDeps) =>
  route('GET', deps, async (request, deps) => {
    const account = settingsOf(deps);
    // The cookies' key is the secret's: read before any cookie is opened.
    await secretsReady(deps);
    const cookies = cookieSettings(deps, account);
    const pending = readPendingSignIn(request, cookies);
    const cleared = [clearPendingSignInCookie(cookies)];
    const state = request.query.one('state');
    if (!pending || state !== pending.state) {
      log.info('account sign-in: no pending sign-in for this state');
      return notice(
        request,
        deps,
        400,
        { title: 'error.account.signIn.title', message: 'error.account.signIn.expired' },
        cleared,
      );
    }
    if (request.query.one('error') !== undefined) {
      log.info('account sign-in: Hydra answered with an error', {
        error: request.query.one('error')?.slice(0, 64),
      });
      return notice(
        request,
        deps,
        400,
        { title: 'error.account.signIn.title', message: 'error.account.signIn.cancelled' },
        cleared,
      );
    }
    const code = request.query.one('code');
    if (code === undefined || !CODE.test(code))
      throw badRequest({ key: 'error.account.signIn.refused' });
    try {
      const signedIn = await deps.tokens.exchange(code, pending, Math.floor(Date.now() / 1000));
      const response = redirectResponse(ACCOUNT_PATH);
      response.cookies = [
        ...cleared,
        accountSessionCookie({ subject: signedIn.subject, authTime: signedIn.authTime }, cookies),
      ];
      return response;
    } catch (error) {
      if (!(error instanceof SignInRefusedError)) throw error;
      log.warn('account sign-in refused', { reason: error.reason });
      return notice(
        request,
        deps,
        400,
        { title: 'error.account.signIn.title', message: 'error.account.signIn.refused' },
        cleared,
      );
    }
  });

const ACTIONS = [
  'profile',
  'email',
  'password',
  'remove-app',
  'sign-out-everywhere',
  'sign-out',
] as const;
/** A client id as the remove form sends it back: printable ASCII, as Hydra's ids are. */
const CLIENT_ID = /^[\x21-\x7e]{1,255}$/;

function actionFrom(request: WebRequest, web: WebSettings, user: User): AccountAction {
  const { form } = request;
  const action = form.choice('action', ACTIONS);
  switch (action) {
    case 'profile':
      return { action, name: form.one('name') ?? '', locale: form.one('locale') ?? '' };
    case 'email':
      return {
        action,
        email: form.one('email') ?? '',
        // Its own name: the password form's `current` is another field of the same page.
        current: form.one('password') ?? '',
        sourceIp: request.sourceIp,
        device: readDevice(request, web),
        locale: translatorFor(request, user).locale,
      };
    case 'password':
      return {
        action,
        current: form.one('current') ?? '',
        next: form.one('next') ?? '',
        confirm: form.one('confirm') ?? '',
        sourceIp: request.sourceIp,
        device: readDevice(request, web),
      };
    case 'remove-app': {
      const clientId = form.one('client') ?? '';
      if (!CLIENT_ID.test(clientId)) throw badRequest({ key: 'account.apps.notAuthorised' });
      return { action, clientId };
    }
    case 'sign-out-everywhere':
    case 'sign-out':
      return { action };
  }
}

/** POST /account: one of the page's forms. */
export const accountPost = (deps: AccountRouteDeps) =>
  route('POST', deps, async (request, deps) => {
    const account = settingsOf(deps);
    // The cookies' key is the secret's: read before any cookie is opened.
    await secretsReady(deps);
    const cookies = cookieSettings(deps, account);
    const session = readAccountSession(request, cookies);
    const user = await accountUser(deps, session);
    if (!user) {
      // Nothing is changed: the form's session is over (expired, or signed out everywhere).
      return notice(
        request,
        deps,
        401,
        { title: 'error.account.ended.title', message: 'error.account.ended.message' },
        [clearAccountSessionCookie(cookies)],
      );
    }
    verifyCsrf(request, csrfSettings(deps.web), 'account', user.id);
    const result = await submitAccount(deps, user, actionFrom(request, deps.web, user));
    switch (result.kind) {
      case 'done': {
        const response = redirectResponse(`${ACCOUNT_PATH}?done=${result.notice}`);
        if (result.session) response.cookies = [accountSessionCookie(result.session, cookies)];
        return response;
      }
      case 'refused':
        return page(request, deps, user, 400, result.view);
      case 'throttled': {
        const response = page(request, deps, user, 429, result.view);
        response.headers['retry-after'] = String(result.retryAfterSeconds);
        return response;
      }
      case 'signed-out-everywhere':
        return notice(
          request,
          deps,
          200,
          { title: 'page.signedOutEverywhere.title', message: 'page.signedOutEverywhere.message' },
          [clearAccountSessionCookie(cookies)],
          user,
        );
      case 'sign-out': {
        // Hydra's own sign-out asks on our logout page, then ends at /signed-out.
        const response = redirectResponse(`${account.hydraPublicUrl}/oauth2/sessions/logout`);
        response.cookies = [clearAccountSessionCookie(cookies)];
        return response;
      }
      case 'sign-in':
        return startSignIn(deps, account, [clearAccountSessionCookie(cookies)]);
    }
  });
