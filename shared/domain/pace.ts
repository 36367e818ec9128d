import * as z from 'zod/mini';
import { isOpenTaskStatus, oitDone } from './agency.ts';
import type { ImprovementTask } from './improvement.ts';
import type { AgencySummary, AgencyTaskState, Milestone, SurveyProgress } from './model.ts';
import { DEFAULT_PACE_SETTINGS, type PaceSettings } from './pace-settings.ts';
import { type DateWindow, IsoDate, SurveyTool } from './primitives.ts';
import { addDays, daysBetween } from './thai-date.ts';

/**
 * Pace rules: is an agency on track at a date, given its summary, the plan and the improvement
 * tasks? Pure; the pace check, the deadline reminders and the progress route all use them.
 */

const Count = z.number().check(z.int(), z.gte(0));
const TaskRef = {
  taskId: z.string(),
  title: z.string(),
  progress: z.number().check(z.gte(0), z.lte(100)),
  deadline: IsoDate,
};

/** One thing an agency is behind on (or must act on), with the facts an email states. */
export const PaceFinding = z.discriminatedUnion('what', [
  z.strictObject({
    what: z.literal('oit-behind'),
    done: Count,
    assigned: Count,
    expected: Count,
    deadline: IsoDate,
  }),
  z.strictObject({ what: z.literal('oit-incomplete'), done: Count, assigned: Count, deadline: IsoDate }),
  z.strictObject({
    what: z.literal('survey-behind'),
    tool: SurveyTool,
    responses: Count,
    required: Count,
    expected: Count,
    deadline: IsoDate,
    /** Responses expected by the deadline at the recent rate. */
    forecastAtDeadline: Count,
    /** When the minimum is reached at the recent rate, if it is before the deadline. */
    reachDate: z.nullable(IsoDate),
    /** Responses missing at the deadline at the recent rate (0 if reached). */
    shortfall: Count,
  }),
  z.strictObject({
    what: z.literal('survey-incomplete'),
    tool: SurveyTool,
    responses: Count,
    required: Count,
    deadline: IsoDate,
  }),
  z.strictObject({
    what: z.literal('survey-stale'),
    tool: SurveyTool,
    lastReported: z.nullable(IsoDate),
    days: Count,
  }),
  z.strictObject({ what: z.literal('task-behind'), ...TaskRef, expected: Count }),
  z.strictObject({ what: z.literal('task-overdue'), ...TaskRef }),
]);
export type PaceFinding = z.infer<typeof PaceFinding>;

export const PaceState = z.enum(['not-started', 'on-track', 'behind', 'overdue', 'complete']);
export type PaceState = z.infer<typeof PaceState>;

export type AgencyPace = {
  agencyId: string;
  date: IsoDate;
  state: PaceState;
  /** Everything behind or overdue, and requests to update stale counts. */
  findings: PaceFinding[];
  /**
   * Whole days since the first overdue day (the day after the earliest deadline missed): 0 on that
   * day and when nothing is overdue, so "7 days overdue" is the eighth day past the deadline.
   */
  daysOverdue: number;
};

/**
 * The share of a window that has passed at the start of `date`: 0 on its first day, 1 once it
 * has ended. Measured in whole days so that a check at 08:30 and one at 17:00 agree.
 */
export const elapsedShare = (window: DateWindow, date: IsoDate): number => {
  const total = daysBetween(window.start, window.end) + 1;
  return Math.min(1, Math.max(0, daysBetween(window.start, date) / total));
};

const isActive = (window: DateWindow, date: IsoDate) => window.start <= date && date <= window.end;
const isPast = (window: DateWindow, date: IsoDate) => date > window.end;

/** OIT: behind while the window runs, overdue with anything missing after it. */
const oitFindings = (
  summary: AgencySummary,
  milestone: Milestone,
  date: IsoDate,
  settings: PaceSettings,
): PaceFinding[] => {
  const assigned = summary.oit.assigned;
  const done = oitDone(summary);
  if (assigned === 0 || done >= assigned) return [];
  const deadline = milestone.window.end;
  if (isPast(milestone.window, date)) return [{ what: 'oit-incomplete', done, assigned, deadline }];
  if (!isActive(milestone.window, date)) return [];
  const share = elapsedShare(milestone.window, date);
  if (done / assigned >= share - settings.oitMarginPoints / 100) return [];
  return [{ what: 'oit-behind', done, assigned, expected: Math.ceil(assigned * share - 1e-9), deadline }];
};

