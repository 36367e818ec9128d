import type { AgencyRepository } from '#adapters/dynamo/agency-repository';
import type { AssessmentRepository } from '#adapters/dynamo/assessment-repository';
import { NotFoundError } from '#domain/errors';
import { agencyTemplate, progressWorkbook, type WorkbookSheet } from '#domain/progress-workbook';
import { type ProgressDeps, provinceProgress } from './progress.ts';

export type WorkbookDeps = ProgressDeps & {
  assessments: Pick<AssessmentRepository, 'getOverview'>;
  agencies: Pick<AgencyRepository, 'listAgencyItems'>;
};

/**
 * GET /assessments/{id}/progress.xlsx.
 *
 * 1. The overview (one Query on GSI1) and every agency's summary and OIT items (one Query on the
 *    assessment partition over `AGENCY#`), at once. No Scan.
 * 2. The progress rows exactly as GET …/progress computes them, from that overview.
 * 3. The three sheets (`#domain/progress-workbook`); the file name carries the assessment and date.
 */
export const progressWorkbookFor = async (
  deps: WorkbookDeps,
  input: { assessmentId: string },
): Promise<{ filename: string; sheets: WorkbookSheet[] }> => {
  const [overview, items] = await Promise.all([
    deps.assessments.getOverview(input.assessmentId),
    deps.agencies.listAgencyItems(input.assessmentId),
  ]);
  if (!overview) throw new NotFoundError(`assessment ${input.assessmentId} not found`);
  // The progress route's own computation, over the overview already read.
  const progress = await provinceProgress(
    { now: deps.now, assessments: { getOverview: async () => overview } },
    { assessmentId: input.assessmentId },
  );
  return {
    filename: `ita-progress-${input.assessmentId}-${progress.date}.xlsx`,
    sheets: progressWorkbook({
      progress: progress.agencies,
      summaries: items.summaries,
      evidence: items.evidence,
      oitItems: overview.assessment.framework.oitItems,
      tasks: overview.tasks,
    }),
  };
};

/** GET /assessments/{id}/agencies/template.xlsx: the import's template, filled with today's agencies. */
export const agencyTemplateFor = async (
  deps: Pick<WorkbookDeps, 'assessments'>,
  input: { assessmentId: string },
): Promise<{ filename: string; sheets: WorkbookSheet[] }> => {
  const overview = await deps.assessments.getOverview(input.assessmentId);
  if (!overview) throw new NotFoundError(`assessment ${input.assessmentId} not found`);
  return {
    filename: `ita-agencies-${input.assessmentId}.xlsx`,
    sheets: agencyTemplate(overview.agencies.map((s) => s.agency)),
  };
};
