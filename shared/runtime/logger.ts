import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { parseConfig } from '#config';

const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;

/** Set on every function by the NodeFunction construct: `LOG_LEVEL` per stage (DEBUG in dev, INFO in prod). */
export const LogConfig = z.object({
  LOG_LEVEL: z._default(
    z.pipe(
      z.string(),
      z.pipe(
        z.transform((level: string) => level.toUpperCase()),
        z.enum(LOG_LEVELS),
      ),
    ),
    'INFO',
  ),
  POWERTOOLS_SERVICE_NAME: z._default(z.string().check(z.minLength(1)), 'ita-campaign'),
});

/**
 * A dotted path into the event (`requestContext.requestId`). Powertools takes any search function
 * for `correlationIdPath`; its JMESPath one would double the Logger's weight in every bundle for a
 * lookup this simple.
 */
const dottedPath = (expression: string, data: unknown): unknown =>
  expression
    .split('.')
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], data);

const config = parseConfig(LogConfig);

/**
 * The one logger of every function: JSON lines with level, message, service, timestamp, and, per
 * invocation, the Lambda context (request id, cold start) and a `correlation_id`.
 */
export const logger = new Logger({
  serviceName: config.POWERTOOLS_SERVICE_NAME,
  logLevel: config.LOG_LEVEL,
  correlationIdSearchFn: dottedPath,
});

/** Where an HTTP request's correlation id is: API Gateway's request id, the one in its access log. */
export const HTTP_CORRELATION_PATH = 'requestContext.requestId';

type Level = 'debug' | 'info' | 'warn' | 'error';
const LEVEL_OF: Record<string, Level> = { DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };

/**
 * The `log` dependency use cases take: `{ level, message, ...fields }` written through the logger
 * at that level (INFO when the level is missing or unknown).
 */
export const logEntry = (entry: Record<string, unknown>): void => {
  const { level, message, ...fields } = entry;
  logger[LEVEL_OF[String(level)] ?? 'info'](String(message ?? ''), fields);
};

/**
 * For the functions Lambda calls without middy (EventBridge targets, schedules, the stream
 * consumer): what Powertools' `injectLambdaContext` does, that is the Lambda context with its
 * cold-start flag on every line, a correlation id when the event carries one, and the keys reset
 * after the invocation. Without a context (a test, a script) it only runs the function.
 */
export const withLogContext =
  <E, R>(fn: (event: E) => Promise<R>, correlationIdOf?: (event: E) => string | undefined) =>
  async (event: E, context?: Context): Promise<R> => {
    if (context?.awsRequestId) logger.addContext(context);
    const correlationId = correlationIdOf?.(event);
    if (correlationId) logger.setCorrelationId(correlationId);
    try {
      return await fn(event);
    } finally {
      logger.resetKeys();
    }
  };
