import type { AgencyRepository } from '#adapters/dynamo/agency-repository';
import type { AssessmentRepository } from '#adapters/dynamo/assessment-repository';
import {
  type AgencyImportAnswer,
  type ImportAction,
  type ImportRowResult,
  type PlannedRow,
  planImport,
  type RowProblem,
  readRows,
} from '#domain/agency-import';
import { ConflictError, NotFoundError, VersionConflictError } from '#domain/errors';
import type { Principal } from '#domain/principal';
import type { SheetGrid, Upload } from '#domain/spreadsheet';
import { writeAgencyProfile, writeNewAgency } from './agencies.ts';

export type AgencyImportDeps = {
  assessments: Pick<AssessmentRepository, 'getOverview'>;
  agencies: Pick<AgencyRepository, 'create' | 'updateProfile'>;
  /** Reads the upload's first sheet (shared/adapters/xlsx-reader.ts). */
  readSheet: (upload: Upload) => Promise<SheetGrid>;
  now: () => Date;
};

/**
 * Rows written at once: independent conditional transactions of two items each. 25 at ~20 ms each
 * writes 2,000 rows in about 2 s on DynamoDB, inside the function's 10 s; a run cut short is
 * finished by sending the file again (the rows written are then `unchanged`).
 */
const WRITE_CONCURRENCY = 25;

const LOST_RACE: RowProblem = {
  column: '(row)',
  message: 'หน่วยงานนี้ถูกเพิ่มหรือแก้ไขระหว่างการนำเข้า: นำเข้าไฟล์อีกครั้งเพื่อดูสถานะล่าสุด',
};

const counted = (rows: readonly ImportRowResult[]): Record<ImportAction, number> => {
  const counts = { create: 0, update: 0, unchanged: 0, refuse: 0 };
  for (const r of rows) counts[r.action]++;
  return counts;
};

/**
 * POST /assessments/{id}/agencies/import: agencies from an `.xlsx` or CSV sheet.
 *
 * 1. Read the assessment's overview (one Query): its framework, tasks and agencies; 404 if none.
 * 2. Read the upload's first sheet; a corrupt or macro-enabled file, a formula, a wrong type, a
 *    missing column or too many rows refuses the whole file (400/422) before anything is written.
 * 3. Plan every row (`#domain/agency-import`): the JSON API's rules, duplicates in the file, names
 *    that read like another agency's; `create`, `update`, `unchanged` or `refuse` with the reasons.
 * 4. Dry run: answer the plan. With `apply`: write each create and update through the agency use
 *    cases' writes (conditional, audited, minimums recomputed), a few at a time; a row that lost a
 *    race with another writer is answered as refused, with the reason. A second run of the same
 *    file finds every row `unchanged` and writes nothing.
 */
export const importAgencies = async (
  deps: AgencyImportDeps,
  principal: Principal,
  input: { assessmentId: string; upload: Upload; apply: boolean },
): Promise<AgencyImportAnswer> => {
  const overview = await deps.assessments.getOverview(input.assessmentId);
  if (!overview) throw new NotFoundError(`assessment ${input.assessmentId} not found`);
  const { columns, rows } = readRows(await deps.readSheet(input.upload));
  const plan = planImport(rows, columns, overview.agencies);
  const answer = (results: ImportRowResult[], applied: boolean): AgencyImportAnswer => ({
    applied,
    counts: counted(results),
    ignoredColumns: columns.ignored,
    rows: results,
  });
  const resultOf = ({ row, agencyId, action, problems }: PlannedRow): ImportRowResult => ({
    row,
    agencyId,
    action,
    problems,
  });
  if (!input.apply) return answer(plan.map(resultOf), false);

  const now = deps.now().toISOString();
  const write = async (planned: PlannedRow): Promise<ImportRowResult> => {
    const { agency } = planned;
    if (!agency || (planned.action !== 'create' && planned.action !== 'update')) return resultOf(planned);
    const common = {
      assessmentId: input.assessmentId,
      agency,
      framework: overview.assessment.framework,
      now,
      source: { importRow: planned.row },
    };
    try {
      if (planned.action === 'create')
        await writeNewAgency(deps, principal, { ...common, tasks: overview.tasks });
      else
        await writeAgencyProfile(deps, principal, {
          ...common,
          expectedVersion: planned.expectedVersion ?? 0,
        });
      return resultOf(planned);
    } catch (error) {
      if (
        error instanceof ConflictError ||
        error instanceof VersionConflictError ||
        error instanceof NotFoundError
      )
        return { ...resultOf(planned), action: 'refuse', problems: [LOST_RACE] };
      throw error;
    }
  };
  const results: ImportRowResult[] = new Array(plan.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < plan.length; i = next++) results[i] = await write(plan[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(WRITE_CONCURRENCY, plan.length) }, worker));
  return answer(results, true);
};
