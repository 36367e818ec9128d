import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#adapters/dynamo/keys';
import { putSettings } from '#adapters/dynamo/notification-repository';
import { DEFAULT_NOTIFICATION_SETTINGS, type NotificationSettings } from '#domain/notification-settings';
import { freePort } from '#local/dynamo-local';
import {
  type LocalNotifications,
  type LocalNotificationsOptions,
  startLocalNotifications,
} from '#local/local-notifications';
import { readInbox, type StoredMail } from '#local/ses-local';
import { eventPublisher } from '#runtime/events';
import { audit } from '#test/fixtures';
import { until } from '#test/poll';
import { freshTable } from '#test/table';

/** The base of the links in the emails: nothing listens there, and nothing follows them. */
export const EMAIL_LINK_BASE = 'http://127.0.0.1:9';

/**
 * A fresh table, this process's functions pointed at it (TABLE_NAME, DDB_ENDPOINT), and the local
 * system's asynchronous half over it: aws-ses-v2-local on a free port, the campaign clock, the
 * bus, the scheduler and the link queue. The caller stops `local` after its tests.
 */
export const startNotificationsOnFreshTable = async (
  prefix: string,
  options: Omit<LocalNotificationsOptions, 'sesPort' | 'publicBaseUrl'> = {},
) => {
  const table = await freshTable(prefix);
  process.env.TABLE_NAME = table.tableName;
  process.env.DDB_ENDPOINT = table.endpoint;
  const local = await startLocalNotifications({
    sesPort: await freePort(),
    publicBaseUrl: EMAIL_LINK_BASE,
    log: () => undefined,
    ...options,
  });
  return { table, local };
};

/** Announces the plan as a change to it does, and relays it: the scheduler then holds its schedules. */
export const announcePlan = async (local: LocalNotifications, assessmentId: string) => {
  await eventPublisher().publish([
    { type: 'PlanChanged', version: 1, assessmentId, at: local.clock.now().toISOString() },
  ]);
  await local.outbox.drain();
};

/** Waits (with a deadline) for the local inbox to hold what `done` wants; answers what it holds. */
export const inboxUntil = (local: LocalNotifications, done: (mails: StoredMail[]) => boolean) =>
  until(() => readInbox(local.ses.url), done);

/** The assessment's notification settings: the defaults, with `settings` over them. */
export const putNotificationSettings = (
  table: Awaited<ReturnType<typeof freshTable>>,
  assessmentId: string,
  settings: Partial<NotificationSettings>,
) =>
  putSettings(
    table,
    assessmentId,
    { ...DEFAULT_NOTIFICATION_SETTINGS, ...settings },
    undefined,
    new Date(),
    audit(assessmentId),
  );

/** The sign-in code emails sent to `email`, oldest first. */
export const codeMails = async (local: LocalNotifications, email: string) =>
  (await readInbox(local.ses.url)).filter(
    (m) => m.destination.to.includes(email) && m.subject.includes('ITA:'),
  );

/** Waits (with a deadline) for a code email to `email` after the `before` already there; answers its code. */
export const nextCode = async (local: LocalNotifications, email: string, before: number) => {
  const mails = await until(
    () => codeMails(local, email),
    (m) => m.length > before,
  );
  const code = mails.length > before ? /(\d{6})/.exec(mails.at(-1)!.subject)?.[1] : undefined;
  if (!code) throw new Error(`no code email for ${email}`);
  return code;
};

/** Sets how many OIT items an agency has submitted, as if it had: the pace check reads this count. */
export const setOitSubmitted = (
  table: Awaited<ReturnType<typeof freshTable>>,
  assessmentId: string,
  agencyId: string,
  submitted: number,
) =>
  table.client.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: keys.agencySummary(assessmentId, agencyId),
      UpdateExpression: 'SET oit.submitted = :n',
      ExpressionAttributeValues: { ':n': submitted },
    }),
  );