/**
 * The survey forecast: the rate over the last `forecastDays` of the reported history, or, with
 * no report that old in range, the average since the window opened.
 */
export const surveyForecast = (
  survey: SurveyProgress,
  window: DateWindow,
  date: IsoDate,
  settings: PaceSettings,
): { ratePerDay: number; forecastAtDeadline: number; reachDate: IsoDate | null; shortfall: number } => {
  const asOf = survey.asOf ?? date;
  const since = addDays(asOf, -settings.forecastDays);
  const base = survey.history.find((r) => r.asOf >= since && r.asOf < asOf);
  const ratePerDay = base
    ? Math.max(0, (survey.responses - base.responses) / daysBetween(base.asOf, asOf))
    : survey.responses / Math.max(1, daysBetween(window.start, asOf));
  const left = Math.max(0, daysBetween(asOf, window.end));
  const forecastAtDeadline = Math.floor(survey.responses + ratePerDay * left);
  const missing = survey.required - survey.responses;
  let reachDate: IsoDate | null = null;
  if (missing > 0 && ratePerDay > 0) {
    const reach = addDays(asOf, Math.ceil(missing / ratePerDay - 1e-9));
    if (reach <= window.end) reachDate = reach;
  }
  return {
    ratePerDay,
    forecastAtDeadline,
    reachDate,
    shortfall: Math.max(0, survey.required - forecastAtDeadline),
  };
};

const surveyFindings = (
  summary: AgencySummary,
  milestone: Milestone,
  date: IsoDate,
  settings: PaceSettings,
): PaceFinding[] =>
  SurveyTool.options.flatMap((tool): PaceFinding[] => {
    const survey = summary.surveys[tool];
    const { required, responses } = survey;
    if (required === 0 || responses >= required) return [];
    const deadline = milestone.window.end;
    if (isPast(milestone.window, date))
      return [{ what: 'survey-incomplete', tool, responses, required, deadline }];
    if (!isActive(milestone.window, date)) return [];
    const found: PaceFinding[] = [];
    const lastReported = survey.asOf ?? null;
    const quietDays = daysBetween(lastReported ?? milestone.window.start, date);
    if (quietDays >= settings.staleDays)
      found.push({ what: 'survey-stale', tool, lastReported, days: quietDays });
    const expected = required * elapsedShare(milestone.window, date);
    if (responses < settings.surveyRatio * expected) {
      const forecast = surveyForecast(survey, milestone.window, date, settings);
      found.push({
        what: 'survey-behind',
        tool,
        responses,
        required,
        expected: Math.ceil(expected - 1e-9),
        deadline,
        forecastAtDeadline: forecast.forecastAtDeadline,
        reachDate: forecast.reachDate,
        shortfall: forecast.shortfall,
      });
    }
    return found;
  });

/**
 * The tasks an agency is measured on, each with its OWN state (one agency closing a shared task
 * closes it for nobody else). Drafts have no state yet, and a task the secretariat cancelled for
 * the whole province is no longer expected of anyone.
 */
export const ownTasks = (
  summary: AgencySummary,
  tasks: ImprovementTask[],
): { task: ImprovementTask; state: AgencyTaskState }[] =>
  tasks.flatMap((task) => {
    const state = summary.tasks[task.id];
    return state && task.status !== 'draft' && task.status !== 'cancelled' ? [{ task, state }] : [];
  });

const isOpenTask = (state: AgencyTaskState) => isOpenTaskStatus(state.status) && state.progress < 100;

