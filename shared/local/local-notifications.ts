import type { Context, SQSBatchResponse } from 'aws-lambda';
import { OUTBOX_STREAM_FILTER } from '#adapters/dynamo/outbox';
import { createLinkChecker, linkCheckUserAgent } from '#adapters/link-checker';
import { parseConfig, TableConfig } from '#config';
import type { MilestoneInvocation } from '#domain/schedule-plan';
import { invokeWith, type LocalStandIns } from '#runtime/stand-ins';
import { createLocalClock, type LocalClock } from './clock.ts';
import { type BusTarget, createLocalBus, type LocalBus } from './local-bus.ts';
import { createLocalLinkQueue, type LocalLinkQueue } from './local-link-queue.ts';
import { createLocalScheduler, type LocalScheduler } from './local-scheduler.ts';
import { type SesLocal, startSesLocal } from './ses-local.ts';
import { type StreamPoller, startStreamPoller } from './stream-poller.ts';

export type LocalNotificationsOptions = {
  sesPort: number;
  /** Files for the clock and the schedules; in memory without them. */
  clockFile?: string;
  schedulesFile?: string;
  clockStart?: string;
  /** Base of the progress links in the emails. */
  publicBaseUrl: string;
  log?: (line: string) => void;
  busRetries?: number;
  /**
   * Filled with the clock, the bus, the scheduler, the link check queue and the loopback link
   * checker, and passed to every function this starts; the caller adds its own (LINE) to the same
   * object and passes it to the HTTP API (`createLocalApi`).
   */
  standIns?: LocalStandIns;
};

export type LocalNotifications = {
  ses: SesLocal;
  clock: LocalClock;
  bus: LocalBus;
  /** The table stream's mapping to the outbox relay; `drain()` delivers what is written so far. */
  outbox: StreamPoller;
  scheduler: LocalScheduler;
  /** The clock, bus, scheduler and link queue (and what the caller added), as the functions run against them. */
  standIns: LocalStandIns;
  /** The link check queue feeding functions/link-check.ts in process; `drain()` finishes the checks sent so far. */
  links: LocalLinkQueue;
  stop: () => Promise<void>;
};

const context = {
  functionName: 'local',
  awsRequestId: 'local',
  getRemainingTimeInMillis: () => 30_000,
} as Context;

const loadFunction = async (fn: string) =>
  (
    (await import(`../../functions/${fn}.ts`)) as {
      handler: (event: unknown, context: Context) => Promise<unknown>;
    }
  ).handler;

/**
 * The asynchronous half of the system on this machine: aws-ses-v2-local for mail, the movable
 * clock, the local scheduler firing the milestone function, the table stream (DynamoDB Local's)
 * feeding the outbox relay, and the in-process bus routing the relayed events to `sync-schedules`
 * and `notifier`. The table must exist (TABLE_NAME, DDB_ENDPOINT). Each function runs against
 * these through `standIns`, passed with every invocation (`invokeWith`), so the Lambda handlers
 * run unchanged and nothing is set process-wide: two of these in one process keep their own
 * clocks and queues. Environment defaults are set only where nothing is configured, and
 * never for recipients: like a deployment, the local system takes them from the assessment's
 * notification settings (the seed writes Phatthalung's) or from SECRETARIAT_EMAIL / APPROVER_EMAIL.
 */
export const startLocalNotifications = async (
  options: LocalNotificationsOptions,
): Promise<LocalNotifications> => {
  const ses = await startSesLocal({ port: options.sesPort });
  process.env.SES_ENDPOINT = ses.url;
  process.env.MAIL_FROM ??= 'ITA พัทลุง <ita-noreply@example.org>';
  process.env.PUBLIC_BASE_URL ??= options.publicBaseUrl;

  const standIns: LocalStandIns = options.standIns ?? {};
  const clock = createLocalClock({
    ...(options.clockFile ? { file: options.clockFile } : {}),
    ...(options.clockStart ? { start: options.clockStart } : {}),
  });
  const bus = createLocalBus({
    loadTarget: async (fn): Promise<BusTarget> => {
      const handler = await loadFunction(fn);
      return (event) => invokeWith(standIns, () => handler(event, context));
    },
    now: clock.now,
    ...(options.log ? { log: options.log } : {}),
    ...(options.busRetries !== undefined ? { retries: options.busRetries } : {}),
  });
  const table = parseConfig(TableConfig);
  const outbox = await startStreamPoller({
    endpoint: table.DDB_ENDPOINT ?? '',
    tableName: table.TABLE_NAME,
    filter: OUTBOX_STREAM_FILTER,
    deliver: async (records) => {
      const relay = await loadFunction('outbox-relay');
      return invokeWith(standIns, () => relay({ Records: records }, context));
    },
    ...(options.log ? { log: options.log } : {}),
  }).catch(async (error: unknown) => {
    await ses.stop();
    throw error;
  });
  // The link watch: checks only 127.0.0.0/8 here (the seed's example.org links are `blocked`),
  // through the same plan -> queue -> consumer path as in AWS, the queue in process.
  const linkChecker = createLinkChecker({ scope: 'loopback', userAgent: linkCheckUserAgent('local') });
  const links = createLocalLinkQueue({
    deliver: async (event) => {
      const consumer = await loadFunction('link-check');
      return invokeWith(standIns, () => consumer(event, context)) as Promise<SQSBatchResponse | undefined>;
    },
    ...(options.log ? { log: options.log } : {}),
  });
  const scheduler = createLocalScheduler({
    clock,
    // The milestone's emails (and a link check's messages) go out before the clock moves on.
    invoke: async (input: MilestoneInvocation) => {
      const milestone = await loadFunction('milestone');
      const result = await invokeWith(standIns, () => milestone(input, context));
      await outbox.drain();
      await links.drain();
      await outbox.drain();
      return result;
    },
    ...(options.schedulesFile ? { file: options.schedulesFile } : {}),
  });
  standIns.clock = clock.now;
  standIns.bus = bus.publisher;
  standIns.scheduler = scheduler.port;
  standIns.linkCheckQueue = links.queue;
  standIns.linkChecker = linkChecker;
  const stop = async () => {
    await links.drain();
    await outbox.stop();
    await linkChecker.close();
    await ses.stop();
  };
  return { ses, clock, bus, outbox, scheduler, standIns, links, stop };
};
