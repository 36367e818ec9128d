import type { AssessmentRepository } from '#adapters/dynamo/assessment-repository';
import { NotFoundError } from '#domain/errors';
import { type EventPublisher, planChanged } from '#domain/events';
import { authorize } from '#domain/policy';
import type { Principal } from '#domain/principal';

/**
 * What a plan-changing answer says about the schedules that follow from it: its PlanChanged was
 * committed with the change (the transactional outbox), so the sync is requested, always.
 */
export type ScheduleSyncOutcome = { schedules: 'sync-requested' };
export const SYNC_REQUESTED: ScheduleSyncOutcome = { schedules: 'sync-requested' };

export type SyncRouteDeps = {
  assessments: Pick<AssessmentRepository, 'getWithPlan'>;
  publisher: EventPublisher;
  now: () => Date;
};

/**
 * POST /assessments/{id}/schedules/sync: publishes PlanChanged so the schedules are brought in line
 * again (after a sync that failed for good and sits in a dead-letter queue). Idempotent by
 * construction (the sync changes nothing when already in line). A publish that fails here is the
 * answer's failure: nothing was committed, the caller retries.
 */
export const requestSyncNow = async (
  deps: SyncRouteDeps,
  principal: Principal,
  assessmentId: string,
): Promise<ScheduleSyncOutcome> => {
  authorize(principal, 'plan.update', { assessmentId });
  if (!(await deps.assessments.getWithPlan(assessmentId)))
    throw new NotFoundError(`assessment ${assessmentId} not found`);
  await deps.publisher.publish([planChanged(assessmentId, deps.now().toISOString())]);
  return SYNC_REQUESTED;
};
