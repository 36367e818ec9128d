import type * as z from 'zod/mini';
import {
  detailsFromIssues,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '#domain/errors';
import { AuthFailure, Principal } from '#domain/principal';
import type { HttpEvent } from './types.ts';

export const MAX_BODY_BYTES = 64 * 1024;

const header = (event: HttpEvent, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
};

export const requestHeader = header;

/** JSON, in UTF-8: a body declared in another charset would be read as something its sender did not write. */
const isJsonMediaType = (contentType: string | undefined): boolean => {
  const [type, ...params] = contentType?.split(';') ?? [''];
  const mediaType = type?.trim().toLowerCase() ?? '';
  const charsets = params
    .map((p) => p.trim().toLowerCase())
    .filter((p) => p.startsWith('charset='))
    .map((p) => p.slice('charset='.length).replace(/^"(.*)"$/, '$1'));
  if (charsets.some((c) => c !== 'utf-8' && c !== 'utf8')) return false;
  return mediaType === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
};

/** Deeper than any body the API takes; a deeper one is refused before anything walks it recursively. */
export const MAX_JSON_DEPTH = 32;

/** Whether a parsed JSON value nests arrays/objects deeper than `max`, walked without recursion. */
export const nestedDeeperThan = (value: unknown, max: number): boolean => {
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, depth] = next;
    if (node === null || typeof node !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
};

/**
 * Reads a JSON body and validates it. The order matters: size first (413) so an oversized body
 * is never parsed, then media type (415), syntax (400), and the schema (400, naming each field).
 */
export const parseBody = <S extends z.ZodMiniType>(event: HttpEvent, schema: S): z.infer<S> => {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.byteLength > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
  if (!isJsonMediaType(header(event, 'content-type'))) throw new UnsupportedMediaTypeError();
  if (bytes.byteLength === 0)
    throw new ValidationError('a JSON body is required', [{ path: '(body)', message: 'empty' }]);
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ValidationError('the body is not valid JSON', [{ path: '(body)', message: 'not valid JSON' }]);
  }
  if (nestedDeeperThan(value, MAX_JSON_DEPTH))
    throw new ValidationError('the body is nested too deeply', [
      { path: '(body)', message: `nested deeper than ${MAX_JSON_DEPTH} levels` },
    ]);
  const unstorable = unstorableNumberAt(value);
  if (unstorable !== null)
    throw new ValidationError('the body has a number DynamoDB cannot store', [
      { path: unstorable, message: 'use 0 or a magnitude between 1e-130 and 1e125' },
    ]);
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new ValidationError('the body does not match the schema', detailsFromIssues(parsed.error.issues));
  return parsed.data;
};

/**
 * The path of the first number outside DynamoDB's range (magnitude 1e-130 to under 1e126, or 0),
 * or null. A schema's min/max lets `5e-324` through, and storing it would fail as a 500.
 */
const unstorableNumberAt = (value: unknown, path = '(body)'): string | null => {
  if (typeof value === 'number')
    return value !== 0 && (Math.abs(value) < 1e-130 || Math.abs(value) >= 1e126) ? path : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, child] of Object.entries(value)) {
    const found = unstorableNumberAt(child, path === '(body)' ? key : `${path}.${key}`);
    if (found !== null) return found;
  }
  return null;
};

/** Path parameters that cannot name anything that exists are a 404, like an unknown id. */
export const parsePath = <S extends z.ZodMiniType>(event: HttpEvent, schema: S): z.infer<S> => {
  const parsed = schema.safeParse(event.pathParameters ?? {});
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') ?? 'path';
    throw new NotFoundError(`no such ${field}: ${String(event.pathParameters?.[field] ?? '')}`.trim());
  }
  return parsed.data;
};

export const parseQuery = <S extends z.ZodMiniType>(event: HttpEvent, schema: S): z.infer<S> => {
  const parsed = schema.safeParse(event.queryStringParameters ?? {});
  if (!parsed.success)
    throw new ValidationError(
      'invalid query string',
      detailsFromIssues(parsed.error.issues).map((d) => ({
        ...d,
        path: d.path === '(body)' ? 'query' : `query.${d.path}`,
      })),
    );
  return parsed.data;
};

const AUTH_FAILURE_MESSAGES: Record<AuthFailure, string> = {
  malformed: 'the token is missing or malformed; send Authorization: Bearer ita_…',
  unknown: 'the token is not known (mistyped or forged)',
  expired: 'the token has expired; ask the provincial secretariat for a new one',
  revoked: 'the token has been revoked',
  'not-feed':
    'a calendar URL accepts only a feed token; send API tokens in the Authorization header, never in a URL',
};

/**
 * The caller as the authorizer established it; a request that reached us without one, or with
 * the authorizer's refusal (`authError`), is a 401 naming the reason (403 for an API token in a
 * calendar URL: the token is genuine but may not be used there).
 */
export const principalFrom = (event: HttpEvent): Principal => {
  const context = event.requestContext.authorizer?.lambda;
  if (!context) throw new UnauthorizedError();
  if (context.authError) {
    const failure = AuthFailure.safeParse(context.authError);
    if (!failure.success) throw new UnauthorizedError();
    if (failure.data === 'not-feed') throw new ForbiddenError(AUTH_FAILURE_MESSAGES['not-feed']);
    throw new UnauthorizedError(AUTH_FAILURE_MESSAGES[failure.data]);
  }
  const parsed = Principal.safeParse({
    tokenId: context.tokenId,
    role: context.role,
    assessmentId: context.assessmentId,
    ...(context.agencyId ? { agencyId: context.agencyId } : {}),
    ...(context.issuedBy ? { issuedBy: context.issuedBy } : {}),
  });
  if (!parsed.success) throw new UnauthorizedError();
  return parsed.data;
};
