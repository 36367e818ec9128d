import * as agencyTable from '#adapters/dynamo/agency-repository';
import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import * as linkTable from '#adapters/dynamo/link-repository';
import { UnassignOitQuery } from '#domain/oit-matrix';
import { AgencyPath, AssessmentPath, EvidencePath } from '#domain/paths';
import { authorize } from '#domain/policy';
import {
  AssignOitItemsRequest,
  OitListQuery,
  ReplaceOitCatalogRequest,
  ReviewEvidenceRequest,
} from '#domain/requests/oit';
import { etag, ifMatchVersion, optionalIfMatchVersion } from '#http/conditional';
import { dispatch } from '#http/dispatch';
import { type HttpFunction, httpHandler } from '#http/handler';
import { withIdempotency } from '#http/idempotency';
import { parseBody, parsePath, parseQuery, principalFrom } from '#http/request';
import { json } from '#http/response';
import { tableDeps } from '#runtime/table';
import {
  assignOitItems,
  getOitMatrix,
  listOitByStatus,
  replaceOitCatalog,
  reviewEvidence,
  unassignOitItem,
} from '#use-cases/oit';

const deps = tableDeps({
  assessments: {
    getWithPlan: assessmentTable.getWithPlan,
    replaceFramework: assessmentTable.replaceFramework,
  },
  agencies: {
    assignOitItems: agencyTable.assignOitItems,
    assignedItemIds: agencyTable.assignedItemIds,
    getEvidence: agencyTable.getEvidence,
    getSummary: agencyTable.getSummary,
    listAgencyItems: agencyTable.listAgencyItems,
    listEvidenceByStatus: agencyTable.listEvidenceByStatus,
    reviewEvidence: agencyTable.reviewEvidence,
    unassignOitItem: agencyTable.unassignOitItem,
  },
  links: { listLinks: linkTable.listLinks },
});

/** PUT /assessments/{id}/oit/catalog (If-Match optional). */
const putCatalog: HttpFunction = async (event) => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, AssessmentPath);
  authorize(principal, 'framework.update', { assessmentId: id });
  const expectedVersion = optionalIfMatchVersion(event);
  const { items } = parseBody(event, ReplaceOitCatalogRequest);
  const result = await replaceOitCatalog(deps(), principal, {
    assessmentId: id,
    items,
    expectedVersion,
  });
  return json(200, result, { etag: etag(result.version) });
};

/** PUT /assessments/{id}/agencies/{agencyId}/oit-assignments. */
const putAssignments: HttpFunction = async (event) => {
  const principal = principalFrom(event);
  const { id, agencyId } = parsePath(event, AgencyPath);
  authorize(principal, 'oit.assign', { assessmentId: id, agencyId });
  const { items } = parseBody(event, AssignOitItemsRequest);
  return json(200, await assignOitItems(deps(), principal, { assessmentId: id, agencyId, items }));
};

/**
 * DELETE /assessments/{id}/agencies/{agencyId}/oit-assignments/{itemId}[?confirm=true]: takes the
 * item back; one holding evidence needs `confirm=true` (409 `evidence_exists` otherwise).
 */
const deleteAssignment: HttpFunction = async (event) => {
  const principal = principalFrom(event);
  const { id, agencyId, itemId } = parsePath(event, EvidencePath);
  authorize(principal, 'oit.assign', { assessmentId: id, agencyId });
  const { confirm } = parseQuery(event, UnassignOitQuery);
  return json(
    200,
    await unassignOitItem(deps(), principal, {
      assessmentId: id,
      agencyId,
      itemId,
      confirm: confirm === 'true',
    }),
  );
};

/** GET /assessments/{id}/oit-assignments: the assignment matrix (catalog x agencies) in one answer. */
const getMatrix: HttpFunction = async (event) => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, AssessmentPath);
  authorize(principal, 'oit.read', { assessmentId: id });
  return json(200, await getOitMatrix(deps(), { assessmentId: id }));
};

/**
 * POST /assessments/{id}/agencies/{agencyId}/oit/{itemId}/review (approver), with If-Match: the
 * evidence's `version` as the approver saw it in the queue or on the agency's page.
 */
const postReview: HttpFunction = async (event) => {
  const principal = principalFrom(event);
  const { id, agencyId, itemId } = parsePath(event, EvidencePath);
  authorize(principal, 'oit.review', { assessmentId: id, agencyId });
  const expectedVersion = ifMatchVersion(event);
  const review = parseBody(event, ReviewEvidenceRequest);
  const evidence = await reviewEvidence(deps(), principal, {
    assessmentId: id,
    agencyId,
    itemId,
    review,
    expectedVersion,
  });
  return json(200, { evidence }, { etag: etag(evidence.version) });
};

/** GET /assessments/{id}/oit?status=. */
const list: HttpFunction = async (event) => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, AssessmentPath);
  authorize(principal, 'oit.read', { assessmentId: id });
  const { status } = parseQuery(event, OitListQuery);
  return json(200, await listOitByStatus(deps(), { assessmentId: id, status }));
};

export const oit = dispatch({
  'PUT /assessments/{id}/oit/catalog': putCatalog,
  'PUT /assessments/{id}/agencies/{agencyId}/oit-assignments': putAssignments,
  'DELETE /assessments/{id}/agencies/{agencyId}/oit-assignments/{itemId}': deleteAssignment,
  'GET /assessments/{id}/oit-assignments': getMatrix,
  'POST /assessments/{id}/agencies/{agencyId}/oit/{itemId}/review': postReview,
  'GET /assessments/{id}/oit': list,
});

export const handler = httpHandler(withIdempotency('oit', oit));
