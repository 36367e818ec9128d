import middy from '@middy/core';
import { parseConfig } from '#config';
import { MilestoneInvocation } from '#domain/schedule-plan';
import { clockNow } from '#runtime/clock';
import { eventPublisher } from '#runtime/events';
import { MilestoneConfig, notificationRepository } from '#runtime/notifications';
import { tableRuntime } from '#runtime/table';
import { runMilestone } from '#use-cases/run-milestone';

/**
 * Invoked by a schedule with `{ assessmentId, milestone, trigger }`. An invalid payload throws:
 * Scheduler retries, then puts it in the schedule DLQ.
 */
export const milestone = async (payload: unknown) => {
  const invocation = MilestoneInvocation.parse(payload);
  const config = parseConfig(MilestoneConfig);
  const result = await runMilestone(
    {
      assessments: tableRuntime().assessments,
      notifications: notificationRepository(),
      publisher: eventPublisher(),
      fallback: { secretariatEmail: config.SECRETARIAT_EMAIL, approverEmail: config.APPROVER_EMAIL },
      now: clockNow,
    },
    invocation,
  );
  console.log(
    JSON.stringify({
      level: 'INFO',
      message: 'milestone ran',
      ...invocation,
      date: result.date,
      published: result.published.length,
      notes: result.notes,
      ...(result.pace ? { pace: result.pace } : {}),
    }),
  );
  return result;
};

export const handler = middy().handler(milestone);
