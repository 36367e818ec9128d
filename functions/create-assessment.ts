import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import { authorize } from '#domain/policy';
import { CreateAssessmentRequest } from '#domain/requests/assessments';
import { etag } from '#http/conditional';
import { type HttpFunction, httpHandler } from '#http/handler';
import { withIdempotency } from '#http/idempotency';
import { parseBody, principalFrom } from '#http/request';
import { json } from '#http/response';
import { tableDeps } from '#runtime/table';
import { createAssessment } from '#use-cases/assessments';

const table = tableDeps({ assessments: { create: assessmentTable.create } });

/**
 * POST /assessments (a token spanning assessments): a new assessment, with the bundled framework
 * of its year unless the body brings one. Its PlanChanged is written to the outbox in the same
 * transaction as the assessment, so the answer's `schedules` is always `"sync-requested"`.
 */
export const createAssessmentRoute: HttpFunction = async (event) => {
  const principal = principalFrom(event);
  // Outside any one assessment: only a token spanning assessments may create one.
  authorize(principal, 'assessment.create', {});
  const request = parseBody(event, CreateAssessmentRequest);
  const { view, warnings, sync } = await createAssessment(table(), principal, request);
  return json(
    201,
    { assessment: view, warnings, ...sync },
    { etag: etag(view.version), location: `/assessments/${view.id}` },
  );
};

export const handler = httpHandler(withIdempotency('create-assessment', createAssessmentRoute));
