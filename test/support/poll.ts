/**
 * Reads until `done` holds or the deadline passes, and answers the last value read: the caller's
 * assertion on it then fails with what was there, not with a timeout.
 */
export const until = async <T>(
  read: () => Promise<T> | T,
  done: (value: T) => boolean,
  deadlineMs = 10_000,
): Promise<T> => {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};
