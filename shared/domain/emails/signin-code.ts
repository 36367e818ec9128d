import { formatThaiDateTime } from '../thai-date.ts';
import { type RenderedEmail, renderBlocks } from './blocks.ts';

export type SignInCodeEmail = {
  code: string;
  /** e.g. `การประเมิน ITA จังหวัดพัทลุง ปีงบประมาณ พ.ศ. 2567` */
  assessmentName: string;
  issuedAt: string;
  expiresAt: string;
  /** The app's sign-in page of the assessment. */
  signInUrl: string;
};

/**
 * The code email. The code is in the subject too: on a phone the notification shows it and the
 * person need not open the mail (and the keyboard's one-time-code suggestion reads it there).
 */
export const signInCodeEmail = (f: SignInCodeEmail): RenderedEmail =>
  renderBlocks(`รหัสเข้าสู่ระบบ ITA: ${f.code}`, [
    { kind: 'p', text: `รหัสเข้าสู่ระบบติดตามการประเมิน ITA ของ${f.assessmentName} คือ` },
    { kind: 'p', text: f.code },
    {
      kind: 'p',
      text: `ขอรหัสเมื่อ ${formatThaiDateTime(f.issuedAt)} ใช้ได้ 10 นาที ถึง ${formatThaiDateTime(f.expiresAt)} (เวลาประเทศไทย) และใช้ได้ครั้งเดียว`,
    },
    { kind: 'link', label: 'หน้าเข้าสู่ระบบ', url: f.signInUrl },
    {
      kind: 'p',
      text: 'หากท่านไม่ได้ขอรหัสนี้ โปรดเพิกเฉยต่ออีเมลฉบับนี้ ไม่มีผู้ใดเข้าสู่ระบบได้หากไม่มีรหัส และอย่าส่งต่อรหัสให้ผู้อื่น',
    },
    { kind: 'p', text: 'ระบบติดตามการขับเคลื่อนการประเมิน ITA (อีเมลอัตโนมัติ โปรดอย่าตอบกลับ)' },
  ]);

/** The web app's sign-in page of an assessment (hash route: see README, Web app). */
export const signInUrl = (publicBaseUrl: string, assessmentId: string): string =>
  `${publicBaseUrl.replace(/\/$/, '')}/#/${encodeURIComponent(assessmentId)}/signin`;
