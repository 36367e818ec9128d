import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import { authorize } from '#domain/policy';
import { AssessmentPath, ReplacePlanRequest } from '#domain/requests';
import { etag, ifMatchVersion } from '#http/conditional';
import { type HttpFunction, httpHandler } from '#http/handler';
import { withIdempotency } from '#http/idempotency';
import { parseBody, parsePath, principalFrom } from '#http/request';
import { json } from '#http/response';
import { eventPublisher } from '#runtime/events';
import { tableDeps } from '#runtime/table';
import { replacePlan } from '#use-cases/assessments';

const table = tableDeps({
  assessments: { getWithPlan: assessmentTable.getWithPlan, replacePlan: assessmentTable.replacePlan },
});

/**
 * PUT /assessments/{id}/plan, with If-Match. Publishes PlanChanged after its commit and answers
 * `schedules: "sync-requested"`, or `"sync-pending"` with a message when that publish failed (the
 * plan stands; POST /assessments/{id}/schedules/sync finishes the job).
 */
export const putPlan: HttpFunction = async (event) => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, AssessmentPath);
  authorize(principal, 'plan.update', { assessmentId: id });
  const expectedVersion = ifMatchVersion(event);
  const { milestones } = parseBody(event, ReplacePlanRequest);
  const { view, warnings, sync } = await replacePlan({ ...table(), events: eventPublisher() }, principal, {
    assessmentId: id,
    milestones,
    expectedVersion,
  });
  return json(200, { assessment: view, warnings, ...sync }, { etag: etag(view.version) });
};

export const handler = httpHandler(withIdempotency('put-plan', putPlan));
