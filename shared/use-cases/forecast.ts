import type { AgencyRepository } from '#adapters/dynamo/agency-repository';
import type { AssessmentRepository } from '#adapters/dynamo/assessment-repository';
import { type LinkRepository, linksByItem } from '#adapters/dynamo/link-repository';
import { NotFoundError } from '#domain/errors';
import { type Forecast, forecastScore } from '#domain/forecast';
import { authorize } from '#domain/policy';
import type { Principal } from '#domain/principal';

export type ForecastDeps = {
  assessments: Pick<AssessmentRepository, 'getOverview'>;
  agencies: Pick<AgencyRepository, 'listAgencyItems'>;
  /** The link watch: an approved part whose links are all dead puts its item at risk. */
  links?: Pick<LinkRepository, 'listLinks'>;
};

/**
 * This year's projected score.
 *
 * 1. Authorize `forecast.read` on the assessment.
 * 2. Read the overview (framework, results), every agency's OIT items and the watched links: three Queries.
 * 3. Project both ends and what it takes to reach the pass and excellent marks (domain).
 */
export const getForecast = async (
  deps: ForecastDeps,
  principal: Principal,
  assessmentId: string,
): Promise<Forecast & { assessmentId: string }> => {
  authorize(principal, 'forecast.read', { assessmentId });
  const [overview, items, links] = await Promise.all([
    deps.assessments.getOverview(assessmentId),
    deps.agencies.listAgencyItems(assessmentId),
    deps.links?.listLinks(assessmentId) ?? [],
  ]);
  const health = linksByItem(links);
  if (!overview) throw new NotFoundError(`assessment ${assessmentId} not found`);
  const forecast = forecastScore(overview.assessment.framework, {
    fiscalYear: overview.assessment.fiscalYear,
    results: overview.results,
    evidence: items.evidence.map((e) => {
      const known = health.get(e.agencyId)?.get(e.itemId);
      const linksDead = e.urls.length > 0 && e.urls.every((url) => known?.get(url)?.state === 'dead');
      return { agencyId: e.agencyId, itemId: e.itemId, status: e.status, linksDead };
    }),
  });
  return { assessmentId, ...forecast };
};
