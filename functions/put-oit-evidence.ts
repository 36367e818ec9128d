import * as z from 'zod/mini';
import * as agencyTable from '#adapters/dynamo/agency-repository';
import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import { SubmitEvidenceRequest } from '#domain/evidence';
import { OitItem, Slug } from '#domain/model';
import { authorize } from '#domain/policy';
import { httpHandler } from '#http/handler';
import { withIdempotency } from '#http/idempotency';
import { parseBody, parsePath, principalFrom } from '#http/request';
import { json } from '#http/response';
import type { HttpEvent } from '#http/types';
import { tableDeps } from '#runtime/table';
import { submitEvidence } from '#use-cases/submit-evidence';

const deps = tableDeps({
  assessments: { getWithPlan: assessmentTable.getWithPlan },
  agencies: { getDetail: agencyTable.getDetail, submitEvidence: agencyTable.submitEvidence },
});

const Path = z.object({ id: Slug, agencyId: Slug, itemId: OitItem.shape.id });

/** PUT /assessments/{id}/agencies/{agencyId}/oit/{itemId}: an agency records evidence for an item. */
export const putOitEvidence = async (event: HttpEvent) => {
  const principal = principalFrom(event);
  const path = parsePath(event, Path);
  // Whether the item is assigned to this agency is the repository's 404, not the policy's.
  authorize(principal, 'oit.submit', { assessmentId: path.id, agencyId: path.agencyId });
  const request = parseBody(event, SubmitEvidenceRequest);
  const evidence = await submitEvidence(deps(), principal, {
    assessmentId: path.id,
    agencyId: path.agencyId,
    itemId: path.itemId,
    request,
  });
  return json(200, { evidence });
};

export const handler = httpHandler(withIdempotency('put-oit-evidence', putOitEvidence));
