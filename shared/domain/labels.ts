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

/**
 * What each audit action did, in Thai (the console's audit trail and its action filter). An action
 * not in the table is shown as it is stored, so a new one is never hidden.
 */
export const AUDIT_ACTION_TH: Record<string, string> = {
  'assessment.create': 'สร้างการประเมิน',
  'plan.update': 'แก้ไขแผนและกำหนดการ',
  'framework.update': 'แก้ไขรายการข้อ OIT',
  'agency.create': 'เพิ่มส่วนราชการ',
  'agency.update': 'แก้ไขข้อมูลส่วนราชการ',
  'oit.assign': 'มอบหมายข้อ OIT',
  'oit.unassign': 'ยกเลิกการมอบหมายข้อ OIT',
  'oit.submit': 'ส่งหลักฐาน OIT',
  'oit.review': 'พิจารณาหลักฐาน OIT',
  'survey.report': 'รายงานจำนวนผู้ตอบแบบวัด',
  'results.import': 'นำเข้าผลคะแนนรายข้อ',
  'task.create': 'สร้างงานพัฒนา',
  'task.draft': 'สร้างร่างงานปรับปรุงจากผลวิเคราะห์',
  'task.update': 'แก้ไขงานพัฒนา',
  'task.publish': 'มอบหมายงานพัฒนา (เผยแพร่ร่าง)',
  'task.assign': 'ให้สถานะงานพัฒนาแก่ส่วนราชการ',
  'notification-settings.update': 'แก้ไขการตั้งค่าการแจ้งเตือน',
  'notification.resend': 'ส่งการแจ้งเตือนใหม่',
  'notification.undeliverable': 'การแจ้งเตือนส่งไม่ถึงผู้รับ',
  'schedules.sync': 'ปรับกำหนดการแจ้งเตือน',
  'approver.designate': 'กำหนดผู้อนุมัติ',
  'token.create': 'ออกสิทธิ์เข้าใช้งาน',
  'token.revoke': 'ยกเลิกสิทธิ์เข้าใช้งาน',
  'calendar-feed.create': 'สร้างลิงก์ปฏิทิน',
  'auth.code.sent': 'ส่งรหัสเข้าสู่ระบบ',
  'auth.code.suppressed': 'ขอรหัสบ่อยเกินไป (ไม่ได้ส่ง)',
  'auth.signin': 'เข้าสู่ระบบ',
  'auth.signin.failed': 'ใส่รหัสเข้าสู่ระบบผิด',
  'auth.signout': 'ออกจากระบบ',
  'line.link-code': 'ออกรหัสเชื่อมกลุ่ม LINE',
  'line.link': 'เชื่อมกลุ่ม LINE',
  'line.unlink': 'ยกเลิกการเชื่อมกลุ่ม LINE',
  'line.settings': 'แก้ไขการตั้งค่า LINE',
  seed: 'ข้อมูลตั้งต้นของระบบ',
};

/** The families of actions the audit filter offers as a whole (`oit.` = every OIT action). */
export const AUDIT_ACTION_FAMILY_TH: Record<string, string> = {
  'agency.': 'ส่วนราชการ (ทั้งหมด)',
  'oit.': 'ข้อ OIT (ทั้งหมด)',
  'task.': 'งานพัฒนา (ทั้งหมด)',
  'notification.': 'การแจ้งเตือน (ทั้งหมด)',
  'auth.': 'การเข้าสู่ระบบ (ทั้งหมด)',
  'token.': 'สิทธิ์เข้าใช้งาน (ทั้งหมด)',
  'line.': 'LINE (ทั้งหมด)',
};

export const auditActionTh = (action: string): string => AUDIT_ACTION_TH[action] ?? action;

/**
 * What a notification was, in Thai, from its kind (`m07-due-soon-7`, `behind`, `weekly-summary`,
 * `link-dead-…`) and its id (a LINE delivery's ends in `_line…`).
 */
export const notificationKindTh = (kind: string, id = ''): string => {
  const channel = /_line(-|$)/.test(id) ? ' (LINE)' : '';
  const milestone = /^m(\d{2})-(start|due-soon-(\d+)|due|overdue)$/.exec(kind);
  if (milestone) {
    const step = `ขั้นตอนที่ ${Number(milestone[1])}`;
    const what =
      milestone[2] === 'start'
        ? `แจ้งเริ่ม${step}`
        : milestone[2] === 'due'
          ? `แจ้งวันครบกำหนด${step}`
          : milestone[2] === 'overdue'
            ? `แจ้งเลยกำหนด${step}`
            : `เตือนล่วงหน้า ${milestone[3]} วันก่อนครบกำหนด${step}`;
    return `${what}${channel}`;
  }
  if (kind === 'behind') return `แจ้งงานล่าช้า${channel}`;
  if (kind === 'weekly-summary') return `สรุปความคืบหน้ารายสัปดาห์${channel}`;
  if (kind.startsWith('link-dead-')) return `แจ้งลิงก์หลักฐานเสีย${channel}`;
  return `การแจ้งเตือน ${kind}${channel}`;
};

/** Why a notification failed, in plain Thai; the stored (English) error stays beside it for the logs. */
export const notificationErrorTh = (error: string | undefined): string => {
  const text = error ?? '';
  if (/no recipient/i.test(text)) return 'ยังไม่ได้กำหนดอีเมลผู้รับ: ตั้งค่าผู้รับในแบบฟอร์มด้านบน แล้วกด "ส่งใหม่"';
  if (/throttl|rate exceeded|too many|429/i.test(text))
    return 'ส่งถี่เกินกว่าที่ผู้ให้บริการยอมรับ (โควตาเต็ม) รอสักครู่แล้วกด "ส่งใหม่"';
  if (/reject|invalid|not verified|address/i.test(text))
    return 'ผู้ให้บริการไม่รับอีเมลนี้ (ที่อยู่ผู้รับหรือผู้ส่งไม่ถูกต้อง) ตรวจสอบอีเมลผู้รับแล้วกด "ส่งใหม่"';
  if (/timeout|timed out|network|ECONN|5\d\d/i.test(text))
    return 'ติดต่อผู้ให้บริการส่งข้อความไม่ได้ชั่วคราว กด "ส่งใหม่" ได้';
  return 'ส่งไม่สำเร็จ ตรวจสอบการตั้งค่าผู้รับแล้วกด "ส่งใหม่"';
};
