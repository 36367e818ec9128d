import type { AssessmentRepository } from '#adapters/dynamo/assessment-repository';
import type { Principal } from '#domain/auth';
import { NotFoundError } from '#domain/errors';
import type { EventPublisher } from '#domain/events';
import { authorize } from '#domain/policy';

/** What a plan-changing answer says about the schedules that follow from it. */
export type ScheduleSyncStatus = 'sync-requested' | 'sync-pending';
export type ScheduleSyncOutcome = { schedules: ScheduleSyncStatus; message?: string };

/** The CloudWatch metric a lost PlanChanged counts in (embedded metric format, alarmed in infra). */
export const SYNC_PENDING_METRIC = { namespace: 'ItaCampaign', name: 'ScheduleSyncPending' } as const;

/**
 * One ERROR log line that is also a CloudWatch metric (embedded metric format): the handled
 * failure does not fail the invocation, so the function's error alarm would not see it. Written
 * straight to stdout, where Lambda's log pipeline extracts EMF whatever the log format.
 */
export const syncPendingLogLine = (assessmentId: string, error: unknown, at: Date): string =>
  JSON.stringify({
    _aws: {
      Timestamp: at.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: SYNC_PENDING_METRIC.namespace,
          Dimensions: [[]],
          Metrics: [{ Name: SYNC_PENDING_METRIC.name, Unit: 'Count' }],
        },
      ],
    },
    [SYNC_PENDING_METRIC.name]: 1,
    level: 'ERROR',
    message: 'PlanChanged could not be published; schedules not synced',
    assessmentId,
    error: error instanceof Error ? error.message : String(error),
  });

const writeLine = (line: string) => {
  process.stdout.write(`${line}\n`);
};

/**
 * Asks for the assessment's schedules to be synced after a committed change. The change stands
 * whatever happens here: if the event cannot be published (after the publisher's own retries) the
 * answer says `sync-pending` and how to finish the job, and the failure is logged as an error
 * metric. The weekday pace check also notices schedules synced for an older version.
 */
export const requestScheduleSync = async (
  publisher: EventPublisher,
  assessmentId: string,
  now: Date,
  log: (line: string) => void = writeLine,
): Promise<ScheduleSyncOutcome> => {
  try {
    await publisher.publish([{ type: 'PlanChanged', version: 1, assessmentId, at: now.toISOString() }]);
    return { schedules: 'sync-requested' };
  } catch (error) {
    log(syncPendingLogLine(assessmentId, error, now));
    return {
      schedules: 'sync-pending',
      message: `saved, but the schedules could not be updated yet: call POST /assessments/${assessmentId}/schedules/sync (the weekday pace check also retries it)`,
    };
  }
};

export type SyncRouteDeps = {
  assessments: Pick<AssessmentRepository, 'getWithPlan'>;
  publisher: EventPublisher;
  now: () => Date;
};

/**
 * POST /assessments/{id}/schedules/sync: publishes PlanChanged so the schedules are brought in line
 * again. Idempotent by construction (the sync changes nothing when already in line). A publish that
 * fails here is the answer's failure: nothing was committed, the caller retries.
 */
export const requestSyncNow = async (
  deps: SyncRouteDeps,
  principal: Principal,
  assessmentId: string,
): Promise<{ schedules: 'sync-requested' }> => {
  authorize(principal, 'plan.update', { assessmentId });
  if (!(await deps.assessments.getWithPlan(assessmentId)))
    throw new NotFoundError(`assessment ${assessmentId} not found`);
  await deps.publisher.publish([
    { type: 'PlanChanged', version: 1, assessmentId, at: deps.now().toISOString() },
  ]);
  return { schedules: 'sync-requested' };
};
