import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import { AssessmentPath } from '#domain/paths';
import { authorize } from '#domain/policy';
import { AuditQuery } from '#domain/requests/audit';
import { httpHandler } from '#http/handler';
import { parsePath, parseQuery, principalFrom } from '#http/request';
import { json } from '#http/response';
import type { HttpEvent } from '#http/types';
import { tableDeps } from '#runtime/table';
import { listAudit } from '#use-cases/audit';

const deps = tableDeps({
  assessments: { getWithPlan: assessmentTable.getWithPlan, listAudit: assessmentTable.listAudit },
});

/** GET /assessments/{id}/audit?agencyId=&action=&since=&until=&limit=&nextToken=. */
export const getAudit = async (event: HttpEvent) => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, AssessmentPath);
  const query = parseQuery(event, AuditQuery);
  authorize(principal, 'audit.read', {
    assessmentId: id,
    ...(query.agencyId ? { agencyId: query.agencyId } : {}),
  });
  return json(200, await listAudit(deps(), { assessmentId: id, query }));
};

export const handler = httpHandler(getAudit);
