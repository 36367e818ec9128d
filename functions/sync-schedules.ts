import type { EventBridgeEvent } from 'aws-lambda';
import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import * as notificationTable from '#adapters/dynamo/notification-repository';
import { PlanChanged } from '#domain/events/plan-changed';
import { clockNow } from '#runtime/clock';
import { logger, withLogContext } from '#runtime/logger';
import { schedulerPort, scheduleSettingsFrom } from '#runtime/schedules';
import { tableDeps } from '#runtime/table';
import { syncSchedules as sync } from '#use-cases/sync-schedules';

const table = tableDeps({
  assessments: {
    getOverviewWithNotificationState: assessmentTable.getOverviewWithNotificationState,
  },
  notifications: { recordScheduleSync: notificationTable.recordScheduleSync },
});

/**
 * Target of the `PlanChanged` rule: brings the assessment's schedules in line with its plan. A
 * malformed event or a failed sync throws, so EventBridge retries and then dead-letters it.
 */
export const syncSchedules = async (
  event: Pick<EventBridgeEvent<'PlanChanged', unknown>, 'detail'> & { id?: string },
) => {
  const { assessmentId } = PlanChanged.parse(event.detail);
  const result = await sync(
    {
      assessments: table().assessments,
      notifications: table().notifications,
      scheduler: schedulerPort(),
      settings: scheduleSettingsFrom(),
      now: clockNow,
    },
    assessmentId,
  );
  logger.info('schedules synced', { assessmentId, ...result });
  return result;
};

/** The EventBridge event's id is the correlation id: a retried sync logs under the same one. */
export const handler = withLogContext(syncSchedules, (event) => event.id);
