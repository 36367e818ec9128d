import * as z from 'zod/mini';
import { oitDone } from './agency.ts';
import type { ImprovementTask } from './improvement.ts';
import { DeadLinkRow } from './link-list.ts';
import { LinkDeadFacts } from './link-notice.ts';
import type { AgencySummary, Assessment, Milestone } from './model.ts';
import type {
  BehindRecord,
  EscalationLadder,
  NotificationSettings,
  PaceRecord,
} from './notification-settings.ts';
import {
  type AgencyPace,
  agencyPace,
  isBehindFinding,
  isOverdueFinding,
  openForMilestone,
  PaceFinding,
  PaceState,
} from './pace.ts';
import { DateWindow, Email, IsoDate, Slug } from './primitives.ts';
import type { MilestoneInvocation } from './schedule-plan.ts';
import { daysBetween } from './thai-date.ts';

/**
 * Who hears what, when: the rules that turn a schedule firing (a milestone trigger or the daily
 * pace check) into notification requests. Pure: the milestone function reads the overview, calls
 * these, and publishes what they return.
 */

// ---------------------------------------------------------------- pace records

/** Days between two update requests for a stale survey count. */
export const STALE_REQUEST_EVERY_DAYS = 7;

// ---------------------------------------------------------------- email facts

const MilestoneRef = z.strictObject({
  number: z.number().check(z.int()),
  title: z.string(),
  window: DateWindow,
});
const Stage = z.enum(['due-soon', 'due', 'overdue']);

export const WeeklyRow = z.strictObject({
  agencyId: Slug,
  agencyName: z.string(),
  oit: z.strictObject({ done: z.number().check(z.int()), assigned: z.number().check(z.int()) }),
  iit: z.strictObject({ responses: z.number().check(z.int()), required: z.number().check(z.int()) }),
  eit: z.strictObject({ responses: z.number().check(z.int()), required: z.number().check(z.int()) }),
  tasks: z.strictObject({ open: z.number().check(z.int()), overdue: z.number().check(z.int()) }),
  state: PaceState,
});
export type WeeklyRow = z.infer<typeof WeeklyRow>;

/**
 * The weekly list of dead evidence links (issue 14): `total` is the agencies' exact dead counts
 * summed; `rows` lists them by agency, at most {@link WEEKLY_DEAD_LINKS_LISTED} (the request
 * travels as one event, and a province's worst week must stay far below EventBridge's 256 KB).
 */
export const WeeklyDeadLinks = z.strictObject({
  total: z.number().check(z.int(), z.gte(0)),
  rows: z.array(DeadLinkRow),
});
export type WeeklyDeadLinks = z.infer<typeof WeeklyDeadLinks>;
export const WEEKLY_DEAD_LINKS_LISTED = 200;

/** Everything an email states, computed by the rules; the templates only format it. */
export const EmailFacts = z.discriminatedUnion('template', [
  z.strictObject({
    template: z.literal('kickoff'),
    unitName: z.string(),
    milestone: MilestoneRef,
    audienceName: z.string(),
    agencyId: z.optional(Slug),
  }),
  z.strictObject({
    template: z.literal('deadline'),
    stage: Stage,
    /** Days from the send date to the deadline; negative once past. */
    daysLeft: z.number().check(z.int()),
    asOf: IsoDate,
    unitName: z.string(),
    milestone: MilestoneRef,
    agencyId: Slug,
    agencyName: z.string(),
    lines: z.array(PaceFinding),
  }),
  z.strictObject({
    template: z.literal('behind'),
    asOf: IsoDate,
    unitName: z.string(),
    agencyId: Slug,
    agencyName: z.string(),
    lines: z.array(PaceFinding).check(z.minLength(1)),
    daysBehind: z.number().check(z.int(), z.gte(0)),
    daysOverdue: z.number().check(z.int(), z.gte(0)),
    escalation: z.number().check(z.int(), z.gte(0), z.lte(2)),
  }),
  z.strictObject({
    template: z.literal('approval'),
    stage: Stage,
    daysLeft: z.number().check(z.int()),
    asOf: IsoDate,
    unitName: z.string(),
    milestone: MilestoneRef,
    pending: z.number().check(z.int(), z.gte(0)),
    agencies: z.array(
      z.strictObject({ agencyName: z.string(), pending: z.number().check(z.int(), z.gte(1)) }),
    ),
  }),
  z.strictObject({
    template: z.literal('weekly'),
    asOf: IsoDate,
    unitName: z.string(),
    rows: z.array(WeeklyRow),
    deadLinks: z.optional(WeeklyDeadLinks),
  }),
  LinkDeadFacts,
]);
export type EmailFacts = z.infer<typeof EmailFacts>;

