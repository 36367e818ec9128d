import type { NotificationRepository } from '#adapters/dynamo/notification-repository';
import { auditEntry } from '#domain/audit';
import type { Principal } from '#domain/auth';
import type { EventPublisher } from '#domain/events';
import type { NotificationRecord } from '#domain/notifications';
import { authorize } from '#domain/policy';

export type NotificationAdminDeps = {
  notifications: Pick<NotificationRepository, 'listFailed' | 'requestResend'>;
  publisher: EventPublisher;
  now: () => Date;
};

/** What the API shows of a notification record. */
export const notificationView = (r: NotificationRecord) => ({
  id: r.id,
  status: r.status,
  subject: r.request.subject,
  kind: r.request.kind,
  localDate: r.request.localDate,
  to: r.request.to,
  cc: r.request.cc,
  attempts: r.attempts,
  claimedAt: r.claimedAt,
  ...(r.sentAt ? { sentAt: r.sentAt, messageId: r.messageId } : {}),
  ...(r.failedAt ? { failedAt: r.failedAt, error: r.error, retryable: r.retryable ?? false } : {}),
});

export const listFailedNotifications = async (
  deps: NotificationAdminDeps,
  principal: Principal,
  assessmentId: string,
) => {
  authorize(principal, 'notification.read', { assessmentId });
  return (await deps.notifications.listFailed(assessmentId)).map(notificationView);
};

/**
 * Resends a failed notification: marks it `resend` (only a failed one; audited) and publishes its
 * request again, so the notifier claims it and sends it through the same path as the first time.
 */
export const resendNotification = async (
  deps: NotificationAdminDeps,
  principal: Principal,
  assessmentId: string,
  notificationId: string,
) => {
  authorize(principal, 'notification.resend', { assessmentId });
  const at = deps.now().toISOString();
  const record = await deps.notifications.requestResend(
    assessmentId,
    notificationId,
    auditEntry(
      principal,
      { assessmentId, action: 'notification.resend', target: `notification/${notificationId}`, changes: {} },
      at,
    ),
  );
  await deps.publisher.publish([{ type: 'NotificationRequested', version: 1, at, request: record.request }]);
  return notificationView(record);
};
