import * as z from 'zod/mini';
import type { ImprovementTask } from './improvement.ts';
import { linkWatchWindow } from './link-check-plan.ts';
import type { DateWindow, IsoDate, Milestone } from './model.ts';
import { DEFAULT_SCHEDULE_SETTINGS, type ScheduleSettings } from './notification-settings.ts';
import { Slug } from './primitives.ts';
import { addDays, daysBetween } from './thai-date.ts';

/**
 * The schedules an assessment's plan asks for, computed from the plan alone, and the diff that
 * brings a schedule group in line with them. Pure: the sync use case lists what exists through
 * the {@link SchedulePort} and applies the diff.
 */

/** What a schedule sends the milestone function. */
export const MilestoneInvocation = z.discriminatedUnion('trigger', [
  z.strictObject({ assessmentId: Slug, trigger: z.literal('pace-check') }),
  /** The daily evidence link check (issue 14): the milestone function asks for the plan step. */
  z.strictObject({ assessmentId: Slug, trigger: z.literal('link-check') }),
  z.strictObject({
    assessmentId: Slug,
    milestone: z.number().check(z.int(), z.gte(1), z.lte(99)),
    trigger: z.enum(['start', 'due', 'overdue']),
  }),
  z.strictObject({
    assessmentId: Slug,
    milestone: z.number().check(z.int(), z.gte(1), z.lte(99)),
    trigger: z.literal('due-soon'),
    days: z.number().check(z.int(), z.gte(1), z.lte(366)),
  }),
]);
export type MilestoneInvocation = z.infer<typeof MilestoneInvocation>;

export const SCHEDULE_TIMEZONE = 'Asia/Bangkok';

/** A schedule as the port stores it: name, when, and the payload. Dates are UTC ISO instants. */
export type ScheduleDefinition = {
  name: string;
  /** `at(yyyy-mm-ddThh:mm:ss)` (one time) or `cron(...)` (recurring), in {@link SCHEDULE_TIMEZONE}. */
  expression: string;
  timezone: string;
  startDate?: string;
  endDate?: string;
  input: MilestoneInvocation;
};

/** The port to a schedule store: EventBridge Scheduler, or the local scheduler. */
export type SchedulePort = {
  /** Every schedule in the group whose name starts with `prefix`, all pages. */
  list: (prefix: string) => Promise<ScheduleDefinition[]>;
  create: (definition: ScheduleDefinition) => Promise<void>;
  update: (definition: ScheduleDefinition) => Promise<void>;
  delete: (name: string) => Promise<void>;
};

// ---------------------------------------------------------------- names

const MAX_NAME = 64;
/** Longest suffix: `-m99-due-soon-366`. */
const LONGEST_SUFFIX = 17;

/** FNV-1a, 32 bits, as 8 hex digits: a short stable tag for ids too long to use whole. */
const fnv1a = (text: string): string => {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
};

/**
 * The name prefix of an assessment's schedules. Scheduler names are at most 64 characters of
 * `[0-9a-zA-Z-_.]`; slugs already fit the alphabet, and an id too long to leave room for the
 * suffix is cut and tagged with its hash so two long ids never share a prefix.
 */
export const schedulePrefix = (assessmentId: string): string => {
  const room = MAX_NAME - LONGEST_SUFFIX;
  if (assessmentId.length <= room) return assessmentId;
  return `${assessmentId.slice(0, room - 9)}.${fnv1a(assessmentId)}`;
};

const suffixOf = (input: MilestoneInvocation): string => {
  if (input.trigger === 'pace-check' || input.trigger === 'link-check') return input.trigger;
  const m = `m${String(input.milestone).padStart(2, '0')}`;
  return input.trigger === 'due-soon' ? `${m}-due-soon-${input.days}` : `${m}-${input.trigger}`;
};

export const scheduleName = (input: MilestoneInvocation): string =>
  `${schedulePrefix(input.assessmentId)}-${suffixOf(input)}`;

/**
 * Whether a listed name is one of this assessment's: `NamePrefix` of `a-` also lists assessment
 * `a-b`'s schedules, which must never be deleted as stale.
 */
export const isOwnScheduleName = (assessmentId: string, name: string): boolean => {
  const prefix = `${schedulePrefix(assessmentId)}-`;
  return (
    name.startsWith(prefix) &&
    /^(m\d{2}-(start|due|overdue|due-soon-\d{1,3})|pace-check|link-check)$/.test(name.slice(prefix.length))
  );
};

// ---------------------------------------------------------------- the desired set

/** The UTC instant of a Bangkok wall time (UTC+7 all year, no daylight saving). */
export const bangkokInstant = (date: IsoDate, time: string): Date => {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  return new Date(Date.UTC(y, mo - 1, d, h - 7, mi));
};

