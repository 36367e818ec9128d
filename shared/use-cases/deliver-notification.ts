import type { LineRepository } from '#adapters/dynamo/line-repository';
import type { NotificationRepository } from '#adapters/dynamo/notification-repository';
import { auditEntry } from '#domain/audit';
import type { EmailContext } from '#domain/emails/templates';
import {
  type Delivery,
  LineError,
  type LineMessenger,
  type LineState,
  lineText,
  planDeliveries,
  retryKeyOf,
  unlinkedEmail,
} from '#domain/line';
import type { Mailer } from '#domain/mail';
import type { NotificationRequest } from '#domain/notifications';
import { PROVINCE_SUBJECT } from '#domain/notifications';
import { systemPrincipal } from '#domain/principal';
import { RetryLaterError, type SendOutcome, sendNotification } from './send-notification.ts';

export type DeliverDeps = {
  notifications: Pick<NotificationRepository, 'claim' | 'markSent' | 'markFailed'>;
  line: Pick<LineRepository, 'getState' | 'unlinkGroup'>;
  mailer: Mailer;
  /** Built on first use: a notification with no LINE delivery never reads the LINE secret. */
  lineMessenger: () => Promise<LineMessenger>;
  /** Where to tell the secretariat that a group stopped receiving: its addresses, the unit's and the owner's names. */
  secretariat: (
    assessmentId: string,
    owner: string,
  ) => Promise<{ emails: string[]; unitName: string; ownerName: string }>;
  email: EmailContext;
  now: () => Date;
  log?: (entry: Record<string, unknown>) => void;
};

export type DeliveryOutcome = SendOutcome & { channel: 'email' | 'line' };

const audit = (
  request: NotificationRequest,
  id: string,
  action: string,
  changes: Record<string, unknown>,
  at: string,
) =>
  auditEntry(
    { ...systemPrincipal, tokenId: 'notifier' },
    {
      assessmentId: request.assessmentId,
      ...(request.subject !== PROVINCE_SUBJECT ? { agencyId: request.subject } : {}),
      action,
      target: `notification/${id}`,
      changes,
    },
    at,
  );

/**
 * One LINE push exactly once: claim the delivery's own record, push with the retry key derived
 * from its id, record the outcome. 429 (quota) is recorded failed and not retried; a group the bot
 * left is recorded failed, unlinked, and the secretariat told by email (once: only the unlink that
 * succeeds sends it); 5xx and timeouts that outlast the adapter's tries are thrown for the bus.
 */
const pushOnce = async (
  deps: DeliverDeps,
  request: NotificationRequest,
  delivery: Extract<Delivery, { channel: 'line' }>,
): Promise<DeliveryOutcome> => {
  const { id, groupId } = delivery;
  const at = () => deps.now().toISOString();
  const claim = await deps.notifications.claim(
    request,
    deps.now(),
    audit(request, id, 'notification.claim', { kind: request.kind, channel: 'line', groupId }, at()),
    { id, channel: 'line', groupId },
  );
  if (!claim.claimed) {
    const status = claim.record?.status ?? 'unknown';
    if (status === 'sending') throw new RetryLaterError(`delivery ${id} is being sent by another delivery`);
    return { channel: 'line', outcome: 'duplicate', id, status };
  }
  try {
    const messenger = await deps.lineMessenger();
    const { messageId } = await messenger.push(
      groupId,
      lineText(request, delivery, deps.email),
      retryKeyOf(request.assessmentId, id),
    );
    await deps.notifications.markSent(
      request.assessmentId,
      id,
      messageId,
      deps.now(),
      audit(request, id, 'notification.sent', { messageId, channel: 'line' }, at()),
    );
    return { channel: 'line', outcome: 'sent', id, messageId };
  } catch (error) {
    const failure =
      error instanceof LineError
        ? error
        : new LineError(
            `LINE not available: ${error instanceof Error ? error.message : String(error)}`,
            'rejected',
          );
    await deps.notifications.markFailed(
      request.assessmentId,
      id,
      { error: failure.message, retryable: failure.retryable },
      deps.now(),
      audit(
        request,
        id,
        'notification.failed',
        { error: failure.message, retryable: failure.retryable, channel: 'line' },
        at(),
      ),
    );
    if (failure.failure === 'unlinked') await unlinkAndTell(deps, request, delivery, failure.message);
    if (failure.retryable) throw new RetryLaterError(`delivery ${id} failed for now: ${failure.message}`);
    return { channel: 'line', outcome: 'failed', id, error: failure.message, retryable: false };
  }
};

const unlinkAndTell = async (
  deps: DeliverDeps,
  request: NotificationRequest,
  delivery: Extract<Delivery, { channel: 'line' }>,
  reason: string,
) => {
  const at = deps.now().toISOString();
  const unlinked = await deps.line.unlinkGroup(
    { assessmentId: request.assessmentId, owner: delivery.owner, groupId: delivery.groupId },
    auditEntry(
      { ...systemPrincipal, tokenId: 'notifier' },
      {
        assessmentId: request.assessmentId,
        ...(delivery.owner !== PROVINCE_SUBJECT ? { agencyId: delivery.owner } : {}),
        action: 'line.unlink',
        target: `line-group/${delivery.owner}`,
        changes: { groupId: delivery.groupId, reason },
      },
      at,
    ),
  );
  if (!unlinked) return;
  const { emails, unitName, ownerName } = await deps.secretariat(request.assessmentId, delivery.owner);
  if (emails.length === 0) {
    deps.log?.({
      level: 'WARN',
      message: 'line group unlinked; no secretariat address to tell',
      owner: delivery.owner,
    });
    return;
  }
  const mail = unlinkedEmail(ownerName, unitName, reason);
  await deps.mailer.send({
    to: emails,
    cc: [],
    subject: mail.subject,
    text: mail.text,
    html: `<pre>${mail.text.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`)}</pre>`,
  });
};

/**
 * Delivers one decided notification on every channel it has (`planDeliveries`): the email through
 * the unchanged email path, and each LINE push on its own record. The channels run side by side
 * and each settles on its own, so a LINE failure never holds back the email or the reverse; a
 * failure worth retrying is thrown after all have settled, and the retry finds the delivered ones
 * claimed. `only` restricts it to some delivery ids (a resend of one LINE delivery).
 */
export const deliverNotification = async (
  deps: DeliverDeps,
  request: NotificationRequest,
  only?: string[],
): Promise<DeliveryOutcome[]> => {
  let line: LineState = { settings: { agencyDigest: 'daily', channels: {} }, links: [] };
  let lineStateError: unknown;
  try {
    line = await deps.line.getState(request.assessmentId);
  } catch (error) {
    // Without the LINE state the email still goes; the error is thrown after it, for a retry.
    lineStateError = error;
  }
  const planned = planDeliveries(request, line).filter((d) => !only || only.includes(d.id));
  const settled = await Promise.allSettled(
    planned.map(
      async (delivery): Promise<DeliveryOutcome> =>
        delivery.channel === 'email'
          ? { channel: 'email', ...(await sendNotification(deps, request)) }
          : pushOnce(deps, request, delivery),
    ),
  );
  const outcomes = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (rejected) throw rejected.reason;
  if (lineStateError) throw lineStateError;
  return outcomes;
};
