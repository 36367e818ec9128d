import * as z from 'zod/mini';
import { Slug } from '#domain/primitives';
import { csvDocument, csvResponse } from '#http/csv';
import { dispatch } from '#http/dispatch';
import { httpHandler } from '#http/handler';
import { parsePath, principalFrom } from '#http/request';
import type { HttpEvent, HttpResult } from '#http/types';
import { reportsDeps } from '#runtime/reports';
import { exportResults, exportTasks } from '#use-cases/reports';

const Path = z.object({ id: Slug });

/** GET /assessments/{id}/tasks.csv: the improvement tasks, Thai headers, for Excel. */
export const tasksCsv = async (event: HttpEvent): Promise<HttpResult> => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, Path);
  return csvResponse(`tasks-${id}.csv`, csvDocument(await exportTasks(reportsDeps(), principal, id)));
};

/** GET /assessments/{id}/results.csv: every year's results and changes. */
export const resultsCsv = async (event: HttpEvent): Promise<HttpResult> => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, Path);
  return csvResponse(`results-${id}.csv`, csvDocument(await exportResults(reportsDeps(), principal, id)));
};

/** One Lambda for the CSV exports, dispatched on the route key API Gateway matched. */
export const handler = httpHandler(
  dispatch({
    'GET /assessments/{id}/tasks.csv': tasksCsv,
    'GET /assessments/{id}/results.csv': resultsCsv,
  }),
);
