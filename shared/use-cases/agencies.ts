import type { AgencyRepository } from '#adapters/dynamo/agency-repository';
import type { AssessmentRepository } from '#adapters/dynamo/assessment-repository';
import { lookAlikeAgency, newAgencySummary, oitDone, requiredSamples } from '#domain/agency';
import { auditEntry } from '#domain/audit';
import { NotFoundError, UnprocessableError, VersionConflictError } from '#domain/errors';
import type { ImprovementTask } from '#domain/improvement';
import type { Agency, AgencySummary, Framework } from '#domain/model';
import type { Principal } from '#domain/principal';
import type { CreateAgencyRequest, UpdateAgencyRequest } from '#domain/requests/agencies';

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
  const other = lookAlikeAgency(overview?.agencies ?? [], agencyId, nameTh);
  if (other) {
    throw new UnprocessableError(`agency ${other} already has this name`, [
      { path: 'nameTh', message: `ชื่อซ้ำกับหน่วยงาน ${other}` },
    ]);
  }
};

/** Where an agency write was asked for: the JSON routes, or a row of an imported sheet. */
export type AgencyWriteSource = { importRow: number } | undefined;

/**
 * Writes a new agency, its rules already checked: the summary (minimums from the framework's
 * rule, a `planned` state of each published task for it, open tasks counted) and its audit entry,
 * conditional on the id being free (409 otherwise).
 */
export const writeNewAgency = async (
  deps: { agencies: Pick<AgencyRepository, 'create'> },
  principal: Principal,
  input: {
    assessmentId: string;
    agency: Agency;
    framework: Framework;
    tasks: readonly ImprovementTask[];
    now: string;
    source?: AgencyWriteSource;
  },
): Promise<AgencySummary> => {
  const summary = newAgencySummary(input.assessmentId, input.agency, input.framework, input.now, input.tasks);
  await deps.agencies.create(
    summary,
    auditEntry(
      principal,
      {
        assessmentId: input.assessmentId,
        agencyId: input.agency.id,
        action: 'agency.create',
        target: `agency/${input.agency.id}`,
        changes: { agency: input.agency, ...input.source },
      },
      input.now,
    ),
  );
  return summary;
};

/**
 * Writes an agency's new profile, its rules already checked: the minimums recomputed from the
 * framework's rule, conditional on the summary still being at `expectedVersion` (409 otherwise).
 */
export const writeAgencyProfile = async (
  deps: { agencies: Pick<AgencyRepository, 'updateProfile'> },
  principal: Principal,
  input: {
    assessmentId: string;
    agency: Agency;
    framework: Framework;
    expectedVersion: number;
    now: string;
    source?: AgencyWriteSource;
  },
): Promise<Record<'iit' | 'eit', number>> => {
  const { id: agencyId, ...profile } = input.agency;
  const required = requiredSamples(input.framework, input.agency);
  await deps.agencies.updateProfile(
    input.assessmentId,
    input.agency,
    required,
    input.expectedVersion,
    input.now,
    auditEntry(
      principal,
      {
        assessmentId: input.assessmentId,
        agencyId,
        action: 'agency.update',
        target: `agency/${agencyId}`,
        changes: { agency: profile, required, ...input.source },
      },
      input.now,
    ),
  );
  return required;
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
  const summary = await writeNewAgency(deps, principal, {
    assessmentId: input.assessmentId,
    agency: input.agency,
    framework,
    tasks,
    now,
  });
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
  const required = await writeAgencyProfile(deps, principal, {
    assessmentId: input.assessmentId,
    agency,
    framework,
    expectedVersion: input.expectedVersion,
    now,
  });
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
