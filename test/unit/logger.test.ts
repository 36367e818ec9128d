import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { parseConfig } from '#config';
import { LogConfig, logEntry, logger, withLogContext } from '#runtime/logger';
import { httpEvent } from '#test/events';

const context = (awsRequestId: string) =>
  ({
    awsRequestId,
    functionName: 'ita-dev-put-plan',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:ap-southeast-1:123456789012:function:ita-dev-put-plan',
    memoryLimitInMB: '512',
    getRemainingTimeInMillis: () => 10_000,
  }) as unknown as Context;

/** Every JSON line the logger wrote (INFO and DEBUG to stdout, WARN and ERROR to stderr), in order. */
let written: MockInstance<typeof process.stdout.write>[];
const lines = () =>
  written
    .flatMap((spy) =>
      spy.mock.calls.map(([chunk], i) => ({ chunk, order: spy.mock.invocationCallOrder[i]! })),
    )
    .sort((a, b) => a.order - b.order)
    .map(({ chunk }) => String(chunk))
    .flatMap((text) => text.split('\n'))
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

beforeEach(() => {
  written = [process.stdout, process.stderr].map((stream) =>
    vi.spyOn(stream, 'write').mockImplementation(() => true),
  );
});
afterEach(() => {
  for (const spy of written) spy.mockRestore();
  vi.unstubAllEnvs();
});

describe('LOG_LEVEL', () => {
  it('is read in any case, INFO when unset, and a wrong one names the variable', () => {
    // Act
    const debug = parseConfig(LogConfig, { LOG_LEVEL: 'debug' });
    const unset = parseConfig(LogConfig, {});
    const wrong = () => parseConfig(LogConfig, { LOG_LEVEL: 'LOUD' });

    // Assess
    expect(debug.LOG_LEVEL).toBe('DEBUG');
    expect(unset.LOG_LEVEL).toBe('INFO');
    expect(wrong).toThrow(/LOG_LEVEL/);
  });

  it('sets the level of the one logger', async () => {
    // Prepare
    vi.resetModules();
    vi.stubEnv('LOG_LEVEL', 'WARN');

    // Act
    const fresh = await import('#runtime/logger');
    fresh.logger.info('not written');
    fresh.logger.warn('written');

    // Assess
    expect(fresh.logger.getLevelName()).toBe('WARN');
    expect(lines().map((line) => line.message)).toEqual(['written']);
  });
});

describe('the HTTP wrapper', () => {
  it('logs an unhandled error as one JSON line with the API request id as correlation id and the cold start', async () => {
    // Prepare: a fresh logger in an on-demand Lambda environment, where Powertools counts cold starts
    vi.resetModules();
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const { httpHandler } = await import('#http/handler');
    const failing = httpHandler(async () => {
      throw new Error('the table is gone');
    });
    const event = httpEvent({ method: 'PUT', path: '/assessments/a/plan' });

    // Act
    const first = await failing(event, context('lambda-1'));
    const second = await failing(event, context('lambda-2'));

    // Assess
    expect(first.statusCode).toBe(500);
    expect(second.statusCode).toBe(500);
    const [one, two] = lines();
    expect(one).toMatchObject({
      level: 'ERROR',
      message: 'unhandled error',
      correlation_id: event.requestContext.requestId,
      function_request_id: 'lambda-1',
      cold_start: true,
      error: { name: 'Error', message: 'the table is gone' },
    });
    expect(two).toMatchObject({ function_request_id: 'lambda-2', cold_start: false });
  });
});

describe('withLogContext', () => {
  it('adds the context and the correlation id for one invocation, then drops the id', async () => {
    // Prepare
    const consumer = withLogContext(
      async (event: { id: string }) => {
        logger.info('delivered', { id: event.id });
        return event.id;
      },
      (event) => event.id,
    );

    // Act
    await consumer({ id: 'event-1' }, context('lambda-3'));
    logger.info('between invocations');

    // Assess
    const [during, after] = lines();
    expect(during).toMatchObject({
      message: 'delivered',
      correlation_id: 'event-1',
      function_request_id: 'lambda-3',
    });
    expect(after).not.toHaveProperty('correlation_id');
  });

  it('runs the function without a Lambda context (a test, a script)', async () => {
    // Prepare
    const consumer = withLogContext(async (event: { n: number }) => event.n + 1);

    // Act
    const result = await consumer({ n: 1 });

    // Assess
    expect(result).toBe(2);
  });
});

describe('logEntry', () => {
  it('writes a use case entry at its level, its fields beside the message', () => {
    // Act
    logEntry({ level: 'WARN', message: 'line reply failed', error: 'timeout' });
    logEntry({ message: 'no level' });

    // Assess
    expect(lines()).toMatchObject([
      { level: 'WARN', message: 'line reply failed', error: 'timeout' },
      { level: 'INFO', message: 'no level' },
    ]);
  });
});
