import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import { AssessmentPath } from '#domain/paths';
import { authorize } from '#domain/policy';
import { PROGRESS_COLUMNS, type ReportValue } from '#domain/progress-report';
import { formatThaiDate } from '#domain/thai-date';
import { csvDocument, csvResponse } from '#http/csv';
import { dispatch } from '#http/dispatch';
import { type HttpFunction, httpHandler } from '#http/handler';
import { parsePath, principalFrom } from '#http/request';
import { json } from '#http/response';
import type { HttpEvent } from '#http/types';
import { tableDeps } from '#runtime/table';
import { provinceProgress } from '#use-cases/progress';

const deps = tableDeps({ assessments: { getOverview: assessmentTable.getOverview } });

/** An agency token sees its own row only; the others see every agency. */
const progressFor = async (event: HttpEvent) => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, AssessmentPath);
  authorize(principal, 'progress.read', {
    assessmentId: id,
    ...(principal.agencyId ? { agencyId: principal.agencyId } : {}),
  });
  return provinceProgress(deps(), { assessmentId: id, agencyId: principal.agencyId });
};

/** GET /assessments/{id}/progress. */
const get: HttpFunction = async (event) => json(200, await progressFor(event));

/** GET /assessments/{id}/progress.csv: the same rows for Excel (UTF-8 with BOM, Thai headers, CRLF). */
const getCsv: HttpFunction = async (event) => {
  const progress = await progressFor(event);
  const cell = (value: ReportValue) =>
    value.kind === 'date' ? (value.value ? formatThaiDate(value.value) : '') : value.value;
  const rows = progress.agencies.map((a) => PROGRESS_COLUMNS.map((column) => cell(column.value(a))));
  return csvResponse(
    `ita-progress-${progress.assessmentId}-${progress.date}.csv`,
    csvDocument([PROGRESS_COLUMNS.map((column) => column.header), ...rows]),
  );
};

export const progress = dispatch({
  'GET /assessments/{id}/progress': get,
  'GET /assessments/{id}/progress.csv': getCsv,
});

export const handler = httpHandler(progress);