// ---------------------------------------------------------------- the request

/** The roles whose addresses come from the settings rather than from an agency's contacts. */
export const Audience = z.enum(['secretariat', 'approver']);
export type Audience = z.infer<typeof Audience>;

/** The error a notification with nobody to send it to is recorded failed with. */
export const NO_RECIPIENT = 'no recipient configured';

/** `province` as the subject: the notification is about the whole assessment, not one agency. */
export const PROVINCE_SUBJECT = 'province';

export const NotificationKind = z.string().check(z.maxLength(40), z.regex(/^[a-z0-9-]+$/));

export const NotificationRequest = z.strictObject({
  assessmentId: Slug,
  /** The agency it is about, or `province`. */
  subject: Slug,
  /** e.g. `m07-due-soon-7`, `m05-start`, `behind`, `weekly-summary`. */
  kind: NotificationKind,
  /** The local (Asia/Bangkok) date it is for: with subject and kind, what makes it unique. */
  localDate: IsoDate,
  /** Empty only for a role nobody is configured for: recorded as failed, never sent. */
  to: z.array(Email),
  cc: z.array(Email),
  /** Set when `to` is a role's addresses: a resend fills in the addresses configured since. */
  audience: z.optional(Audience),
  email: EmailFacts,
});
export type NotificationRequest = z.infer<typeof NotificationRequest>;

/** The id of a notification: one email per (assessment, subject, kind, local date). URL-safe. */
export const notificationId = (r: Pick<NotificationRequest, 'subject' | 'kind' | 'localDate'>): string =>
  `${r.localDate}_${r.subject}_${r.kind}`;

export const NotificationStatus = z.enum(['sending', 'sent', 'failed', 'resend']);
export type NotificationStatus = z.infer<typeof NotificationStatus>;

/** The stored record of one notification: the request, and what became of it. */
export const NotificationRecord = z.strictObject({
  id: z.string().check(z.minLength(1)),
  assessmentId: Slug,
  status: NotificationStatus,
  request: NotificationRequest,
  attempts: z.number().check(z.int(), z.gte(1)),
  claimedAt: z.iso.datetime({ offset: true }),
  sentAt: z.optional(z.iso.datetime({ offset: true })),
  messageId: z.optional(z.string()),
  failedAt: z.optional(z.iso.datetime({ offset: true })),
  error: z.optional(z.string()),
  /** A failure worth retrying automatically (throttling, 5xx) rather than one a person must fix. */
  retryable: z.optional(z.boolean()),
  /** The delivery's channel (`line.ts`); absent on email records, which are the notification's own id. */
  channel: z.optional(z.enum(['email', 'line'])),
  /** A LINE delivery's group. */
  groupId: z.optional(z.string()),
});
export type NotificationRecord = z.infer<typeof NotificationRecord>;

// ---------------------------------------------------------------- rules

export type RuleInput = {
  assessment: Assessment;
  milestones: Milestone[];
  tasks: ImprovementTask[];
  agencies: AgencySummary[];
  settings: NotificationSettings;
  date: IsoDate;
  /** The dead evidence links for Monday's weekly summary, when the caller read them. */
  deadLinks?: WeeklyDeadLinks;
};

export type RuleOutcome = { requests: NotificationRequest[]; notes: string[] };

const milestoneRef = (m: Milestone) => ({ number: m.number, title: m.title, window: m.window });
const mm = (n: number) => `m${String(n).padStart(2, '0')}`;

