import type { OitEvidence } from './evidence.ts';
import type { ImprovementTask } from './improvement.ts';
import type { Agency, AgencySummary, AgencyTaskState, Framework, SurveyTool, TaskStatus } from './model.ts';
import { cleanName } from './primitives.ts';
import { minimumSample } from './sample.ts';

/** The minimum samples an agency must collect, from the framework's rule and its populations. */
export const requiredSamples = (framework: Framework, agency: Agency): Record<SurveyTool, number> => ({
  iit: minimumSample(framework.sampleRule, 'iit', agency.internalStaff),
  eit: minimumSample(framework.sampleRule, 'eit', agency.externalStakeholders),
});

/** Open: still expected of the agency (planned or in progress); done and cancelled are closed. */
export const isOpenTaskStatus = (status: TaskStatus): boolean =>
  status === 'planned' || status === 'in_progress';

/** Whether the task names the agency (directly or as `all`), whatever its status. */
export const namesAgency = (task: Pick<ImprovementTask, 'responsibleAgencies'>, agencyId: string): boolean =>
  task.responsibleAgencies === 'all' || task.responsibleAgencies.includes(agencyId);

/** The agencies a task names, given every agency of the assessment. */
export const responsibleAgencyIds = (
  task: Pick<ImprovementTask, 'responsibleAgencies'>,
  agencyIds: readonly string[],
): string[] =>
  task.responsibleAgencies === 'all'
    ? [...agencyIds]
    : [...new Set(task.responsibleAgencies)].filter((id) => agencyIds.includes(id));

/** The state an agency starts a published task in. */
export const initialTaskState = (now: string): AgencyTaskState => ({
  status: 'planned',
  progress: 0,
  updatedAt: now,
});

/**
 * A new agency starts with nothing assigned and nothing reported, and a `planned` state for each
 * published task that names it (`tasks`: the assessment's tasks when it is created; drafts get
 * no state until they are published).
 */
export const newAgencySummary = (
  assessmentId: string,
  agency: Agency,
  framework: Framework,
  now: string,
  tasks: readonly ImprovementTask[] = [],
): AgencySummary => {
  const required = requiredSamples(framework, agency);
  const own = tasks.filter((t) => t.status !== 'draft' && namesAgency(t, agency.id));
  return {
    assessmentId,
    agency,
    oit: { assigned: 0, submitted: 0, approved: 0, rejected: 0 },
    surveys: {
      iit: { tool: 'iit', required: required.iit, responses: 0, history: [] },
      eit: { tool: 'eit', required: required.eit, responses: 0, history: [] },
    },
    tasks: Object.fromEntries(own.map((t) => [t.id, initialTaskState(now)])),
    openTasks: own.length,
    version: 1,
    updatedAt: now,
  };
};

export const missingEvidence = (
  assessmentId: string,
  agencyId: string,
  itemId: string,
  now: string,
): OitEvidence => ({
  assessmentId,
  agencyId,
  itemId,
  status: 'missing',
  urls: [],
  note: '',
  updatedAt: now,
  version: 1,
});

/** Items counted as done for pace: submitted and waiting for review, or already approved. */
export const oitDone = (summary: AgencySummary): number => summary.oit.submitted + summary.oit.approved;

/**
 * The id of another agency whose name reads the same as `nameTh` (after NFC, invisible characters
 * removed and spaces collapsed), or null: two such agencies would be told apart in no report.
 */
export const lookAlikeAgency = (
  summaries: readonly Pick<AgencySummary, 'agency'>[],
  agencyId: string,
  nameTh: string,
): string | null => {
  const wanted = cleanName(nameTh);
  return (
    summaries.find((s) => s.agency.id !== agencyId && cleanName(s.agency.nameTh) === wanted)?.agency.id ??
    null
  );
};
