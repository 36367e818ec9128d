import type { AssessmentRepository } from '#adapters/dynamo/assessment-repository';
import type { NotificationRepository } from '#adapters/dynamo/notification-repository';
import { auditEntry } from '#domain/audit';
import { systemPrincipal } from '#domain/auth';
import type { EventPublisher, NotificationRequested } from '#domain/events';
import {
  type DefaultRecipients,
  effectiveScheduleSettings,
  milestoneNotifications,
  NO_RECIPIENT,
  type NotificationRequest,
  notificationId,
  paceCheck,
  withDefaultRecipients,
} from '#domain/notifications';
import {
  desiredSchedules,
  type MilestoneInvocation,
  paceCheckActive,
  type ScheduleSettings,
  triggerMatchesPlan,
} from '#domain/schedule-plan';
import { todayIn } from '#domain/thai-date';

const WRITE_CONCURRENCY = 16;

export type RunMilestoneDeps = {
  assessments: Pick<AssessmentRepository, 'getOverviewWithNotificationState'>;
  notifications: Pick<
    NotificationRepository,
    'startBehind' | 'clearBehind' | 'markStaleRequested' | 'recordUndeliverable'
  >;
  publisher: EventPublisher;
  /** Recipients used when the assessment's settings name none (the deployment's). */
  defaults: DefaultRecipients;
  /** The deployment's schedule timing, which the assessment's settings may override. */
  schedules: ScheduleSettings;
  now: () => Date;
};

export type RunMilestoneResult = {
  date: string;
  published: NotificationRequest[];
  /** Notifications with nobody to send to, recorded failed (listed by the failed route). */
  undeliverable: string[];
  notes: string[];
  /** Why the trigger was ignored: it no longer matches the plan (a stale schedule). */
  ignored?: string;
  /** The pace check found the schedules synced for an older plan and asked for a sync. */
  resync?: boolean;
  pace?: { agencies: number; startBehind: number; clearBehind: number; staleRequested: number };
};

const runAll = async (writes: (() => Promise<unknown>)[]) => {
  for (let i = 0; i < writes.length; i += WRITE_CONCURRENCY) {
    await Promise.all(writes.slice(i, i + WRITE_CONCURRENCY).map((write) => write()));
  }
};

/**
 * What a schedule firing does: ONE Query (the overview, with the notification settings, the pace
 * records and the schedule sync state), a check that the trigger still matches the current plan
 * (a stale one sends nothing), the pure rules, the pace records moved (pace check only), the
 * notifications nobody can receive recorded as failed, and the rest published. Firing twice
 * publishes twice; the notifier's claim sends once.
 */
export const runMilestone = async (
  deps: RunMilestoneDeps,
  invocation: MilestoneInvocation,
): Promise<RunMilestoneResult> => {
  const now = deps.now();
  const at = now.toISOString();
  const read = await deps.assessments.getOverviewWithNotificationState(invocation.assessmentId);
  if (!read)
    return {
      date: '',
      published: [],
      undeliverable: [],
      notes: [],
      ignored: `assessment ${invocation.assessmentId} not found`,
    };
  const { overview, notificationState: state } = read;
  const id = overview.assessment.id;
  const settings = withDefaultRecipients(state.settings, deps.defaults);
  const timing = effectiveScheduleSettings(state.settings, deps.schedules);
  const date = todayIn(overview.assessment.timeZone, now);
  const result: RunMilestoneResult = { date, published: [], undeliverable: [], notes: [] };

  // A PlanChanged lost after a committed plan change leaves the schedules behind; the weekday
  // pace check notices and asks for the sync itself, so the loss heals by the next weekday.
  if (invocation.trigger === 'pace-check') {
    const synced = state.scheduleSync;
    if (
      !synced ||
      synced.assessmentVersion !== overview.assessment.version ||
      synced.settingsVersion !== state.settingsVersion
    ) {
      await deps.publisher.publish([{ type: 'PlanChanged', version: 1, assessmentId: id, at }]);
      result.resync = true;
    }
  }

  const check = triggerMatchesPlan(
    invocation,
    desiredSchedules(overview.assessment, overview.milestones, timing),
    date,
  );
  if (!check.ok) return { ...result, ignored: check.reason };

  const input = { ...overview, settings, date };
  if (invocation.trigger === 'pace-check') {
    if (!paceCheckActive(overview.milestones, overview.tasks, date, timing.followUpDays))
      return { ...result, notes: ['pace-check: no tracked window or open task to watch today'] };
    const outcome = paceCheck(input, state.paceRecords);
    const audit = (agencyId: string, action: string, changes: Record<string, unknown>) =>
      auditEntry(
        { ...systemPrincipal, tokenId: 'pace-check' },
        { assessmentId: id, agencyId, action, target: `pace/${agencyId}`, changes },
        at,
      );
    // One small transaction per agency whose state changed, a few at a time.
    await runAll([
      ...outcome.startBehind.map(
        (r) => () => deps.notifications.startBehind(id, r, audit(r.agencyId, 'pace.behind', r)),
      ),
      ...outcome.clearBehind.map(
        (r) => () => deps.notifications.clearBehind(id, r, audit(r.agencyId, 'pace.on-track', r)),
      ),
    ]);
    result.published = outcome.requests;
    result.notes = outcome.notes;
    result.pace = {
      agencies: outcome.paces.length,
      startBehind: outcome.startBehind.length,
      clearBehind: outcome.clearBehind.length,
      staleRequested: outcome.staleRequested.length,
    };
    await publishAndRecord(deps, result, at);
    // Remembered only once the request is on the bus: a failure before leaves the day's request due.
    await runAll(
      outcome.staleRequested.map(
        (r) => () =>
          deps.notifications.markStaleRequested(
            id,
            r.agencyId,
            r.date,
            audit(r.agencyId, 'pace.stale-requested', r),
          ),
      ),
    );
    return result;
  }
  const outcome = milestoneNotifications(input, invocation);
  result.published = outcome.requests;
  result.notes = outcome.notes;
  await publishAndRecord(deps, result, at);
  return result;
};

/** Records the requests nobody can receive as failed, and publishes the others. */
const publishAndRecord = async (deps: RunMilestoneDeps, result: RunMilestoneResult, at: string) => {
  const nobody = result.published.filter((r) => r.to.length === 0);
  result.published = result.published.filter((r) => r.to.length > 0);
  await runAll(
    nobody.map((request) => async () => {
      const id = notificationId(request);
      await deps.notifications.recordUndeliverable(
        request,
        `${NO_RECIPIENT}: no ${request.audience ?? 'recipient'} address in the assessment's notification settings or the deployment's defaults`,
        deps.now(),
        auditEntry(
          { ...systemPrincipal, tokenId: 'milestone' },
          {
            assessmentId: request.assessmentId,
            action: 'notification.undeliverable',
            target: `notification/${id}`,
            changes: { kind: request.kind, audience: request.audience ?? null },
          },
          at,
        ),
      );
      result.undeliverable.push(id);
    }),
  );
  const events: NotificationRequested[] = result.published.map((request) => ({
    type: 'NotificationRequested',
    version: 1,
    at,
    request,
  }));
  if (events.length) await deps.publisher.publish(events);
};
