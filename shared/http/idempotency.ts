import { createHash } from 'node:crypto';
import type { Context } from 'aws-lambda';
import {
  createIdempotencyStore,
  type HeldRecord,
  type IdempotencyStore,
} from '#adapters/dynamo/idempotency-store';
import { ConflictError, DomainError, ValidationError } from '#domain/errors';
import { tableAccess } from '#runtime/table';
import { beforeDeadline, DEADLINE_MARGIN_MS, type HttpFunction } from './handler.ts';
import { MAX_JSON_DEPTH, nestedDeeperThan, principalFrom, requestHeader } from './request.ts';
import type { HttpEvent, HttpResult } from './types.ts';

/** How long a key holds: a client retrying within a day gets the first answer. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

/** How long an unfinished request holds its key when there is no Lambda context to say how long it may run. */
const IN_PROGRESS_FALLBACK_MS = 60_000;

/**
 * A keyed request gives up this long before the handler answers 503 (DEADLINE_MARGIN_MS), so the
 * key is released first and the retry the 503 invites runs instead of meeting "still in progress".
 */
const RELEASE_MARGIN_MS = 500;

const KEY_SHAPE = /^[\x21-\x7e]{1,255}$/;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The body as the hash sees it: parsed when it is JSON, so key order and spacing do not count as another body. */
const bodyForHash = (event: HttpEvent): unknown => {
  const raw = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  try {
    const parsed: unknown = JSON.parse(raw);
    // Too deep to walk safely: hashed as sent; the handler refuses it with a 400 anyway.
    return nestedDeeperThan(parsed, MAX_JSON_DEPTH) ? raw : parsed;
  } catch {
    return raw;
  }
};

/** JSON with every object's keys sorted, at any depth: one text for every spelling of the same value. */
const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value);
};

const sortedParams = (event: HttpEvent) =>
  Object.entries(event.pathParameters ?? {})
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');

const remainingMs = (context: Context | undefined) =>
  typeof context?.getRemainingTimeInMillis === 'function'
    ? context.getRemainingTimeInMillis()
    : IN_PROGRESS_FALLBACK_MS;

/** What a request whose key is already held gets: a refusal, or the first answer again. */
const answerHeld = (record: HeldRecord, bodyHash: string): HttpResult => {
  if (record.bodyHash !== bodyHash)
    throw new DomainError(
      'idempotency_key_reused',
      'this Idempotency-Key was used with another body; use a new key for a new request',
      [{ path: 'headers.idempotency-key', message: 'already used with a different body' }],
    );
  if (record.status === 'INPROGRESS')
    throw new ConflictError('a request with this Idempotency-Key is still in progress; retry shortly');
  const first = JSON.parse(record.response) as HttpResult;
  return { ...first, headers: { ...(first.headers ?? {}), 'idempotent-replayed': 'true' } };
};

/** Built on the first keyed request: a request without the header never touches it. */
let store: IdempotencyStore | undefined;

const idempotencyStore = (): IdempotencyStore => {
  if (!store) {
    const { client, tableName } = tableAccess();
    store = createIdempotencyStore({ client, tableName });
  }
  return store;
};

/**
 * Makes a write handler honour `Idempotency-Key`, its records kept in the data table (partition
 * `IDEMPOTENCY#<fn>`, TTL on `expiresAt`).
 *
 * - The key is the token id, the route with its path parameters, and the header: two callers,
 *   or one caller on two resources, never share a record.
 * - The body is hashed into the record: the same key with another body is a 422
 *   (`idempotency_key_reused`); a replay returns the stored first response, marked with
 *   `idempotent-replayed: true`; a first request still running is a 409.
 * - A request that fails (any thrown error, i.e. every 4xx and 5xx) leaves no record, so it can
 *   be retried with the same key; so does one that runs out of time (503). One whose Lambda died
 *   mid-way holds the key only until the time that Lambda had left.
 * - Without the header nothing is read or written: the hot path keeps its single round trip.
 *   With it: one conditional put (or, on a replay, only that put), the write, one update.
 */
export const withIdempotency =
  (fn: string, handler: HttpFunction): HttpFunction =>
  async (event, context) => {
    const header = requestHeader(event, 'idempotency-key');
    const method = event.requestContext.http.method;
    if (header === undefined || method === 'GET') return handler(event, context);
    if (!KEY_SHAPE.test(header))
      throw new ValidationError('the Idempotency-Key header is not valid', [
        { path: 'headers.idempotency-key', message: '1 to 255 visible ASCII characters' },
      ]);
    const principal = principalFrom(event);
    const key = {
      fn,
      hash: sha256(`${principal.tokenId} ${event.routeKey} ${sortedParams(event)} ${header}`),
    };
    const bodyHash = sha256(canonicalJson(bodyForHash(event)));
    // Real time, not the campaign clock: DynamoDB's TTL and the Lambda's deadline both run on it.
    const now = Date.now();
    const records = idempotencyStore();
    const claim = await records.claim(key, {
      bodyHash,
      now,
      inProgressUntil: now + remainingMs(context),
      expiresAt: Math.floor(now / 1000) + IDEMPOTENCY_TTL_SECONDS,
    });
    if (!claim.claimed) return answerHeld(claim.record, bodyHash);

    let result: HttpResult;
    try {
      result = await beforeDeadline(handler(event, context), context, DEADLINE_MARGIN_MS + RELEASE_MARGIN_MS);
    } catch (error) {
      // The caller needs the request's own error; a record the delete missed frees itself at `inProgressUntil`.
      await records.release(key).catch(() => undefined);
      throw error;
    }
    await records.complete(key, JSON.stringify(result));
    return result;
  };
