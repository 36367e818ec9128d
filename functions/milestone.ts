import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import { listLinks } from '#adapters/dynamo/link-repository';
import * as notificationTable from '#adapters/dynamo/notification-repository';
import { MilestoneInvocation } from '#domain/schedule-plan';
import { clockNow } from '#runtime/clock';
import { eventPublisher } from '#runtime/events';
import { logger, withLogContext } from '#runtime/logger';
import { countPaceCheckRun } from '#runtime/metrics';
import { defaultRecipients } from '#runtime/recipients';
import { scheduleSettingsFrom } from '#runtime/schedules';
import { tableDeps } from '#runtime/table';
import { runMilestone } from '#use-cases/run-milestone';

const table = tableDeps({
  assessments: {
    getOverviewWithNotificationState: assessmentTable.getOverviewWithNotificationState,
  },
  notifications: {
    movePace: notificationTable.movePace,
    recordUndeliverable: notificationTable.recordUndeliverable,
  },
  links: { listLinks },
});

/**
 * Invoked by a schedule with `{ assessmentId, milestone, trigger }`. An invalid payload throws:
 * Scheduler retries, then puts it in the schedule DLQ. A trigger the current plan no longer asks
 * for today (a schedule a lost sync left armed) is ignored and logged at INFO with the reason.
 */
export const milestone = async (payload: unknown) => {
  const invocation = MilestoneInvocation.parse(payload);
  const result = await runMilestone(
    {
      assessments: table().assessments,
      notifications: table().notifications,
      publisher: eventPublisher(),
      defaults: defaultRecipients(),
      schedules: scheduleSettingsFrom(),
      now: clockNow,
      links: table().links,
    },
    invocation,
  );
  if (invocation.trigger === 'pace-check' && !result.ignored) countPaceCheckRun();
  logger[result.undeliverable.length ? 'warn' : 'info'](
    result.ignored ? 'milestone trigger ignored' : 'milestone ran',
    {
      ...invocation,
      date: result.date,
      ...(result.ignored ? { reason: result.ignored } : {}),
      published: result.published.length,
      ...(result.undeliverable.length ? { undeliverable: result.undeliverable } : {}),
      ...(result.resync ? { resync: 'schedules synced for an older version: PlanChanged published' } : {}),
      notes: result.notes,
      ...(result.pace ? { pace: result.pace } : {}),
    },
  );
  return result;
};

/** A schedule's payload carries no id: lines carry the Lambda request id (and cold start) only. */
export const handler = withLogContext(milestone);
