import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { ConflictError } from '#domain/errors';
import { HTTP_CORRELATION_PATH, logger } from '#runtime/logger';
import { errorResponse, json } from './response.ts';
import type { HttpEvent, HttpResult } from './types.ts';

export type HttpFunction = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/**
 * How long before the Lambda's own timeout a request still running is answered `503`: time to
 * send the answer and log, so the caller gets a retryable status instead of API Gateway's 500
 * for a function that timed out.
 */
export const DEADLINE_MARGIN_MS = 500;

/** What a request that ran out of time tells the caller to wait before sending it again. */
export const RETRY_AFTER_SECONDS = 2;

/** A request that reached its deadline before it finished; answered `503` with Retry-After. */
export class DeadlineExceededError extends Error {
  constructor() {
    super('the request ran out of time');
    this.name = 'DeadlineExceededError';
  }
}

/**
 * `work`, or a DeadlineExceededError `marginMs` before the context's deadline, whichever comes
 * first. Without a Lambda context (a script, a unit test) the work runs unbounded.
 */
export const beforeDeadline = <T>(
  work: Promise<T>,
  context: Context | undefined,
  marginMs: number,
): Promise<T> => {
  if (typeof context?.getRemainingTimeInMillis !== 'function') return work;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DeadlineExceededError()),
      Math.max(0, context.getRemainingTimeInMillis() - marginMs),
    );
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
};

/**
 * A write DynamoDB refused because another request changed the same items at the same moment
 * (a condition that another writer broke, or a transaction conflict that outlasted the retries).
 * Every write path maps the conditions it expects itself; this is the net under them, so a race
 * ends in a 409 the caller can retry, never a 500.
 */
const isStorageRace = (error: unknown): boolean => {
  const name = (error as { name?: string } | null)?.name;
  if (name === 'ConditionalCheckFailedException' || name === 'TransactionConflictException') return true;
  if (name !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return (
    reasons.length > 0 &&
    reasons.every(
      (r) => r.Code === 'None' || r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict',
    )
  );
};

const logError = (message: string, error: unknown) => {
  if (error instanceof Error) logger.error(message, error);
  else logger.error(message, { error: String(error) });
};

/** The answer to a request that ran out of time: retryable, and said so. */
const deadlineResponse = (): HttpResult =>
  json(
    503,
    {
      error: {
        code: 'service_unavailable',
        message: 'the request ran out of time; send it again shortly',
        details: [],
      },
    },
    { 'retry-after': String(RETRY_AFTER_SECONDS) },
  );

/**
 * Wraps an HTTP function with the one error mapping and the logger's Lambda context (request id,
 * cold start, API Gateway's request id as `correlation_id`; keys reset after each request). The
 * raw function stays exported by each entry point so tests can call it without middy.
 *
 * Middy's own early timeout is off (it answered with an error that became a 500); instead the
 * function races its deadline here and answers 503 with Retry-After, and `withIdempotency`
 * releases its key a little earlier (see shared/http/idempotency.ts), so a retry can run.
 */
export const httpHandler = (fn: HttpFunction) =>
  middy<HttpEvent, HttpResult>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger, { correlationIdPath: HTTP_CORRELATION_PATH, resetKeys: true }))
    .onError((request) => {
      const { error } = request;
      if (error instanceof DeadlineExceededError) {
        logError('request ran out of time', error);
        request.response = deadlineResponse();
        return;
      }
      request.response = errorResponse(
        isStorageRace(error)
          ? new ConflictError(
              'another request changed the same data at the same moment; read it again and retry',
            )
          : error,
        logError,
      );
    })
    .handler((event, context) => beforeDeadline(fn(event, context), context, DEADLINE_MARGIN_MS));
