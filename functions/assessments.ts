import * as agencyTable from '#adapters/dynamo/agency-repository';
import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import { authorize } from '#domain/policy';
import {
  AssessmentPath,
  CreateAssessmentRequest,
  ReplacePlanRequest,
  RolloverRequest,
} from '#domain/requests';
import { etag, ifMatchVersion } from '#http/conditional';
import { dispatch } from '#http/dispatch';
import { type HttpFunction, httpHandler } from '#http/handler';
import { withIdempotency } from '#http/idempotency';
import { parseBody, parsePath, principalFrom } from '#http/request';
import { json } from '#http/response';
import { eventPublisher } from '#runtime/events';
import { tableDeps } from '#runtime/table';
import { createAssessment, replacePlan, rolloverAssessment } from '#use-cases/assessments';

const table = tableDeps({
  assessments: {
    create: assessmentTable.create,
    createRollover: assessmentTable.createRollover,
    getOverview: assessmentTable.getOverview,
    getWithPlan: assessmentTable.getWithPlan,
    replacePlan: assessmentTable.replacePlan,
    rolloverSource: assessmentTable.rolloverSource,
  },
  agencies: {
    assignOitItems: agencyTable.assignOitItems,
    create: agencyTable.create,
    getDetail: agencyTable.getDetail,
  },
});

const deps = () => ({ ...table(), events: eventPublisher() });

/** POST /assessments (admin token spanning assessments). */
const create: HttpFunction = async (event) => {
  const principal = principalFrom(event);
  // Outside any one assessment: only a token spanning assessments may create one.
  authorize(principal, 'assessment.create', {});
  const request = parseBody(event, CreateAssessmentRequest);
  const { view, warnings, sync } = await createAssessment(deps(), principal, request);
  return json(
    201,
    { assessment: view, warnings, ...sync },
    { etag: etag(view.version), location: `/assessments/${view.id}` },
  );
};

/** PUT /assessments/{id}/plan, with If-Match. */
const putPlan: HttpFunction = async (event) => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, AssessmentPath);
  authorize(principal, 'plan.update', { assessmentId: id });
  const expectedVersion = ifMatchVersion(event);
  const { milestones } = parseBody(event, ReplacePlanRequest);
  const { view, warnings, sync } = await replacePlan(deps(), principal, {
    assessmentId: id,
    milestones,
    expectedVersion,
  });
  return json(200, { assessment: view, warnings, ...sync }, { etag: etag(view.version) });
};

/** POST /assessments/{id}/rollover. */
const postRollover: HttpFunction = async (event) => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, AssessmentPath);
  authorize(principal, 'assessment.rollover', { assessmentId: id });
  const request = parseBody(event, RolloverRequest);
  const { view, agencies, sync } = await rolloverAssessment(deps(), principal, { sourceId: id, request });
  return json(
    201,
    { assessment: view, agencies, rolledOverFrom: id, ...sync },
    { etag: etag(view.version), location: `/assessments/${view.id}` },
  );
};

/**
 * The assessment routes that change the plan; each publishes PlanChanged after its commit and
 * answers `schedules: "sync-requested"`, or `"sync-pending"` with a message when that publish
 * failed (the change stands; POST /assessments/{id}/schedules/sync finishes the job).
 */
export const assessments = dispatch({
  'POST /assessments': create,
  'PUT /assessments/{id}/plan': putPlan,
  'POST /assessments/{id}/rollover': postRollover,
});

export const handler = httpHandler(withIdempotency('assessments', assessments));
