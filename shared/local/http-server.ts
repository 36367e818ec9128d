import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Context } from 'aws-lambda';
import { compileRoute, type Route } from '#http/routes';
import type { HttpEvent, HttpResult } from '#http/types';
import { invokeWith, type LocalStandIns } from '#runtime/stand-ins';
import { lambdaContext } from './lambda-context.ts';

export type LocalHandler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/**
 * Runs the API Gateway authorizer step locally: given the event API Gateway would send the
 * authorizer, returns the context the authorizer would attach (or null to refuse with 401).
 */
export type LocalAuthorizer = (event: HttpEvent, route: Route) => Promise<Record<string, string> | null>;

/** API Gateway's own payload cap; the handlers enforce each route's limit themselves (64 KB for JSON). */
const MAX_LOCAL_BODY = 10 * 1024 * 1024;

/**
 * The body, or 'too-large' past API Gateway's cap. An oversized body is read to its end and
 * dropped (nothing kept past the cap), so the client gets its JSON 413 on an intact connection
 * rather than a reset socket, as API Gateway answers.
 */
const readBody = (req: IncomingMessage): Promise<Buffer | 'too-large'> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_LOCAL_BODY) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on('end', () => resolve(size > MAX_LOCAL_BODY ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });

/**
 * Node keeps only the first of repeated `Authorization` headers, so they are counted in the raw
 * list: API Gateway joins repeated values, which no authorizer accepts as one bearer token.
 */
const authorizationHeaders = (req: IncomingMessage): number =>
  req.rawHeaders.filter((value, i) => i % 2 === 0 && value.toLowerCase() === 'authorization').length;

/**
 * Whether API Gateway passes a body as text: JSON, XML, JavaScript, form data and `text/*`. Any
 * other body (an `.xlsx` upload) arrives base64-encoded with `isBase64Encoded: true`, as here.
 */
const isTextBody = (contentType: string | undefined): boolean => {
  const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return (
    type === '' ||
    type.startsWith('text/') ||
    /^application\/([a-z0-9.+-]+\+)?(json|xml)$/.test(type) ||
    type === 'application/javascript' ||
    type === 'application/x-www-form-urlencoded'
  );
};

/** Turns a Node request into the HTTP API payload v2 event that API Gateway would send. */
export const toHttpEvent = (
  req: IncomingMessage,
  body: Buffer,
  route: Route,
  pathParameters: Record<string, string>,
): HttpEvent => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams)
    query[name] = name in query ? `${query[name]},${value}` : value;
  const now = new Date();
  const routeKey = `${route.method} ${route.path}`;
  // Bytes that are not UTF-8 would be altered by decoding them: passed on base64-encoded, unaltered.
  const asText = isTextBody(headers['content-type']) && isUtf8(body);
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(Object.keys(pathParameters).length ? { pathParameters } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: '127',
      http: {
        method: route.method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      authorizer: { lambda: undefined as unknown as never },
    },
    ...(body.length ? { body: asText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !asText,
  } as HttpEvent;
};

/** Every 401 says which scheme to use (RFC 9110), whoever answered it. */
const withChallenge = (result: HttpResult): HttpResult['headers'] =>
  result.statusCode === 401 &&
  !Object.keys(result.headers ?? {}).some((name) => name.toLowerCase() === 'www-authenticate')
    ? { ...(result.headers ?? {}), 'www-authenticate': 'Bearer' }
    : result.headers;

const send = (res: ServerResponse, result: HttpResult) => {
  const headers = { ...(withChallenge(result) ?? {}) } as Record<string, string | number | boolean>;
  res.writeHead(result.statusCode, headers as Record<string, string>);
  res.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
};

const plainError = (statusCode: number, code: string, message: string): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify({ error: { code, message, details: [] } }),
});

/**
 * Path parameters as API Gateway passes them, percent-decoded; null when an escape is malformed
 * (`%ZZ`, a lone `%`, invalid UTF-8), which API Gateway answers with a 400 before any function runs.
 */
const decodePathParameters = (groups: Record<string, string>): Record<string, string> | null => {
  try {
    return Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, decodeURIComponent(v)]));
  } catch (error) {
    if (error instanceof URIError) return null;
    throw error;
  }
};

export type LocalApiOptions = {
  routes: Route[];
  loadHandler: (fn: string) => Promise<LocalHandler>;
  authorize: LocalAuthorizer;
  /** The web app's files (`shared/local/web-static.ts`), for GETs no API route matches. */
  web?: (path: string) => HttpResult | null;
  /** What each handler runs against instead of LINE and the AWS services it would call (none: the real ones). */
  standIns?: LocalStandIns;
};

/**
 * A Node HTTP server that routes like API Gateway (HTTP API, payload v2) and calls the same
 * handler functions the Lambdas export.
 */
export const createLocalApi = ({
  routes,
  loadHandler,
  authorize,
  web,
  standIns = {},
}: LocalApiOptions): Server => {
  const compiled = routes.map((route) => ({ route, pattern: compileRoute(route.path) }));
  return createServer(async (req, res) => {
    try {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      const matches = compiled.filter(({ pattern }) => pattern.test(path));
      const page = matches.length === 0 && req.method === 'GET' ? web?.(path) : null;
      if (page) return send(res, page);
      if (matches.length === 0) return send(res, plainError(404, 'not_found', `no route for ${path}`));
      const match = matches.find(({ route }) => route.method === req.method);
      if (!match)
        return send(res, plainError(405, 'method_not_allowed', `${req.method} is not allowed on ${path}`));
      const body = await readBody(req);
      if (body === 'too-large')
        return send(res, plainError(413, 'payload_too_large', 'the request body is too large'));
      const params = decodePathParameters(match.pattern.exec(path)?.groups ?? {});
      if (!params)
        return send(
          res,
          plainError(400, 'validation_failed', `the path ${path} has a malformed percent-escape`),
        );
      const event = toHttpEvent(req, body, match.route, params);
      if (match.route.auth !== 'public') {
        if (authorizationHeaders(req) > 1)
          return send(res, plainError(401, 'unauthorized', 'send one Authorization header'));
        const context = await authorize(event, match.route);
        if (!context) return send(res, plainError(401, 'unauthorized', 'a valid token is required'));
        (event.requestContext as { authorizer: unknown }).authorizer = { lambda: context };
      }
      const handler = await loadHandler(match.route.fn);
      // A context that counts down from now, as Lambda's does (shared/local/lambda-context.ts).
      send(res, await invokeWith(standIns, () => handler(event, lambdaContext(match.route.fn))));
    } catch (error) {
      console.error('local api error', error);
      send(res, plainError(500, 'internal', 'something went wrong on our side'));
    }
  });
};
