import * as z from 'zod/mini';
import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import * as notificationTable from '#adapters/dynamo/notification-repository';
import { NotificationSettings } from '#domain/notification-settings';
import { Slug } from '#domain/primitives';
import { etag, optionalIfMatchVersion } from '#http/conditional';
import { dispatch } from '#http/dispatch';
import { type HttpFunction, httpHandler } from '#http/handler';
import { withIdempotency } from '#http/idempotency';
import { parseBody, parsePath, principalFrom } from '#http/request';
import { json } from '#http/response';
import { clockNow } from '#runtime/clock';
import { defaultRecipients } from '#runtime/recipients';
import { scheduleSettingsFrom } from '#runtime/schedules';
import { tableDeps } from '#runtime/table';
import { getNotificationSettings, putNotificationSettings } from '#use-cases/notification-settings';

const table = tableDeps({
  assessments: { getWithPlan: assessmentTable.getWithPlan },
  notifications: { getSettings: notificationTable.getSettings, putSettings: notificationTable.putSettings },
});

const Path = z.object({ id: Slug });

const deps = () => ({
  assessments: table().assessments,
  notifications: table().notifications,
  defaults: defaultRecipients(),
  schedules: scheduleSettingsFrom(),
  now: clockNow,
});

/** GET: the stored settings (defaults while none), the deployment's recipients and the effective ones. */
const get: HttpFunction = async (event) => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, Path);
  const view = await getNotificationSettings(deps(), principal, id);
  return json(200, view, { etag: etag(view.version) });
};

/** PUT: replaces them (If-Match optional; `"0"` means "none stored yet"), with a schedule sync in the same transaction. */
const put: HttpFunction = async (event) => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, Path);
  const expected = optionalIfMatchVersion(event);
  const settings = parseBody(event, NotificationSettings);
  const view = await putNotificationSettings(deps(), principal, id, settings, expected);
  return json(200, view, { etag: etag(view.version) });
};

/** GET|PUT /assessments/{id}/notification-settings: recipients, escalation ladder, reminder days, schedule time. */
export const notificationSettings = dispatch({
  'GET /assessments/{id}/notification-settings': get,
  'PUT /assessments/{id}/notification-settings': put,
});

export const handler = httpHandler(withIdempotency('notification-settings', notificationSettings));
