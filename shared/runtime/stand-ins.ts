import { AsyncLocalStorage } from 'node:async_hooks';
import type { LinkChecker } from '#adapters/link-checker';
import type { EventPublisher } from '#domain/events';
import type { LinkCheckQueue } from '#domain/link-check-plan';
import type { SchedulePort } from '#domain/schedule-plan';

/**
 * What the local system (`shared/local/`) runs a handler against in place of an outside service
 * or the real time: the movable campaign clock, the in-process bus instead of EventBridge, the
 * in-process scheduler instead of EventBridge Scheduler, the in-process link check queue instead
 * of SQS, a loopback link checker, the LINE stub and the local channel's values instead of
 * api.line.me and Secrets Manager. In AWS there are none, and each runtime getter builds the
 * real one.
 */
export type LocalStandIns = {
  /** Campaign time (`clockNow`); token lifetimes stay on real time (`tokenClockNow`). */
  clock?: () => Date;
  bus?: EventPublisher;
  scheduler?: SchedulePort;
  linkCheckQueue?: LinkCheckQueue;
  /** A checker that may reach 127.0.0.0/8, which the deployed configuration cannot express. */
  linkChecker?: LinkChecker;
  /**
   * Where the functions publish domain events instead of the table's outbox: tests that capture
   * or refuse what a handler publishes.
   */
  outbox?: EventPublisher;
  line?: { channelSecret: string; channelAccessToken: string; baseURL: string };
};

const invocation = new AsyncLocalStorage<LocalStandIns>();

/**
 * Runs one invocation of a handler with the stand-ins its caller passes, as Lambda passes an
 * event and a context: they belong to that call (and what it awaits), not to the process, so
 * nothing global decides whether a component talks to a stand-in, and two local systems in one
 * process (tests) each keep their own.
 */
export const invokeWith = <T>(standIns: LocalStandIns, invoke: () => T): T =>
  invocation.run(standIns, invoke);

/** The stand-ins of the invocation running now; undefined in AWS. */
export const localStandIns = (): LocalStandIns | undefined => invocation.getStore();

/**
 * A runtime getter for one outside service: the invocation's stand-in for it when the local
 * system runs the invocation, else the real one, built by `build` on first use and kept for the
 * process. Each call site carries esbuild's `@__PURE__` mark: the call runs at module load, and
 * the mark lets esbuild drop the getter, and the client it would build, from a bundle that never
 * calls it (the permissions test reads the bundles for the clients they use).
 */
export const standInOr = <K extends keyof LocalStandIns>(
  name: K,
  build: () => NonNullable<LocalStandIns[K]>,
): (() => NonNullable<LocalStandIns[K]>) => {
  let built: NonNullable<LocalStandIns[K]> | undefined;
  return () => {
    const local = localStandIns()?.[name];
    if (local) return local;
    built ??= build();
    return built;
  };
};
