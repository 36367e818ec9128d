import * as agencyTable from '#adapters/dynamo/agency-repository';
import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import { SurveyPath } from '#domain/paths';
import { authorize } from '#domain/policy';
import { SurveyReportRequest } from '#domain/requests/surveys';
import { etag } from '#http/conditional';
import { httpHandler } from '#http/handler';
import { withIdempotency } from '#http/idempotency';
import { parseBody, parsePath, principalFrom } from '#http/request';
import { json } from '#http/response';
import type { HttpEvent } from '#http/types';
import { tableDeps } from '#runtime/table';
import { reportSurvey } from '#use-cases/surveys';

const deps = tableDeps({
  assessments: { getWithPlan: assessmentTable.getWithPlan },
  agencies: { getSummary: agencyTable.getSummary, saveSurvey: agencyTable.saveSurvey },
});

/** PUT /assessments/{id}/agencies/{agencyId}/surveys/{tool}: the agency reports its own count. */
export const putSurvey = async (event: HttpEvent) => {
  const principal = principalFrom(event);
  const { id, agencyId, tool } = parsePath(event, SurveyPath);
  authorize(principal, 'survey.report', { assessmentId: id, agencyId });
  const report = parseBody(event, SurveyReportRequest);
  const { survey, version } = await reportSurvey(deps(), principal, {
    assessmentId: id,
    agencyId,
    tool,
    report,
  });
  return json(200, { survey }, { etag: etag(version) });
};

export const handler = httpHandler(withIdempotency('surveys', putSurvey));
