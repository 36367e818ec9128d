/** Waits `ms` milliseconds; injected so tests run a retry loop without waiting. */
export type Sleep = (ms: number) => Promise<void>;

export const sleep: Sleep = (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The wait before a retry: the first retry draws from [0, baseMs), each next one from twice that, never more than capMs. */
export type BackoffPolicy = { baseMs: number; capMs: number };

/**
 * How long to wait after failed attempt `attempt` (1 for the first): exponential with full jitter
 * (AWS's "Exponential Backoff and Jitter"), so callers that failed together do not retry
 * together; the cap bounds one wait whatever the attempt count.
 */
export const backoffDelay = (
  attempt: number,
  { baseMs, capMs }: BackoffPolicy,
  random: () => number = Math.random,
): number => random() * Math.min(capMs, baseMs * 2 ** (attempt - 1));

export type RetryOptions<T> = BackoffPolicy & {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Whether a thrown error may pass with time; anything else is thrown at once. */
  isRetryable: (error: unknown) => boolean;
  /** Whether an answer that did not throw still asks for another attempt (a partial failure, a transient status). */
  retryResult?: (value: T) => boolean;
  sleep?: Sleep;
  random?: () => number;
};

/**
 * Runs `work` until it succeeds, fails in a way that is not retryable, or has used its attempts;
 * between attempts it waits `backoffDelay`. The last error is thrown as it was, and the last
 * answer returned as it was, so the caller reports them in its own terms.
 */
export const retry = async <T>(
  work: (attempt: number) => Promise<T>,
  { attempts, isRetryable, retryResult, sleep: wait = sleep, random, ...policy }: RetryOptions<T>,
): Promise<T> => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const value = await work(attempt);
      if (attempt >= attempts || !retryResult?.(value)) return value;
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
    }
    await wait(backoffDelay(attempt, policy, random));
  }
};
