import type { Principal } from '#domain/auth';
import type { HttpEvent } from '#http/types';

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
