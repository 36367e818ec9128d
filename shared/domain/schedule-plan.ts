import * as z from 'zod';
import type { ImprovementTask, IsoDate, Milestone } from './model.ts';
import { Slug } from './model.ts';
import { addDays } from './thai-date.ts';

/**
 * The schedules an assessment's plan asks for, computed from the plan alone, and the diff that
 * brings a schedule group in line with them. Pure: the sync use case lists what exists through
 * the {@link SchedulePort} and applies the diff.
 */

/** What a schedule sends the milestone function. */
export const MilestoneInvocation = z.discriminatedUnion('trigger', [
  z.strictObject({ assessmentId: Slug, trigger: z.literal('pace-check') }),
  z.strictObject({
    assessmentId: Slug,
    milestone: z.number().int().min(1).max(99),
    trigger: z.enum(['start', 'due', 'overdue']),
  }),
  z.strictObject({
    assessmentId: Slug,
    milestone: z.number().int().min(1).max(99),
    trigger: z.literal('due-soon'),
    days: z.number().int().min(1).max(366),
  }),
]);
export type MilestoneInvocation = z.infer<typeof MilestoneInvocation>;

export const SCHEDULE_TIMEZONE = 'Asia/Bangkok';

export const ScheduleSettings = z.strictObject({
  /** Local (Bangkok) time of day at which milestone schedules fire, `HH:MM`. */
  time: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
    .default('08:30'),
  /** Days before a window's end at which the due-soon reminders go out. */
  dueSoonDays: z.array(z.number().int().min(1).max(366)).default([14, 7, 1]),
  /** Days the pace check keeps running after the last tracked window ends, so overdue escalates. */
  followUpDays: z.number().int().min(0).max(366).default(14),
});
export type ScheduleSettings = z.infer<typeof ScheduleSettings>;

export const DEFAULT_SCHEDULE_SETTINGS: ScheduleSettings = ScheduleSettings.parse({});

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
  if (input.trigger === 'pace-check') return 'pace-check';
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
    /^(m\d{2}-(start|due|overdue|due-soon-\d{1,3})|pace-check)$/.test(name.slice(prefix.length))
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

/** Milestones whose progress is measured get deadline reminders; the others only a kick-off. */
const hasDeadlines = (m: Milestone) =>
  m.tracks === 'oit_publishing' || m.tracks === 'survey_collection' || m.tracks === 'oit_approval';

/**
 * Every schedule the plan asks for, past ones included (the diff decides what to do with those):
 * - each milestone: `start` on its first day;
 * - measured milestones: `due-soon-N` N days before the end (when that falls inside the window),
 *   `due` on the end date and `overdue` the day after;
 * - one weekday `pace-check` from the first measured window's start to the last one's end plus
 *   `followUpDays`, if anything is measured.
 */
export const desiredSchedules = (
  assessmentId: string,
  milestones: Milestone[],
  tasks: ImprovementTask[],
  settings: ScheduleSettings = DEFAULT_SCHEDULE_SETTINGS,
): ScheduleDefinition[] => {
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
  const windows = [
    ...milestones
      .filter((m) => m.tracks === 'oit_publishing' || m.tracks === 'survey_collection')
      .map((m) => m.window),
    ...tasks.filter((t) => t.status !== 'done' && t.status !== 'cancelled').map((t) => t.window),
  ];
  if (windows.length > 0) {
    const first = windows.map((w) => w.start).sort()[0]!;
    const last = addDays(
      windows
        .map((w) => w.end)
        .sort()
        .at(-1)!,
      settings.followUpDays,
    );
    const [hour, minute] = settings.time.split(':').map(Number) as [number, number];
    const input: MilestoneInvocation = { assessmentId, trigger: 'pace-check' };
    out.push({
      name: scheduleName(input),
      expression: `cron(${minute} ${hour} ? * MON-FRI *)`,
      timezone: SCHEDULE_TIMEZONE,
      startDate: bangkokInstant(first, '00:00').toISOString(),
      endDate: bangkokInstant(addDays(last, 1), '00:00').toISOString(),
      input,
    });
  }
  return out;
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
 * README), and re-creating one whose moment passed would fire it late. Only this assessment's
 * schedules that the plan no longer asks for are deleted.
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
  for (const d of desired) {
    if (isSpent(d, now)) continue;
    const current = byName.get(d.name);
    if (!current) diff.create.push(d);
    else if (!sameSchedule(current, d)) diff.update.push(d);
  }
  diff.delete = own.filter((e) => !wanted.has(e.name)).map((e) => e.name);
  return diff;
};
