import type { AssessmentRepository } from '#adapters/dynamo/assessment-repository';
import type { LinkRepository } from '#adapters/dynamo/link-repository';
import type { NotificationRepository, PaceMove } from '#adapters/dynamo/notification-repository';
import { type AuditEntry, auditEntry } from '#domain/audit';
import { type EventPublisher, type NotificationRequested, planChanged } from '#domain/events';
import {
  type DefaultRecipients,
  effectiveScheduleSettings,
  type ScheduleSettings,
  withDefaultRecipients,
} from '#domain/notification-settings';
import {
  isMonday,
  milestoneNotifications,
  NO_RECIPIENT,
  type NotificationRequest,
  notificationId,
  paceCheck,
  weeklySummary,
} from '#domain/notifications';
import { systemPrincipal } from '#domain/principal';
import {
  desiredSchedules,
  type MilestoneInvocation,
  paceCheckActive,
  triggerMatchesPlan,
} from '#domain/schedule-plan';
import { todayIn } from '#domain/thai-date';
import { readWeeklyDeadLinks } from './link-list.ts';

const WRITE_CONCURRENCY = 16;

export type RunMilestoneDeps = {
  assessments: Pick<AssessmentRepository, 'getOverviewWithNotificationState'>;
  notifications: Pick<NotificationRepository, 'movePace' | 'recordUndeliverable'>;
  publisher: EventPublisher;
  /** Recipients used when the assessment's settings name none (the deployment's). */
  defaults: DefaultRecipients;
  /** The deployment's schedule timing, which the assessment's settings may override. */
  schedules: ScheduleSettings;
  now: () => Date;
  /** The watched evidence links: Monday's summary lists the dead ones (left out without it). */
  links?: Pick<LinkRepository, 'listLinks'>;
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

  // PlanChanged commits with every plan change (the outbox), but a sync can still fail for good
  // (the scheduler refusing past the retries, its event in a dead-letter queue): the weekday pace
  // check notices schedules synced for an older version and asks again, so that heals by the next weekday.
  if (invocation.trigger === 'pace-check') {
    const synced = state.scheduleSync;
    if (
      !synced ||
      synced.assessmentVersion !== overview.assessment.version ||
      synced.settingsVersion !== state.settingsVersion
    ) {
      await deps.publisher.publish([planChanged(id, at)]);
      result.resync = true;
    }
  }

  const check = triggerMatchesPlan(
    invocation,
    desiredSchedules(overview.assessment, overview.milestones, timing),
    date,
  );
  if (!check.ok) return { ...result, ignored: check.reason };

  // The daily link check: the plan step runs on the bus (it syncs the links and fans them out).
  if (invocation.trigger === 'link-check') {
    await deps.publisher.publish([
      { type: 'LinkCheckRequested', version: 1, at, assessmentId: id, reason: 'schedule' },
    ]);
    return { ...result, notes: ['link-check: the link check plan was asked for'] };
  }

  const deadLinks =
    invocation.trigger === 'pace-check' && isMonday(date) && deps.links
      ? await readWeeklyDeadLinks(deps.links, overview)
      : undefined;
  const input = { ...overview, settings, date, ...(deadLinks ? { deadLinks } : {}) };
  if (invocation.trigger === 'pace-check') {
    if (!paceCheckActive(overview.milestones, overview.tasks, date, timing.followUpDays)) {
      // The link watch runs to step 13, past the tracked windows: a dead link still gets its Monday.
      if (!deadLinks?.total)
        return { ...result, notes: ['pace-check: no tracked window or open task to watch today'] };
      result.published = [weeklySummary(input)];
      result.notes = ['pace-check: nothing else to watch today; the weekly summary lists the dead links'];
      await publishAndRecord(deps, result, at);
      return result;
    }
    const outcome = paceCheck(input, state.paceRecords);
    const audit = (agencyId: string, action: string, changes: Record<string, unknown>) =>
      auditEntry(
        { ...systemPrincipal, tokenId: 'pace-check' },
        { assessmentId: id, agencyId, action, target: `pace/${agencyId}`, changes },
        at,
      );
    const moves = new Map<string, AgencyMove>();
    const moveOf = (agencyId: string) => {
      const found = moves.get(agencyId) ?? { move: { agencyId }, audits: [] };
      moves.set(agencyId, found);
      return found;
    };
    for (const r of outcome.startBehind) {
      const m = moveOf(r.agencyId);
      m.move.startBehind = r.behindSince;
      m.audits.push(audit(r.agencyId, 'pace.behind', r));
    }
    for (const r of outcome.clearBehind) {
      const m = moveOf(r.agencyId);
      m.move.clearBehind = r.behindSince;
      m.audits.push(audit(r.agencyId, 'pace.on-track', r));
    }
    for (const r of outcome.staleRequested) {
      const m = moveOf(r.agencyId);
      m.move.staleRequestedOn = r.date;
      m.audits.push(audit(r.agencyId, 'pace.stale-requested', r));
    }
    result.published = outcome.requests;
    result.notes = outcome.notes;
    result.pace = {
      agencies: outcome.paces.length,
      startBehind: outcome.startBehind.length,
      clearBehind: outcome.clearBehind.length,
      staleRequested: outcome.staleRequested.length,
    };
    await publishAndRecord(deps, result, at, { assessmentId: id, moves });
    return result;
  }
  const outcome = milestoneNotifications(input, invocation);
  result.published = outcome.requests;
  result.notes = outcome.notes;
  await publishAndRecord(deps, result, at);
  return result;
};

/** An agency's pace move and its audit entries (one per part). */
type AgencyMove = { move: PaceMove; audits: AuditEntry[] };

/**
 * Records the requests nobody can receive as failed, and publishes the others. An agency's
 * request goes into the same transaction as its pace move (`movePace`), so the record never moves
 * without its email queued (nor the reverse); every other request is written to the outbox alone,
 * which is the whole change. A move refused because another run made it first still queues its
 * request alone: the notifier's claim sends it once.
 */
const publishAndRecord = async (
  deps: RunMilestoneDeps,
  result: RunMilestoneResult,
  at: string,
  paceMoves?: { assessmentId: string; moves: ReadonlyMap<string, AgencyMove> },
) => {
  // Without pace moves (a milestone's reminders) every request is written alone.
  const { assessmentId, moves } = paceMoves ?? { assessmentId: '', moves: new Map<string, AgencyMove>() };
  // The secretariat's notifications go out even without an address: its LINE group may receive
  // them, and the notifier records the email failed ("no recipient configured") as this would.
  const nobody = result.published.filter((r) => r.to.length === 0 && r.audience !== 'secretariat');
  result.published = result.published.filter((r) => r.to.length > 0 || r.audience === 'secretariat');
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
  const requested = (request: NotificationRequest): NotificationRequested => ({
    type: 'NotificationRequested',
    version: 1,
    at,
    request,
  });
  const alone: NotificationRequested[] = [];
  const withMove = new Map<string, NotificationRequested[]>();
  for (const request of result.published) {
    // An agency's request (kind `behind`, subject the agency) is what its pace move announces.
    if (request.kind === 'behind' && moves.has(request.subject))
      withMove.set(request.subject, [...(withMove.get(request.subject) ?? []), requested(request)]);
    else alone.push(requested(request));
  }
  await runAll(
    [...moves].map(([agencyId, { move, audits }]) => async () => {
      const events = withMove.get(agencyId) ?? [];
      const moved = await deps.notifications.movePace(assessmentId, move, audits, events);
      if (!moved) alone.push(...events);
    }),
  );
  if (alone.length) await deps.publisher.publish(alone);
};