const taskFindings = (
  summary: AgencySummary,
  tasks: ImprovementTask[],
  date: IsoDate,
  settings: PaceSettings,
): PaceFinding[] =>
  ownTasks(summary, tasks).flatMap(({ task, state }): PaceFinding[] => {
    if (!isOpenTask(state)) return [];
    const ref = {
      taskId: task.id,
      title: task.theme.title,
      progress: state.progress,
      deadline: task.window.end,
    };
    if (isPast(task.window, date)) return [{ what: 'task-overdue', ...ref }];
    if (!isActive(task.window, date)) return [];
    const expected = 100 * elapsedShare(task.window, date);
    if (state.progress >= expected - settings.taskMarginPoints) return [];
    return [{ what: 'task-behind', ...ref, expected: Math.ceil(expected - 1e-9) }];
  });

const OVERDUE: ReadonlySet<PaceFinding['what']> = new Set([
  'oit-incomplete',
  'survey-incomplete',
  'task-overdue',
]);
const BEHIND: ReadonlySet<PaceFinding['what']> = new Set(['oit-behind', 'survey-behind', 'task-behind']);

export const isOverdueFinding = (f: PaceFinding): boolean => OVERDUE.has(f.what);
export const isBehindFinding = (f: PaceFinding): boolean => BEHIND.has(f.what) || OVERDUE.has(f.what);

/** The findings of one milestone only, for its due-soon, due and overdue reminders. */
export const milestoneFindings = (
  summary: AgencySummary,
  milestone: Milestone,
  date: IsoDate,
  settings: PaceSettings = DEFAULT_PACE_SETTINGS,
): PaceFinding[] => {
  if (milestone.tracks === 'oit_publishing') return oitFindings(summary, milestone, date, settings);
  if (milestone.tracks === 'survey_collection') return surveyFindings(summary, milestone, date, settings);
  return [];
};

/** What is still open for a milestone, whatever the pace: the lines of a deadline reminder. */
export const openForMilestone = (summary: AgencySummary, milestone: Milestone): PaceFinding[] => {
  const deadline = milestone.window.end;
  if (milestone.tracks === 'oit_publishing') {
    const done = oitDone(summary);
    const assigned = summary.oit.assigned;
    return assigned > 0 && done < assigned ? [{ what: 'oit-incomplete', done, assigned, deadline }] : [];
  }
  if (milestone.tracks === 'survey_collection') {
    return SurveyTool.options.flatMap((tool): PaceFinding[] => {
      const { responses, required } = summary.surveys[tool];
      return required > 0 && responses < required
        ? [{ what: 'survey-incomplete', tool, responses, required, deadline }]
        : [];
    });
  }
  return [];
};

/**
 * One agency's state at `date`: every tracked milestone (OIT publishing, survey collection) and
 * its improvement tasks. `overdue` beats `behind` beats `on-track`; `complete` when everything it
 * is measured on is done; `not-started` before any of its windows opens.
 */
export const agencyPace = (
  summary: AgencySummary,
  milestones: Milestone[],
  tasks: ImprovementTask[],
  date: IsoDate,
  settings: PaceSettings = DEFAULT_PACE_SETTINGS,
): AgencyPace => {
  const agencyId = summary.agency.id;
  const tracked = milestones.filter((m) => m.tracks === 'oit_publishing' || m.tracks === 'survey_collection');
  const findings = [
    ...tracked.flatMap((m) => milestoneFindings(summary, m, date, settings)),
    ...taskFindings(summary, tasks, date, settings),
  ];
  const overdueSince = findings
    .filter(isOverdueFinding)
    .map((f) => ('deadline' in f ? f.deadline : date))
    .sort()[0];
  // Counted from the first overdue day, not from the deadline itself (which was still on time).
  const daysOverdue = overdueSince ? Math.max(0, daysBetween(addDays(overdueSince, 1), date)) : 0;
  const open =
    tracked.some((m) => openForMilestone(summary, m).length > 0) ||
    ownTasks(summary, tasks).some(({ state }) => isOpenTask(state));
  const windows = [
    ...tracked.map((m) => m.window),
    ...ownTasks(summary, tasks).map(({ task }) => task.window),
  ];
  const state: PaceState = findings.some(isOverdueFinding)
    ? 'overdue'
    : findings.some(isBehindFinding)
      ? 'behind'
      : !open
        ? 'complete'
        : windows.some((w) => w.start <= date)
          ? 'on-track'
          : 'not-started';
  return { agencyId, date, state, findings, daysOverdue };
};
