import { AGENCY_CONTACT_TH, IMPORT_ACTION_TH, PACE_STATE_TH } from '../../shared/domain/labels.ts';
import { ApiError } from './api.ts';

/** Thai names of the fields the API names in `details[].path`, so a 400/422 says which box to fix. */
const FIELD: Record<string, string> = {
  urls: 'ลิงก์หลักฐาน',
  note: 'หมายเหตุ',
  responses: 'จำนวนผู้ตอบ',
  asOf: 'วันที่นับยอด',
  reason: 'เหตุผล',
  progress: 'ความคืบหน้า (%)',
  status: 'สถานะ',
  email: 'อีเมล',
  code: 'รหัส',
  correction: 'การแก้ไขยอด',
  id: 'รหัสหน่วยงาน',
  nameTh: 'ชื่อหน่วยงาน',
  coordinator: 'ผู้ประสานงาน ITA',
  head: 'หัวหน้าส่วนราชการ',
  internalStaff: 'จำนวนบุคลากร (IIT)',
  externalStakeholders: 'จำนวนผู้มีส่วนได้ส่วนเสียภายนอก (EIT)',
};

const fieldName = (path: string): string => {
  const [head, index] = path.split('.');
  const name = FIELD[head ?? ''] ?? path;
  return index !== undefined && /^\d+$/.test(index) ? `${name} บรรทัดที่ ${Number(index) + 1}` : name;
};

const detailLines = (error: ApiError): string =>
  error.details.length
    ? ` (${error.details.map((d) => `${fieldName(d.path)}: ${d.message}`).join('; ')})`
    : error.message
      ? ` (${error.message})`
      : '';

/**
 * What went wrong and what to do, in Thai, for any failure of a request. The API's own messages are
 * English; they are shown after the Thai sentence so the secretariat can match them to the logs.
 */
export const thaiError = (error: unknown): string => {
  if (!(error instanceof ApiError)) return 'เกิดข้อผิดพลาดที่ไม่คาดคิด กรุณาโหลดหน้านี้ใหม่ แล้วลองอีกครั้ง';
  switch (error.status) {
    case 0:
      return 'เชื่อมต่อระบบไม่ได้ ยังไม่แน่ใจว่าบันทึกแล้วหรือไม่ ตรวจสอบอินเทอร์เน็ตแล้วกดปุ่มเดิมอีกครั้ง (ระบบจะไม่บันทึกซ้ำ)';
    case 401:
      return 'หมดเวลาการเข้าสู่ระบบ หรือออกจากระบบแล้ว กรุณาเข้าสู่ระบบใหม่';
    case 403:
      return 'บัญชีที่เข้าสู่ระบบไม่มีสิทธิ์ทำรายการนี้ หากคิดว่าควรมีสิทธิ์ กรุณาติดต่อฝ่ายเลขานุการ';
    case 404:
      return 'ไม่พบข้อมูลนี้ในระบบ หรือบัญชีนี้ไม่มีสิทธิ์ดู ตรวจสอบลิงก์อีกครั้ง';
    case 409:
      return error.code === 'version_conflict'
        ? 'ข้อมูลนี้เปลี่ยนไปแล้วหลังจากที่คุณเปิดหน้า (มีผู้อื่นแก้ไข) ระบบโหลดข้อมูลล่าสุดให้แล้ว กรุณาตรวจสอบแล้วทำรายการอีกครั้ง'
        : `ทำรายการนี้ไม่ได้ในสถานะปัจจุบัน ระบบโหลดข้อมูลล่าสุดให้แล้ว${detailLines(error)}`;
    case 413:
      return 'ข้อมูลยาวเกินไป กรุณาย่อหมายเหตุหรือลดจำนวนลิงก์ แล้วลองอีกครั้ง';
    case 429: {
      const minutes = Math.max(1, Math.ceil((error.retryAfterSeconds ?? 60) / 60));
      return `ขอบ่อยเกินไป กรุณารอประมาณ ${minutes} นาที แล้วลองอีกครั้ง`;
    }
    case 400:
    case 422:
      return error.code === 'idempotency_key_reused'
        ? 'รายการก่อนหน้าบันทึกไปแล้ว ระบบโหลดข้อมูลล่าสุดให้แล้ว กรุณาตรวจสอบก่อนทำรายการใหม่'
        : `ข้อมูลที่กรอกไม่ถูกต้อง กรุณาแก้ไขแล้วบันทึกอีกครั้ง${detailLines(error)}`;
    default:
      return error.status >= 500
        ? 'ระบบขัดข้องชั่วคราว ข้อมูลยังไม่ถูกบันทึก กรุณาลองอีกครั้งในอีกสักครู่'
        : `ทำรายการไม่สำเร็จ (${error.status}) กรุณาลองอีกครั้ง`;
  }
};

export const ROLE_LABEL: Record<string, string> = {
  agency: 'ผู้รับผิดชอบการประเมินของส่วนราชการ',
  approver: 'ผู้อนุมัติ (ผู้ว่าราชการจังหวัดหรือผู้ที่ได้รับมอบหมาย)',
  admin: 'ฝ่ายเลขานุการ',
  viewer: 'ผู้ติดตามผล',
};

export const ITEM_STATUS: Record<string, string> = {
  missing: 'ยังไม่ส่ง',
  submitted: 'รอพิจารณา',
  approved: 'อนุมัติแล้ว',
  rejected: 'ไม่อนุมัติ',
};

export const TASK_STATUS: Record<string, string> = {
  planned: 'ยังไม่เริ่ม',
  in_progress: 'กำลังดำเนินการ',
  done: 'เสร็จแล้ว',
  cancelled: 'ยกเลิก',
};

/** The pace states in the same words as the emails, LINE and the downloads (one table). */
export const PACE_STATE: Record<string, string> = PACE_STATE_TH;

/** The agency import's row actions and an agency's contacts, from the one table of labels. */
export const IMPORT_ACTION: Record<string, string> = IMPORT_ACTION_TH;
export const AGENCY_CONTACT: Record<string, string> = AGENCY_CONTACT_TH;
