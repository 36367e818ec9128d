import type { Context } from 'aws-lambda';
import type { MilestoneInvocation } from '#domain/schedule-plan';
import { useLocalClock } from '#runtime/clock';
import { useLocalEventPublisher } from '#runtime/events';
import { useLocalScheduler } from '#runtime/notifications';
import { createLocalClock, type LocalClock } from './clock.ts';
import { type BusTarget, createLocalBus, type LocalBus } from './local-bus.ts';
import { createLocalScheduler, type LocalScheduler } from './local-scheduler.ts';
import { type SesLocal, startSesLocal } from './ses-local.ts';

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
};

export type LocalNotifications = {
  ses: SesLocal;
  clock: LocalClock;
  bus: LocalBus;
  scheduler: LocalScheduler;
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
 * clock, the local scheduler firing the milestone function, and the in-process bus routing events
 * to `sync-schedules` and `notifier`. The runtime modules are pointed at them, so the Lambda
 * handlers run unchanged. Environment defaults are set only where nothing is configured, and
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

  const clock = createLocalClock({
    ...(options.clockFile ? { file: options.clockFile } : {}),
    ...(options.clockStart ? { start: options.clockStart } : {}),
  });
  const bus = createLocalBus({
    loadTarget: async (fn): Promise<BusTarget> => {
      const handler = await loadFunction(fn);
      return (event) => handler(event, context);
    },
    now: clock.now,
    ...(options.log ? { log: options.log } : {}),
    ...(options.busRetries !== undefined ? { retries: options.busRetries } : {}),
  });
  const scheduler = createLocalScheduler({
    clock,
    invoke: async (input: MilestoneInvocation) => (await loadFunction('milestone'))(input, context),
    ...(options.schedulesFile ? { file: options.schedulesFile } : {}),
  });
  useLocalClock(clock.now);
  useLocalEventPublisher(bus.publisher);
  useLocalScheduler(scheduler.port);
  const stop = async () => {
    useLocalScheduler(undefined);
    useLocalEventPublisher(undefined);
    useLocalClock(undefined);
    await ses.stop();
  };
  return { ses, clock, bus, scheduler, stop };
};