/** The kind of a milestone trigger's notification, e.g. `m07-due-soon-7`. */
export const milestoneKind = (invocation: MilestoneInvocation): string =>
  invocation.trigger === 'pace-check' || invocation.trigger === 'link-check'
    ? invocation.trigger
    : `${mm(invocation.milestone)}-${invocation.trigger}${invocation.trigger === 'due-soon' ? `-${invocation.days}` : ''}`;

const byAgencyName = (a: AgencySummary, b: AgencySummary) => a.agency.id.localeCompare(b.agency.id);

/** Kick-off at a window's start, to whoever the milestone names as responsible. */
const kickoff = (input: RuleInput, milestone: Milestone, kind: string): RuleOutcome => {
  const { assessment, settings, date } = input;
  const base = { assessmentId: assessment.id, kind, localDate: date, cc: [] };
  const facts = (audienceName: string, agencyId?: string) => ({
    template: 'kickoff' as const,
    unitName: assessment.unitName,
    milestone: milestoneRef(milestone),
    audienceName,
    ...(agencyId ? { agencyId } : {}),
  });
  const role = milestone.responsible.role;
  if (role === 'all_agencies') {
    return {
      requests: [...input.agencies].sort(byAgencyName).map((a) => ({
        ...base,
        subject: a.agency.id,
        to: [a.agency.coordinator.email],
        email: facts(a.agency.nameTh, a.agency.id),
      })),
      notes: [],
    };
  }
  if (role === 'nacc') {
    return { requests: [], notes: [`${kind}: step ${milestone.number} is NACC's own; nobody is notified`] };
  }
  const toSecretariat = role !== 'governor';
  return {
    requests: [
      {
        ...base,
        subject: PROVINCE_SUBJECT,
        to: toSecretariat ? settings.secretariatEmails : settings.approverEmails,
        audience: toSecretariat ? 'secretariat' : 'approver',
        email: facts(
          toSecretariat ? 'ฝ่ายเลขานุการคณะกรรมการขับเคลื่อนการประเมิน ITA' : 'ผู้ว่าราชการจังหวัดหรือผู้ที่ได้รับมอบหมาย',
        ),
      },
    ],
    notes: [],
  };
};

/** Due-soon, due and overdue: only to agencies with something still open; overdue copies the head. */
const deadline = (
  input: RuleInput,
  milestone: Milestone,
  stage: z.infer<typeof Stage>,
  kind: string,
): RuleOutcome => {
  const { assessment, settings, date } = input;
  const daysLeft = daysBetween(date, milestone.window.end);
  if (milestone.tracks === 'oit_approval') {
    const waiting = [...input.agencies]
      .sort(byAgencyName)
      .filter((a) => a.oit.submitted > 0)
      .map((a) => ({ agencyName: a.agency.nameTh, pending: a.oit.submitted }));
    const pending = waiting.reduce((sum, a) => sum + a.pending, 0);
    if (pending === 0) return { requests: [], notes: [`${kind}: nothing waits for approval`] };
    return {
      requests: [
        {
          assessmentId: assessment.id,
          subject: PROVINCE_SUBJECT,
          kind,
          localDate: date,
          to: settings.approverEmails,
          cc: stage === 'overdue' ? settings.secretariatEmails : [],
          audience: 'approver',
          email: {
            template: 'approval',
            stage,
            daysLeft,
            asOf: date,
            unitName: assessment.unitName,
            milestone: milestoneRef(milestone),
            pending,
            agencies: waiting,
          },
        },
      ],
      notes: [],
    };
  }
  const requests = [...input.agencies].sort(byAgencyName).flatMap((a): NotificationRequest[] => {
    const lines = openForMilestone(a, milestone);
    if (lines.length === 0) return [];
    const copyHead = stage === 'overdue' && settings.escalation.headWhenOverdue;
    return [
      {
        assessmentId: assessment.id,
        subject: a.agency.id,
        kind,
        localDate: date,
        to: [a.agency.coordinator.email],
        cc: copyHead ? [a.agency.head.email] : [],
        email: {
          template: 'deadline',
          stage,
          daysLeft,
          asOf: date,
          unitName: assessment.unitName,
          milestone: milestoneRef(milestone),
          agencyId: a.agency.id,
          agencyName: a.agency.nameTh,
          lines,
        },
      },
    ];
  });
  return { requests, notes: requests.length ? [] : [`${kind}: every agency is complete`] };
};

