import type { AgencyTaskStatus, OitStatus, TaskStatus } from './model.ts';
import type { PaceState } from './pace.ts';

/**
 * The Thai words for states and statuses, one table for every place a person reads them: emails,
 * LINE messages, the web app, the progress CSV and workbook, the task CSV. Two copies of the
 * pace states had drifted apart once (`เลยกำหนด` in emails, `เกินกำหนด` in downloads).
 */

export const PACE_STATE_TH: Record<PaceState, string> = {
  'not-started': 'ยังไม่เริ่ม',
  'on-track': 'ตามแผน',
  behind: 'ล่าช้า',
  overdue: 'เลยกำหนด',
  complete: 'ครบถ้วน',
};

export const OIT_STATUS_TH: Record<OitStatus, string> = {
  missing: 'ยังไม่ส่ง',
  submitted: 'ส่งแล้ว รออนุมัติ',
  approved: 'อนุมัติแล้ว',
  rejected: 'ส่งกลับแก้ไข',
};

export const TASK_STATUS_TH: Record<TaskStatus, string> = {
  draft: 'ร่าง (ยังไม่มอบหมาย)',
  planned: 'วางแผน',
  in_progress: 'กำลังดำเนินการ',
  done: 'เสร็จแล้ว',
  cancelled: 'ยกเลิก',
};

export const AGENCY_TASK_STATUS_TH: Record<AgencyTaskStatus, string> = TASK_STATUS_TH;
