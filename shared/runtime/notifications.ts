import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import * as z from 'zod/mini';
import { createNotificationRepository } from '#adapters/dynamo/notification-repository';
import { createEventBridgeScheduler } from '#adapters/eventbridge-scheduler';
import { createSesMailer, sesClientConfig } from '#adapters/ses-mailer';
import { parseConfig } from '#config';
import type { Mailer } from '#domain/mail';
import { Email } from '#domain/model';
import { type DefaultRecipients, ScheduleSettings } from '#domain/notification-settings';
import type { SchedulePort } from '#domain/schedule-plan';
import { tableRuntime } from '#runtime/table';
import { localStandIns } from './stand-ins.ts';

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

const addressList = z.pipe(
  z.pipe(
    z._default(z.string(), ''),
    z.transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0),
    ),
  ),
  z.array(Email),
);

/**
 * The deployment-wide recipients (CDK context `secretariatEmail` / `approverEmail`, comma-separated
 * lists), used for an assessment whose notification settings name none.
 */
export const RecipientsConfig = z.object({
  SECRETARIAT_EMAIL: addressList,
  APPROVER_EMAIL: addressList,
});

let recipients: DefaultRecipients | undefined;

/** The deployment's default recipients, parsed once per process. */
export const defaultRecipients = (): DefaultRecipients => {
  if (!recipients) {
    const config = parseConfig(RecipientsConfig);
    recipients = { secretariatEmails: config.SECRETARIAT_EMAIL, approverEmails: config.APPROVER_EMAIL };
  }
  return recipients;
};

/** `notifier`: SES and the links in the emails. */
export const NotifierConfig = z.object({
  MAIL_FROM: z.string().check(z.minLength(3)),
  SES_CONFIGURATION_SET: z.optional(z.string()),
  /** Set only locally, to aws-ses-v2-local. */
  SES_ENDPOINT: z.union([
    z.optional(z.string().check(z.url())),
    z.pipe(
      z.literal(''),
      z.transform(() => undefined),
    ),
  ]),
  PUBLIC_BASE_URL: z.string().check(z.url()),
  AWS_REGION: z._default(z.string().check(z.minLength(1)), 'ap-southeast-1'),
});

let awsScheduler: SchedulePort | undefined;

/** The local system's in-process scheduler when it runs this invocation, else EventBridge Scheduler. */
export const schedulerPort = (): SchedulePort => {
  const local = localStandIns()?.scheduler;
  if (local) return local;
  if (!awsScheduler) {
    const config = parseConfig(SchedulesConfig);
    awsScheduler = createEventBridgeScheduler({
      client: new SchedulerClient({ region: config.AWS_REGION }),
      groupName: config.SCHEDULE_GROUP_NAME,
      targetArn: config.MILESTONE_FUNCTION_ARN,
      roleArn: config.SCHEDULER_ROLE_ARN,
      deadLetterArn: config.SCHEDULE_DLQ_ARN,
    });
  }
  return awsScheduler;
};

let notifier: { mailer: Mailer; publicBaseUrl: string } | undefined;

/** The mailer and link base, built once per process from the configuration. */
export const notifierRuntime = () => {
  if (!notifier) {
    const config = parseConfig(NotifierConfig);
    const client = new SESv2Client(
      sesClientConfig({ region: config.AWS_REGION, endpoint: config.SES_ENDPOINT }),
    );
    notifier = {
      mailer: createSesMailer({
        client,
        from: config.MAIL_FROM,
        configurationSet: config.SES_CONFIGURATION_SET,
      }),
      publicBaseUrl: config.PUBLIC_BASE_URL,
    };
  }
  return notifier;
};

let notifications: ReturnType<typeof createNotificationRepository> | undefined;

export const notificationRepository = () => {
  if (!notifications) {
    const { client, tableName } = tableRuntime();
    notifications = createNotificationRepository({ client, tableName });
  }
  return notifications;
};