/** What a milestone trigger (not the pace check) sends. */
export const milestoneNotifications = (input: RuleInput, invocation: MilestoneInvocation): RuleOutcome => {
  if (invocation.trigger === 'pace-check' || invocation.trigger === 'link-check')
    throw new RangeError(`${invocation.trigger} is not a milestone trigger`);
  const milestone = input.milestones.find((m) => m.number === invocation.milestone);
  const kind = milestoneKind(invocation);
  if (!milestone)
    return { requests: [], notes: [`${kind}: milestone ${invocation.milestone} is no longer in the plan`] };
  if (invocation.trigger === 'start') return kickoff(input, milestone, kind);
  return deadline(input, milestone, invocation.trigger, kind);
};

/**
 * The ladder's rung: 0 the coordinator, 1 the head in copy, 2 the secretariat in copy too.
 * `daysOverdue` is null when nothing is overdue, else the whole days since the first overdue day
 * (0 on that day, see `agencyPace`), so "after 7 days overdue" is the eighth day past the deadline.
 */
export const escalationLevel = (
  ladder: EscalationLadder,
  daysBehind: number,
  daysOverdue: number | null,
): 0 | 1 | 2 => {
  if (daysOverdue !== null && daysOverdue >= ladder.secretariatAfterDaysOverdue) return 2;
  if ((daysOverdue !== null && ladder.headWhenOverdue) || daysBehind >= ladder.headAfterDaysBehind) return 1;
  return 0;
};

export type PaceCheckOutcome = RuleOutcome & {
  paces: AgencyPace[];
  /** Agencies newly behind (start their record) and agencies back on track (clear it). */
  startBehind: BehindRecord[];
  clearBehind: BehindRecord[];
  /** Agencies asked today to update a stale survey count (remembered for the 7-day rhythm). */
  staleRequested: { agencyId: string; date: IsoDate }[];
};

export const isMonday = (date: IsoDate) => new Date(`${date}T00:00:00Z`).getUTCDay() === 1;

/** One agency's line of the weekly summary; open tasks are the summary's exact `openTasks`. */
export const weeklyRow = (summary: AgencySummary, pace: AgencyPace): WeeklyRow => {
  return {
    agencyId: summary.agency.id,
    agencyName: summary.agency.nameTh,
    oit: { done: oitDone(summary), assigned: summary.oit.assigned },
    iit: { responses: summary.surveys.iit.responses, required: summary.surveys.iit.required },
    eit: { responses: summary.surveys.eit.responses, required: summary.surveys.eit.required },
    tasks: {
      open: summary.openTasks,
      overdue: pace.findings.filter((f) => f.what === 'task-overdue').length,
    },
    state: pace.state,
  };
};

/**
 * The daily (weekday) pace check. Per agency: its pace, its "behind since" record kept up to date,
 * and at most one behind email combining everything behind — on the first day behind, then every
 * `behindReminderEveryDays`, and whenever the ladder climbs a rung. A count not updated for
 * `staleDays` asks for an update in the same email. On Monday, the weekly summary to the secretariat.
 */
