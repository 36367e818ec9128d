import type { AgencyRepository } from '#adapters/dynamo/agency-repository';
import type { AssessmentRepository } from '#adapters/dynamo/assessment-repository';
import { auditEntry } from '#domain/audit';
import type { Principal } from '#domain/auth';
import { NotFoundError, VersionConflictError } from '#domain/errors';
import type { SurveyProgress, SurveyTool } from '#domain/model';
import type { SurveyReportRequest } from '#domain/requests';
import { applySurveyReport } from '#domain/survey';
import { todayIn } from '#domain/thai-date';

export type SurveyDeps = {
  assessments: AssessmentRepository;
  agencies: AgencyRepository;
  now: () => Date;
  /** Runs reports for one agency one after another within this process (see {@link keyedQueue}). */
  queue?: KeyedQueue;
};

export type KeyedQueue = <T>(key: string, task: () => Promise<T>) => Promise<T>;

/**
 * Reports for one agency queued one after another in this process. Correctness does not depend
 * on it (the version condition does that across processes); it spares a busy process (the local
 * server, a burst on one warm Lambda) from reports that would only fail the condition and retry.
 */
export const keyedQueue = (): KeyedQueue => {
  const tails = new Map<string, Promise<unknown>>();
  return (key, task) => {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
};

/** Enough for a hundred reports racing on one agency: each round one of them wins. */
const MAX_ATTEMPTS = 250;

const pause = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(250, 4 * 2 ** Math.min(attempt, 6))));

/**
 * PUT /assessments/{id}/agencies/{agencyId}/surveys/{tool}: records a survey count.
 *
 * Read the summary, apply the report (pure rules in `#domain/survey`), write it back on the
 * condition that the summary's version is still the one read. When another write came first the
 * report is applied again to what that write left, so no report is lost and none is applied
 * twice; a report that the newer state makes invalid (the count would go down) is refused then.
 */
export const reportSurvey = (
  deps: SurveyDeps,
  principal: Principal,
  input: { assessmentId: string; agencyId: string; tool: SurveyTool; report: SurveyReportRequest },
): Promise<{ survey: SurveyProgress; version: number }> =>
  deps.queue
    ? deps.queue(`${input.assessmentId}/${input.agencyId}`, () => report(deps, principal, input))
    : report(deps, principal, input);

const report = async (
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
    summary = outcome.current ?? (await deps.agencies.getSummary(input.assessmentId, input.agencyId));
  }
  throw new VersionConflictError(
    'the agency is being updated by many reports at once; send the report again',
  );
};
