import type { AssessmentRepository } from '#adapters/dynamo/assessment-repository';
import { oitDone } from '#domain/agency';
import { NotFoundError } from '#domain/errors';
import { agencyPace, type PaceFinding, type PaceState } from '#domain/pace';
import { todayIn } from '#domain/thai-date';

export type ProgressDeps = { assessments: Pick<AssessmentRepository, 'getOverview'>; now: () => Date };

export type AgencyProgressRow = {
  agencyId: string;
  nameTh: string;
  state: PaceState;
  oit: { assigned: number; submitted: number; approved: number; rejected: number; done: number };
  surveys: Record<'iit' | 'eit', { required: number; responses: number; asOf: string | null }>;
  /** The agency's own tasks neither done nor cancelled: the summary's exact count. */
  openTasks: number;
  /** Evidence URLs now dead (link watch): the summary's exact count. */
  deadLinks: number;
  findings: PaceFinding[];
  daysOverdue: number;
};

/**
 * GET /assessments/{id}/progress: every agency's counters and its pace at today's date in the
 * assessment's time zone, from the one overview Query. The pace rules are `#domain/pace`: OIT
 * behind when done/assigned trails the elapsed share of the publishing window by more than 10
 * points, a survey behind under 90 % of the minimum times the elapsed share of the collection
 * window, and overdue once a window has closed with work left.
 */
export const provinceProgress = async (
  deps: ProgressDeps,
  input: { assessmentId: string; agencyId?: string | undefined },
): Promise<{ assessmentId: string; unitName: string; date: string; agencies: AgencyProgressRow[] }> => {
  const overview = await deps.assessments.getOverview(input.assessmentId);
  if (!overview) throw new NotFoundError(`assessment ${input.assessmentId} not found`);
  const date = todayIn(overview.assessment.timeZone, deps.now());
  const summaries = input.agencyId
    ? overview.agencies.filter((a) => a.agency.id === input.agencyId)
    : overview.agencies;
  return {
    assessmentId: input.assessmentId,
    unitName: overview.assessment.unitName,
    date,
    agencies: summaries.map((summary) => {
      const pace = agencyPace(summary, overview.milestones, overview.tasks, date);
      const survey = (tool: 'iit' | 'eit') => ({
        required: summary.surveys[tool].required,
        responses: summary.surveys[tool].responses,
        asOf: summary.surveys[tool].asOf ?? null,
      });
      return {
        agencyId: summary.agency.id,
        nameTh: summary.agency.nameTh,
        state: pace.state,
        oit: { ...summary.oit, done: oitDone(summary) },
        surveys: { iit: survey('iit'), eit: survey('eit') },
        openTasks: summary.openTasks,
        deadLinks: summary.deadLinks ?? 0,
        findings: pace.findings,
        daysOverdue: pace.daysOverdue,
      };
    }),
  };
};