const atExpression = (date: IsoDate, time: string) => `at(${date}T${time}:00)`;
const AT = /^at\((\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}):\d{2}\)$/;

/** When a one-time schedule fires, or null for a recurring one. */
export const oneTimeInstant = (definition: Pick<ScheduleDefinition, 'expression'>): Date | null => {
  const match = AT.exec(definition.expression);
  return match ? bangkokInstant(match[1]!, match[2]!) : null;
};

/**
 * Milestones whose progress is measured get deadline reminders; the others only a kick-off. A
 * due-soon or overdue reminder for an informational step (the NACC's own scoring, a committee
 * meeting) would have nobody to remind of anything they could still do.
 */
const hasDeadlines = (m: Milestone) =>
  m.tracks === 'oit_publishing' || m.tracks === 'survey_collection' || m.tracks === 'oit_approval';

const isPaced = (m: Milestone) => m.tracks === 'oit_publishing' || m.tracks === 'survey_collection';

/**
 * The days the weekday pace check is scheduled on: the fiscal year (widened to a tracked window
 * that starts earlier), and `followUpDays` past the last tracked window if that ends later. It
 * depends on the plan's milestones and the fiscal year only, never on improvement tasks: task
 * routes change task windows without re-syncing the schedules, so any task window inside the
 * fiscal year is covered whatever it becomes. On a day with nothing to watch the check does
 * nothing ({@link paceCheckActive}).
 */
export const paceCheckWindow = (
  fiscalYear: DateWindow,
  milestones: Milestone[],
  settings: ScheduleSettings = DEFAULT_SCHEDULE_SETTINGS,
): DateWindow => {
  const tracked = milestones.filter(isPaced).map((m) => m.window);
  const starts = [fiscalYear.start, ...tracked.map((w) => w.start)].sort();
  const ends = [fiscalYear.end, ...tracked.map((w) => addDays(w.end, settings.followUpDays))].sort();
  return { start: starts[0]!, end: ends.at(-1)! };
};

/**
 * Whether the pace check has anything to watch on `date`: a tracked milestone window or an open
 * improvement task's window that has started and ended at most `followUpDays` ago.
 */
export const paceCheckActive = (
  milestones: Milestone[],
  tasks: ImprovementTask[],
  date: IsoDate,
  followUpDays: number,
): boolean =>
  [
    ...milestones.filter(isPaced).map((m) => m.window),
    ...tasks.filter((t) => t.status !== 'done' && t.status !== 'cancelled').map((t) => t.window),
  ].some((w) => w.start <= date && date <= addDays(w.end, followUpDays));

/**
 * Every schedule the plan asks for, past ones included (the diff decides what to do with those):
 * - each milestone: `start` on its first day;
 * - measured milestones: `due-soon-N` N days before the end (when that falls inside the window),
 *   `due` on the end date and `overdue` the day after;
 * - one weekday `pace-check` over {@link paceCheckWindow};
 * - one daily `link-check` over the link watch window (OIT publishing to NACC's appeals, `linkWatchWindow`).
 */
export const desiredSchedules = (
  assessment: { id: string; window: DateWindow },
  milestones: Milestone[],
  settings: ScheduleSettings = DEFAULT_SCHEDULE_SETTINGS,
): ScheduleDefinition[] => {
  const assessmentId = assessment.id;
  const oneTime = (date: IsoDate, input: MilestoneInvocation): ScheduleDefinition => ({
    name: scheduleName(input),
    expression: atExpression(date, settings.time),
    timezone: SCHEDULE_TIMEZONE,
    input,
  });
  const out: ScheduleDefinition[] = [];
  for (const m of [...milestones].sort((a, b) => a.number - b.number)) {
    const base = { assessmentId, milestone: m.number };
    out.push(oneTime(m.window.start, { ...base, trigger: 'start' }));
    if (!hasDeadlines(m)) continue;
    for (const days of [...new Set(settings.dueSoonDays)].sort((a, b) => b - a)) {
      const date = addDays(m.window.end, -days);
      if (date > m.window.start) out.push(oneTime(date, { ...base, trigger: 'due-soon', days }));
    }
    out.push(oneTime(m.window.end, { ...base, trigger: 'due' }));
    out.push(oneTime(addDays(m.window.end, 1), { ...base, trigger: 'overdue' }));
  }
  const window = paceCheckWindow(assessment.window, milestones, settings);
  const [hour, minute] = settings.time.split(':').map(Number) as [number, number];
  const input: MilestoneInvocation = { assessmentId, trigger: 'pace-check' };
  out.push({
    name: scheduleName(input),
    expression: `cron(${minute} ${hour} ? * MON-FRI *)`,
    timezone: SCHEDULE_TIMEZONE,
    startDate: bangkokInstant(window.start, '00:00').toISOString(),
    endDate: bangkokInstant(addDays(window.end, 1), '00:00').toISOString(),
    input,
  });
  const links = linkWatchWindow(assessment.window, milestones);
  if (links) {
    const linkCheck: MilestoneInvocation = { assessmentId, trigger: 'link-check' };
    // Every day, weekends too (a website that dies on Friday is known by Monday), an hour before
    // the reminders so a link found dead is in the day's pages when people start work.
    const linkHour = (hour + 23) % 24;
    out.push({
      name: scheduleName(linkCheck),
      expression: `cron(${minute} ${linkHour} * * ? *)`,
      timezone: SCHEDULE_TIMEZONE,
      startDate: bangkokInstant(links.start, '00:00').toISOString(),
      endDate: bangkokInstant(addDays(links.end, 1), '00:00').toISOString(),
      input: linkCheck,
    });
  }
  return out;
};

