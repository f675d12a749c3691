/**
 * The one middy pipeline every function uses:
 *   log context → handler(parsed request, deps) → error pages → security headers (on everything).
 * Pages (`route`) and Hydra's machine calls (`jsonRoute`) differ only in how the request is parsed
 * and how an error is answered (a page, or `{error, error_description}`). A route is handed its
 * dependencies (shared/wiring.ts makes them; a test hands it fakes).
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { UNBRANDED, type Brand } from '../brand/brand';
import { setLogContext } from '../log';
import type { WebSettings } from './cookies';
import { errorResponse, jsonErrorResponse } from './error-pages';
import { errorPageTranslator } from './language';
import {
  parseJsonRequest,
  parseRequest,
  type JsonRequest,
  type Method,
  type WebRequest,
} from './request';
import type { WebResponse } from './response';
import { securityHeaders } from './security-headers';

type Request = middy.Request<APIGatewayProxyEventV2, WebResponse, Error, Context>;

const logContext = (): middy.MiddlewareObj<
  APIGatewayProxyEventV2,
  WebResponse,
  Error,
  Context
> => ({
  before(request: Request) {
    const event = request.event as Partial<APIGatewayProxyEventV2> | undefined;
    setLogContext({
      requestId: request.context?.awsRequestId ?? event?.requestContext?.requestId,
      route: event?.routeKey,
      // API Gateway's own view of the caller: never a header the client controls.
      sourceIp: event?.requestContext?.http?.sourceIp,
      userAgent: event?.requestContext?.http?.userAgent,
    });
  },
});

/** How a failure is answered: a page in the request's language and the brand, or JSON. */
/**
 * How a route answers an error, given the request's headers: a page in the request's language
 * (`errorPage`), or JSON in our English (`jsonErrorResponse`: no catalog read, no language picked).
 */
type ErrorAnswer = (error: unknown, headers: Record<string, string>, brand: Brand) => WebResponse;

const errorPage: ErrorAnswer = (error, headers, brand) =>
  errorResponse(error, errorPageTranslator(headers), brand);

function headersOf(event: Partial<APIGatewayProxyEventV2> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(event?.headers ?? {})) {
    if (typeof value === 'string') out[name.toLowerCase()] = value;
  }
  return out;
}

const errors = (
  deps: RouteDeps,
  answer: ErrorAnswer,
): middy.MiddlewareObj<APIGatewayProxyEventV2, WebResponse, Error, Context> => ({
  onError(request: Request) {
    const event = request.event as Partial<APIGatewayProxyEventV2> | undefined;
    request.response = answer(request.error, headersOf(event), brandOrNone(deps));
  },
});

/** What every route is handed, besides what its flow needs. */
export interface RouteDeps {
  /** The site's settings; its secrets are readable once `ready` has resolved. */
  web: WebSettings;
  /** The operator's brand (none: the plain pages). */
  brand?: Brand;
  /**
   * Reads the secrets (a cached promise: at once when warm); rejects when they cannot be read.
   * Without it (the tests' fakes) the secrets are always there.
   */
  ready?: () => Promise<void>;
}

/** `deps.ready()`, started now; a failure is seen where it is awaited, never unhandled. */
export function secretsReady(deps: RouteDeps): Promise<void> {
  const ready = deps.ready?.() ?? Promise.resolve();
  ready.catch(() => undefined);
  return ready;
}

/** The brand of a route's pages (reading it throws the ConfigError of a misconfiguration). */
export function brandOf(deps: RouteDeps): Brand {
  return deps.brand ?? UNBRANDED;
}

/** The brand of an error page or the headers: a misconfigured function's show none. */
function brandOrNone(deps: RouteDeps): Brand {
  try {
    return brandOf(deps);
  } catch {
    return UNBRANDED;
  }
}

/** A misconfigured function (its settings cannot be read) allows https form targets only. */
function allowHttpFormTargets(deps: RouteDeps): boolean {
  try {
    return !deps.web.secure;
  } catch {
    return false;
  }
}

const headers = (
  deps: RouteDeps,
): middy.MiddlewareObj<APIGatewayProxyEventV2, WebResponse, Error, Context> => {
  const addHeaders = (request: Request) => {
    if (!request.response) return;
    const own = request.response.headers;
    const secure = securityHeaders({
      allowHttpFormTargets: allowHttpFormTargets(deps),
      body: request.response.body,
      allowDataImages: brandOrNone(deps).logo?.startsWith('data:') ?? false,
    });
    // A response that says how long it may be cached (GET /health) keeps that, and only that.
    const { pragma: _pragma, ...withoutPragma } = secure;
    request.response.headers = own['cache-control']
      ? { ...own, ...withoutPragma, 'cache-control': own['cache-control'] }
      : { ...own, ...secure };
  };
  return { after: addHeaders, onError: addHeaders };
};

function pipeline(deps: RouteDeps, answerError: ErrorAnswer) {
  return middy<APIGatewayProxyEventV2, WebResponse, Error, Context>()
    .use(logContext())
    .use(headers(deps))
    .use(errors(deps, answerError));
}

/** What a route does with its parsed request; a page that needs no I/O answers synchronously. */
export type RouteHandler<Deps> = (
  request: WebRequest,
  deps: Deps,
) => WebResponse | Promise<WebResponse>;

export function route<Deps extends RouteDeps>(
  method: Method,
  deps: Deps,
  handle: RouteHandler<Deps>,
) {
  return pipeline(deps, errorPage).handler((event) =>
    Promise.resolve(handle(parseRequest(event, method), deps)),
  );
}

export type JsonRouteHandler<Deps> = (request: JsonRequest, deps: Deps) => Promise<WebResponse>;

/** A JSON endpoint for a machine (Hydra's token hook): no forms, cookies or pages. */
export function jsonRoute<Deps extends RouteDeps>(
  method: Method,
  maxBodyBytes: number,
  deps: Deps,
  handle: JsonRouteHandler<Deps>,
) {
  return pipeline(deps, jsonErrorResponse).handler(async (event) => {
    await deps.ready?.();
    return handle(parseJsonRequest(event, method, maxBodyBytes), deps);
  });
}
