import * as agencyTable from '#adapters/dynamo/agency-repository';
import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import { AgencyPath, AssessmentPath } from '#domain/paths';
import { authorize } from '#domain/policy';
import { CreateAgencyRequest, UpdateAgencyRequest } from '#domain/requests/agencies';
import { etag, ifMatchVersion } from '#http/conditional';
import { dispatch } from '#http/dispatch';
import { type HttpFunction, httpHandler } from '#http/handler';
import { withIdempotency } from '#http/idempotency';
import { parseBody, parsePath, principalFrom } from '#http/request';
import { json } from '#http/response';
import { tableDeps } from '#runtime/table';
import { createAgency, getAgency, updateAgency } from '#use-cases/agencies';

/** The operations the agency routes call; nothing else of the table code is bundled. */
const deps = tableDeps({
  assessments: {
    getWithPlan: assessmentTable.getWithPlan,
    listTasks: assessmentTable.listTasks,
    getOverview: assessmentTable.getOverview,
  },
  agencies: {
    create: agencyTable.create,
    getSummary: agencyTable.getSummary,
    updateProfile: agencyTable.updateProfile,
  },
});

/** POST /assessments/{id}/agencies. */
const create: HttpFunction = async (event) => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, AssessmentPath);
  authorize(principal, 'agency.create', { assessmentId: id });
  const agency = parseBody(event, CreateAgencyRequest);
  const view = await createAgency(deps(), principal, { assessmentId: id, agency });
  return json(201, view, { etag: etag(view.version), location: `/assessments/${id}/agencies/${agency.id}` });
};

/** GET /assessments/{id}/agencies/{agencyId}. */
const get: HttpFunction = async (event) => {
  const principal = principalFrom(event);
  const { id, agencyId } = parsePath(event, AgencyPath);
  authorize(principal, 'agency.read', { assessmentId: id, agencyId });
  const view = await getAgency(deps(), { assessmentId: id, agencyId });
  return json(200, view, { etag: etag(view.version) });
};

/** PUT /assessments/{id}/agencies/{agencyId}, with If-Match. */
const put: HttpFunction = async (event) => {
  const principal = principalFrom(event);
  const { id, agencyId } = parsePath(event, AgencyPath);
  authorize(principal, 'agency.update', { assessmentId: id, agencyId });
  const expectedVersion = ifMatchVersion(event);
  const profile = parseBody(event, UpdateAgencyRequest);
  const view = await updateAgency(deps(), principal, {
    assessmentId: id,
    agencyId,
    profile,
    expectedVersion,
  });
  return json(200, view, { etag: etag(view.version) });
};

export const agencies = dispatch({
  'POST /assessments/{id}/agencies': create,
  'GET /assessments/{id}/agencies/{agencyId}': get,
  'PUT /assessments/{id}/agencies/{agencyId}': put,
});

export const handler = httpHandler(withIdempotency('agencies', agencies));
