import type { AssessmentRepository } from '#adapters/dynamo/assessment-repository';
import {
  type Analysis,
  analyseQuestions,
  type Comparison,
  compareYears,
  draftTaskId,
  draftTasks,
  type QuestionResults,
  type QuestionResultsRequest,
  resultsHistory,
  type YearResultView,
} from '#domain/analysis';
import { auditEntry } from '#domain/audit';
import { ConflictError, NotFoundError } from '#domain/errors';
import type { ImprovementTask } from '#domain/improvement';
import { authorize } from '#domain/policy';
import type { Principal } from '#domain/principal';

export type ResultsDeps = {
  assessments: Pick<
    AssessmentRepository,
    'createTask' | 'getOverview' | 'getQuestionResults' | 'listTasks' | 'putQuestionResults'
  >;
  now: () => Date;
};

const overviewOf = async (deps: ResultsDeps, assessmentId: string) => {
  const overview = await deps.assessments.getOverview(assessmentId);
  if (!overview) throw new NotFoundError(`assessment ${assessmentId} not found`);
  return overview;
};

const questionsOf = async (deps: ResultsDeps, assessmentId: string, fiscalYear: number) => {
  const found = await deps.assessments.getQuestionResults(assessmentId, fiscalYear);
  if (!found) throw new NotFoundError(`no question results imported for ${fiscalYear} in ${assessmentId}`);
  return found;
};

/** Every year's results with computed totals, grade, label, the published values and deltas. */
export const listResults = async (
  deps: ResultsDeps,
  principal: Principal,
  assessmentId: string,
): Promise<{ assessmentId: string; years: YearResultView[] }> => {
  authorize(principal, 'forecast.read', { assessmentId });
  const overview = await overviewOf(deps, assessmentId);
  return { assessmentId, years: resultsHistory(overview.assessment.framework, overview.results) };
};

/**
 * Imports (or replaces) a year's official per-question results.
 *
 * 1. Authorize `results.manage`.
 * 2. Read the stored version, if any, and write the new one on condition that it is unchanged
 *    (a first import: that none exists), with the audit entry in the same transaction.
 */
export const importQuestionResults = async (
  deps: ResultsDeps,
  principal: Principal,
  input: { assessmentId: string; fiscalYear: number; request: QuestionResultsRequest },
): Promise<{ results: QuestionResults; created: boolean }> => {
  authorize(principal, 'results.manage', { assessmentId: input.assessmentId });
  const at = deps.now().toISOString();
  const existing = await deps.assessments.getQuestionResults(input.assessmentId, input.fiscalYear);
  const results: QuestionResults = {
    assessmentId: input.assessmentId,
    fiscalYear: input.fiscalYear,
    iit: input.request.iit as Record<string, number>,
    eit: input.request.eit as Record<string, number>,
    oit: input.request.oit as Record<string, number>,
    texts: (input.request.texts ?? {}) as Record<string, string>,
    importedAt: at,
    importedBy: principal.tokenId,
    version: (existing?.version ?? 0) + 1,
  };
  const counts = {
    iit: Object.keys(results.iit).length,
    eit: Object.keys(results.eit).length,
    oit: Object.keys(results.oit).length,
  };
  await deps.assessments.putQuestionResults(
    results,
    existing?.version ?? null,
    auditEntry(
      principal,
      {
        assessmentId: input.assessmentId,
        action: 'results.import',
        target: `results/${input.fiscalYear}/questions`,
        changes: { questions: counts, version: results.version },
      },
      at,
    ),
  );
  return { results, created: existing === null };
};

/** The year's questions under `threshold`, grouped by theme. */
export const analyseResults = async (
  deps: ResultsDeps,
  principal: Principal,
  input: { assessmentId: string; fiscalYear: number; threshold: number },
): Promise<Analysis> => {
  authorize(principal, 'forecast.read', { assessmentId: input.assessmentId });
  const [questions, tasks] = await Promise.all([
    questionsOf(deps, input.assessmentId, input.fiscalYear),
    deps.assessments.listTasks(input.assessmentId),
  ]);
  return analyseQuestions(questions, input.threshold, tasks);
};

/**
 * Creates draft improvement tasks from the year's weak questions.
 *
 * 1. Authorize `task.create`.
 * 2. Analyse as above; one `draft` task per weak question with a deterministic id. A draft gives
 *    no agency a state, so the pace rules and emails leave it alone until the admin publishes it
 *    (PATCH to `planned`, usually with `responsibleAgencies`).
 * 3. Put each task on condition that the id is free, with its audit entry: a repeated call (or a
 *    retry after a timeout) finds its tasks there and creates nothing twice, and never overwrites
 *    a draft the secretariat has since edited.
 */
export const createDraftTasks = async (
  deps: ResultsDeps,
  principal: Principal,
  input: { assessmentId: string; fiscalYear: number; threshold: number },
): Promise<{ created: string[]; existing: string[]; tasks: ImprovementTask[] }> => {
  authorize(principal, 'task.create', { assessmentId: input.assessmentId });
  const [questions, tasks] = await Promise.all([
    questionsOf(deps, input.assessmentId, input.fiscalYear),
    deps.assessments.listTasks(input.assessmentId),
  ]);
  const analysis = analyseQuestions(questions, input.threshold, tasks);
  const ownDrafts = new Set(
    analysis.groups.flatMap((g) => g.questions.map((q) => draftTaskId(input.fiscalYear, q.code))),
  );
  const drafts = draftTasks(
    analysis,
    tasks.filter((t) => !ownDrafts.has(t.id)),
  ).map((t) => ({ ...t, version: 1 }));
  const created: string[] = [];
  const existing: string[] = [];
  const at = deps.now().toISOString();
  for (const task of drafts) {
    try {
      await deps.assessments.createTask(
        input.assessmentId,
        task,
        auditEntry(
          principal,
          {
            assessmentId: input.assessmentId,
            action: 'task.draft',
            target: `tasks/${task.id}`,
            changes: {
              fromResults: input.fiscalYear,
              question: task.questions[0]?.code,
              status: task.status,
            },
          },
          at,
        ),
      );
      created.push(task.id);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      existing.push(task.id);
    }
  }
  return { created, existing, tasks: drafts };
};

/** Year `from` against year `to`, per tool and per indicator. */
export const compareResults = async (
  deps: ResultsDeps,
  principal: Principal,
  input: { assessmentId: string; from: number; to: number },
): Promise<Comparison> => {
  authorize(principal, 'forecast.read', { assessmentId: input.assessmentId });
  const [overview, from, to] = await Promise.all([
    overviewOf(deps, input.assessmentId),
    deps.assessments.getQuestionResults(input.assessmentId, input.from),
    deps.assessments.getQuestionResults(input.assessmentId, input.to),
  ]);
  for (const [year, questions] of [
    [input.from, from],
    [input.to, to],
  ] as const) {
    if (!questions && !overview.results.some((r) => r.fiscalYear === year))
      throw new NotFoundError(`no results for ${year} in ${input.assessmentId}`);
  }
  return compareYears(overview.assessment.framework, {
    from: input.from,
    to: input.to,
    results: overview.results,
    questions: { from, to },
  });
};
