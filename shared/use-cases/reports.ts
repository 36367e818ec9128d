import type { AgencyRepository } from '#adapters/dynamo/agency-repository';
import type { AssessmentRepository } from '#adapters/dynamo/assessment-repository';
import { resultsHistory } from '#domain/analysis';
import { resultRows, taskRows } from '#domain/csv';
import { NotFoundError } from '#domain/errors';
import { milestoneEvents, renderCalendar, taskEvents } from '#domain/ical';
import { authorize } from '#domain/policy';
import type { Principal } from '#domain/principal';

export type ReportsDeps = {
  assessments: Pick<AssessmentRepository, 'getOverview' | 'getWithPlan' | 'listTasks'>;
  agencies: Pick<AgencyRepository, 'getSummary'>;
};

const overviewOf = async (deps: ReportsDeps, assessmentId: string) => {
  const overview = await deps.assessments.getOverview(assessmentId);
  if (!overview) throw new NotFoundError(`assessment ${assessmentId} not found`);
  return overview;
};

/** The improvement tasks as CSV rows (province-wide: an agency token is refused by the policy). */
export const exportTasks = async (deps: ReportsDeps, principal: Principal, assessmentId: string) => {
  authorize(principal, 'task.read', { assessmentId });
  const overview = await overviewOf(deps, assessmentId);
  return taskRows(overview.tasks);
};

/** Every year's results as CSV rows. */
export const exportResults = async (deps: ReportsDeps, principal: Principal, assessmentId: string) => {
  authorize(principal, 'forecast.read', { assessmentId });
  const overview = await overviewOf(deps, assessmentId);
  return resultRows(resultsHistory(overview.assessment.framework, overview.results));
};

/**
 * The province's calendar: every milestone window. DTSTAMP is the assessment's last change, so
 * fetching twice gives the same bytes and calendar apps see nothing new until the plan moves.
 */
export const provinceCalendar = async (deps: ReportsDeps, principal: Principal, assessmentId: string) => {
  authorize(principal, 'calendar.read', { assessmentId });
  const found = await deps.assessments.getWithPlan(assessmentId);
  if (!found) throw new NotFoundError(`assessment ${assessmentId} not found`);
  return renderCalendar({
    name: `ITA ${found.assessment.unitName} ${found.assessment.fiscalYear}`,
    description: `ปฏิทินการขับเคลื่อนการประเมิน ITA ${found.assessment.unitName} ประจำปีงบประมาณ พ.ศ. ${found.assessment.fiscalYear}`,
    stamp: new Date(found.assessment.updatedAt),
    events: milestoneEvents(assessmentId, found.milestones),
  });
};

/** One agency's calendar: the milestone windows and the improvement tasks it is responsible for. */
export const agencyCalendar = async (
  deps: ReportsDeps,
  principal: Principal,
  input: { assessmentId: string; agencyId: string },
) => {
  authorize(principal, 'calendar.read', { assessmentId: input.assessmentId, agencyId: input.agencyId });
  const [found, summary, tasks] = await Promise.all([
    deps.assessments.getWithPlan(input.assessmentId),
    deps.agencies.getSummary(input.assessmentId, input.agencyId),
    deps.assessments.listTasks(input.assessmentId),
  ]);
  if (!found) throw new NotFoundError(`assessment ${input.assessmentId} not found`);
  if (!summary) throw new NotFoundError(`agency ${input.agencyId} not found in ${input.assessmentId}`);
  const own = tasks.filter(
    (t) =>
      t.status !== 'cancelled' &&
      (t.responsibleAgencies === 'all' || t.responsibleAgencies.includes(input.agencyId)),
  );
  return renderCalendar({
    name: `ITA ${summary.agency.nameTh} ${found.assessment.fiscalYear}`,
    description: `ปฏิทิน ITA ของ${summary.agency.nameTh}: ขั้นตอนของ${found.assessment.unitName} และงานปรับปรุงที่รับผิดชอบ`,
    stamp: new Date(found.assessment.updatedAt),
    events: [
      ...milestoneEvents(input.assessmentId, found.milestones),
      ...taskEvents(input.assessmentId, own),
    ],
  });
};
