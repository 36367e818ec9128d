import type { AgencyRepository } from '#adapters/dynamo/agency-repository';
import type { AssessmentRepository } from '#adapters/dynamo/assessment-repository';
import { newAgencySummary, oitDone, requiredSamples } from '#domain/agency';
import { auditEntry } from '#domain/audit';
import type { Principal } from '#domain/auth';
import { NotFoundError, UnprocessableError, VersionConflictError } from '#domain/errors';
import { type AgencySummary, cleanName } from '#domain/model';
import type { CreateAgencyRequest, UpdateAgencyRequest } from '#domain/requests';

export type AgencyDeps = {
  assessments: Pick<AssessmentRepository, 'getWithPlan' | 'listTasks' | 'getOverview'>;
  agencies: Pick<AgencyRepository, 'create' | 'getSummary' | 'updateProfile'>;
  now: () => Date;
};

/** An agency's profile, the minimum samples its headcounts require, and its counters. */
export const agencyView = (summary: AgencySummary) => ({
  assessmentId: summary.assessmentId,
  agency: summary.agency,
  required: { iit: summary.surveys.iit.required, eit: summary.surveys.eit.required },
  oit: { ...summary.oit, done: oitDone(summary) },
  surveys: summary.surveys,
  openTasks: summary.openTasks,
  version: summary.version,
  updatedAt: summary.updatedAt,
});
export type AgencyView = ReturnType<typeof agencyView>;

const frameworkOf = async (deps: AgencyDeps, assessmentId: string) => {
  const plan = await deps.assessments.getWithPlan(assessmentId);
  if (!plan) throw new NotFoundError(`assessment ${assessmentId} not found`);
  return plan.assessment.framework;
};

/**
 * Two agencies of one assessment whose names read the same (after NFC, invisible characters
 * removed and spaces collapsed) would be told apart in no report, so the second is refused.
 */
const refuseLookAlikeName = async (
  deps: AgencyDeps,
  assessmentId: string,
  agencyId: string,
  nameTh: string,
) => {
  const overview = await deps.assessments.getOverview(assessmentId);
  const wanted = cleanName(nameTh);
  const other = overview?.agencies.find(
    (s) => s.agency.id !== agencyId && cleanName(s.agency.nameTh) === wanted,
  );
  if (other) {
    throw new UnprocessableError(`agency ${other.agency.id} already has this name`, [
      { path: 'nameTh', message: `ชื่อซ้ำกับหน่วยงาน ${other.agency.id}` },
    ]);
  }
};

/**
 * POST /assessments/{id}/agencies: the agency with its minimum samples computed from the
 * framework's rule, and its own `planned` state of every published task for all agencies, in the
 * same Put (open tasks counted there too).
 */
export const createAgency = async (
  deps: AgencyDeps,
  principal: Principal,
  input: { assessmentId: string; agency: CreateAgencyRequest },
): Promise<AgencyView> => {
  const now = deps.now().toISOString();
  const [framework, tasks] = await Promise.all([
    frameworkOf(deps, input.assessmentId),
    deps.assessments.listTasks(input.assessmentId),
    refuseLookAlikeName(deps, input.assessmentId, input.agency.id, input.agency.nameTh),
  ]);
  const summary = newAgencySummary(input.assessmentId, input.agency, framework, now, tasks);
  await deps.agencies.create(
    summary,
    auditEntry(
      principal,
      {
        assessmentId: input.assessmentId,
        agencyId: input.agency.id,
        action: 'agency.create',
        target: `agency/${input.agency.id}`,
        changes: { agency: input.agency },
      },
      now,
    ),
  );
  return agencyView(summary);
};

/** GET /assessments/{id}/agencies/{agencyId}. */
export const getAgency = async (
  deps: AgencyDeps,
  input: { assessmentId: string; agencyId: string },
): Promise<AgencyView> => {
  const summary = await deps.agencies.getSummary(input.assessmentId, input.agencyId);
  if (!summary) throw new NotFoundError(`agency ${input.agencyId} not found in ${input.assessmentId}`);
  return agencyView(summary);
};

/** PUT /assessments/{id}/agencies/{agencyId}: new profile, minimums recomputed, if the caller saw the current version. */
export const updateAgency = async (
  deps: AgencyDeps,
  principal: Principal,
  input: { assessmentId: string; agencyId: string; profile: UpdateAgencyRequest; expectedVersion: number },
): Promise<AgencyView> => {
  const now = deps.now().toISOString();
  const [framework, summary] = await Promise.all([
    frameworkOf(deps, input.assessmentId),
    deps.agencies.getSummary(input.assessmentId, input.agencyId),
  ]);
  if (!summary) throw new NotFoundError(`agency ${input.agencyId} not found in ${input.assessmentId}`);
  if (summary.version !== input.expectedVersion) throw new VersionConflictError();
  await refuseLookAlikeName(deps, input.assessmentId, input.agencyId, input.profile.nameTh);
  const agency = { id: input.agencyId, ...input.profile };
  const required = requiredSamples(framework, agency);
  await deps.agencies.updateProfile(
    input.assessmentId,
    agency,
    required,
    input.expectedVersion,
    now,
    auditEntry(
      principal,
      {
        assessmentId: input.assessmentId,
        agencyId: input.agencyId,
        action: 'agency.update',
        target: `agency/${input.agencyId}`,
        changes: { agency: input.profile, required },
      },
      now,
    ),
  );
  return agencyView({
    ...summary,
    agency,
    surveys: {
      iit: { ...summary.surveys.iit, required: required.iit },
      eit: { ...summary.surveys.eit, required: required.eit },
    },
    version: input.expectedVersion + 1,
    updatedAt: now,
  });
};
