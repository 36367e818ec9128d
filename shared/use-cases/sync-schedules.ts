import type { AssessmentRepository } from '#adapters/dynamo/assessment-repository';
import type { NotificationRepository } from '#adapters/dynamo/notification-repository';
import { auditEntry } from '#domain/audit';
import { effectiveScheduleSettings, type ScheduleSettings } from '#domain/notification-settings';
import { systemPrincipal } from '#domain/principal';
import {
  desiredSchedules,
  diffSchedules,
  type ScheduleDiff,
  type SchedulePort,
  schedulePrefix,
} from '#domain/schedule-plan';

export type SyncSchedulesDeps = {
  assessments: Pick<AssessmentRepository, 'getOverviewWithNotificationState'>;
  notifications: Pick<NotificationRepository, 'recordScheduleSync'>;
  scheduler: SchedulePort;
  /** The deployment's timing; an assessment's notification settings may override time and reminder days. */
  settings: ScheduleSettings;
  now: () => Date;
};

export type SyncResult = { created: string[]; updated: string[]; deleted: string[] };

/**
 * Brings the schedule group in line with the assessment's plan and schedule settings: lists what
 * exists for it, creates what is missing, updates what changed, deletes what the plan no longer
 * asks for (or asks for at a moment already past), then records the versions it synced for, which
 * the weekday pace check compares. Running it twice changes nothing the second time. An
 * assessment that no longer exists loses its schedules.
 */
export const syncSchedules = async (deps: SyncSchedulesDeps, assessmentId: string): Promise<SyncResult> => {
  const read = await deps.assessments.getOverviewWithNotificationState(assessmentId);
  const state = read?.notificationState;
  const desired =
    read && state
      ? desiredSchedules(
          read.overview.assessment,
          read.overview.milestones,
          effectiveScheduleSettings(state.settings, deps.settings),
        )
      : [];
  const existing = await deps.scheduler.list(`${schedulePrefix(assessmentId)}-`);
  const diff: ScheduleDiff = diffSchedules(assessmentId, desired, existing, deps.now());
  for (const definition of diff.create) await deps.scheduler.create(definition);
  for (const definition of diff.update) await deps.scheduler.update(definition);
  for (const name of diff.delete) await deps.scheduler.delete(name);
  const result = {
    created: diff.create.map((d) => d.name),
    updated: diff.update.map((d) => d.name),
    deleted: diff.delete,
  };
  if (read && state) {
    const synced = {
      assessmentVersion: read.overview.assessment.version,
      settingsVersion: state.settingsVersion,
    };
    const known = state.scheduleSync;
    if (
      !known ||
      known.assessmentVersion !== synced.assessmentVersion ||
      known.settingsVersion !== synced.settingsVersion
    ) {
      const at = deps.now().toISOString();
      await deps.notifications.recordScheduleSync(
        assessmentId,
        { ...synced, syncedAt: at },
        auditEntry(
          { ...systemPrincipal, tokenId: 'sync-schedules' },
          {
            assessmentId,
            action: 'schedules.sync',
            target: `assessment/${assessmentId}/schedules`,
            changes: {
              ...synced,
              created: result.created.length,
              updated: result.updated.length,
              deleted: result.deleted.length,
            },
          },
          at,
        ),
      );
    }
  }
  return result;
};
