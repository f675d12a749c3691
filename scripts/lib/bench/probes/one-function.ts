/**
 * Probe: every route in one function (the alternative to a function per route), as one bundle
 * that routes by the event's route key. Its cold start is measured with GET /login's event:
 * the first step of a sign-in after idle, after which its other steps find it warm.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { handler as consentGet } from '../../../../functions/consent-get';
import { handler as consentPost } from '../../../../functions/consent-post';
import { handler as deviceDone } from '../../../../functions/device-done';
import { handler as deviceGet } from '../../../../functions/device-get';
import { handler as devicePost } from '../../../../functions/device-post';
import { handler as error } from '../../../../functions/error';
import { handler as health } from '../../../../functions/health';
import { handler as loginGet } from '../../../../functions/login-get';
import { handler as loginPost } from '../../../../functions/login-post';
import { handler as logoutGet } from '../../../../functions/logout-get';
import { handler as logoutPost } from '../../../../functions/logout-post';
import { handler as signedOut } from '../../../../functions/signed-out';
import { handler as tokenHook } from '../../../../functions/token-hook';

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

const ROUTES: Record<string, unknown> = {
  'GET /login': loginGet,
  'POST /login': loginPost,
  'GET /consent': consentGet,
  'POST /consent': consentPost,
  'GET /logout': logoutGet,
  'POST /logout': logoutPost,
  'GET /signed-out': signedOut,
  'GET /error': error,
  'GET /device': deviceGet,
  'POST /device': devicePost,
  'GET /device/done': deviceDone,
  'POST /token-hook': tokenHook,
  'GET /health': health,
};

export function handler(event: APIGatewayProxyEventV2, context: Context): Promise<unknown> {
  const route = ROUTES[event.routeKey] as Handler | undefined;
  if (!route) return Promise.resolve({ statusCode: 404 });
  return route(event, context);
}
