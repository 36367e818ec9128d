import type { AssessmentRepository } from '#adapters/dynamo/assessment-repository';
import {
  desiredSchedules,
  diffSchedules,
  type ScheduleDiff,
  type SchedulePort,
  type ScheduleSettings,
  schedulePrefix,
} from '#domain/schedule-plan';

export type SyncSchedulesDeps = {
  assessments: Pick<AssessmentRepository, 'getOverview'>;
  scheduler: SchedulePort;
  settings: ScheduleSettings;
  now: () => Date;
};

export type SyncResult = { created: string[]; updated: string[]; deleted: string[] };

/**
 * Brings the schedule group in line with the assessment's plan: lists what exists for it, creates
 * what is missing, updates what changed, deletes what the plan no longer asks for. Running it
 * twice changes nothing the second time. An assessment that no longer exists loses its schedules.
 */
export const syncSchedules = async (deps: SyncSchedulesDeps, assessmentId: string): Promise<SyncResult> => {
  const overview = await deps.assessments.getOverview(assessmentId);
  const desired = overview
    ? desiredSchedules(assessmentId, overview.milestones, overview.tasks, deps.settings)
    : [];
  const existing = await deps.scheduler.list(`${schedulePrefix(assessmentId)}-`);
  const diff: ScheduleDiff = diffSchedules(assessmentId, desired, existing, deps.now());
  for (const definition of diff.create) await deps.scheduler.create(definition);
  for (const definition of diff.update) await deps.scheduler.update(definition);
  for (const name of diff.delete) await deps.scheduler.delete(name);
  return {
    created: diff.create.map((d) => d.name),
    updated: diff.update.map((d) => d.name),
    deleted: diff.delete,
  };
};
