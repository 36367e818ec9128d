import * as z from 'zod/mini';
import * as notificationTable from '#adapters/dynamo/notification-repository';
import { Slug } from '#domain/primitives';
import { httpHandler } from '#http/handler';
import { withIdempotency } from '#http/idempotency';
import { parsePath, parseQuery, principalFrom } from '#http/request';
import { json } from '#http/response';
import type { HttpEvent } from '#http/types';
import { clockNow } from '#runtime/clock';
import { defaultRecipients } from '#runtime/recipients';
import { tableDeps } from '#runtime/table';
import { listFailedNotifications, resendNotification } from '#use-cases/notifications';

const ListPath = z.object({ id: Slug });
const ResendPath = z.object({
  id: Slug,
  // A LINE delivery's record adds `_line` or `_line-<owner>` (shared/domain/line.ts).
  notificationId: z
    .string()
    .check(z.regex(/^\d{4}-\d{2}-\d{2}_[a-z0-9-]+_[a-z0-9-]+(_line(-[a-z0-9-]+)?)?$/)),
});
/** Only failed notifications are listed (a sparse index); other statuses are not queryable. */
const ListQuery = z.strictObject({ status: z.literal('failed') });

const table = tableDeps({
  notifications: {
    get: notificationTable.get,
    listFailed: notificationTable.listFailed,
    requestResend: notificationTable.requestResend,
    getSettings: notificationTable.getSettings,
  },
});

const deps = () => ({
  notifications: table().notifications,
  defaults: defaultRecipients(),
  now: clockNow,
});

/**
 * GET  /assessments/{id}/notifications?status=failed: failed notifications, for a person to act on.
 * POST /assessments/{id}/notifications/{notificationId}/resend: send a failed one again.
 */
export const notifications = async (event: HttpEvent) => {
  const principal = principalFrom(event);
  if (event.requestContext.http.method === 'POST') {
    const { id, notificationId } = parsePath(event, ResendPath);
    return json(202, await resendNotification(deps(), principal, id, notificationId));
  }
  const { id } = parsePath(event, ListPath);
  parseQuery(event, ListQuery);
  return json(200, { items: await listFailedNotifications(deps(), principal, id) });
};

export const handler = httpHandler(withIdempotency('notifications', notifications));
