import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { keys } from '#adapters/dynamo/keys';
import { TABLE_KEYS } from '#adapters/dynamo/table';
import { ConflictError, DomainError, ValidationError } from '#domain/errors';
import { tableRuntime } from '#runtime/table';
import type { HttpFunction } from './handler.ts';
import { principalFrom, requestHeader } from './request.ts';
import type { HttpEvent, HttpResult } from './types.ts';

/** How long a key holds: a client retrying within a day gets the first answer. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

const KEY_SHAPE = /^[\x21-\x7e]{1,255}$/;

type Payload = { key: string; body: unknown };

/** The body as the hash sees it: parsed when it is JSON, so key order and spacing do not count as another body. */
const bodyForHash = (event: HttpEvent): unknown => {
  const raw = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
};

const sortedParams = (event: HttpEvent) =>
  Object.entries(event.pathParameters ?? {})
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');

/**
 * Makes a write handler honour `Idempotency-Key` with Powertools' idempotency utility, its
 * records kept in the data table (partition `IDEMPOTENCY#<fn>`, TTL on `expiresAt`).
 *
 * - The key is the token id, the route with its path parameters, and the header: two callers,
 *   or one caller on two resources, never share a record.
 * - The body is hashed into the record: the same key with another body is a 422
 *   (`idempotency_key_reused`); a replay returns the stored first response, marked with
 *   `idempotent-replayed: true`.
 * - A request that fails (any thrown error, i.e. every 4xx and 5xx) leaves no record, so it can
 *   be retried with the same key.
 * - Without the header nothing is read or written: the hot path keeps its single round trip.
 *   With it: one conditional put (or, on a replay, only that put), the write, one update.
 */
export const withIdempotency = (fn: string, handler: HttpFunction): HttpFunction => {
  let run: ((payload: Payload, event: HttpEvent, context: Context) => Promise<HttpResult>) | undefined;
  let config: IdempotencyConfig | undefined;
  const build = () => {
    const { client, tableName } = tableRuntime();
    config = new IdempotencyConfig({
      eventKeyJmesPath: 'key',
      payloadValidationJmesPath: 'body',
      throwOnNoIdempotencyKey: true,
      expiresAfterSeconds: IDEMPOTENCY_TTL_SECONDS,
      responseHook: (response) => {
        const result = response as unknown as HttpResult;
        const replayed = { ...result, headers: { ...(result.headers ?? {}), 'idempotent-replayed': 'true' } };
        return replayed as unknown as typeof response;
      },
    });
    const persistenceStore = new DynamoDBPersistenceLayer({
      tableName,
      keyAttr: TABLE_KEYS.partitionKey,
      sortKeyAttr: TABLE_KEYS.sortKey,
      expiryAttr: TABLE_KEYS.ttlAttribute,
      staticPkValue: keys.idempotencyPartition(fn),
      // The document client shares the base client's stack, so its middleware (and call counts) apply.
      awsSdkV3Client: client as unknown as DynamoDBClient,
    });
    return makeIdempotent(
      async (_payload: Payload, event: HttpEvent, context: Context): Promise<HttpResult> =>
        handler(event, context),
      { persistenceStore, config, keyPrefix: fn, dataIndexArgument: 0 },
    );
  };

  return async (event, context) => {
    const header = requestHeader(event, 'idempotency-key');
    const method = event.requestContext.http.method;
    if (header === undefined || method === 'GET') return handler(event, context);
    if (!KEY_SHAPE.test(header))
      throw new ValidationError('the Idempotency-Key header is not valid', [
        { path: 'headers.idempotency-key', message: '1 to 255 visible ASCII characters' },
      ]);
    const principal = principalFrom(event);
    run ??= build();
    if (typeof context?.getRemainingTimeInMillis === 'function') config?.registerLambdaContext(context);
    const payload: Payload = {
      key: `${principal.tokenId} ${event.routeKey} ${sortedParams(event)} ${header}`,
      body: bodyForHash(event),
    };
    try {
      return await run(payload, event, context);
    } catch (error) {
      if (error instanceof IdempotencyValidationError)
        throw new DomainError(
          'idempotency_key_reused',
          'this Idempotency-Key was used with another body; use a new key for a new request',
          [{ path: 'headers.idempotency-key', message: 'already used with a different body' }],
        );
      if (error instanceof IdempotencyAlreadyInProgressError)
        throw new ConflictError('a request with this Idempotency-Key is still in progress; retry shortly');
      throw error;
    }
  };
};
