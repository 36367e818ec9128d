import * as agencyTable from '#adapters/dynamo/agency-repository';
import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import { writeWorkbook } from '#adapters/xlsx-writer';
import { AssessmentPath } from '#domain/paths';
import { authorize } from '#domain/policy';
import { dispatch } from '#http/dispatch';
import { type HttpFunction, httpHandler } from '#http/handler';
import { parsePath, principalFrom } from '#http/request';
import { xlsxResponse } from '#http/upload';
import { tableDeps } from '#runtime/table';
import { agencyTemplateFor, progressWorkbookFor } from '#use-cases/workbooks';

const deps = tableDeps({
  assessments: { getOverview: assessmentTable.getOverview },
  agencies: { listAgencyItems: agencyTable.listAgencyItems },
});

/**
 * GET /assessments/{id}/progress.xlsx: province-wide (admin, approver, viewer); an agency token
 * is refused (403) since the workbook lists every agency.
 */
const progress: HttpFunction = async (event) => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, AssessmentPath);
  authorize(principal, 'progress.read', { assessmentId: id });
  const workbook = await progressWorkbookFor(deps(), { assessmentId: id });
  return xlsxResponse(workbook.filename, await writeWorkbook(workbook.sheets));
};

/** GET /assessments/{id}/agencies/template.xlsx: for whoever may import (admin). */
const template: HttpFunction = async (event) => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, AssessmentPath);
  authorize(principal, 'agency.create', { assessmentId: id });
  const workbook = await agencyTemplateFor(deps(), { assessmentId: id });
  return xlsxResponse(workbook.filename, await writeWorkbook(workbook.sheets));
};

export const workbooks = dispatch({
  'GET /assessments/{id}/progress.xlsx': progress,
  'GET /assessments/{id}/agencies/template.xlsx': template,
});

export const handler = httpHandler(workbooks);
