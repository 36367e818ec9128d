import type { LinkState } from './link-watch.ts';
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

/** An evidence link's health (the agency's page, the approver's queue, the dashboard, the messages). */
export const LINK_STATE_TH: Record<LinkState, string> = {
  unchecked: 'ยังไม่ได้ตรวจ',
  alive: 'ปกติ',
  failing: 'กำลังตรวจซ้ำ',
  dead: 'ลิงก์เสีย',
  blocked: 'ระบบไม่อนุญาตให้ตรวจ',
};

/**
 * A mark shown beside the words, so the state is never told by colour alone (WCAG 1.4.1): a reader
 * who cannot tell the badge colours apart still sees ✓ from ✕.
 */
export const LINK_STATE_MARK: Record<LinkState, string> = {
  unchecked: '○',
  alive: '✓',
  failing: '!',
  dead: '✕',
  blocked: '⊘',
};

/** What the agency does about a link in this state; `undefined` where there is nothing to do. */
export const LINK_STATE_ADVICE_TH: Record<LinkState, string | undefined> = {
  unchecked: undefined,
  alive: undefined,
  failing: 'ระบบจะตรวจซ้ำ หากยังเปิดไม่ได้เมื่อครบ 24 ชั่วโมงจะถือเป็นลิงก์เสีย ตรวจสอบว่าหน้าเว็บยังเปิดได้',
  dead: 'แก้ไขหน้าเว็บให้เปิดได้ที่ลิงก์เดิม หรือส่งลิงก์ใหม่ของข้อนี้ในระบบ ผู้ประเมินของ ป.ป.ช. จะเปิดลิงก์นี้ระหว่างการให้คะแนน',
  blocked:
    'ลิงก์นี้ชี้ไปยังที่อยู่ที่บุคคลภายนอกเปิดไม่ได้ (เช่น เครือข่ายภายใน หรือพอร์ตอื่นนอกจาก 80/443) โปรดใช้ลิงก์ของเว็บไซต์หน่วยงานที่เปิดได้ทั่วไป',
};

/** What the agency import does with a row (the console's dry run and apply, issue 15). */
export const IMPORT_ACTION_TH: Record<'create' | 'update' | 'unchanged' | 'refuse', string> = {
  create: 'สร้างใหม่',
  update: 'แก้ไข',
  unchanged: 'ไม่เปลี่ยน',
  refuse: 'ไม่รับ',
};

/** Which contact of an agency an address is (the console's list of people). */
export const AGENCY_CONTACT_TH: Record<'coordinator' | 'head', string> = {
  coordinator: 'ผู้ประสานงาน ITA',
  head: 'หัวหน้าส่วนราชการ',
};
