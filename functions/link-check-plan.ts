import type { EventBridgeEvent } from 'aws-lambda';
import * as agencyTable from '#adapters/dynamo/agency-repository';
import * as linkTable from '#adapters/dynamo/link-repository';
import * as notificationTable from '#adapters/dynamo/notification-repository';
import { DEFAULT_LINK_CHECK_EVERY_DAYS, LinkCheckRequested } from '#domain/link-check-plan';
import { clockNow } from '#runtime/clock';
import { linkCheckQueue } from '#runtime/link-check';
import { logger, withLogContext } from '#runtime/logger';
import { tableDeps } from '#runtime/table';
import { planLinkChecks } from '#use-cases/link-watch';

const table = tableDeps({
  agencies: { listAgencyItems: agencyTable.listAgencyItems, getEvidence: agencyTable.getEvidence },
  links: { listLinks: linkTable.listLinks, syncItemLinks: linkTable.syncItemLinks },
  notifications: { getSettings: notificationTable.getSettings },
});

/**
 * Target of the `LinkCheckRequested` rule (a submission, the daily schedule): the plan step.
 * Syncs the watched links from the evidence, picks those due and sends them to the check queue
 * in messages of at most 25 by host. Throws when the event is malformed or the queue refuses, so
 * EventBridge retries and the rule's DLQ take over; a retry sends again, which checks again.
 */
export const linkCheckPlan = async (
  event: Pick<EventBridgeEvent<'LinkCheckRequested', unknown>, 'detail'>,
) => {
  const request = LinkCheckRequested.parse(event.detail);
  const deps = table();
  const plan = await planLinkChecks(
    {
      agencies: deps.agencies,
      links: deps.links,
      queue: linkCheckQueue(),
      everyDays: async (assessmentId) =>
        (await deps.notifications.getSettings(assessmentId))?.settings.linkCheckEveryDays ??
        DEFAULT_LINK_CHECK_EVERY_DAYS,
      now: clockNow,
    },
    {
      assessmentId: request.assessmentId,
      reason: request.reason,
      ...(request.agencyId ? { agencyId: request.agencyId } : {}),
      ...(request.itemId ? { itemId: request.itemId } : {}),
    },
  );
  logger.info('link check planned', { ...request, ...plan });
  return plan;
};

/** Lambda context and cold start on every line (`withLogContext`). */
export const handler = withLogContext(linkCheckPlan);
