import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { LinkCheckMessage } from '#domain/link-check-plan';
import type { LinkMessageRun } from '#use-cases/link-watch';
import { consumeLinkChecks, MESSAGE_BUDGET_MS, SAFETY_MS } from '../../functions/link-check.ts';

const message = (url: string): LinkCheckMessage => ({
  assessmentId: 'phatthalung-2567',
  reason: 'schedule',
  links: [{ agencyId: 'pt-land', itemId: 'o1', url }],
});
const record = (messageId: string, body: string) => ({ messageId, body }) as SQSRecord;
const run: LinkMessageRun = {
  checked: 1,
  states: { unchecked: 0, alive: 1, failing: 0, dead: 0, blocked: 0 },
  turnedDead: [],
  skipped: 0,
  unchecked: [],
  gone: 0,
  continued: 0,
};

describe('the check queue consumer: SQS partial batch response', () => {
  it('reports only the records that failed, so SQS retries them (and dead-letters them after three receives) and deletes the rest', async () => {
    // Prepare: a good message, a body that is not a check message, a message whose work throws.
    const seen: string[] = [];
    const records = [
      record('m-ok', JSON.stringify(message('https://a.go.th/ok'))),
      record('m-garbled', '{"assessmentId": "phatthalung-2567", "links": "all"}'),
      record('m-throws', JSON.stringify(message('https://b.go.th/boom'))),
      record('m-ok-2', JSON.stringify(message('https://c.go.th/ok'))),
    ];

    // Act
    const answer = await consumeLinkChecks(
      { Records: records },
      () => 120_000,
      async (m) => {
        const url = m.links[0]!.url;
        seen.push(url);
        if (url.includes('boom')) throw new Error('DynamoDB refused the write');
        return run;
      },
      () => undefined,
    );

    // Assess
    expect(answer).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm-garbled' }, { itemIdentifier: 'm-throws' }],
    });
    expect(seen).toEqual(['https://a.go.th/ok', 'https://b.go.th/boom', 'https://c.go.th/ok']);
  });

  it('gives each message a stop signal well inside the invocation: at most 90 s, and 15 s before the end', async () => {
    // Prepare
    const budgets: number[] = [];
    const measure = async (remaining: number) =>
      consumeLinkChecks(
        { Records: [record('m', JSON.stringify(message('https://a.go.th/')))] },
        () => remaining,
        async (_m, stop) => {
          const started = Date.now();
          await new Promise<void>((resolve) =>
            stop.addEventListener('abort', () => resolve(), { once: true }),
          );
          budgets.push(Date.now() - started);
          return run;
        },
        () => undefined,
      );

    // Act: 15.3 s left gives 0.3 s; a fresh 120 s invocation would give the full 90 s (not waited for).
    await measure(SAFETY_MS + 300);
    await measure(SAFETY_MS - 1_000);

    // Assess
    expect(MESSAGE_BUDGET_MS).toBe(90_000);
    expect(budgets[0]).toBeGreaterThanOrEqual(250);
    expect(budgets[0]).toBeLessThan(2_000);
    expect(budgets[1]).toBeLessThan(200);
  });
});
