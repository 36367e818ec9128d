import type { Principal } from '#domain/principal';
import type { HttpEvent, HttpResult } from '#http/types';

type EventInput = {
  method?: string;
  routeKey?: string;
  path?: string;
  pathParameters?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string | object;
  principal?: Principal | null;
};

/** An API Gateway HTTP API (payload v2) event as the authorizer would have passed it on. */
export const httpEvent = ({
  method = 'GET',
  routeKey,
  path = '/',
  pathParameters,
  queryStringParameters,
  headers = {},
  body,
  principal = { tokenId: 'test-admin', role: 'admin', assessmentId: '*' },
}: EventInput): HttpEvent =>
  ({
    version: '2.0',
    routeKey: routeKey ?? `${method} ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(queryStringParameters ? { queryStringParameters } : {}),
    ...(pathParameters ? { pathParameters } : {}),
    requestContext: {
      accountId: 'test',
      apiId: 'test',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: 'test',
      routeKey: routeKey ?? `${method} ${path}`,
      stage: '$default',
      time: '',
      timeEpoch: 0,
      ...(principal
        ? {
            authorizer: {
              lambda: {
                tokenId: principal.tokenId,
                role: principal.role,
                assessmentId: principal.assessmentId,
                agencyId: principal.agencyId ?? '',
                issuedBy: principal.issuedBy ?? '',
                authError: '',
              },
            },
          }
        : {}),
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    isBase64Encoded: false,
  }) as unknown as HttpEvent;

export type Handler = (event: HttpEvent, context: never) => Promise<HttpResult>;

/** One request to a route: its key (`METHOD /path`), path parameters, body, headers and caller. */
export type RouteCall = {
  routeKey: string;
  params: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  principal: Principal;
};

/**
 * Calls a Lambda's handler with the event API Gateway would pass for `call`, and answers the
 * status, the headers and the body (parsed when it is JSON).
 */
export const callRoute = async (fn: Handler, call: RouteCall, context = {} as never) => {
  const [method = 'GET'] = call.routeKey.split(' ');
  const result = await fn(
    httpEvent({
      method,
      routeKey: call.routeKey,
      pathParameters: call.params,
      ...(call.body !== undefined ? { body: call.body as object } : {}),
      headers: call.headers ?? {},
      principal: call.principal,
    }),
    context,
  );
  const isJson = result.headers?.['content-type']?.toString().startsWith('application/json');
  return {
    status: result.statusCode,
    headers: result.headers ?? {},
    body: isJson ? JSON.parse(result.body) : result.body,
  };
};
