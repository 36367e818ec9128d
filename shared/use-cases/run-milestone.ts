import type { AssessmentRepository } from '#adapters/dynamo/assessment-repository';
import { type NotificationRepository, notificationStateFrom } from '#adapters/dynamo/notification-repository';
import { auditEntry } from '#domain/audit';
import { systemPrincipal } from '#domain/auth';
import type { EventPublisher, NotificationRequested } from '#domain/events';
import {
  milestoneNotifications,
  type NotificationRequest,
  type NotificationSettings,
  paceCheck,
} from '#domain/notifications';
import type { MilestoneInvocation } from '#domain/schedule-plan';
import { todayIn } from '#domain/thai-date';

const WRITE_CONCURRENCY = 16;

export type RunMilestoneDeps = {
  assessments: Pick<AssessmentRepository, 'getOverviewWithExtras'>;
  notifications: Pick<NotificationRepository, 'startBehind' | 'clearBehind'>;
  publisher: EventPublisher;
  /** Addresses used when the assessment has no settings of its own. */
  fallback: Pick<NotificationSettings, 'secretariatEmail' | 'approverEmail'>;
  now: () => Date;
};

export type RunMilestoneResult = {
  date: string;
  published: NotificationRequest[];
  notes: string[];
  pace?: { agencies: number; startBehind: number; clearBehind: number };
};

/**
 * What a schedule firing does: ONE Query (the overview, with the notification settings and the
 * pace records), the pure rules, the pace records moved (pace check only), and the notifications
 * published. Firing twice publishes twice; the notifier's claim sends once.
 */
export const runMilestone = async (
  deps: RunMilestoneDeps,
  invocation: MilestoneInvocation,
): Promise<RunMilestoneResult> => {
  const now = deps.now();
  const read = await deps.assessments.getOverviewWithExtras(invocation.assessmentId);
  if (!read) return { date: '', published: [], notes: [`assessment ${invocation.assessmentId} not found`] };
  const { overview, extras } = read;
  const state = notificationStateFrom(extras);
  const settings: NotificationSettings = {
    ...state.settings,
    secretariatEmail: state.settings.secretariatEmail ?? deps.fallback.secretariatEmail,
    approverEmail: state.settings.approverEmail ?? deps.fallback.approverEmail,
  };
  const date = todayIn(overview.assessment.timeZone, now);
  const input = { ...overview, settings, date };
  let result: RunMilestoneResult;
  if (invocation.trigger === 'pace-check') {
    const outcome = paceCheck(input, state.paceRecords);
    const at = now.toISOString();
    const audit = (agencyId: string, action: string, changes: Record<string, unknown>) =>
      auditEntry(
        { ...systemPrincipal, tokenId: 'pace-check' },
        { assessmentId: overview.assessment.id, agencyId, action, target: `pace/${agencyId}`, changes },
        at,
      );
    const id = overview.assessment.id;
    const writes = [
      ...outcome.startBehind.map(
        (r) => () => deps.notifications.startBehind(id, r, audit(r.agencyId, 'pace.behind', r)),
      ),
      ...outcome.clearBehind.map(
        (r) => () => deps.notifications.clearBehind(id, r, audit(r.agencyId, 'pace.on-track', r)),
      ),
    ];
    // One small transaction per agency whose state changed, a few at a time.
    for (let i = 0; i < writes.length; i += WRITE_CONCURRENCY) {
      await Promise.all(writes.slice(i, i + WRITE_CONCURRENCY).map((write) => write()));
    }
    result = {
      date,
      published: outcome.requests,
      notes: outcome.notes,
      pace: {
        agencies: outcome.paces.length,
        startBehind: outcome.startBehind.length,
        clearBehind: outcome.clearBehind.length,
      },
    };
  } else {
    const outcome = milestoneNotifications(input, invocation);
    result = { date, published: outcome.requests, notes: outcome.notes };
  }
  const at = now.toISOString();
  const events: NotificationRequested[] = result.published.map((request) => ({
    type: 'NotificationRequested',
    version: 1,
    at,
    request,
  }));
  if (events.length) await deps.publisher.publish(events);
  return result;
};
