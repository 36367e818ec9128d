import type { AgencyRepository } from '#adapters/dynamo/agency-repository';
import type { AssessmentRepository } from '#adapters/dynamo/assessment-repository';
import { auditEntry } from '#domain/audit';
import { NotFoundError, VersionConflictError } from '#domain/errors';
import type { SurveyProgress, SurveyTool } from '#domain/model';
import type { Principal } from '#domain/principal';
import type { SurveyReportRequest } from '#domain/requests/surveys';
import { applySurveyReport } from '#domain/survey';
import { todayIn } from '#domain/thai-date';

export type SurveyDeps = {
  assessments: Pick<AssessmentRepository, 'getWithPlan'>;
  agencies: Pick<AgencyRepository, 'getSummary' | 'saveSurvey'>;
  now: () => Date;
};

/**
 * The retry budget of one report against others on the same agency. Every report for an agency
 * writes its one summary item, and in AWS parallel requests run in different Lambda containers,
 * so nothing serialises them but the version condition: each round one writer wins and the rest
 * apply their report again to what it left. Full jitter growing to BACKOFF_CAP_MS spreads the
 * losers out; 100 reports at once on one agency on DynamoDB Local (slower than DynamoDB) needed
 * at most 17 attempts each, so 60 leaves a wide margin while keeping the worst case (about
 * 30 s of waiting) near API Gateway's timeout. A report still losing then is a 409, never lost.
 */
const MAX_ATTEMPTS = 60;
const BACKOFF_BASE_MS = 20;
const BACKOFF_CAP_MS = 1000;

const pause = (attempt: number) =>
  new Promise((resolve) =>
    setTimeout(
      resolve,
      Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 10)),
    ),
  );

/**
 * PUT /assessments/{id}/agencies/{agencyId}/surveys/{tool}: records a survey count.
 *
 * Read the summary, apply the report (pure rules in `#domain/survey`), write it back on the
 * condition that the summary's version is still the one read. When another write came first the
 * report is applied again to what that write left, so no report is lost and none is applied
 * twice; a report that the newer state makes invalid (the count would go down) is refused then.
 */
export const reportSurvey = async (
  deps: SurveyDeps,
  principal: Principal,
  input: { assessmentId: string; agencyId: string; tool: SurveyTool; report: SurveyReportRequest },
): Promise<{ survey: SurveyProgress; version: number }> => {
  const plan = await deps.assessments.getWithPlan(input.assessmentId);
  if (!plan) throw new NotFoundError(`assessment ${input.assessmentId} not found`);
  const collection =
    plan.milestones.find((m) => m.tracks === 'survey_collection')?.window ?? plan.assessment.window;
  let summary = await deps.agencies.getSummary(input.assessmentId, input.agencyId);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    if (!summary) throw new NotFoundError(`agency ${input.agencyId} not found in ${input.assessmentId}`);
    const at = deps.now();
    const now = at.toISOString();
    const survey = applySurveyReport(summary.surveys[input.tool], input.report, {
      today: todayIn(plan.assessment.timeZone, at),
      collection,
    });
    const outcome = await deps.agencies.saveSurvey(
      input.assessmentId,
      input.agencyId,
      survey,
      summary.version,
      now,
      auditEntry(
        principal,
        {
          assessmentId: input.assessmentId,
          agencyId: input.agencyId,
          action: 'survey.report',
          target: `survey/${input.tool}`,
          changes: {
            responses: input.report.responses,
            asOf: input.report.asOf,
            ...(input.report.correction ? { correction: true, reason: input.report.reason } : {}),
          },
        },
        now,
      ),
    );
    if (outcome.saved) return { survey, version: summary.version + 1 };
    await pause(attempt);
    // Read again after the pause: the state the failed write saw is likely stale by now.
    summary = await deps.agencies.getSummary(input.assessmentId, input.agencyId);
  }
  throw new VersionConflictError(
    'the agency is being updated by many reports at once; send the report again',
  );
};