export const paceCheck = (input: RuleInput, records: PaceRecord[]): PaceCheckOutcome => {
  const { assessment, settings, date } = input;
  const recordOf = new Map(records.map((r) => [r.agencyId, r]));
  const agencies = [...input.agencies].sort(byAgencyName);
  const every = settings.behindReminderEveryDays;
  const outcome: PaceCheckOutcome = {
    requests: [],
    notes: [],
    paces: [],
    startBehind: [],
    clearBehind: [],
    staleRequested: [],
  };
  for (const summary of agencies) {
    const agencyId = summary.agency.id;
    const pace = agencyPace(summary, input.milestones, input.tasks, date, settings.pace);
    outcome.paces.push(pace);
    const behind = pace.findings.some(isBehindFinding);
    const record = recordOf.get(agencyId);
    if (behind && !record?.behindSince) outcome.startBehind.push({ agencyId, behindSince: date });
    if (!behind && record?.behindSince)
      outcome.clearBehind.push({ agencyId, behindSince: record.behindSince });
    const behindSince = behind ? (record?.behindSince ?? date) : undefined;
    const daysBehind = behindSince ? daysBetween(behindSince, date) : 0;
    const overdue = pace.findings.some(isOverdueFinding);
    const daysOverdue = overdue ? pace.daysOverdue : null;
    const level = behind ? escalationLevel(settings.escalation, daysBehind, daysOverdue) : 0;
    // The previous check ran on the previous weekday: a rung reached over the weekend counts on Monday.
    const gap = isMonday(date) ? 3 : 1;
    const overdueBefore = daysOverdue !== null && daysOverdue - gap >= 0 ? daysOverdue - gap : null;
    const before = behind
      ? escalationLevel(settings.escalation, Math.max(0, daysBehind - gap), overdueBefore)
      : 0;
    // State, not arithmetic on the count's age: the check runs on weekdays only, so "every 7 days
    // after day 14" would never land for a count last reported on a weekend. The first check that
    // finds the count stale asks; the next request waits until 7 days after the last one. A retry
    // on the day of the request asks again (the notifier's claim sends it once).
    const stale = pace.findings.some((f) => f.what === 'survey-stale');
    const lastAsked = record?.staleRequestedOn;
    const staleDue =
      stale && (!lastAsked || lastAsked === date || daysBetween(lastAsked, date) >= STALE_REQUEST_EVERY_DAYS);
    const behindDue = behind && (daysBehind % every === 0 || level > before);
    if (!(behindDue || staleDue) || pace.findings.length === 0) continue;
    if (stale && lastAsked !== date) outcome.staleRequested.push({ agencyId, date });
    const cc = [
      ...(level >= 1 ? [summary.agency.head.email] : []),
      ...(level >= 2 ? settings.secretariatEmails : []),
    ];
    if (level >= 2 && settings.secretariatEmails.length === 0)
      outcome.notes.push(`behind ${agencyId}: no secretariat address to copy`);
    outcome.requests.push({
      assessmentId: assessment.id,
      subject: agencyId,
      kind: 'behind',
      localDate: date,
      to: [summary.agency.coordinator.email],
      cc,
      email: {
        template: 'behind',
        asOf: date,
        unitName: assessment.unitName,
        agencyId,
        agencyName: summary.agency.nameTh,
        lines: pace.findings,
        daysBehind,
        daysOverdue: pace.daysOverdue,
        escalation: level,
      },
    });
  }
  if (isMonday(date)) outcome.requests.push(weeklySummary(input, outcome.paces));
  return outcome;
};

/**
 * Monday's summary to the secretariat: every agency's line and the week's dead evidence links.
 * Its id (`<Monday>_province_weekly-summary`) names the ISO week, so the notifier's claim sends it
 * once a week however often the check runs that Monday. `paces` as `paceCheck` computed them
 * (computed here when the summary goes out alone).
 */
export const weeklySummary = (input: RuleInput, paces?: AgencyPace[]): NotificationRequest => {
  const { assessment, settings, date } = input;
  const agencies = [...input.agencies].sort(byAgencyName);
  const paceOf = (s: AgencySummary, i: number) =>
    paces?.[i] ?? agencyPace(s, input.milestones, input.tasks, date, settings.pace);
  return {
    assessmentId: assessment.id,
    subject: PROVINCE_SUBJECT,
    kind: 'weekly-summary',
    localDate: date,
    to: settings.secretariatEmails,
    cc: [],
    audience: 'secretariat',
    email: {
      template: 'weekly',
      asOf: date,
      unitName: assessment.unitName,
      rows: agencies.map((s, i) => weeklyRow(s, paceOf(s, i))),
      ...(input.deadLinks ? { deadLinks: input.deadLinks } : {}),
    },
  };
};

/** The week's dead links as the summary carries them: the exact total, the first rows listed. */
export const weeklyDeadLinks = (agencies: readonly AgencySummary[], rows: readonly DeadLinkRow[]) => ({
  total: agencies.reduce((sum, a) => sum + (a.deadLinks ?? 0), 0),
  rows: rows.slice(0, WEEKLY_DEAD_LINKS_LISTED),
});
