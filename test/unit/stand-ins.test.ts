import { describe, expect, it } from 'vitest';
import type { LinkChecker } from '#adapters/link-checker';
import type { EventPublisher } from '#domain/events';
import type { LinkCheckQueue } from '#domain/link-check-plan';
import { clockNow, tokenClockNow } from '#runtime/clock';
import { eventPublisher } from '#runtime/events';
import { deployedLinkChecker, linkCheckQueue } from '#runtime/link-check';
import { invokeWith, type LocalStandIns } from '#runtime/stand-ins';

/**
 * The local system's stand-ins belong to one invocation (and what it awaits), as an event and a
 * context do in Lambda: two local systems in one process each keep their own, and outside an
 * invocation (AWS) there are none.
 */

/** A gate both invocations reach before either reads, so they are in flight at the same moment. */
const barrier = (parties: number) => {
  let arrived = 0;
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return async () => {
    arrived += 1;
    if (arrived === parties) open();
    await opened;
  };
};

const fixedClock = (iso: string) => () => new Date(iso);

describe('the campaign clock', () => {
  it('is the invocation’s own when two invocations with different clocks run at once', async () => {
    // Prepare
    const bothRunning = barrier(2);
    const readAfterBothStarted = async () => {
      const before = clockNow().toISOString();
      await bothRunning();
      await new Promise((resolve) => setImmediate(resolve));
      return { before, after: clockNow().toISOString() };
    };

    // Act
    const [bangkok, songkhla] = await Promise.all([
      invokeWith({ clock: fixedClock('2024-02-15T01:00:00.000Z') }, readAfterBothStarted),
      invokeWith({ clock: fixedClock('2025-06-30T09:30:00.000Z') }, readAfterBothStarted),
    ]);

    // Assess
    expect(bangkok).toEqual({ before: '2024-02-15T01:00:00.000Z', after: '2024-02-15T01:00:00.000Z' });
    expect(songkhla).toEqual({ before: '2025-06-30T09:30:00.000Z', after: '2025-06-30T09:30:00.000Z' });
  });

  it('is the real time outside an invocation and in one without a clock, and tokens stay on real time', async () => {
    // Prepare
    const startedAt = Date.now();

    // Act
    const outside = clockNow().getTime();
    const withoutClock = invokeWith({}, () => clockNow().getTime());
    const tokenTime = invokeWith({ clock: fixedClock('2024-02-15T01:00:00.000Z') }, () =>
      tokenClockNow().getTime(),
    );

    // Assess
    for (const time of [outside, withoutClock, tokenTime]) {
      expect(time).toBeGreaterThanOrEqual(startedAt);
      expect(time).toBeLessThanOrEqual(Date.now());
    }
  });
});

describe('the link check queue, the link checker and the event publisher', () => {
  it('are the stand-ins of the invocation that asks, while another invocation holds others', async () => {
    // Prepare
    const bothRunning = barrier(2);
    const standInsFor = (name: string): LocalStandIns => ({
      linkCheckQueue: { send: async () => undefined, name } as LinkCheckQueue,
      linkChecker: { name } as unknown as LinkChecker,
      outbox: { publish: async () => undefined, name } as EventPublisher,
    });
    const first = standInsFor('first');
    const second = standInsFor('second');
    const resolveAfterBothStarted = async () => {
      await bothRunning();
      return {
        queue: linkCheckQueue(),
        checker: deployedLinkChecker('pattani-2567'),
        publisher: eventPublisher(),
      };
    };

    // Act
    const [seenByFirst, seenBySecond] = await Promise.all([
      invokeWith(first, resolveAfterBothStarted),
      invokeWith(second, resolveAfterBothStarted),
    ]);

    // Assess
    expect(seenByFirst.queue).toBe(first.linkCheckQueue);
    expect(seenByFirst.checker).toBe(first.linkChecker);
    expect(seenByFirst.publisher).toBe(first.outbox);
    expect(seenBySecond.queue).toBe(second.linkCheckQueue);
    expect(seenBySecond.checker).toBe(second.linkChecker);
    expect(seenBySecond.publisher).toBe(second.outbox);
  });
});
