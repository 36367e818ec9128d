import * as agencyTable from '#adapters/dynamo/agency-repository';
import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import { readUploadedSheet } from '#adapters/xlsx-reader';
import { AgencyImportQuery, MAX_IMPORT_BYTES } from '#domain/agency-import';
import { AssessmentPath } from '#domain/paths';
import { authorize } from '#domain/policy';
import { type HttpFunction, httpHandler } from '#http/handler';
import { parsePath, parseQuery, principalFrom } from '#http/request';
import { json } from '#http/response';
import { readUpload } from '#http/upload';
import { tableDeps } from '#runtime/table';
import { importAgencies } from '#use-cases/agency-import';

const deps = tableDeps({
  assessments: { getOverview: assessmentTable.getOverview },
  agencies: { create: agencyTable.create, updateProfile: agencyTable.updateProfile },
});

/**
 * POST /assessments/{id}/agencies/import[?apply=true]: an `.xlsx` or UTF-8 CSV body (2 MB at
 * most), a dry run unless `apply=true`. It creates and updates agencies, so it needs both grants.
 * No Idempotency-Key store: the import is idempotent by its content (a second run of the same file
 * finds every row `unchanged`), and a file's hash would not tell a dry run from an apply.
 */
export const agencyImport: HttpFunction = async (event) => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, AssessmentPath);
  authorize(principal, 'agency.create', { assessmentId: id });
  authorize(principal, 'agency.update', { assessmentId: id });
  const { apply } = parseQuery(event, AgencyImportQuery);
  const upload = readUpload(event, MAX_IMPORT_BYTES);
  const answer = await importAgencies({ ...deps(), readSheet: readUploadedSheet }, principal, {
    assessmentId: id,
    upload,
    apply: apply === 'true',
  });
  return json(200, answer);
};

export const handler = httpHandler(agencyImport);
