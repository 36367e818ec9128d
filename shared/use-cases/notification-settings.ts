import type { AssessmentRepository } from '#adapters/dynamo/assessment-repository';
import type { NotificationRepository } from '#adapters/dynamo/notification-repository';
import { auditEntry } from '#domain/audit';
import { ForbiddenError, NotFoundError } from '#domain/errors';
import { planChanged } from '#domain/events';
import {
  DEFAULT_NOTIFICATION_SETTINGS,
  type DefaultRecipients,
  effectiveScheduleSettings,
  type NotificationSettings,
  type ScheduleSettings,
  withDefaultRecipients,
} from '#domain/notification-settings';
import { authorize } from '#domain/policy';
import type { Principal } from '#domain/principal';
import { approversUnchanged } from './approver.ts';
import { type ScheduleSyncOutcome, SYNC_REQUESTED } from './schedules.ts';

export type NotificationSettingsDeps = {
  assessments: Pick<AssessmentRepository, 'getWithPlan'>;
  notifications: Pick<NotificationRepository, 'getSettings' | 'putSettings'>;
  defaults: DefaultRecipients;
  schedules: ScheduleSettings;
  now: () => Date;
};

/** The stored settings, and what the milestone function will actually use with the deployment's defaults. */
const view = (settings: NotificationSettings, version: number, deps: NotificationSettingsDeps) => {
  const merged = withDefaultRecipients(settings, deps.defaults);
  const timing = effectiveScheduleSettings(settings, deps.schedules);
  return {
    settings,
    version,
    deploymentDefaults: deps.defaults,
    effective: {
      secretariatEmails: merged.secretariatEmails,
      approverEmails: merged.approverEmails,
      reminderDays: timing.dueSoonDays,
      scheduleTime: timing.time,
    },
  };
};

/** GET /assessments/{id}/notification-settings: version 0 (`ETag: "0"`) while none are stored. */
export const getNotificationSettings = async (
  deps: NotificationSettingsDeps,
  principal: Principal,
  assessmentId: string,
) => {
  authorize(principal, 'assessment.read', { assessmentId });
  const [plan, stored] = await Promise.all([
    deps.assessments.getWithPlan(assessmentId),
    deps.notifications.getSettings(assessmentId),
  ]);
  if (!plan) throw new NotFoundError(`assessment ${assessmentId} not found`);
  return view(stored?.settings ?? DEFAULT_NOTIFICATION_SETTINGS, stored?.version ?? 0, deps);
};

/**
 * PUT /assessments/{id}/notification-settings: replaces the settings (a conditional write with its
 * audit entry; with `If-Match`, only over that version) and, in the same transaction, asks for the
 * schedules to be synced (PlanChanged), since the schedule time and reminder days shape them.
 */
export const putNotificationSettings = async (
  deps: NotificationSettingsDeps,
  principal: Principal,
  assessmentId: string,
  settings: NotificationSettings,
  expectedVersion: number | undefined,
): Promise<ReturnType<typeof view> & ScheduleSyncOutcome> => {
  authorize(principal, 'assessment.update', { assessmentId });
  // The approvers stay as the operator set them; the write is conditional on the version read here.
  const stored = await deps.notifications.getSettings(assessmentId);
  const storedApprovers = stored?.settings.approverEmails ?? [];
  if (!approversUnchanged(settings.approverEmails, storedApprovers))
    throw new ForbiddenError(
      'who approves OIT evidence is set by the operator (npm run approver), never through the API',
    );
  const kept: NotificationSettings = { ...settings, approverEmails: storedApprovers };
  const now = deps.now();
  const version = await deps.notifications.putSettings(
    assessmentId,
    kept,
    expectedVersion ?? stored?.version ?? 0,
    now,
    auditEntry(
      principal,
      {
        assessmentId,
        action: 'notification-settings.update',
        target: `assessment/${assessmentId}/notification-settings`,
        changes: kept,
      },
      now.toISOString(),
    ),
    [planChanged(assessmentId, now.toISOString())],
  );
  return { ...view(kept, version, deps), ...SYNC_REQUESTED };
};
