import { describe, expect, it } from 'vitest';
import { backoffDelay, retry } from '#adapters/backoff';

const policy = { baseMs: 100, capMs: 1_000 };

/** A sleep that records what it was asked to wait and returns at once. */
const recordingSleep = () => {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
};

class Transient extends Error {}

describe('backoffDelay', () => {
  it('draws from [0, base × 2^(attempt−1)), capped', () => {
    // Prepare
    const highest = () => 0.999_999;

    // Act
    const delays = [1, 2, 3, 4, 5, 20].map((attempt) => backoffDelay(attempt, policy, highest));

    // Assess
    expect(delays.map(Math.round)).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('is full jitter: the lowest draw waits nothing', () => {
    // Act
    const delay = backoffDelay(3, policy, () => 0);

    // Assess
    expect(delay).toBe(0);
  });
});

describe('retry', () => {
  it('retries a retryable error until the work succeeds, waiting between attempts', async () => {
    // Prepare
    const { waits, sleep } = recordingSleep();
    let calls = 0;

    // Act
    const value = await retry(
      async (attempt) => {
        calls += 1;
        if (attempt < 3) throw new Transient('busy');
        return 'done';
      },
      { ...policy, attempts: 5, isRetryable: (e) => e instanceof Transient, sleep, random: () => 0.5 },
    );

    // Assess
    expect(value).toBe('done');
    expect(calls).toBe(3);
    expect(waits).toEqual([50, 100]);
  });

  it('throws an error that is not retryable at once', async () => {
    // Prepare
    const { waits, sleep } = recordingSleep();
    let calls = 0;

    // Act
    const outcome = retry(
      async () => {
        calls += 1;
        throw new Error('rejected');
      },
      { ...policy, attempts: 5, isRetryable: (e) => e instanceof Transient, sleep },
    );

    // Assess
    await expect(outcome).rejects.toThrow('rejected');
    expect(calls).toBe(1);
    expect(waits).toEqual([]);
  });

  it('throws the last retryable error when the attempts are used up', async () => {
    // Prepare
    const { waits, sleep } = recordingSleep();
    let calls = 0;

    // Act
    const outcome = retry(
      async (attempt) => {
        calls += 1;
        throw new Transient(`busy ${attempt}`);
      },
      { ...policy, attempts: 3, isRetryable: () => true, sleep },
    );

    // Assess
    await expect(outcome).rejects.toThrow('busy 3');
    expect(calls).toBe(3);
    expect(waits).toHaveLength(2);
  });

  it.each([
    [
      'retries an answer that asks for it, and returns the last answer when the attempts are used up',
      [503, 503, 503, 200],
      503,
      2,
    ],
    ['returns the first answer that does not ask for a retry', [503, 200, 503], 200, 1],
  ])('%s', async (_behaviour, answers, expectedStatus, expectedWaits) => {
    // Prepare
    const { waits, sleep } = recordingSleep();

    // Act
    const status = await retry(async (attempt) => answers[attempt - 1] ?? 0, {
      ...policy,
      attempts: 3,
      isRetryable: () => false,
      retryResult: (code) => code >= 500,
      sleep,
    });

    // Assess
    expect(status).toBe(expectedStatus);
    expect(waits).toHaveLength(expectedWaits);
  });
});
