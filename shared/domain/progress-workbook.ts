import { IMPORT_COLUMNS, IMPORT_FIELDS, type ImportField, MAX_IMPORT_ROWS } from './agency-import.ts';
import type { OitEvidence } from './evidence.ts';
import type { ImprovementTask } from './improvement.ts';
import { AGENCY_TASK_STATUS_TH, OIT_STATUS_TH } from './labels.ts';
import type { Agency, AgencySummary, OitItem } from './model.ts';
import {
  count,
  date,
  instant,
  PROGRESS_COLUMNS,
  type ProgressReportRow,
  type ReportColumn,
  type ReportValue,
  text,
} from './progress-report.ts';

/**
 * The workbooks the API hands out, as data: sheets of typed cells with their Thai headers and
 * column widths. Written to `.xlsx` by shared/adapters/xlsx-writer.ts.
 */

export type WorkbookSheet = {
  /** At most 31 characters, none of `[]:*?/\`: Excel's rule for sheet names. */
  name: string;
  headers: string[];
  widths: number[];
  rows: ReportValue[][];
};

const sheetOf = <Row>(name: string, columns: ReportColumn<Row>[], rows: readonly Row[]): WorkbookSheet => ({
  name,
  headers: columns.map((c) => c.header),
  widths: columns.map((c) => c.width),
  rows: rows.map((row) => columns.map((c) => c.value(row))),
});

// ---------------------------------------------------------------- progress.xlsx

type EvidenceRow = { evidence: OitEvidence; nameTh: string; item: OitItem | undefined };

const OIT_COLUMNS: ReportColumn<EvidenceRow>[] = [
  { header: 'รหัสหน่วยงาน', width: 22, value: (r) => text(r.evidence.agencyId) },
  { header: 'ชื่อหน่วยงาน', width: 40, value: (r) => text(r.nameTh) },
  { header: 'ข้อ', width: 7, value: (r) => text(r.evidence.itemId) },
  { header: 'ตัวชี้วัดย่อย', width: 10, value: (r) => text(r.item?.subIndicator ?? '') },
  { header: 'รายการข้อมูล', width: 45, value: (r) => text(r.item?.nameTh ?? '') },
  { header: 'สถานะ', width: 18, value: (r) => text(OIT_STATUS_TH[r.evidence.status]) },
  { header: 'ลิงก์หลักฐาน', width: 50, value: (r) => text(r.evidence.urls.join('\n')) },
  { header: 'หมายเหตุ', width: 30, value: (r) => text(r.evidence.note) },
  { header: 'ส่งเมื่อ', width: 20, value: (r) => instant(r.evidence.submittedAt) },
  { header: 'ตรวจเมื่อ', width: 20, value: (r) => instant(r.evidence.reviewedAt) },
  { header: 'เหตุผลที่ส่งกลับ', width: 30, value: (r) => text(r.evidence.rejectionReason ?? '') },
];

type TaskRow = {
  agencyId: string;
  nameTh: string;
  task: ImprovementTask;
  state: AgencySummary['tasks'][string];
};

const TASK_COLUMNS: ReportColumn<TaskRow>[] = [
  { header: 'รหัสหน่วยงาน', width: 22, value: (r) => text(r.agencyId) },
  { header: 'ชื่อหน่วยงาน', width: 40, value: (r) => text(r.nameTh) },
  { header: 'รหัสงาน', width: 18, value: (r) => text(r.task.id) },
  { header: 'ประเด็น', width: 30, value: (r) => text(`${r.task.theme.number}. ${r.task.theme.title}`) },
  { header: 'แนวทางการปฏิบัติ', width: 45, value: (r) => text(r.task.guideline) },
  { header: 'วันเริ่ม', width: 14, value: (r) => date(r.task.window.start) },
  { header: 'วันสิ้นสุด', width: 14, value: (r) => date(r.task.window.end) },
  { header: 'สถานะ', width: 16, value: (r) => text(AGENCY_TASK_STATUS_TH[r.state.status]) },
  { header: 'ความคืบหน้า (%)', width: 12, value: (r) => count(r.state.progress) },
  { header: 'ปรับปรุงล่าสุด', width: 20, value: (r) => instant(r.state.updatedAt) },
];

const itemOrder = (id: string) => Number(id.slice(1));

/**
 * progress.xlsx: the progress route's rows (the agencies sheet, the same columns as
 * progress.csv), each agency's OIT items with their status and URLs, and each agency's own state
 * of the tasks it is responsible for. Rows follow the progress route's agency order.
 */
