import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import { AssessmentPath } from '#domain/paths';
import { authorize } from '#domain/policy';
import { ReplacePlanRequest } from '#domain/requests/assessments';
import { etag, ifMatchVersion } from '#http/conditional';
import { type HttpFunction, httpHandler } from '#http/handler';
import { withIdempotency } from '#http/idempotency';
import { parseBody, parsePath, principalFrom } from '#http/request';
import { json } from '#http/response';
import { tableDeps } from '#runtime/table';
import { replacePlan } from '#use-cases/assessments';

const table = tableDeps({
  assessments: { getWithPlan: assessmentTable.getWithPlan, replacePlan: assessmentTable.replacePlan },
});

/**
 * PUT /assessments/{id}/plan, with If-Match. Its PlanChanged is written to the outbox in the same
 * transaction as the plan, so the answer's `schedules` is always `"sync-requested"`.
 */
export const putPlan: HttpFunction = async (event) => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, AssessmentPath);
  authorize(principal, 'plan.update', { assessmentId: id });
  const expectedVersion = ifMatchVersion(event);
  const { milestones } = parseBody(event, ReplacePlanRequest);
  const { view, warnings, sync } = await replacePlan(table(), principal, {
    assessmentId: id,
    milestones,
    expectedVersion,
  });
  return json(200, { assessment: view, warnings, ...sync }, { etag: etag(view.version) });
};

export const handler = httpHandler(withIdempotency('put-plan', putPlan));
