import type { AssessmentRepository, Overview } from '#adapters/dynamo/assessment-repository';
import type { LinkRepository } from '#adapters/dynamo/link-repository';
import { NotFoundError } from '#domain/errors';
import { deadLinkRows, groupLinksByAgency, type LinkListAnswer, type LinkListQuery } from '#domain/link-list';
import { type WeeklyDeadLinks, weeklyDeadLinks } from '#domain/notifications';
import { authorize } from '#domain/policy';
import type { Principal } from '#domain/principal';

export type LinkListDeps = {
  assessments: Pick<AssessmentRepository, 'getOverview'>;
  links: Pick<LinkRepository, 'listLinks'>;
};

/**
 * The watched evidence links by agency, optionally in one state (`dead` for the dashboard).
 *
 * 1. Authorize `oit.read` on the assessment: the links are the evidence's, and a province-wide
 *    read is the secretariat's, the approver's and the viewer's (an agency reads its own links on
 *    its progress, so here it is a 403).
 * 2. Read the overview (agency and item names) and the links (`LINK#`, or `LINK#<agencyId>#`):
 *    two Queries, no Scan.
 * 3. Group and sort (domain).
 */
export const listLinksByAgency = async (
  deps: LinkListDeps,
  principal: Principal,
  assessmentId: string,
  query: LinkListQuery,
): Promise<LinkListAnswer> => {
  authorize(principal, 'oit.read', { assessmentId });
  const [overview, links] = await Promise.all([
    deps.assessments.getOverview(assessmentId),
    deps.links.listLinks(assessmentId, query.agencyId),
  ]);
  if (!overview) throw new NotFoundError(`assessment ${assessmentId} not found`);
  return {
    assessmentId,
    ...(query.state ? { state: query.state } : {}),
    ...groupLinksByAgency(links, namesOf(overview), query.state),
  };
};

const namesOf = (overview: Pick<Overview, 'agencies' | 'assessment'>) => ({
  agencies: new Map(overview.agencies.map((a) => [a.agency.id, a.agency.nameTh])),
  items: new Map(overview.assessment.framework.oitItems.map((i) => [i.id, i.nameTh])),
});

/**
 * The week's dead links for Monday's summary to the secretariat: the total from the agencies'
 * exact dead counts (already in the overview), and the rows from one Query of the links, read only
 * when some link is dead.
 */
export const readWeeklyDeadLinks = async (
  links: Pick<LinkRepository, 'listLinks'>,
  overview: Pick<Overview, 'agencies' | 'assessment'>,
): Promise<WeeklyDeadLinks> => {
  if (!overview.agencies.some((a) => (a.deadLinks ?? 0) > 0)) return weeklyDeadLinks(overview.agencies, []);
  const stored = await links.listLinks(overview.assessment.id);
  return weeklyDeadLinks(
    overview.agencies,
    deadLinkRows(groupLinksByAgency(stored, namesOf(overview), 'dead').agencies),
  );
};
