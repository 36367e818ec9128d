import * as z from 'zod/mini';
import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import { QuestionResultsRequest } from '#domain/analysis';
import { DecimalNumber, FiscalYearParam } from '#domain/paths';
import { authorize } from '#domain/policy';
import { Slug } from '#domain/primitives';
import { dispatch } from '#http/dispatch';
import { httpHandler } from '#http/handler';
import { parseBody, parsePath, parseQuery, principalFrom } from '#http/request';
import { json } from '#http/response';
import type { HttpEvent, HttpResult } from '#http/types';
import { tableDeps } from '#runtime/table';
import {
  analyseResults,
  compareResults,
  createDraftTasks,
  importQuestionResults,
  listResults,
} from '#use-cases/results';

const deps = tableDeps({
  assessments: {
    createTask: assessmentTable.createTask,
    getOverview: assessmentTable.getOverview,
    getQuestionResults: assessmentTable.getQuestionResults,
    listTasks: assessmentTable.listTasks,
    putQuestionResults: assessmentTable.putQuestionResults,
  },
});

const Year = FiscalYearParam;
const AssessmentPath = z.object({ id: Slug });
const YearPath = z.object({ id: Slug, fiscalYear: Year });
const ThresholdQuery = z.object({
  threshold: z._default(z.pipe(DecimalNumber, z.number().check(z.gte(0), z.lte(100))), 85),
});
const CompareQuery = z.object({ from: Year, to: Year });

/** GET /assessments/{id}/results: every year with computed totals, published values and deltas. */
export const getResults = async (event: HttpEvent): Promise<HttpResult> => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, AssessmentPath);
  return json(200, await listResults(deps(), principal, id));
};

/** PUT /assessments/{id}/results/{fiscalYear}/questions: imports the year's per-question results. */
export const putQuestions = async (event: HttpEvent): Promise<HttpResult> => {
  const principal = principalFrom(event);
  const { id, fiscalYear } = parsePath(event, YearPath);
  // Refuse a caller without the right before reading the body: a 403, not a 400 about its shape.
  authorize(principal, 'results.manage', { assessmentId: id });
  const request = parseBody(event, QuestionResultsRequest);
  const { results, created } = await importQuestionResults(deps(), principal, {
    assessmentId: id,
    fiscalYear,
    request,
  });
  return json(created ? 201 : 200, { results });
};

/** GET /assessments/{id}/results/{fiscalYear}/analysis?threshold=85: weak questions by theme. */
export const getAnalysis = async (event: HttpEvent): Promise<HttpResult> => {
  const principal = principalFrom(event);
  const { id, fiscalYear } = parsePath(event, YearPath);
  const { threshold } = parseQuery(event, ThresholdQuery);
  return json(200, await analyseResults(deps(), principal, { assessmentId: id, fiscalYear, threshold }));
};

/** POST /assessments/{id}/results/{fiscalYear}/analysis/tasks: draft tasks, once per question. */
export const postDraftTasks = async (event: HttpEvent): Promise<HttpResult> => {
  const principal = principalFrom(event);
  const { id, fiscalYear } = parsePath(event, YearPath);
  const { threshold } = parseQuery(event, ThresholdQuery);
  const outcome = await createDraftTasks(deps(), principal, {
    assessmentId: id,
    fiscalYear,
    threshold,
  });
  return json(outcome.created.length > 0 ? 201 : 200, outcome);
};

/** GET /assessments/{id}/results/compare?from=2565&to=2566: per tool and per indicator. */
export const getComparison = async (event: HttpEvent): Promise<HttpResult> => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, AssessmentPath);
  const { from, to } = parseQuery(event, CompareQuery);
  return json(200, await compareResults(deps(), principal, { assessmentId: id, from, to }));
};

/** One Lambda for these routes, dispatched on the route key API Gateway matched. */
export const handler = httpHandler(
  dispatch({
    'GET /assessments/{id}/results': getResults,
    'PUT /assessments/{id}/results/{fiscalYear}/questions': putQuestions,
    'GET /assessments/{id}/results/{fiscalYear}/analysis': getAnalysis,
    'POST /assessments/{id}/results/{fiscalYear}/analysis/tasks': postDraftTasks,
    'GET /assessments/{id}/results/compare': getComparison,
  }),
);