/** The Bangkok date of an instant. */
const bangkokDate = (instant: Date): IsoDate =>
  new Date(instant.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);

/**
 * Whether a trigger the milestone function was invoked with is one the current plan asks for
 * today: a schedule left armed by a lost or failed sync (a moved milestone, a changed reminder
 * day) fires on a date the plan no longer names, and must send nothing.
 */
export const triggerMatchesPlan = (
  invocation: MilestoneInvocation,
  desired: ScheduleDefinition[],
  today: IsoDate,
): { ok: true } | { ok: false; reason: string } => {
  const name = scheduleName(invocation);
  const wanted = desired.find((d) => d.name === name);
  if (!wanted) return { ok: false, reason: `${name} is not in the current plan` };
  const at = oneTimeInstant(wanted);
  if (at) {
    const planned = bangkokDate(at);
    return planned === today
      ? { ok: true }
      : { ok: false, reason: `${name} is planned for ${planned}, not ${today}` };
  }
  const from = wanted.startDate ? bangkokDate(new Date(wanted.startDate)) : today;
  // endDate is the midnight after the last day.
  const to = wanted.endDate ? addDays(bangkokDate(new Date(wanted.endDate)), -1) : today;
  return daysBetween(from, today) >= 0 && daysBetween(today, to) >= 0
    ? { ok: true }
    : { ok: false, reason: `${name} runs ${from} to ${to}, not on ${today}` };
};

// ---------------------------------------------------------------- the diff

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );

export const sameSchedule = (a: ScheduleDefinition, b: ScheduleDefinition): boolean =>
  a.expression === b.expression &&
  a.timezone === b.timezone &&
  (a.startDate ?? null) === (b.startDate ?? null) &&
  (a.endDate ?? null) === (b.endDate ?? null) &&
  canonical(a.input) === canonical(b.input);

/** A schedule that can no longer fire: a one-time one whose moment passed, a recurring one past its end. */
export const isSpent = (definition: ScheduleDefinition, now: Date): boolean => {
  const at = oneTimeInstant(definition);
  if (at) return at.getTime() <= now.getTime();
  return definition.endDate !== undefined && Date.parse(definition.endDate) <= now.getTime();
};

export type ScheduleDiff = {
  create: ScheduleDefinition[];
  update: ScheduleDefinition[];
  delete: string[];
};

/**
 * What to change so `existing` matches `desired` at `now`. Spent schedules are neither created nor
 * updated: a fired one-time schedule stays as it is (schedules are kept after completion, see
 * README), and re-creating one whose moment passed would fire it late. Deleted: this assessment's
 * schedules that the plan no longer asks for, and those whose wanted moment has passed while they
 * still point elsewhere (they would fire on a date the plan no longer names).
 */
export const diffSchedules = (
  assessmentId: string,
  desired: ScheduleDefinition[],
  existing: ScheduleDefinition[],
  now: Date,
): ScheduleDiff => {
  const own = existing.filter((e) => isOwnScheduleName(assessmentId, e.name));
  const byName = new Map(own.map((e) => [e.name, e]));
  const wanted = new Set(desired.map((d) => d.name));
  const diff: ScheduleDiff = { create: [], update: [], delete: [] };
  const stale = new Set<string>();
  for (const d of desired) {
    const current = byName.get(d.name);
    if (isSpent(d, now)) {
      // Its wanted moment has passed but the one in the group is elsewhere (e.g. a deadline moved
      // into the past left the old, later reminder armed): delete it; a fired one that matches stays.
      if (current && !sameSchedule(current, d)) stale.add(d.name);
      continue;
    }
    if (!current) diff.create.push(d);
    else if (!sameSchedule(current, d)) diff.update.push(d);
  }
  diff.delete = own.filter((e) => !wanted.has(e.name) || stale.has(e.name)).map((e) => e.name);
  return diff;
};
