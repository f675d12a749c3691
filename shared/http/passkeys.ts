/**
 * The passkey POSTs over HTTP, in one function of their own (functions/passkey-post.ts: the only
 * one that loads @simplewebauthn/server, with functions/account-passkey-post.ts):
 *   POST /login/passkey                 "Sign in with a passkey" (the sign-in page's CSRF token)
 *   POST /login/second-factor/passkey   a passkey as the second step (the second step's token)
 *   POST /account/passkeys              add or remove a passkey (the account page's token)
 * Each is refused with 404 while PASSKEYS is off, and with 403 without its form's CSRF token,
 * before anything is read.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { PasskeySettings } from '../config';
import { accountUser } from '../flows/account';
import {
  changePasskeys,
  passkeySecondFactor,
  signInWithPasskey,
  type PasskeyAccountAction,
  type PasskeyAccountDeps,
  type PasskeyDeps,
} from '../flows/passkeys';
import { accountView } from '../flows/account';
import { CREDENTIAL_ID } from '../users/passkeys';
import { loginPage } from '../views/pages';
import { secondFactorPage } from '../views/second-factor';
import {
  ACCOUNT_PATH,
  cookieSettings,
  notice,
  page,
  settingsOf,
  type AccountRouteDeps,
} from './account';
import { clearAccountSessionCookie, readAccountSession } from './account-cookies';
import { verifyCsrf } from './csrf';
import { readDevice } from './device-cookie';
import { badRequest, HttpError } from './errors';
import { csrfSettings, formRoute } from './form-route';
import { readPendingSignIn } from './pending-sign-in';
import { route, secretsReady, type RouteDeps } from './pipeline';
import type { WebRequest } from './request';
import { redirectResponse } from './response';

/** PASSKEYS' settings, or 404: the pages offer no passkey while it is off. */
export function passkeySettingsOf(settings: PasskeySettings | undefined): PasskeySettings {
  if (!settings) {
    throw new HttpError(404, {
      title: { key: 'error.passkeys.off.title' },
      message: { key: 'error.passkeys.off.message' },
    });
  }
  return settings;
}

export type PasskeyRouteDeps = Omit<PasskeyDeps, 'passkeys'> & {
  passkeys: PasskeySettings | undefined;
} & RouteDeps;

/**
 * The deps with PASSKEYS' settings (or 404). Its other members stay as they are, made on use
 * (shared/wiring.ts): a spread would make them all.
 */
function on<Deps extends { passkeys: PasskeySettings | undefined }>(
  deps: Deps,
): Deps & { passkeys: PasskeySettings } {
  const passkeys = passkeySettingsOf(deps.passkeys);
  return Object.defineProperty(Object.create(deps) as Deps, 'passkeys', {
    value: passkeys,
  }) as Deps & {
    passkeys: PasskeySettings;
  };
}

/** POST /login/passkey. */
export const passkeySignIn = (deps: PasskeyRouteDeps) =>
  formRoute('POST', 'login', deps, loginPage, ({ challenge, form, request }, deps) =>
    signInWithPasskey(on(deps), challenge, {
      response: form.one('response') ?? '',
      device: readDevice(request, deps.web),
    }),
  );

/** POST /login/second-factor/passkey. */
export const passkeySecondStep = (deps: PasskeyRouteDeps) =>
  formRoute('POST', 'second-factor', deps, secondFactorPage, ({ challenge, form, request }, deps) =>
    passkeySecondFactor(on(deps), challenge, {
      response: form.one('response') ?? '',
      device: readDevice(request, deps.web),
      pending: readPendingSignIn(request, deps.web, challenge),
    }),
  );

/** The sign-in's two passkey routes in one function: by the path API Gateway matched. */
export function passkeyLoginHandler(deps: PasskeyRouteDeps) {
  const signIn = passkeySignIn(deps);
  const secondStep = passkeySecondStep(deps);
  return (event: APIGatewayProxyEventV2, context: Context) =>
    event.rawPath === '/login/second-factor/passkey'
      ? secondStep(event, context)
      : signIn(event, context);
}

export type AccountPasskeyRouteDeps = AccountRouteDeps &
  Omit<PasskeyAccountDeps, 'passkeys'> & { passkeys: PasskeySettings | undefined };

function actionFrom(request: WebRequest, nowSeconds: number): PasskeyAccountAction {
  const { form } = request;
  const action = form.choice('action', ['add', 'remove'] as const);
  if (action === 'remove') {
    const id = form.one('id') ?? '';
    if (!CREDENTIAL_ID.test(id)) throw badRequest({ key: 'account.passkeys.notFound' });
    return { action, id };
  }
  const issued = Number(form.one('issued') ?? '');
  return {
    action,
    name: form.one('name') ?? '',
    issued: Number.isSafeInteger(issued) && issued <= nowSeconds ? issued : 0,
    response: form.one('response') ?? '',
  };
}

/** POST /account/passkeys: add or remove one of the user's passkeys. */
export const accountPasskeysPost = (deps: AccountPasskeyRouteDeps) =>
  route('POST', deps, async (request, deps) => {
    const account = settingsOf(deps);
    const withPasskeys = on(deps);
    await secretsReady(deps);
    const cookies = cookieSettings(deps, account);
    const user = await accountUser(deps, readAccountSession(request, cookies));
    if (!user) {
      return notice(
        request,
        deps,
        401,
        { title: 'error.account.ended.title', message: 'error.account.ended.message' },
        [clearAccountSessionCookie(cookies)],
      );
    }
    verifyCsrf(request, csrfSettings(deps.web), 'account', user.id);
    const nowSeconds = Math.floor((deps.now?.() ?? Date.now()) / 1000);
    const result = await changePasskeys(withPasskeys, user, actionFrom(request, nowSeconds));
    if (result.kind === 'done') return redirectResponse(`${ACCOUNT_PATH}?done=${result.notice}`);
    const view = await accountView(deps, user, { error: { form: 'passkeys', text: result.text } });
    return page(request, deps, user, 400, view);
  });
