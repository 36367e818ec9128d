import * as agencyTable from '#adapters/dynamo/agency-repository';
import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import { AssessmentPath } from '#domain/paths';
import { authorize } from '#domain/policy';
import { RolloverRequest } from '#domain/requests/assessments';
import { etag } from '#http/conditional';
import { type HttpFunction, httpHandler } from '#http/handler';
import { withIdempotency } from '#http/idempotency';
import { parseBody, parsePath, principalFrom } from '#http/request';
import { json } from '#http/response';
import { tableDeps } from '#runtime/table';
import { rolloverAssessment } from '#use-cases/assessments';

const table = tableDeps({
  assessments: {
    createRollover: assessmentTable.createRollover,
    getOverview: assessmentTable.getOverview,
    getWithPlan: assessmentTable.getWithPlan,
    rolloverSource: assessmentTable.rolloverSource,
  },
  agencies: {
    assignOitItems: agencyTable.assignOitItems,
    create: agencyTable.create,
    getDetail: agencyTable.getDetail,
  },
});

/**
 * POST /assessments/{id}/rollover: next year's assessment from this one. The new assessment's
 * PlanChanged commits with it (the outbox); `schedules` as the other plan-changing routes answer it.
 */
export const postRollover: HttpFunction = async (event) => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, AssessmentPath);
  authorize(principal, 'assessment.rollover', { assessmentId: id });
  const request = parseBody(event, RolloverRequest);
  const { view, agencies, sync } = await rolloverAssessment(table(), principal, { sourceId: id, request });
  return json(
    201,
    { assessment: view, agencies, rolledOverFrom: id, ...sync },
    { etag: etag(view.version), location: `/assessments/${view.id}` },
  );
};

export const handler = httpHandler(withIdempotency('rollover-assessment', postRollover));
