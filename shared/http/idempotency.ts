import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyInconsistentStateError,
  IdempotencyPersistenceLayerError,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import type { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { createIdempotencyPersistence } from '#adapters/dynamo/idempotency-store';
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

/** What Powertools hashes: `key` into the record's key, `body` into its `bodyHash`; `event` rides along. */
type KeyedRequest = { key: string; body: string; event: HttpEvent };

/** Built on a function's first keyed request: a request without the header never touches it. */
const persistenceLayers = new Map<string, DynamoDBPersistenceLayer>();

const persistenceFor = (fn: string): DynamoDBPersistenceLayer => {
  let layer = persistenceLayers.get(fn);
  if (!layer) {
    layer = createIdempotencyPersistence(tableAccess(), fn);
    persistenceLayers.set(fn, layer);
  }
  return layer;
};

/**
 * Powertools takes the in-progress expiry from the context it is given; a script or a test gives
 * none, and then an unfinished request holds its key a minute rather than the whole day.
 */
const countdownOf = (context: Context | undefined): Pick<Context, 'getRemainingTimeInMillis'> =>
  typeof context?.getRemainingTimeInMillis === 'function'
    ? context
    : { getRemainingTimeInMillis: () => IN_PROGRESS_FALLBACK_MS };

/** Powertools' refusals in the API's terms: another body is a 422, a first request still running a 409. */
const asDomainError = (error: unknown): unknown => {
  if (error instanceof IdempotencyValidationError)
    return new DomainError(
      'idempotency_key_reused',
      'this Idempotency-Key was used with another body; use a new key for a new request',
      [{ path: 'headers.idempotency-key', message: 'already used with a different body' }],
    );
  if (
    error instanceof IdempotencyAlreadyInProgressError ||
    error instanceof IdempotencyInconsistentStateError
  )
    return new ConflictError('a request with this Idempotency-Key is still in progress; retry shortly');
  // A storage failure wrapped by Powertools: the SDK's own error (a throttle, a timeout) says more.
  if (error instanceof IdempotencyPersistenceLayerError && error.cause !== undefined) return error.cause;
  return error;
};

/**
 * Makes a write handler honour `Idempotency-Key` through Powertools Idempotency, its records kept
 * in the data table (`createIdempotencyPersistence`: partition `IDEMPOTENCY#<fn>`, TTL on
 * `expiresAt`, a day).
 *
 * - The key is the token id, the route with its path parameters, and the header: two callers,
 *   or one caller on two resources, never share a record.
 * - The body is hashed into the record (parsed JSON with every object's keys sorted, so spacing
 *   and key order do not count): the same key with another body is a 422
 *   (`idempotency_key_reused`); a replay returns the stored first response, marked with
 *   `idempotent-replayed: true`; a first request still running is a 409.
 * - A request that fails (any thrown error, i.e. every 4xx and 5xx) leaves no record, so it can
 *   be retried with the same key; so does one that runs out of time (503): it gives up
 *   RELEASE_MARGIN_MS before the handler's 503 so Powertools deletes its record first. One whose
 *   Lambda died mid-way holds the key only until the time that Lambda had left.
 * - Without the header nothing is read or written: the hot path keeps its single round trip.
 *   With it: one conditional put (or, on a replay, only that put), the write, one update.
 *
 * Kept around Powertools, thinly: the key check and the key's scope (Powertools hashes what it is
 * given), the mapping of its errors, the replay header, and the request's own error when deleting
 * the record fails too (Powertools would throw its persistence error instead).
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
    let ran = false;
    let ownError: unknown;
    const once = makeIdempotent(
      async (request: KeyedRequest, _countdown: Pick<Context, 'getRemainingTimeInMillis'>) => {
        ran = true;
        try {
          const result = await beforeDeadline(
            handler(request.event, context),
            context,
            DEADLINE_MARGIN_MS + RELEASE_MARGIN_MS,
          );
          // Stored as text: the answer comes back byte for byte, whatever its headers hold.
          return JSON.stringify(result);
        } catch (error) {
          ownError = error;
          throw error;
        }
      },
      {
        persistenceStore: persistenceFor(fn),
        keyPrefix: fn,
        config: new IdempotencyConfig({
          eventKeyJmesPath: 'key',
          payloadValidationJmesPath: 'body',
          expiresAfterSeconds: IDEMPOTENCY_TTL_SECONDS,
          hashFunction: 'sha256',
        }),
      },
    );
    let stored: string;
    try {
      stored = await once(
        {
          key: `${principal.tokenId} ${event.routeKey} ${sortedParams(event)} ${header}`,
          body: canonicalJson(bodyForHash(event)),
          event,
        },
        countdownOf(context),
      );
    } catch (error) {
      throw ownError ?? asDomainError(error);
    }
    const result = JSON.parse(stored) as HttpResult;
    if (ran) return result;
    return { ...result, headers: { ...(result.headers ?? {}), 'idempotent-replayed': 'true' } };
  };