export const progressWorkbook = (input: {
  progress: readonly ProgressReportRow[];
  summaries: readonly AgencySummary[];
  evidence: readonly OitEvidence[];
  oitItems: readonly OitItem[];
  tasks: readonly ImprovementTask[];
}): WorkbookSheet[] => {
  const order = new Map(input.progress.map((p, i) => [p.agencyId, i]));
  const names = new Map(input.summaries.map((s) => [s.agency.id, s.agency.nameTh]));
  const items = new Map(input.oitItems.map((item) => [item.id, item]));
  const rank = (agencyId: string) => order.get(agencyId) ?? Number.MAX_SAFE_INTEGER;
  const evidence = [...input.evidence]
    .filter((e) => order.has(e.agencyId))
    .sort((a, b) => rank(a.agencyId) - rank(b.agencyId) || itemOrder(a.itemId) - itemOrder(b.itemId))
    .map((e) => ({ evidence: e, nameTh: names.get(e.agencyId) ?? '', item: items.get(e.itemId) }));
  const tasks = new Map(input.tasks.map((t) => [t.id, t]));
  const taskRows = [...input.summaries]
    .filter((s) => order.has(s.agency.id))
    .sort((a, b) => rank(a.agency.id) - rank(b.agency.id))
    .flatMap((s) =>
      Object.entries(s.tasks)
        .flatMap(([taskId, state]) => {
          const task = tasks.get(taskId);
          return task ? [{ agencyId: s.agency.id, nameTh: s.agency.nameTh, task, state }] : [];
        })
        .sort((a, b) => a.task.theme.number - b.task.theme.number || a.task.id.localeCompare(b.task.id)),
    );
  return [
    sheetOf('ความคืบหน้ารายหน่วยงาน', PROGRESS_COLUMNS, input.progress),
    sheetOf('OIT รายหน่วยงาน', OIT_COLUMNS, evidence),
    sheetOf('งานพัฒนารายหน่วยงาน', TASK_COLUMNS, taskRows),
  ];
};

// ---------------------------------------------------------------- template.xlsx

const importValue = (agency: Agency, field: ImportField): ReportValue => {
  switch (field) {
    case 'id':
      return text(agency.id);
    case 'nameTh':
      return text(agency.nameTh);
    case 'coordinatorName':
      return text(agency.coordinator.name ?? '');
    case 'coordinatorEmail':
      return text(agency.coordinator.email);
    case 'headName':
      return text(agency.head.name ?? '');
    case 'headEmail':
      return text(agency.head.email);
    case 'internalStaff':
      return count(agency.internalStaff);
    case 'externalStakeholders':
      return count(agency.externalStakeholders);
  }
};

/**
 * template.xlsx: the first sheet is what the import reads, its Thai headers over the assessment's
 * agencies as they are (empty for a new assessment), so editing it and sending it back changes
 * exactly the rows edited. The second sheet explains each column, with an example, and the rules.
 */
export const agencyTemplate = (agencies: readonly Agency[]): WorkbookSheet[] => [
  {
    name: 'หน่วยงาน',
    headers: IMPORT_FIELDS.map((f) => IMPORT_COLUMNS[f].th),
    widths: IMPORT_FIELDS.map((f) => IMPORT_COLUMNS[f].width),
    rows: [...agencies]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((agency) => IMPORT_FIELDS.map((f) => importValue(agency, f))),
  },
  {
    name: 'คำอธิบาย',
    headers: ['คอลัมน์', 'ชื่อภาษาอังกฤษ', 'ต้องกรอก', 'ตัวอย่าง', 'คำอธิบาย'],
    widths: [34, 22, 12, 30, 90],
    rows: [
      ...IMPORT_FIELDS.map((f) => [
        text(IMPORT_COLUMNS[f].th),
        text(f),
        text(IMPORT_COLUMNS[f].required ? 'ต้องกรอก' : 'เว้นว่างได้'),
        text(String(IMPORT_COLUMNS[f].example)),
        text(IMPORT_COLUMNS[f].explain),
      ]),
      [],
      ...IMPORT_RULES.map((rule) => [text(''), text(''), text(''), text(''), text(rule)]),
    ],
  },
];

/**
 * The row limit with thousands separators ("2,000"). Not `toLocaleString`: at module load that
 * starts ICU's number formatting, about 35 ms of every workbooks function's init.
 */
const MAX_ROWS_TEXT = String(MAX_IMPORT_ROWS).replace(/\B(?=(\d{3})+$)/g, ',');

/** The import's rules in Thai, for the template's second sheet. */
export const IMPORT_RULES: readonly string[] = [
  'กติกาการนำเข้า:',
  'อ่านเฉพาะแผ่นงานแรก แถวที่ 1 เป็นหัวตาราง (ภาษาไทยหรืออังกฤษ เรียงลำดับใดก็ได้) หนึ่งแถวต่อหนึ่งหน่วยงาน',
  `ไม่เกิน ${MAX_ROWS_TEXT} แถว ไฟล์ไม่เกิน 2 MB เป็น .xlsx หรือ CSV UTF-8`,
  'ห้ามมีสูตรคำนวณหรือมาโคร: คัดลอกแล้ววางแบบค่า (Paste Values) ก่อน',
  'รหัสที่มีอยู่แล้วคือการแก้ไขข้อมูลหน่วยงานนั้น รหัสใหม่คือการเพิ่มหน่วยงาน รหัสซ้ำกันในไฟล์จะไม่นำเข้าทั้งสองแถว',
  'ส่งไฟล์เพื่อตรวจสอบก่อน (ไม่บันทึก) แล้วจึงยืนยันการนำเข้า แถวที่มีปัญหาจะไม่ถูกบันทึกและแสดงเหตุผลทุกแถว',
];
