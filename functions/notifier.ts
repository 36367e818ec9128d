import type { EventBridgeEvent } from 'aws-lambda';
import * as lineTable from '#adapters/dynamo/line-repository';
import * as nameTable from '#adapters/dynamo/names';
import * as notificationTable from '#adapters/dynamo/notification-repository';
import { NotificationRequested } from '#domain/events/notification-requested';
import { DEFAULT_NOTIFICATION_SETTINGS, withDefaultRecipients } from '#domain/notification-settings';
import { PROVINCE_SUBJECT } from '#domain/notifications';
import { clockNow } from '#runtime/clock';
import { lineMessenger } from '#runtime/line';
import { logEntry, logger, withLogContext } from '#runtime/logger';
import { mailRuntime } from '#runtime/mail';
import { defaultRecipients } from '#runtime/recipients';
import { tableDeps } from '#runtime/table';
import { deliverNotification } from '#use-cases/deliver-notification';

const table = tableDeps({
  notifications: {
    claim: notificationTable.claim,
    markSent: notificationTable.markSent,
    markFailed: notificationTable.markFailed,
    getSettings: notificationTable.getSettings,
  },
  line: { getState: lineTable.getState, unlinkGroup: lineTable.unlinkGroup },
  names: { getUnitName: nameTable.getUnitName, getAgencyName: nameTable.getAgencyName },
});

/** The secretariat's addresses and the names for its email, read only when a LINE group has to be reported gone. */
const secretariat = async (assessmentId: string, owner: string) => {
  const deps = table();
  const [stored, unitName, agencyName] = await Promise.all([
    deps.notifications.getSettings(assessmentId),
    deps.names.getUnitName(assessmentId),
    owner === PROVINCE_SUBJECT ? null : deps.names.getAgencyName(assessmentId, owner),
  ]);
  const settings = withDefaultRecipients(
    stored?.settings ?? DEFAULT_NOTIFICATION_SETTINGS,
    defaultRecipients(),
  );
  return {
    emails: settings.secretariatEmails,
    unitName: unitName ?? assessmentId,
    ownerName: owner === PROVINCE_SUBJECT ? 'ฝ่ายเลขานุการ' : (agencyName ?? owner),
  };
};

/**
 * Target of the `NotificationRequested` rule: one decided notification, delivered on each of its
 * channels (the email, the LINE groups), each once. Throws when the event is malformed or a
 * delivery should be retried, so EventBridge's retry policy and the rule target's DLQ take over;
 * nothing is logged and dropped.
 */
export const notifier = async (
  event: Pick<EventBridgeEvent<'NotificationRequested', unknown>, 'detail'> & { id?: string },
) => {
  const { request, only } = NotificationRequested.parse(event.detail);
  const { mailer, publicBaseUrl } = mailRuntime();
  const deps = table();
  const outcomes = await deliverNotification(
    {
      notifications: deps.notifications,
      line: deps.line,
      mailer,
      lineMessenger,
      secretariat,
      email: { publicBaseUrl },
      now: clockNow,
      log: logEntry,
    },
    request,
    only,
  );
  for (const outcome of outcomes)
    logger[outcome.outcome === 'failed' ? 'warn' : 'info']('notification', { ...outcome });
  // One email path answers as it always did; the LINE pushes are logged beside it.
  return outcomes.find((o) => o.channel === 'email') ?? outcomes[0] ?? { outcome: 'none' };
};

/** The EventBridge event's id is the correlation id: a retried delivery logs under the same one. */
export const handler = withLogContext(notifier, (event) => event.id);
