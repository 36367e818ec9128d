/**
 * The one error taxonomy. Use cases throw these; `shared/http/response.ts` maps each code to an
 * HTTP status in one place. Anything else that reaches the boundary is a 500 with no internals.
 */

export type ErrorDetail = { path: string; message: string };

export type ErrorCode =
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'version_conflict'
  | 'evidence_exists'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unprocessable'
  | 'idempotency_key_reused'
  | 'method_not_allowed'
  | 'invalid_code'
  | 'too_many_requests';

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[];

  constructor(code: ErrorCode, message: string, details: ErrorDetail[] = []) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super('validation_failed', message, details);
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends DomainError {
  constructor(message: string) {
    super('not_found', message);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super('conflict', message, details);
    this.name = 'ConflictError';
  }
}

/** The item changed since the caller read it (optimistic concurrency). */
export class VersionConflictError extends DomainError {
  constructor(message = 'the resource was changed by someone else; read it again and retry') {
    super('version_conflict', message);
    this.name = 'VersionConflictError';
  }
}

/**
 * An OIT item to unassign holds evidence: removing it needs an explicit confirmation (409 until
 * then); `details` say what it holds, so the page can ask in Thai.
 */
export class EvidenceExistsError extends DomainError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super('evidence_exists', message, details);
    this.name = 'EvidenceExistsError';
  }
}

/** Well-formed input that the rules refuse, e.g. a survey date outside the collection window. */
export class UnprocessableError extends DomainError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super('unprocessable', message, details);
    this.name = 'UnprocessableError';
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message = 'a valid bearer token is required') {
    super('unauthorized', message);
    this.name = 'UnauthorizedError';
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'this token may not do that') {
    super('forbidden', message);
    this.name = 'ForbiddenError';
  }
}

/**
 * A sign-in code that does not open anything: wrong, expired, used, killed, or for an address the
 * assessment does not know. One message for all, so an answer never tells them apart.
 */
export class InvalidCodeError extends DomainError {
  constructor(message: string) {
    super('invalid_code', message);
    this.name = 'InvalidCodeError';
  }
}

/** A caller over a rate limit; `retryAfterSeconds` becomes the Retry-After header. */
export class TooManyRequestsError extends DomainError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super('too_many_requests', message);
    this.name = 'TooManyRequestsError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class PayloadTooLargeError extends DomainError {
  constructor(limitBytes: number) {
    super('payload_too_large', `the request body is over ${limitBytes} bytes`);
    this.name = 'PayloadTooLargeError';
  }
}

export class UnsupportedMediaTypeError extends DomainError {
  constructor(message = 'send the body as application/json') {
    super('unsupported_media_type', message);
    this.name = 'UnsupportedMediaTypeError';
  }
}

/** Turns zod issues into details that name the offending field. */
export const detailsFromIssues = (
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
): ErrorDetail[] =>
  issues.map((issue) => ({
    path: issue.path.length === 0 ? '(body)' : issue.path.map(String).join('.'),
    message: issue.message,
  }));
