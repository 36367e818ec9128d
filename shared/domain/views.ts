import { oitDone } from './agency.ts';
import type { OitEvidence } from './evidence.ts';
import type { ImprovementTask } from './improvement.ts';
import { evidenceLinks, type LinkHealth } from './link-watch.ts';
import type { AgencySummary, Assessment, Framework, Milestone } from './model.ts';
import { formatThaiWindow } from './thai-date.ts';

/** What the API shows of an assessment and its plan: dates as ISO and as Thai BE text. */
export const assessmentView = (assessment: Assessment, milestones: Milestone[]) => ({
  id: assessment.id,
  unitName: assessment.unitName,
  fiscalYear: assessment.fiscalYear,
  window: assessment.window,
  windowTh: formatThaiWindow(assessment.window, 'full'),
  timeZone: assessment.timeZone,
  version: assessment.version,
  /** The framework's minimum-sample rule, so a form can show an agency's minimums as they are typed. */
  sampleRule: assessment.framework.sampleRule,
  milestones: [...milestones]
    .sort((a, b) => a.number - b.number)
    .map((m) => ({ ...m, windowTh: formatThaiWindow(m.window, 'full') })),
});

export const agencyListItem = (summary: AgencySummary) => ({
  id: summary.agency.id,
  nameTh: summary.agency.nameTh,
});

/**
 * One agency's own state of a task, or null when it has none. `version` is the agency summary's:
 * the `If-Match` of a PATCH of this state.
 */
export const agencyTaskStateView = (summary: AgencySummary, taskId: string) => {
  const state = summary.tasks[taskId];
  return state ? { agencyId: summary.agency.id, ...state, version: summary.version } : null;
};

/**
 * A task as the API lists it: the province-wide definition and overall state (`status`,
 * `progress`, `version`: the secretariat's), and under `agencies` each responsible agency's own
 * state from `summaries` (for an agency token, pass its summary alone: nobody else's is shown).
 */
export const taskView = (task: ImprovementTask, summaries: readonly AgencySummary[]) => ({
  ...task,
  version: task.version ?? 1,
  agencies: [...summaries]
    .sort((a, b) => a.agency.id.localeCompare(b.agency.id))
    .flatMap((s) => {
      const view = agencyTaskStateView(s, task.id);
      return view ? [view] : [];
    }),
});

/**
 * One agency's OIT items, each with its status and name, its counters, and its own state of each
 * task it is responsible for (titled from `tasks`, the assessment's tasks, when given).
 */
export const agencyProgressView = (
  framework: Framework,
  summary: AgencySummary,
  evidence: OitEvidence[],
  tasks: readonly ImprovementTask[] = [],
  links: ReadonlyMap<string, ReadonlyMap<string, LinkHealth>> = new Map(),
) => {
  const names = new Map(framework.oitItems.map((item) => [item.id, item.nameTh]));
  const taskById = new Map(tasks.map((t) => [t.id, t]));
  return {
    assessmentId: summary.assessmentId,
    agency: { id: summary.agency.id, nameTh: summary.agency.nameTh },
    oit: { ...summary.oit, done: oitDone(summary) },
    surveys: summary.surveys,
    openTasks: summary.openTasks,
    tasks: Object.entries(summary.tasks)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([taskId, state]) => {
        const task = taskById.get(taskId);
        return {
          taskId,
          ...(task ? { title: task.theme.title, window: task.window, overallStatus: task.status } : {}),
          ...state,
        };
      }),
    items: evidence.map((e) => evidenceView(e, names, links.get(e.itemId))),
    /** Evidence URLs of this agency now dead (link watch). */
    deadLinks: summary.deadLinks ?? 0,
    version: summary.version,
  };
};

/**
 * One OIT item as people see it: its catalog name beside its evidence and review, and each URL's
 * health (`links`, in the order of `urls`; `linksOf` maps a URL to its stored health).
 */
export const evidenceView = (
  e: OitEvidence,
  names: ReadonlyMap<string, string>,
  linksOf?: ReadonlyMap<string, LinkHealth>,
) => ({
  itemId: e.itemId,
  nameTh: names.get(e.itemId) ?? e.itemId,
  status: e.status,
  urls: e.urls,
  links: evidenceLinks(e.urls, linksOf),
  note: e.note,
  submittedAt: e.submittedAt,
  /** The id of the token that submitted it (the audit log names who issued that token). */
  submittedBy: e.submittedBy,
  reviewedAt: e.reviewedAt,
  rejectionReason: e.rejectionReason,
  updatedAt: e.updatedAt,
  /** The review's If-Match: 1 at the first submission, +1 at every replacement and review; 0 while nothing is submitted. */
  version: e.status === 'missing' ? 0 : e.version,
});
