import type { EventBridgeEvent } from 'aws-lambda';
import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import * as notificationTable from '#adapters/dynamo/notification-repository';
import { PlanChanged } from '#domain/events';
import { clockNow } from '#runtime/clock';
import { schedulerPort, scheduleSettingsFrom } from '#runtime/notifications';
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
export const syncSchedules = async (event: Pick<EventBridgeEvent<'PlanChanged', unknown>, 'detail'>) => {
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
  console.log(JSON.stringify({ level: 'INFO', message: 'schedules synced', assessmentId, ...result }));
  return result;
};

/**
 * No middleware runs on this path, so Lambda calls the function itself: a middy chain with
 * nothing in it would only add to the bundle.
 */
export const handler = syncSchedules;
