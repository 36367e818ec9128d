import { describe, expect, it } from 'vitest';
import { auditActionTh, notificationErrorTh, notificationKindTh } from '#domain/labels';

describe('Thai words for the console', () => {
  it('names each kind of notification, with the step, the days and the LINE channel', () => {
    // Act
    const named = [
      notificationKindTh('m07-start'),
      notificationKindTh('m07-due-soon-14'),
      notificationKindTh('m10-due'),
      notificationKindTh('m05-overdue'),
      notificationKindTh('behind', '2024-01-08_pt-land_behind_line'),
      notificationKindTh('weekly-summary', '2024-01-08_province_weekly-summary_line-province'),
      notificationKindTh('link-dead-o14-0123456789ab'),
      notificationKindTh('something-new'),
    ];

    // Assess
    expect(named).toEqual([
      'แจ้งเริ่มขั้นตอนที่ 7',
      'เตือนล่วงหน้า 14 วันก่อนครบกำหนดขั้นตอนที่ 7',
      'แจ้งวันครบกำหนดขั้นตอนที่ 10',
      'แจ้งเลยกำหนดขั้นตอนที่ 5',
      'แจ้งงานล่าช้า (LINE)',
      'สรุปความคืบหน้ารายสัปดาห์ (LINE)',
      'แจ้งลิงก์หลักฐานเสีย',
      'การแจ้งเตือน something-new',
    ]);
  });

  it('says why a notification failed in plain Thai, and names an unknown action as stored', () => {
    // Assess
    expect(notificationErrorTh('no recipient configured: secretariat')).toContain('ยังไม่ได้กำหนดอีเมลผู้รับ');
    expect(notificationErrorTh('Throttling: Maximum sending rate exceeded')).toContain('โควตาเต็ม');
    expect(notificationErrorTh('MessageRejected: Email address is not verified')).toContain(
      'ผู้ให้บริการไม่รับอีเมลนี้',
    );
    expect(notificationErrorTh(undefined)).toContain('ส่งไม่สำเร็จ');
    expect(auditActionTh('oit.review')).toBe('พิจารณาหลักฐาน OIT');
    expect(auditActionTh('x.new')).toBe('x.new');
  });
});
