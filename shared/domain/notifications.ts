import * as z from 'zod';
import { oitDone } from './agency.ts';
import {
  type AgencySummary,
  type Assessment,
  DateWindow,
  Email,
  type ImprovementTask,
  IsoDate,
  type Milestone,
  Slug,
} from './model.ts';
import {
  type AgencyPace,
  agencyPace,
  isBehindFinding,
  openForMilestone,
  PaceFinding,
  PaceSettings,
  PaceState,
  tasksOf,
} from './pace.ts';
import type { MilestoneInvocation } from './schedule-plan.ts';
import { daysBetween } from './thai-date.ts';

/**
 * Who hears what, when: the rules that turn a schedule firing (a milestone trigger or the daily
 * pace check) into notification requests. Pure: the milestone function reads the overview, calls
 * these, and publishes what they return.
 */

// ---------------------------------------------------------------- settings (per assessment)

/** The escalation ladder: the coordinator always; the head, then the secretariat, in copy. */
export const EscalationLadder = z.strictObject({
  headAfterDaysBehind: z.number().int().min(0).default(7),
  headWhenOverdue: z.boolean().default(true),
  secretariatAfterDaysOverdue: z.number().int().min(0).default(7),
});
export type EscalationLadder = z.infer<typeof EscalationLadder>;

export const NotificationSettings = z.strictObject({
  /** The provincial secretariat (provincial office, committee, secretariat milestones; weekly summary). */
  secretariatEmail: Email.optional(),
  /** The governor or delegate who approves OIT answers in ITAS. */
  approverEmail: Email.optional(),
  escalation: EscalationLadder.prefault({}),
  pace: PaceSettings.prefault({}),
  /** While an agency stays behind, its behind email repeats every this many days (1 = every check). */
  behindReminderEveryDays: z.number().int().min(1).default(7),
});
export type NotificationSettings = z.infer<typeof NotificationSettings>;

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = NotificationSettings.parse({});

/** The per-agency state the pace check keeps between runs: since when it has been behind. */
export const PaceRecord = z.strictObject({ agencyId: Slug, behindSince: IsoDate });
export type PaceRecord = z.infer<typeof PaceRecord>;

// ---------------------------------------------------------------- email facts

const MilestoneRef = z.strictObject({ number: z.number().int(), title: z.string(), window: DateWindow });
const Stage = z.enum(['due-soon', 'due', 'overdue']);

export const WeeklyRow = z.strictObject({
  agencyId: Slug,
  agencyName: z.string(),
  oit: z.strictObject({ done: z.number().int(), assigned: z.number().int() }),
  iit: z.strictObject({ responses: z.number().int(), required: z.number().int() }),
  eit: z.strictObject({ responses: z.number().int(), required: z.number().int() }),
  tasks: z.strictObject({ open: z.number().int(), overdue: z.number().int() }),
  state: PaceState,
});
export type WeeklyRow = z.infer<typeof WeeklyRow>;

/** Everything an email states, computed by the rules; the templates only format it. */
export const EmailFacts = z.discriminatedUnion('template', [
  z.strictObject({
    template: z.literal('kickoff'),
    unitName: z.string(),
    milestone: MilestoneRef,
    audienceName: z.string(),
    agencyId: Slug.optional(),
  }),
  z.strictObject({
    template: z.literal('deadline'),
    stage: Stage,
    /** Days from the send date to the deadline; negative once past. */
    daysLeft: z.number().int(),
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
    lines: z.array(PaceFinding).min(1),
    daysBehind: z.number().int().min(0),
    daysOverdue: z.number().int().min(0),
    escalation: z.number().int().min(0).max(2),
  }),
  z.strictObject({
    template: z.literal('approval'),
    stage: Stage,
    daysLeft: z.number().int(),
    asOf: IsoDate,
    unitName: z.string(),
    milestone: MilestoneRef,
    pending: z.number().int().min(0),
    agencies: z.array(z.strictObject({ agencyName: z.string(), pending: z.number().int().min(1) })),
  }),
  z.strictObject({
    template: z.literal('weekly'),
    asOf: IsoDate,
    unitName: z.string(),
    rows: z.array(WeeklyRow),
  }),
]);
export type EmailFacts = z.infer<typeof EmailFacts>;

