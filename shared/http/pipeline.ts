/**
 * The one middy pipeline every function uses:
 *   log context → handler(parsed request) → error pages → security headers (on everything).
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { config } from '../config';
import { setLogContext } from '../log';
import { errorResponse } from './error-pages';
import { parseRequest, type Method, type WebRequest } from './request';
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

const errorPages = (): middy.MiddlewareObj<
  APIGatewayProxyEventV2,
  WebResponse,
  Error,
  Context
> => ({
  onError(request: Request) {
    request.response = errorResponse(request.error);
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

export type RouteHandler = (request: WebRequest) => Promise<WebResponse>;

export function route(method: Method, handle: RouteHandler) {
  return middy<APIGatewayProxyEventV2, WebResponse, Error, Context>()
    .use(logContext())
    .use(headers())
    .use(errorPages())
    .handler(async (event) => handle(parseRequest(event, method)));
}
