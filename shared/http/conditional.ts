import { ValidationError } from '#domain/errors';
import { requestHeader } from './request.ts';
import type { HttpEvent } from './types.ts';

/** Every versioned resource's ETag is its version in quotes, the same on GET and on write answers. */
export const etag = (version: number): string => `"${version}"`;

const ETAG = /^\s*(?:W\/)?"(\d{1,9})"\s*$/;

/**
 * The version the caller last read, from `If-Match`. Required on the routes that replace a
 * versioned resource: without it a client could overwrite a change it never saw. A missing or
 * malformed header is a 400 naming the header (428 is not in the taxonomy); a stale one a 409.
 */
export const ifMatchVersion = (event: HttpEvent): number => {
  const value = requestHeader(event, 'if-match');
  if (value === undefined)
    throw new ValidationError('the If-Match header is required', [
      { path: 'headers.if-match', message: 'send the ETag from the last GET of this resource, e.g. "3"' },
    ]);
  const match = ETAG.exec(value);
  if (!match)
    throw new ValidationError('the If-Match header is not an ETag of this API', [
      { path: 'headers.if-match', message: 'expected one quoted version, e.g. "3"' },
    ]);
  return Number(match[1]);
};

/** `If-Match` where it is optional: undefined when absent, checked like {@link ifMatchVersion} when sent. */
export const optionalIfMatchVersion = (event: HttpEvent): number | undefined =>
  requestHeader(event, 'if-match') === undefined ? undefined : ifMatchVersion(event);