// ---------------------------------------------------------------- the request

/** `province` as the subject: the notification is about the whole assessment, not one agency. */
export const PROVINCE_SUBJECT = 'province';

export const NotificationKind = z
  .string()
  .max(40)
  .regex(/^[a-z0-9-]+$/);

export const NotificationRequest = z.strictObject({
  assessmentId: Slug,
  /** The agency it is about, or `province`. */
  subject: Slug,
  /** e.g. `m07-due-soon-7`, `m05-start`, `behind`, `weekly-summary`. */
  kind: NotificationKind,
  /** The local (Asia/Bangkok) date it is for: with subject and kind, what makes it unique. */
  localDate: IsoDate,
  to: z.array(Email).min(1),
  cc: z.array(Email),
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
  id: z.string().min(1),
  assessmentId: Slug,
  status: NotificationStatus,
  request: NotificationRequest,
  attempts: z.number().int().min(1),
  claimedAt: z.iso.datetime({ offset: true }),
  sentAt: z.iso.datetime({ offset: true }).optional(),
  messageId: z.string().optional(),
  failedAt: z.iso.datetime({ offset: true }).optional(),
  error: z.string().optional(),
  /** A failure worth retrying automatically (throttling, 5xx) rather than one a person must fix. */
  retryable: z.boolean().optional(),
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
};

export type RuleOutcome = { requests: NotificationRequest[]; notes: string[] };

const milestoneRef = (m: Milestone) => ({ number: m.number, title: m.title, window: m.window });
const mm = (n: number) => `m${String(n).padStart(2, '0')}`;

/** The kind of a milestone trigger's notification, e.g. `m07-due-soon-7`. */
export const milestoneKind = (invocation: MilestoneInvocation): string =>
  invocation.trigger === 'pace-check'
    ? 'pace-check'
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
  const address = toSecretariat ? settings.secretariatEmail : settings.approverEmail;
  if (!address)
    return {
      requests: [],
      notes: [`${kind}: no ${toSecretariat ? 'secretariat' : 'approver'} address configured`],
    };
  return {
    requests: [
      {
        ...base,
        subject: PROVINCE_SUBJECT,
        to: [address],
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
    if (!settings.approverEmail) return { requests: [], notes: [`${kind}: no approver address configured`] };
    return {
      requests: [
        {
          assessmentId: assessment.id,
          subject: PROVINCE_SUBJECT,
          kind,
          localDate: date,
          to: [settings.approverEmail],
          cc: stage === 'overdue' && settings.secretariatEmail ? [settings.secretariatEmail] : [],
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
  if (invocation.trigger === 'pace-check') throw new RangeError('use paceCheck for the pace check');
  const milestone = input.milestones.find((m) => m.number === invocation.milestone);
  const kind = milestoneKind(invocation);
  if (!milestone)
    return { requests: [], notes: [`${kind}: milestone ${invocation.milestone} is no longer in the plan`] };
  if (invocation.trigger === 'start') return kickoff(input, milestone, kind);
  return deadline(input, milestone, invocation.trigger, kind);
};

/** The ladder's rung: 0 the coordinator, 1 the head in copy, 2 the secretariat in copy too. */
export const escalationLevel = (
  ladder: EscalationLadder,
  daysBehind: number,
  daysOverdue: number,
): 0 | 1 | 2 => {
  if (daysOverdue > 0 && daysOverdue >= ladder.secretariatAfterDaysOverdue) return 2;
  if ((daysOverdue > 0 && ladder.headWhenOverdue) || daysBehind >= ladder.headAfterDaysBehind) return 1;
  return 0;
};

export type PaceCheckOutcome = RuleOutcome & {
  paces: AgencyPace[];
  /** Agencies newly behind (start their record) and agencies back on track (clear it). */
  startBehind: PaceRecord[];
  clearBehind: PaceRecord[];
};

const isMonday = (date: IsoDate) => new Date(`${date}T00:00:00Z`).getUTCDay() === 1;

export const weeklyRow = (summary: AgencySummary, tasks: ImprovementTask[], pace: AgencyPace): WeeklyRow => {
  const own = tasksOf(summary.agency.id, tasks).filter(
    (t) => t.status !== 'done' && t.status !== 'cancelled',
  );
  return {
    agencyId: summary.agency.id,
    agencyName: summary.agency.nameTh,
    oit: { done: oitDone(summary), assigned: summary.oit.assigned },
    iit: { responses: summary.surveys.iit.responses, required: summary.surveys.iit.required },
    eit: { responses: summary.surveys.eit.responses, required: summary.surveys.eit.required },
    tasks: { open: own.length, overdue: pace.findings.filter((f) => f.what === 'task-overdue').length },
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
  const outcome: PaceCheckOutcome = { requests: [], notes: [], paces: [], startBehind: [], clearBehind: [] };
  for (const summary of agencies) {
    const agencyId = summary.agency.id;
    const pace = agencyPace(summary, input.milestones, input.tasks, date, settings.pace);
    outcome.paces.push(pace);
    const behind = pace.findings.some(isBehindFinding);
    const record = recordOf.get(agencyId);
    if (behind && !record) outcome.startBehind.push({ agencyId, behindSince: date });
    if (!behind && record) outcome.clearBehind.push(record);
    const behindSince = behind ? (record?.behindSince ?? date) : undefined;
    const daysBehind = behindSince ? daysBetween(behindSince, date) : 0;
    const level = behind ? escalationLevel(settings.escalation, daysBehind, pace.daysOverdue) : 0;
    // The previous check ran on the previous weekday: a rung reached over the weekend counts on Monday.
    const gap = isMonday(date) ? 3 : 1;
    const before = behind
      ? escalationLevel(
          settings.escalation,
          Math.max(0, daysBehind - gap),
          Math.max(0, pace.daysOverdue - gap),
        )
      : 0;
    const stale = pace.findings.filter((f) => f.what === 'survey-stale');
    const due = behind
      ? daysBehind % every === 0 || level > before
      : stale.some((f) => f.what === 'survey-stale' && (f.days - settings.pace.staleDays) % every === 0);
    if (!due || pace.findings.length === 0) continue;
    const cc = [
      ...(level >= 1 ? [summary.agency.head.email] : []),
      ...(level >= 2 && settings.secretariatEmail ? [settings.secretariatEmail] : []),
    ];
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
  if (isMonday(date)) {
    if (settings.secretariatEmail) {
      outcome.requests.push({
        assessmentId: assessment.id,
        subject: PROVINCE_SUBJECT,
        kind: 'weekly-summary',
        localDate: date,
        to: [settings.secretariatEmail],
        cc: [],
        email: {
          template: 'weekly',
          asOf: date,
          unitName: assessment.unitName,
          rows: agencies.map((s, i) => weeklyRow(s, input.tasks, outcome.paces[i]!)),
        },
      });
    } else outcome.notes.push('weekly-summary: no secretariat address configured');
  }
  return outcome;
};

// ---------------------------------------------------------------- the mail port

export type OutgoingMail = { to: string[]; cc: string[]; subject: string; html: string; text: string };

/** The port the notifier sends through: SES v2 (or aws-ses-v2-local, by endpoint). */
export type Mailer = { send: (mail: OutgoingMail) => Promise<{ messageId: string }> };

/** A send that failed for good; `retryable` when waiting could help (throttling, 5xx). */
export class MailError extends Error {
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean) {
    super(message);
    this.name = 'MailError';
    this.retryable = retryable;
  }
}
