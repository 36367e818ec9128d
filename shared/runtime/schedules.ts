import { SchedulerClient } from '@aws-sdk/client-scheduler';
import * as z from 'zod/mini';
import { createNotificationRepository } from '#adapters/dynamo/notification-repository';
import { createEventBridgeScheduler } from '#adapters/eventbridge-scheduler';
import { parseConfig } from '#config';
import { ScheduleSettings } from '#domain/notification-settings';
import type { SchedulePort } from '#domain/schedule-plan';
import { tableRuntime } from '#runtime/table';
import { standInOr } from './stand-ins.ts';

/** `sync-schedules`: where the schedules live and what they invoke. */
export const SchedulesConfig = z.object({
  SCHEDULE_GROUP_NAME: z.string().check(z.minLength(1)),
  /** The milestone function, the target of every schedule. */
  MILESTONE_FUNCTION_ARN: z.string().check(z.minLength(1)),
  /** The role EventBridge Scheduler assumes to invoke it. */
  SCHEDULER_ROLE_ARN: z.string().check(z.minLength(1)),
  /** The SQS queue for invocations Scheduler gives up on. */
  SCHEDULE_DLQ_ARN: z.string().check(z.minLength(1)),
  AWS_REGION: z._default(z.string().check(z.minLength(1)), 'ap-southeast-1'),
});

/** Timing of the schedules; defaults in code, each overridable (also locally). */
export const ScheduleTimingConfig = z.object({
  SCHEDULE_TIME: z._default(z.string(), '08:30'),
  DUE_SOON_DAYS: z._default(z.string(), '14,7,1'),
  PACE_FOLLOW_UP_DAYS: z._default(z.coerce.number().check(z.int(), z.gte(0)), 14),
});

export const scheduleSettingsFrom = (env: NodeJS.ProcessEnv = process.env): ScheduleSettings => {
  const timing = parseConfig(ScheduleTimingConfig, env);
  return ScheduleSettings.parse({
    time: timing.SCHEDULE_TIME,
    dueSoonDays: timing.DUE_SOON_DAYS.split(',').map((s) => Number(s.trim())),
    followUpDays: timing.PACE_FOLLOW_UP_DAYS,
  });
};

/** The local system's in-process scheduler when it runs this invocation, else EventBridge Scheduler. */
export const schedulerPort: () => SchedulePort = /* @__PURE__ */ standInOr('scheduler', () => {
  const config = parseConfig(SchedulesConfig);
  return createEventBridgeScheduler({
    client: new SchedulerClient({ region: config.AWS_REGION }),
    groupName: config.SCHEDULE_GROUP_NAME,
    targetArn: config.MILESTONE_FUNCTION_ARN,
    roleArn: config.SCHEDULER_ROLE_ARN,
    deadLetterArn: config.SCHEDULE_DLQ_ARN,
  });
});

let notifications: ReturnType<typeof createNotificationRepository> | undefined;

export const notificationRepository = () => {
  if (!notifications) {
    const { client, tableName } = tableRuntime();
    notifications = createNotificationRepository({ client, tableName });
  }
  return notifications;
};
