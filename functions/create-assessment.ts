import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import { authorize } from '#domain/policy';
import { CreateAssessmentRequest } from '#domain/requests';
import { etag } from '#http/conditional';
import { type HttpFunction, httpHandler } from '#http/handler';
import { withIdempotency } from '#http/idempotency';
import { parseBody, principalFrom } from '#http/request';
import { json } from '#http/response';
import { eventPublisher } from '#runtime/events';
import { tableDeps } from '#runtime/table';
import { createAssessment } from '#use-cases/assessments';

const table = tableDeps({ assessments: { create: assessmentTable.create } });

/**
 * POST /assessments (a token spanning assessments): a new assessment, with the bundled framework
 * of its year unless the body brings one. Publishes PlanChanged after its commit and answers
 * `schedules: "sync-requested"`, or `"sync-pending"` with a message when that publish failed (the
 * assessment stands; POST /assessments/{id}/schedules/sync finishes the job).
 */
export const createAssessmentRoute: HttpFunction = async (event) => {
  const principal = principalFrom(event);
  // Outside any one assessment: only a token spanning assessments may create one.
  authorize(principal, 'assessment.create', {});
  const request = parseBody(event, CreateAssessmentRequest);
  const { view, warnings, sync } = await createAssessment(
    { ...table(), events: eventPublisher() },
    principal,
    request,
  );
  return json(
    201,
    { assessment: view, warnings, ...sync },
    { etag: etag(view.version), location: `/assessments/${view.id}` },
  );
};

export const handler = httpHandler(withIdempotency('create-assessment', createAssessmentRoute));
