import type { AgencyRepository } from '#adapters/dynamo/agency-repository';
import type { AssessmentRepository } from '#adapters/dynamo/assessment-repository';
import { auditEntry } from '#domain/audit';
import { ConflictError, NotFoundError, UnprocessableError, VersionConflictError } from '#domain/errors';
import { planChanged } from '#domain/events';
import { frameworkProblems, loadDefaultFramework, UnknownFrameworkYearError } from '#domain/framework';
import type { Assessment, Framework, Milestone } from '#domain/model';
import { checkPlan, type PlanWarning } from '#domain/plan-check';
import { mayCreateAssessments } from '#domain/policy';
import type { Principal } from '#domain/principal';
import type { CreateAssessmentRequest, RolloverRequest } from '#domain/requests/assessments';
import { rollover } from '#domain/rollover';
import { fiscalYearWindow } from '#domain/thai-date';
import { assessmentView } from '#domain/views';
import { type ScheduleSyncOutcome, SYNC_REQUESTED } from './schedules.ts';

/**
 * What every use case here needs besides its table operations. Their PlanChanged is written by
 * the repository in the change's own transaction (the outbox), so no publisher is needed.
 */
type PublishingDeps = { now: () => Date };

export type CreateAssessmentDeps = PublishingDeps & { assessments: Pick<AssessmentRepository, 'create'> };

export type ReplacePlanDeps = PublishingDeps & {
  assessments: Pick<AssessmentRepository, 'getWithPlan' | 'replacePlan'>;
};

/** What a write of the plan answers: the assessment's view, the plan's warnings and the schedules' sync. */
export type PlanChangeOutcome = {
  view: ReturnType<typeof assessmentView>;
  warnings: PlanWarning[];
  sync: ScheduleSyncOutcome;
};

export type RolloverDeps = PublishingDeps & {
  assessments: Pick<
    AssessmentRepository,
    'createRollover' | 'getOverview' | 'getWithPlan' | 'rolloverSource'
  >;
  agencies: Pick<AgencyRepository, 'assignOitItems' | 'create' | 'getDetail'>;
};

/**
 * DynamoDB's cap on one transaction; the plan, its assessment item, the audit entry and the
 * PlanChanged outbox item share it. A change over it is refused (422), never split: split, the
 * first part would commit and announce a plan the second part had not written yet.
 */
const MAX_TRANSACTION_ITEMS = 100;

const frameworkFor = (request: CreateAssessmentRequest): Framework => {
  if (!request.framework) {
    try {
      return loadDefaultFramework(request.fiscalYear);
    } catch (error) {
      if (error instanceof UnknownFrameworkYearError)
        throw new UnprocessableError(`there is no bundled framework for fiscal year ${request.fiscalYear}`, [
          {
            path: 'fiscalYear',
            message: `bundled years: ${error.knownYears.join(', ')}; or send the framework in the body`,
          },
        ]);
      throw error;
    }
  }
  const problems = [
    ...(request.framework.fiscalYear === request.fiscalYear
      ? []
      : [`the framework is for ${request.framework.fiscalYear}, not ${request.fiscalYear}`]),
    ...frameworkProblems(request.framework),
  ];
  if (problems.length > 0)
    throw new UnprocessableError(
      'the framework is inconsistent',
      problems.map((message) => ({ path: 'framework', message })),
    );
  return request.framework;
};

