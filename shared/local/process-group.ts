import type { ChildProcess } from 'node:child_process';

/**
 * A stopper for a child started with `detached: true`: the child leads its own process group,
 * so signalling the group ends it and anything it spawned (java under a wrapper, for one).
 * SIGTERM first; SIGKILL if the group is still there after `graceMs`.
 */
export const processGroupStopper = (child: ChildProcess, graceMs = 5000) => {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return async (): Promise<void> => {
    if (child.exitCode !== null || child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const ended = await Promise.race([
      exited.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), graceMs)),
    ]);
    if (!ended) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }
  };
};

/**
 * Makes sure the child's group dies with this process even when it is interrupted (Ctrl-C, or
 * `timeout` sending SIGTERM) before its owner's orderly stop runs: a detached java would
 * otherwise outlive us. Returns a function that removes the safeguard.
 */
export const killGroupOnExit = (child: ChildProcess): (() => void) => {
  const killNow = () => {
    if (child.exitCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    killNow();
    remove();
    process.kill(process.pid, signal);
  };
  const remove = () => {
    process.off('exit', killNow);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  // Prepended: a test runner's own exit listener may call process.exit() again, which ends the
  // process without running the listeners after it.
  process.prependOnceListener('exit', killNow);
  process.prependOnceListener('SIGINT', onSignal);
  process.prependOnceListener('SIGTERM', onSignal);
  return remove;
};

/** Polls `probe` until it resolves true, the child exits, or the deadline passes. */
export const waitUntilReady = async (
  name: string,
  child: ChildProcess,
  probe: () => Promise<boolean>,
  deadlineMs: number,
): Promise<void> => {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}`);
    if (await probe().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 120));
  }
  throw new Error(`${name} did not answer within ${deadlineMs} ms`);
};
