import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { httpHandler } from '#http/handler';
import { logger } from '#runtime/logger';
import { httpEvent } from '#test/events';

/** A cancellation as the SDK raises it, with one reason per item of the transaction. */
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

const answerTo = async (error: unknown) => {
  const handler = httpHandler(async () => {
    throw error;
  });
  return handler(httpEvent({ method: 'POST', routeKey: 'POST /things', body: {} }), {} as never);
};

describe('a storage race that escapes its write path', () => {
  it.each([
    ['a transaction cancelled on a condition', cancelled('None', 'ConditionalCheckFailed', 'None')],
    ['a transaction conflict that outlasted the retries', cancelled('TransactionConflict', 'None')],
    [
      'a single conditional write',
      Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' }),
    ],
  ])('answers %s with 409, not 500', async (_name, error) => {
    // Act
    const answer = await answerTo(error);

    // Assess
    expect(answer.statusCode).toBe(409);
    expect(JSON.parse(answer.body).error.code).toBe('conflict');
  });

  it('keeps a cancellation for any other reason a 500 (a fault of ours, logged)', async () => {
    // Prepare
    const log = vi.spyOn(logger, 'error').mockImplementation(() => undefined);

    // Act
    const answer = await answerTo(cancelled('ValidationError', 'None'));

    // Assess
    expect(answer.statusCode).toBe(500);
    expect(log).toHaveBeenCalled();
    log.mockRestore();
  });
});
