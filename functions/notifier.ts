import type { EventBridgeEvent } from 'aws-lambda';
import * as notificationTable from '#adapters/dynamo/notification-repository';
import { NotificationRequested } from '#domain/events';
import { clockNow } from '#runtime/clock';
import { notifierRuntime } from '#runtime/notifications';
import { tableDeps } from '#runtime/table';
import { sendNotification } from '#use-cases/send-notification';

const table = tableDeps({
  notifications: {
    claim: notificationTable.claim,
    markSent: notificationTable.markSent,
    markFailed: notificationTable.markFailed,
  },
});

/**
 * Target of the `NotificationRequested` rule: one event, one email, sent once. Throws when the
 * event is malformed or the send should be retried, so EventBridge's retry policy and the rule
 * target's DLQ take over; nothing is logged and dropped.
 */
export const notifier = async (event: Pick<EventBridgeEvent<'NotificationRequested', unknown>, 'detail'>) => {
  const { request } = NotificationRequested.parse(event.detail);
  const { mailer, publicBaseUrl } = notifierRuntime();
  const outcome = await sendNotification(
    { notifications: table().notifications, mailer, email: { publicBaseUrl }, now: clockNow },
    request,
  );
  console.log(
    JSON.stringify({
      level: outcome.outcome === 'failed' ? 'WARN' : 'INFO',
      message: 'notification',
      ...outcome,
    }),
  );
  return outcome;
};

/**
 * No middleware runs on this path, so Lambda calls the function itself: a middy chain with
 * nothing in it would only add to the bundle.
 */
export const handler = notifier;
