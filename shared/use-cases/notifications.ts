import type { NotificationRepository } from '#adapters/dynamo/notification-repository';
import { auditEntry } from '#domain/audit';
import { NotFoundError, UnprocessableError } from '#domain/errors';
import type { NotificationRequested } from '#domain/events';
import {
  DEFAULT_NOTIFICATION_SETTINGS,
  type DefaultRecipients,
  withDefaultRecipients,
} from '#domain/notification-settings';
import type { NotificationRecord } from '#domain/notifications';
import { authorize } from '#domain/policy';
import type { Principal } from '#domain/principal';

export type NotificationAdminDeps = {
  notifications: Pick<NotificationRepository, 'get' | 'listFailed' | 'requestResend' | 'getSettings'>;
  /** The deployment's recipients, for a role-addressed notification recorded with nobody to send to. */
  defaults: DefaultRecipients;
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
 * Resends a failed notification: marks it `resend` (only a failed one; audited) and, in the same
 * transaction, queues its request again (the outbox), so the notifier claims it and sends it
 * through the same path as the first time. One recorded with nobody to send to gets the addresses
 * configured since (422 while there are still none). A failed write leaves it failed and listed.
 */
export const resendNotification = async (
  deps: NotificationAdminDeps,
  principal: Principal,
  assessmentId: string,
  notificationId: string,
) => {
  authorize(principal, 'notification.resend', { assessmentId });
  const at = deps.now().toISOString();
  const current = await deps.notifications.get(assessmentId, notificationId);
  if (!current) throw new NotFoundError(`notification ${notificationId} not found in ${assessmentId}`);
  let fillTo: string[] | undefined;
  if (current.status === 'failed' && current.request.to.length === 0) {
    const audience = current.request.audience;
    const stored = (await deps.notifications.getSettings(assessmentId))?.settings;
    const merged = withDefaultRecipients(stored ?? DEFAULT_NOTIFICATION_SETTINGS, deps.defaults);
    fillTo = audience === 'approver' ? merged.approverEmails : merged.secretariatEmails;
    if (fillTo.length === 0)
      throw new UnprocessableError(`notification ${notificationId} still has nobody to go to`, [
        {
          path: 'notificationId',
          message: `configure ${audience ?? 'secretariat'} addresses with PUT /assessments/${assessmentId}/notification-settings first`,
        },
      ]);
  }
  // The request as read: it does not change while the record is failed, and the write below is
  // conditional on failed, so the queued request is the one resent.
  const requested: NotificationRequested = {
    type: 'NotificationRequested',
    version: 1,
    at,
    request: fillTo ? { ...current.request, to: fillTo } : current.request,
    // A LINE delivery is resent alone; the email's resend stays as it always was (every channel
    // is claimed once, so the others answer "duplicate").
    ...(current.channel === 'line' ? { only: [current.id] } : {}),
  };
  const record = await deps.notifications.requestResend(
    assessmentId,
    notificationId,
    auditEntry(
      principal,
      {
        assessmentId,
        action: 'notification.resend',
        target: `notification/${notificationId}`,
        changes: fillTo ? { to: fillTo } : {},
      },
      at,
    ),
    fillTo,
    [requested],
  );
  return notificationView(record);
};
