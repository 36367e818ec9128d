import { DomainError, type ErrorCode, TooManyRequestsError } from '#domain/errors';
import type { HttpResult } from './types.ts';

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  version_conflict: 409,
  evidence_exists: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  idempotency_key_reused: 422,
  invalid_code: 401,
  too_many_requests: 429,
};

export const json = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify(body),
});

export type ErrorBody = {
  error: { code: string; message: string; details: { path: string; message: string }[] };
};

/**
 * The one mapping from errors to HTTP. A domain error carries its own client-facing message;
 * anything else is a fault of ours: a 500 whose body says nothing about the internals.
 */
export const errorResponse = (error: unknown, log: (message: string, error: unknown) => void): HttpResult => {
  if (error instanceof DomainError) {
    const body: ErrorBody = { error: { code: error.code, message: error.message, details: error.details } };
    return json(
      STATUS_BY_CODE[error.code],
      body,
      error.code === 'unauthorized'
        ? { 'www-authenticate': 'Bearer' }
        : error instanceof TooManyRequestsError
          ? { 'retry-after': String(error.retryAfterSeconds) }
          : {},
    );
  }
  log('unhandled error', error);
  const body: ErrorBody = {
    error: { code: 'internal', message: 'something went wrong on our side', details: [] },
  };
  return json(500, body);
};
