import { PACE_STATE_TH } from './labels.ts';
import type { IsoDate } from './model.ts';
import type { PaceState } from './pace.ts';

/**
 * The columns of the province's progress report, one row per agency: the same headers and values
 * in `progress.csv` and the agencies sheet of `progress.xlsx`, so the two downloads cannot drift.
 */

/** What a progress row carries (the JSON route's row; see shared/use-cases/progress.ts). */
export type ProgressReportRow = {
  agencyId: string;
  nameTh: string;
  state: PaceState;
  oit: { assigned: number; submitted: number; approved: number; rejected: number };
  surveys: Record<'iit' | 'eit', { required: number; responses: number; asOf: IsoDate | null }>;
  openTasks: number;
  daysOverdue: number;
};

/**
 * A report value: text, a count, a calendar date, or an instant (shown in the assessment's time
 * zone); dates and instants are written with BE years in each format.
 */
export type ReportValue =
  | { kind: 'text'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'date'; value: IsoDate | null }
  | { kind: 'instant'; value: string | null };

export type ReportColumn<Row> = { header: string; width: number; value: (row: Row) => ReportValue };

export const text = (value: string): ReportValue => ({ kind: 'text', value });
export const count = (value: number): ReportValue => ({ kind: 'number', value });
export const date = (value: IsoDate | null): ReportValue => ({ kind: 'date', value });
export const instant = (value: string | null | undefined): ReportValue => ({
  kind: 'instant',
  value: value ?? null,
});

export const PROGRESS_COLUMNS: ReportColumn<ProgressReportRow>[] = [
  { header: 'รหัสหน่วยงาน', width: 22, value: (a) => text(a.agencyId) },
  { header: 'ชื่อหน่วยงาน', width: 45, value: (a) => text(a.nameTh) },
  { header: 'สถานะ', width: 12, value: (a) => text(PACE_STATE_TH[a.state]) },
  { header: 'OIT ที่ได้รับมอบหมาย', width: 12, value: (a) => count(a.oit.assigned) },
  { header: 'OIT ส่งแล้ว (รอตรวจ)', width: 12, value: (a) => count(a.oit.submitted) },
  { header: 'OIT อนุมัติแล้ว', width: 12, value: (a) => count(a.oit.approved) },
  { header: 'OIT ถูกตีกลับ', width: 12, value: (a) => count(a.oit.rejected) },
  { header: 'IIT ตอบแล้ว', width: 11, value: (a) => count(a.surveys.iit.responses) },
  { header: 'IIT ขั้นต่ำ', width: 11, value: (a) => count(a.surveys.iit.required) },
  { header: 'IIT ข้อมูล ณ วันที่', width: 16, value: (a) => date(a.surveys.iit.asOf) },
  { header: 'EIT ตอบแล้ว', width: 11, value: (a) => count(a.surveys.eit.responses) },
  { header: 'EIT ขั้นต่ำ', width: 11, value: (a) => count(a.surveys.eit.required) },
  { header: 'EIT ข้อมูล ณ วันที่', width: 16, value: (a) => date(a.surveys.eit.asOf) },
  { header: 'งานพัฒนาที่ยังไม่เสร็จ', width: 14, value: (a) => count(a.openTasks) },
  { header: 'เกินกำหนด (วัน)', width: 12, value: (a) => count(a.daysOverdue) },
];
