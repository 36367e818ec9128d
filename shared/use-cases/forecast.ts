import type { AgencyRepository } from '#adapters/dynamo/agency-repository';
import type { AssessmentRepository } from '#adapters/dynamo/assessment-repository';
import type { Principal } from '#domain/auth';
import { NotFoundError } from '#domain/errors';
import { type Forecast, forecastScore } from '#domain/forecast';
import { authorize } from '#domain/policy';

export type ForecastDeps = {
  assessments: Pick<AssessmentRepository, 'getOverview'>;
  agencies: Pick<AgencyRepository, 'listAgencyItems'>;
};

/**
 * This year's projected score.
 *
 * 1. Authorize `forecast.read` on the assessment.
 * 2. Read the overview (framework, results) and every agency's OIT items: two Queries.
 * 3. Project both ends and what it takes to reach the pass and excellent marks (domain).
 */
export const getForecast = async (
  deps: ForecastDeps,
  principal: Principal,
  assessmentId: string,
): Promise<Forecast & { assessmentId: string }> => {
  authorize(principal, 'forecast.read', { assessmentId });
  const [overview, items] = await Promise.all([
    deps.assessments.getOverview(assessmentId),
    deps.agencies.listAgencyItems(assessmentId),
  ]);
  if (!overview) throw new NotFoundError(`assessment ${assessmentId} not found`);
  const forecast = forecastScore(overview.assessment.framework, {
    fiscalYear: overview.assessment.fiscalYear,
    results: overview.results,
    evidence: items.evidence,
  });
  return { assessmentId, ...forecast };
};