/** POST /assessments: a new assessment for a fiscal year, with an optional first plan. */
export const createAssessment = async (
  deps: CreateAssessmentDeps,
  principal: Principal,
  request: CreateAssessmentRequest,
): Promise<PlanChangeOutcome> => {
  const now = deps.now().toISOString();
  const framework = frameworkFor(request);
  const window = fiscalYearWindow(request.fiscalYear);
  const milestones = request.milestones ?? [];
  // The assessment item, every milestone, the audit entry and the outbox item are one transaction:
  // over DynamoDB's cap it would fail as a 500, so a plan that cannot fit is the caller's to split (422).
  const items = 1 + milestones.length + 1 + 1;
  if (items > MAX_TRANSACTION_ITEMS)
    throw new UnprocessableError('the plan has too many milestones to create in one step', [
      { path: 'milestones', message: `${items} items; at most ${MAX_TRANSACTION_ITEMS}` },
    ]);
  const warnings = checkPlan(milestones, window);
  const assessment: Assessment = {
    id: request.id,
    unitName: request.unitName,
    fiscalYear: request.fiscalYear,
    window,
    timeZone: 'Asia/Bangkok',
    framework,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  await deps.assessments.create(
    { assessment, milestones, tasks: [], results: [] },
    auditEntry(
      principal,
      {
        assessmentId: assessment.id,
        action: 'assessment.create',
        target: `assessment/${assessment.id}`,
        changes: { unitName: assessment.unitName, fiscalYear: assessment.fiscalYear, milestones },
      },
      now,
    ),
    [planChanged(assessment.id, now)],
  );
  return { view: assessmentView(assessment, milestones), warnings, sync: SYNC_REQUESTED };
};

/**
 * PUT /assessments/{id}/plan: replaces the milestones if the caller saw the current version.
 * Windows outside the fiscal year are accepted and named in `warnings`.
 */
export const replacePlan = async (
  deps: ReplacePlanDeps,
  principal: Principal,
  input: { assessmentId: string; milestones: Milestone[]; expectedVersion: number },
): Promise<PlanChangeOutcome> => {
  const now = deps.now().toISOString();
  const current = await deps.assessments.getWithPlan(input.assessmentId);
  if (!current) throw new NotFoundError(`assessment ${input.assessmentId} not found`);
  if (current.assessment.version !== input.expectedVersion) throw new VersionConflictError();
  const warnings = checkPlan(input.milestones, current.assessment.window);
  const keep = new Set(input.milestones.map((m) => m.number));
  const removed = current.milestones.filter((m) => !keep.has(m.number)).length;
  // The assessment item, the audit entry and the outbox item besides the milestones.
  if (input.milestones.length + removed + 3 > MAX_TRANSACTION_ITEMS)
    throw new UnprocessableError('the plan changes too many milestones at once', [
      {
        path: 'milestones',
        message: `replace it in two steps: at most ${MAX_TRANSACTION_ITEMS - 3} milestones written and removed`,
      },
    ]);
  await deps.assessments.replacePlan(
    input.assessmentId,
    input.milestones,
    input.expectedVersion,
    now,
    auditEntry(
      principal,
      {
        assessmentId: input.assessmentId,
        action: 'plan.update',
        target: `assessment/${input.assessmentId}/plan`,
        changes: { milestones: input.milestones, removed },
      },
      now,
    ),
    [planChanged(input.assessmentId, now)],
  );
  const updated = { ...current.assessment, version: input.expectedVersion + 1, updatedAt: now };
  return { view: assessmentView(updated, input.milestones), warnings, sync: SYNC_REQUESTED };
};

/**
 * POST /assessments/{id}/rollover: next year's assessment from this one. The assessment, its
 * plan, tasks, results and a marker naming the source are one conditional transaction; agencies
 * follow one by one, each skipped if already there. A retry after a failure part-way therefore
 * finishes the job, a retry after success changes nothing, and an id taken by anything else is a 409.
 */
export const rolloverAssessment = async (
  deps: RolloverDeps,
  principal: Principal,
  input: { sourceId: string; request: RolloverRequest },
): Promise<{ view: ReturnType<typeof assessmentView>; agencies: number; sync: ScheduleSyncOutcome }> => {
  const now = deps.now().toISOString();
  const overview = await deps.assessments.getOverview(input.sourceId);
  if (!overview) throw new NotFoundError(`assessment ${input.sourceId} not found`);
  const agencies = await Promise.all(
    overview.agencies.map(async (summary) => {
      const detail = await deps.agencies.getDetail(input.sourceId, summary.agency.id);
      return { summary, evidence: detail?.evidence ?? [] };
    }),
  );
  const next = rollover({ ...overview, agencies }, input.request, now, mayCreateAssessments(principal));
  const newId = next.assessment.id;
  // The assessment, its marker, the plan, tasks and results, the audit entry and the outbox item.
  const items = 2 + next.milestones.length + next.tasks.length + next.results.length + 1 + 1;
  if (items > MAX_TRANSACTION_ITEMS)
    throw new UnprocessableError('the plan is too large to roll over in one step', [
      { path: '(body)', message: `${items} items; at most ${MAX_TRANSACTION_ITEMS}` },
    ]);
  const audit = (action: string, agencyId?: string) =>
    auditEntry(
      principal,
      {
        assessmentId: newId,
        ...(agencyId ? { agencyId } : {}),
        action,
        target: agencyId ? `agency/${agencyId}` : `assessment/${newId}`,
        changes: { rolledOverFrom: input.sourceId, fiscalYear: next.assessment.fiscalYear },
      },
      now,
    );
  try {
    // PlanChanged commits with the assessment: the schedules follow from the plan alone, and the
    // agencies the loop below adds are read by each schedule when it fires.
    await deps.assessments.createRollover(next, input.sourceId, audit('assessment.rollover'), [
      planChanged(newId, now),
    ]);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const source = await deps.assessments.rolloverSource(newId);
    if (source !== input.sourceId) throw error;
  }
  for (const { summary, items: itemIds } of next.agencies) {
    try {
      await deps.agencies.create(summary, audit('agency.create', summary.agency.id));
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
    if (itemIds.length > 0)
      await deps.agencies.assignOitItems(
        newId,
        summary.agency.id,
        itemIds,
        now,
        audit('oit.assign', summary.agency.id),
      );
  }
  const created = await deps.assessments.getWithPlan(newId);
  if (!created) throw new Error(`rolled-over assessment ${newId} is not readable`);
  return {
    view: assessmentView(created.assessment, created.milestones),
    agencies: next.agencies.length,
    sync: SYNC_REQUESTED,
  };
};
