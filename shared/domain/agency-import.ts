import * as z from 'zod/mini';
import { type ErrorDetail, UnprocessableError } from './errors.ts';
import { Agency, type AgencySummary, cleanName } from './model.ts';
import { type Cell, cellRef, type SheetGrid } from './spreadsheet.ts';

/**
 * The rules of the agency import (POST /assessments/{id}/agencies/import): which columns the
 * sheet must have, what each cell may hold, and what becomes of each row. Pure: the file is read
 * by an adapter, the rows are written by the agency use cases.
 */

/** The import's limits: a province has tens of agencies; 2,000 rows is a whole region's list. */
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 2000;

export const IMPORT_FIELDS = [
  'id',
  'nameTh',
  'coordinatorName',
  'coordinatorEmail',
  'headName',
  'headEmail',
  'internalStaff',
  'externalStakeholders',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

const COUNT_FIELDS: readonly ImportField[] = ['internalStaff', 'externalStakeholders'];

/** Each column: its Thai header (the template's), what it holds, an example; widths for the template. */
export const IMPORT_COLUMNS: Record<
  ImportField,
  { th: string; required: boolean; explain: string; example: string | number; width: number }
> = {
  id: {
    th: 'รหัสหน่วยงาน',
    required: true,
    explain:
      'อักษรอังกฤษตัวเล็ก ตัวเลข และขีด (-) ขึ้นต้นด้วยอักษรหรือตัวเลข ไม่เกิน 64 ตัว ใช้ในลิงก์และไม่เปลี่ยนตลอดปี รหัสที่มีอยู่แล้วคือการแก้ไขข้อมูลหน่วยงานนั้น',
    example: 'pt-culture',
    width: 22,
  },
  nameTh: {
    th: 'ชื่อหน่วยงาน',
    required: true,
    explain: 'ชื่อเต็มภาษาไทย ต้องไม่ซ้ำหรือเหมือนชื่อหน่วยงานอื่น',
    example: 'สำนักงานวัฒนธรรมจังหวัดพัทลุง',
    width: 45,
  },
  coordinatorName: {
    th: 'ชื่อผู้ประสานงาน ITA',
    required: false,
    explain: 'ชื่อ-นามสกุลผู้รับผิดชอบการประเมินของหน่วยงาน (เว้นว่างได้)',
    example: 'นางสาวสมใจ ใจดี',
    width: 28,
  },
  coordinatorEmail: {
    th: 'อีเมลผู้ประสานงาน ITA',
    required: true,
    explain: 'อีเมลที่ใช้รับการแจ้งเตือนและลิงก์เข้าสู่ระบบ',
    example: 'ita.culture@example.org',
    width: 30,
  },
  headName: {
    th: 'ชื่อหัวหน้าส่วนราชการ',
    required: false,
    explain: 'ชื่อหัวหน้าหน่วยงาน (เว้นว่างได้)',
    example: 'นายสมชาย รักดี',
    width: 28,
  },
  headEmail: {
    th: 'อีเมลหัวหน้าส่วนราชการ',
    required: true,
    explain: 'อีเมลหัวหน้าหน่วยงาน ได้รับสำเนาเมื่อหน่วยงานล่าช้า',
    example: 'head.culture@example.org',
    width: 30,
  },
  internalStaff: {
    th: 'จำนวนบุคลากร (IIT)',
    required: true,
    explain: 'จำนวนบุคลากรที่ปฏิบัติงานมาแล้วไม่น้อยกว่า 1 ปี (จำนวนเต็ม) ใช้คำนวณจำนวนขั้นต่ำของแบบวัด IIT',
    example: 35,
    width: 18,
  },
  externalStakeholders: {
    th: 'จำนวนผู้มีส่วนได้ส่วนเสียภายนอก (EIT)',
    required: true,
    explain: 'จำนวนผู้รับบริการหรือผู้ติดต่อโดยประมาณ (จำนวนเต็ม) ใช้คำนวณจำนวนขั้นต่ำของแบบวัด EIT',
    example: 700,
    width: 24,
  },
};

// ---------------------------------------------------------------- the header row

/** How a header compares: NFC, invisible characters dropped, spaces collapsed, case ignored. */
const headerKey = (header: string): string => cleanName(header).toLowerCase();

const FIELD_BY_HEADER = new Map<string, ImportField>(
  IMPORT_FIELDS.flatMap((field) => [
    [headerKey(field), field],
    [headerKey(IMPORT_COLUMNS[field].th), field],
  ]),
);

export type ColumnMap = {
  /** The column index of each field. */
  index: Record<ImportField, number>;
  /** The header as written in the file, by field: problems name the column the way its reader sees it. */
  header: Record<ImportField, string>;
  /** Headers the import does not read (a running number, remarks): listed, never silently dropped. */
  ignored: string[];
};

const cellText = (cell: Cell | undefined): string =>
  cell === null || cell === undefined ? '' : cell instanceof Date ? cell.toISOString() : String(cell);

/**
 * Row 1 names the columns, in any order, in English (`id`, `nameTh`, …) or in Thai (the
 * template's headers). Every column is needed: a missing or repeated one refuses the file (422).
 */
export const mapColumns = (headerRow: readonly Cell[]): ColumnMap => {
  const index: Partial<Record<ImportField, number>> = {};
  const header: Partial<Record<ImportField, string>> = {};
  const ignored: string[] = [];
  const details: ErrorDetail[] = [];
  headerRow.forEach((cell, c) => {
    const written = cellText(cell).trim();
    if (written === '') return;
    const field = FIELD_BY_HEADER.get(headerKey(written));
    if (!field) {
      ignored.push(written);
      return;
    }
    const first = index[field];
    if (first !== undefined) {
      details.push({
        path: cellRef(c, 1),
        message: `คอลัมน์ "${written}" ซ้ำกับคอลัมน์ ${cellRef(first, 1)} "${header[field]}"`,
      });
      return;
    }
    index[field] = c;
    header[field] = written;
  });
  for (const field of IMPORT_FIELDS) {
    if (index[field] === undefined)
      details.push({
        path: field,
        message: `ไม่มีคอลัมน์ "${IMPORT_COLUMNS[field].th}" (หรือ ${field}) ในแถวที่ 1`,
      });
  }
  if (details.length > 0)
    throw new UnprocessableError('แถวหัวตารางไม่ครบหรือซ้ำ: ดูแบบฟอร์มที่ GET …/agencies/template.xlsx', details);
  return {
    index: index as Record<ImportField, number>,
    header: header as Record<ImportField, string>,
    ignored,
  };
};

// ---------------------------------------------------------------- cells

/** A row's values by field: text, or a whole count; `null` for an empty cell. */
export type RowValues = Record<ImportField, string | number | null>;

export type SheetRow = { row: number; values: RowValues };

/** Details listed in one refusal: enough to fix a file, bounded so the answer stays small. */
const MAX_DETAILS = 100;

const bounded = (details: ErrorDetail[]): ErrorDetail[] =>
  details.length > MAX_DETAILS
    ? [
        ...details.slice(0, MAX_DETAILS),
        { path: '(file)', message: `และอีก ${details.length - MAX_DETAILS} รายการ` },
      ]
    : details;

const typeName = (cell: Cell): string =>
  cell instanceof Date ? 'วันที่' : typeof cell === 'boolean' ? 'ค่าจริง/เท็จ' : `ข้อความ "${String(cell)}"`;

/**
 * One cell as its column takes it, or why it cannot be (a wrong type). Text columns take text and
 * numbers (an id typed as 101 is the text `101`); count columns take numbers and digits, with
 * thousands separators. Dates and TRUE/FALSE are wrong anywhere.
 */
const cellValue = (field: ImportField, cell: Cell): { value: string | number | null } | { wrong: string } => {
  if (cell === null || cell === '') return { value: null };
  if (cell instanceof Date || typeof cell === 'boolean') return { wrong: typeName(cell) };
  if (COUNT_FIELDS.includes(field)) {
    if (typeof cell === 'number') return { value: cell };
    const digits = cell.replace(/[\s,]/g, '');
    return /^\d{1,15}$/.test(digits) && /^\d{1,3}(,\d{3})*$|^\d+$/.test(cell.replace(/\s/g, ''))
      ? { value: Number(digits) }
      : { wrong: typeName(cell) };
  }
  return { value: typeof cell === 'number' ? String(cell) : cell };
};

const isEmptyRow = (cells: readonly Cell[]): boolean => cells.every((c) => c === null || c === '');

/**
 * The data rows (row 2 on) with their values by field. Wholly empty rows are skipped (they are no
 * agency). Refuses the whole file (422, nothing written) for a formula anywhere in the sheet, a
 * cell of the wrong type, no data rows, or more than {@link MAX_IMPORT_ROWS} rows.
 */
export const readRows = (sheet: SheetGrid): { columns: ColumnMap; rows: SheetRow[] } => {
  if (sheet.formulas.length > 0)
    throw new UnprocessableError(
      'ไฟล์มีสูตรคำนวณ: คัดลอกแล้ววางแบบค่า (Paste Values) ก่อนนำเข้า',
      bounded(sheet.formulas.map((ref) => ({ path: ref, message: 'เซลล์นี้เป็นสูตร ไม่ใช่ค่า' }))),
    );
  const columns = mapColumns(sheet.rows[0] ?? []);
  const dataRows = sheet.rows
    .map((cells, i) => ({ row: i + 1, cells }))
    .slice(1)
    .filter(({ cells }) => !isEmptyRow(cells));
  if (dataRows.length === 0)
    throw new UnprocessableError('ไม่มีข้อมูลหน่วยงานในไฟล์ (ข้อมูลเริ่มที่แถวที่ 2)', [{ path: 'A2', message: 'ว่าง' }]);
  if (dataRows.length > MAX_IMPORT_ROWS)
    throw new UnprocessableError(
      `ไฟล์มี ${dataRows.length} แถว เกินกว่าที่นำเข้าได้ครั้งละ ${MAX_IMPORT_ROWS} แถว: แบ่งเป็นหลายไฟล์`,
      [{ path: '(file)', message: `ไม่เกิน ${MAX_IMPORT_ROWS} แถวต่อไฟล์` }],
    );
  const wrong: ErrorDetail[] = [];
  const rows = dataRows.map(({ row, cells }) => {
    const values = {} as RowValues;
    for (const field of IMPORT_FIELDS) {
      const c = columns.index[field];
      const read = cellValue(field, cells[c] ?? null);
      if ('wrong' in read) {
        const expected = COUNT_FIELDS.includes(field) ? 'ตัวเลขจำนวนเต็ม' : 'ข้อความ';
        wrong.push({
          path: cellRef(c, row),
          message: `คอลัมน์ "${columns.header[field]}" ต้องเป็น${expected} ไม่ใช่${read.wrong}`,
        });
        values[field] = null;
      } else values[field] = read.value;
    }
    return { row, values };
  });
  if (wrong.length > 0)
    throw new UnprocessableError('ชนิดข้อมูลในเซลล์ไม่ถูกต้อง: แก้เซลล์ที่ระบุแล้วนำเข้าใหม่', bounded(wrong));
  return { columns, rows };
};

// ---------------------------------------------------------------- one row against the rules

/** A reason a row is refused: the column as its header is written in the file, and a Thai sentence. */
export const RowProblem = z.strictObject({ column: z.string(), message: z.string() });
export type RowProblem = z.infer<typeof RowProblem>;

/** Which field a path of the Agency schema names. */
const FIELD_OF_PATH: Record<string, ImportField> = {
  id: 'id',
  nameTh: 'nameTh',
  'coordinator.name': 'coordinatorName',
  'coordinator.email': 'coordinatorEmail',
  'head.name': 'headName',
  'head.email': 'headEmail',
  internalStaff: 'internalStaff',
  externalStakeholders: 'externalStakeholders',
};

type Issue = {
  code: string;
  path: readonly PropertyKey[];
  input?: unknown;
  maximum?: unknown;
  format?: string;
};

/** The Thai sentence for one refusal of the Agency schema (the JSON API's rules). */
const thaiMessage = (field: ImportField, issue: Issue, values: RowValues): string => {
  if (values[field] === null) return 'ต้องกรอก';
  if (COUNT_FIELDS.includes(field)) {
    if (issue.code === 'too_small') return 'ต้องไม่ติดลบ';
    if (issue.code === 'too_big') return `ต้องไม่เกิน ${Number(issue.maximum).toLocaleString('en-US')}`;
    return 'ต้องเป็นจำนวนเต็ม';
  }
  if (issue.code === 'too_small') return 'ต้องไม่ว่าง';
  if (issue.code === 'too_big') return `ยาวเกิน ${String(issue.maximum)} ตัวอักษร`;
  if (issue.code === 'invalid_format' && issue.format === 'email') return 'อีเมลไม่ถูกต้อง';
  if (issue.code === 'invalid_format' && field === 'id')
    return 'ใช้ได้เฉพาะอักษรอังกฤษตัวเล็ก ตัวเลข และขีด (-) และขึ้นต้นด้วยอักษรหรือตัวเลข';
  if (issue.code === 'custom') return 'มีอักขระควบคุม อักขระขึ้นบรรทัด หรืออักขระกลับทิศทาง ซึ่งใช้ในชื่อไม่ได้';
  return 'ค่าไม่ถูกต้อง';
};

/**
 * A row as an Agency, through the same schema as POST /agencies (NFC, invisible characters
 * removed, controls and bidi refused, emails checked), or its problems by column.
 */
export const rowAgency = (
  values: RowValues,
  columns: ColumnMap,
): { agency: Agency; problems: [] } | { agency: null; problems: RowProblem[] } => {
  const contact = (name: string | number | null, email: string | number | null) => ({
    ...(name === null ? {} : { name }),
    email: email ?? undefined,
  });
  const parsed = Agency.safeParse({
    id: values.id ?? undefined,
    nameTh: values.nameTh ?? undefined,
    coordinator: contact(values.coordinatorName, values.coordinatorEmail),
    head: contact(values.headName, values.headEmail),
    internalStaff: values.internalStaff ?? undefined,
    externalStakeholders: values.externalStakeholders ?? undefined,
  });
  if (parsed.success) return { agency: parsed.data, problems: [] };
  const problems: RowProblem[] = [];
  for (const issue of parsed.error.issues as unknown as Issue[]) {
    const field = FIELD_OF_PATH[issue.path.map(String).join('.')];
    if (!field) continue;
    const problem = { column: columns.header[field], message: thaiMessage(field, issue, values) };
    if (!problems.some((p) => p.column === problem.column)) problems.push(problem);
  }
  return { agency: null, problems };
};

// ---------------------------------------------------------------- the whole file against the assessment

export const ImportAction = z.enum(['create', 'update', 'unchanged', 'refuse']);
export type ImportAction = z.infer<typeof ImportAction>;

/** `?apply=true` writes; anything else is a dry run. */
export const AgencyImportQuery = z.strictObject({ apply: z.optional(z.enum(['true', 'false'])) });

const Count = z.number().check(z.int(), z.gte(0));

/** One row's outcome: `row` is the row number Excel shows (the header is row 1). */
export const ImportRowResult = z.strictObject({
  row: z.number().check(z.int(), z.gte(2)),
  agencyId: z.nullable(z.string()),
  action: ImportAction,
  problems: z.array(RowProblem),
});
export type ImportRowResult = z.infer<typeof ImportRowResult>;

/** The answer of the import, dry run or applied: every row of the file, in file order. */
export const AgencyImportAnswer = z.strictObject({
  applied: z.boolean(),
  counts: z.strictObject({ create: Count, update: Count, unchanged: Count, refuse: Count }),
  /** Headers of the file that the import does not read (a running number, remarks). */
  ignoredColumns: z.array(z.string()),
  rows: z.array(ImportRowResult),
});
export type AgencyImportAnswer = z.infer<typeof AgencyImportAnswer>;

export type PlannedRow = {
  row: number;
  agencyId: string | null;
  action: ImportAction;
  problems: RowProblem[];
  /** The agency to write (create, update), as stored; absent when refused. */
  agency?: Agency;
  /** The stored summary's version an update is conditional on. */
  expectedVersion?: number;
};

/** Whether a row would change nothing of the stored profile. */
export const sameProfile = (a: Agency, b: Agency): boolean =>
  a.id === b.id &&
  a.nameTh === b.nameTh &&
  a.coordinator.name === b.coordinator.name &&
  a.coordinator.email === b.coordinator.email &&
  a.head.name === b.head.name &&
  a.head.email === b.head.email &&
  a.internalStaff === b.internalStaff &&
  a.externalStakeholders === b.externalStakeholders;

/** Rows by a key, to find the other rows sharing a row's key in one lookup (files run to 2,000 rows). */
const rowsByKey = (items: readonly { row: number; key: string | null }[]): Map<string, number[]> => {
  const map = new Map<string, number[]>();
  for (const { row, key } of items) if (key !== null) map.set(key, [...(map.get(key) ?? []), row]);
  return map;
};

/**
 * What becomes of each row, against the agencies already in the assessment:
 * - a row the schema refuses, whose id or look-alike name another row of the file also has (both
 *   refused, each naming the other's row), or whose name reads like another agency's: `refuse`;
 * - a new id: `create`; a known id: `update`, or `unchanged` when the profile is the stored one.
 */
export const planImport = (
  rows: readonly SheetRow[],
  columns: ColumnMap,
  existing: readonly AgencySummary[],
): PlannedRow[] => {
  const parsed = rows.map((r) => ({ ...r, ...rowAgency(r.values, columns) }));
  const ids = rows.map((r) => {
    const key = r.values.id === null ? '' : String(r.values.id).trim();
    return { row: r.row, key: key === '' ? null : key };
  });
  const rowsWithId = rowsByKey(ids);
  // Rows of one id are that id's duplicates, not look-alikes: the name check counts ids, not rows.
  const names = parsed.map((r) => ({ row: r.row, key: r.agency ? cleanName(r.agency.nameTh) : null }));
  const rowsWithName = rowsByKey(names);
  const idOfRow = new Map(parsed.map((r) => [r.row, r.agency?.id]));
  const byId = new Map(existing.map((s) => [s.agency.id, s]));
  const storedByName = new Map<string, string[]>();
  for (const s of existing) {
    const key = cleanName(s.agency.nameTh);
    storedByName.set(key, [...(storedByName.get(key) ?? []), s.agency.id]);
  }
  return parsed.map((r, i) => {
    const problems = [...r.problems];
    const agencyId = ids[i]!.key;
    const sameId = agencyId === null ? [] : (rowsWithId.get(agencyId) ?? []).filter((row) => row !== r.row);
    if (sameId.length > 0)
      problems.push({ column: columns.header.id, message: `รหัสซ้ำกับแถวที่ ${sameId.join(', ')} ในไฟล์` });
    if (r.agency) {
      const id = r.agency.id;
      const key = names[i]!.key!;
      const sameName = (rowsWithName.get(key) ?? []).filter(
        (row) => row !== r.row && idOfRow.get(row) !== id,
      );
      if (sameName.length > 0)
        problems.push({
          column: columns.header.nameTh,
          message: `ชื่อซ้ำกับแถวที่ ${sameName.join(', ')} ในไฟล์`,
        });
      const other = (storedByName.get(key) ?? []).find((storedId) => storedId !== id);
      if (other) problems.push({ column: columns.header.nameTh, message: `ชื่อซ้ำกับหน่วยงาน ${other}` });
    }
    if (problems.length > 0 || !r.agency) return { row: r.row, agencyId, action: 'refuse', problems };
    const stored = byId.get(r.agency.id);
    if (!stored) return { row: r.row, agencyId, action: 'create', problems, agency: r.agency };
    return {
      row: r.row,
      agencyId,
      action: sameProfile(stored.agency, r.agency) ? 'unchanged' : 'update',
      problems,
      agency: r.agency,
      expectedVersion: stored.version,
    };
  });
};
