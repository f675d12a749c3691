/**
 * The one middy pipeline every function uses:
 *   log context → handler(parsed request) → error pages → security headers (on everything).
 * Pages (`route`) and Hydra's machine calls (`jsonRoute`) differ only in how the request is parsed
 * and how an error is answered (a page, or `{error, error_description}`).
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { config } from '../config';
import { setLogContext } from '../log';
import { errorResponse, jsonErrorResponse } from './error-pages';
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

const errors = (
  answer: (error: unknown) => WebResponse,
): middy.MiddlewareObj<APIGatewayProxyEventV2, WebResponse, Error, Context> => ({
  onError(request: Request) {
    request.response = answer(request.error);
  },
});

function allowHttpFormTargets(): boolean {
  try {
    return !config().cookieSecure;
  } catch {
    return false;
  }
}

const headers = (): middy.MiddlewareObj<APIGatewayProxyEventV2, WebResponse, Error, Context> => {
  const addHeaders = (request: Request) => {
    if (!request.response) return;
    request.response.headers = {
      ...request.response.headers,
      ...securityHeaders({ allowHttpFormTargets: allowHttpFormTargets() }),
    };
  };
  return { after: addHeaders, onError: addHeaders };
};

function pipeline(answerError: (error: unknown) => WebResponse) {
  return middy<APIGatewayProxyEventV2, WebResponse, Error, Context>()
    .use(logContext())
    .use(headers())
    .use(errors(answerError));
}

export type RouteHandler = (request: WebRequest) => Promise<WebResponse>;

export function route(method: Method, handle: RouteHandler) {
  return pipeline(errorResponse).handler(async (event) => handle(parseRequest(event, method)));
}

export type JsonRouteHandler = (request: JsonRequest) => Promise<WebResponse>;

/** A JSON endpoint for a machine (Hydra's token hook): no forms, cookies or pages. */
export function jsonRoute(method: Method, maxBodyBytes: number, handle: JsonRouteHandler) {
  return pipeline(jsonErrorResponse).handler(async (event) =>
    handle(parseJsonRequest(event, method, maxBodyBytes)),
  );
}
