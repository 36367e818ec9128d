import type { NotificationRepository } from '#adapters/dynamo/notification-repository';
import { auditEntry } from '#domain/audit';
import { type EmailContext, renderEmail } from '#domain/emails/templates';
import { MailError, type Mailer } from '#domain/mail';
import { NO_RECIPIENT, type NotificationRequest, notificationId } from '#domain/notifications';
import { systemPrincipal } from '#domain/principal';

export type SendNotificationDeps = {
  notifications: Pick<NotificationRepository, 'claim' | 'markSent' | 'markFailed'>;
  mailer: Mailer;
  email: EmailContext;
  now: () => Date;
};

export type SendOutcome =
  | { outcome: 'sent'; id: string; messageId: string }
  | { outcome: 'duplicate'; id: string; status: string }
  | { outcome: 'failed'; id: string; error: string; retryable: boolean };

/** Thrown after a failure worth retrying was recorded, so the bus retries and, at last, dead-letters. */
export class RetryLaterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetryLaterError';
  }
}

/**
 * Sends one notification exactly once: claim the record (conditional write), render, send, record
 * the outcome. A duplicate delivery finds the claim and sends nothing. A failure is recorded and
 * listed; a transient one (throttling that outlasted the mailer's backoff, 5xx) is also thrown so
 * the bus redelivers and the claim lets the retry through; a permanent one waits for a person
 * (the resend route). A claim still in flight is thrown too, so a sender that died is retried.
 */
export const sendNotification = async (
  deps: SendNotificationDeps,
  request: NotificationRequest,
): Promise<SendOutcome> => {
  const id = notificationId(request);
  const audit = (action: string, changes: Record<string, unknown>) =>
    auditEntry(
      { ...systemPrincipal, tokenId: 'notifier' },
      {
        assessmentId: request.assessmentId,
        ...(request.subject !== 'province' ? { agencyId: request.subject } : {}),
        action,
        target: `notification/${id}`,
        changes,
      },
      deps.now().toISOString(),
    );
  const claim = await deps.notifications.claim(
    request,
    deps.now(),
    audit('notification.claim', { kind: request.kind }),
  );
  if (!claim.claimed) {
    const status = claim.record?.status ?? 'unknown';
    if (status === 'sending')
      throw new RetryLaterError(`notification ${id} is being sent by another delivery`);
    return { outcome: 'duplicate', id, status };
  }
  if (request.to.length === 0) {
    // Nobody to send to (a role without addresses): recorded for a person to fix, never sent.
    await deps.notifications.markFailed(
      request.assessmentId,
      id,
      { error: NO_RECIPIENT, retryable: false },
      deps.now(),
      audit('notification.failed', { error: NO_RECIPIENT, retryable: false }),
    );
    return { outcome: 'failed', id, error: NO_RECIPIENT, retryable: false };
  }
  const mail = renderEmail(request, deps.email);
  try {
    const { messageId } = await deps.mailer.send({ to: request.to, cc: request.cc, ...mail });
    await deps.notifications.markSent(
      request.assessmentId,
      id,
      messageId,
      deps.now(),
      audit('notification.sent', { messageId }),
    );
    return { outcome: 'sent', id, messageId };
  } catch (error) {
    if (!(error instanceof MailError)) throw error;
    await deps.notifications.markFailed(
      request.assessmentId,
      id,
      { error: error.message, retryable: error.retryable },
      deps.now(),
      audit('notification.failed', { error: error.message, retryable: error.retryable }),
    );
    if (error.retryable) throw new RetryLaterError(`notification ${id} failed for now: ${error.message}`);
    return { outcome: 'failed', id, error: error.message, retryable: false };
  }
};
