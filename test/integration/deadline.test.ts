import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '#domain/principal';
import { DEADLINE_MARGIN_MS, httpHandler, RETRY_AFTER_SECONDS } from '#http/handler';
import { withIdempotency } from '#http/idempotency';
import { json } from '#http/response';
import { lambdaContext } from '#local/lambda-context';
import { tableRuntime } from '#runtime/table';
import { httpEvent } from '#test/events';
import { freshTable, idempotencyRecords } from '#test/table';

/**
 * Issue 11 item 11: a request that runs out of time answers 503 with Retry-After, never 500, and
 * leaves no idempotency key half-claimed. Contexts count down as Lambda's do.
 */

const agency: Principal = { tokenId: 'tok-deadline', role: 'agency', assessmentId: 'x', agencyId: 'a' };

const post = (key?: string) =>
  httpEvent({
    method: 'POST',
    routeKey: 'POST /things',
    body: { n: 1 },
    headers: key ? { 'idempotency-key': key } : {},
    principal: agency,
  });

/** A handler that holds until `release` is called, as a write stuck behind a slow dependency. */
const held = () => {
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let runs = 0;
  const fn = async () => {
    runs += 1;
    if (runs === 1) await gate;
    return json(201, { run: runs });
  };
  return { fn, release: () => release(), runs: () => runs };
};

beforeAll(async () => {
  const table = await freshTable('deadline');
  process.env.TABLE_NAME = table.tableName;
  process.env.DDB_ENDPOINT = table.endpoint;
});

describe('a request that runs out of time', () => {
  it('answers 503 with Retry-After before the Lambda deadline, not 500', async () => {
    // Prepare
    const slow = held();
    const handler = httpHandler(slow.fn);
    const started = Date.now();

    // Act
    const answer = await handler(post(), lambdaContext('deadline', 1_500));
    const elapsed = Date.now() - started;
    slow.release();

    // Assess
    expect(answer.statusCode).toBe(503);
    expect(answer.headers?.['retry-after']).toBe(String(RETRY_AFTER_SECONDS));
    expect(JSON.parse(answer.body).error.code).toBe('service_unavailable');
    expect(elapsed).toBeLessThan(1_500);
    expect(elapsed).toBeGreaterThanOrEqual(1_500 - DEADLINE_MARGIN_MS - 50);
  });

  it('releases its Idempotency-Key, so the retry the 503 invites runs', async () => {
    // Prepare
    const slow = held();
    const handler = httpHandler(withIdempotency('deadline-keyed', slow.fn));

    // Act
    const timedOut = await handler(post('k-1'), lambdaContext('deadline', 2_000));
    const left = await idempotencyRecords(tableRuntime(), 'deadline-keyed');
    const retried = await handler(post('k-1'), lambdaContext('deadline'));
    slow.release();

    // Assess
    expect(timedOut.statusCode).toBe(503);
    expect(left).toEqual([]);
    expect(retried.statusCode).toBe(201);
    expect(JSON.parse(retried.body)).toEqual({ run: 2 });
  });

  it('answers a request that finishes in time as usual, under a counting-down context', async () => {
    // Prepare
    const handler = httpHandler(withIdempotency('deadline-fast', async () => json(201, { ok: true })));

    // Act
    const answer = await handler(post('k-2'), lambdaContext('deadline'));

    // Assess
    expect(answer.statusCode).toBe(201);
    expect((await idempotencyRecords(tableRuntime(), 'deadline-fast')).map((r) => r.status)).toEqual([
      'COMPLETED',
    ]);
  });
});
