import { validateSignature } from '@line/bot-sdk';
import { describe, expect, it } from 'vitest';
import {
  channelOfDelivery,
  codeInMessage,
  DEFAULT_LINE_SETTINGS,
  deliveryId,
  LINK_CODE_ALPHABET,
  type LineState,
  lineText,
  newLinkCode,
  planDeliveries,
  projectMonth,
  retryKeyOf,
} from '#domain/line';
import type { EmailFacts, NotificationRequest, WeeklyRow } from '#domain/notifications';

const ctx = { publicBaseUrl: 'https://ita.example.org' };
const behind = (escalation: number): EmailFacts => ({
  template: 'behind',
  asOf: '2024-02-15',
  unitName: 'จังหวัดพัทลุง',
  agencyId: 'pt-treasury',
  agencyName: 'สำนักงานคลังจังหวัดพัทลุง',
  lines: [{ what: 'oit-behind', done: 3, assigned: 20, expected: 9, deadline: '2024-03-31' }],
  daysBehind: 8,
  daysOverdue: 0,
  escalation,
});
const request = (email: EmailFacts, subject = 'pt-treasury', kind = 'behind'): NotificationRequest => ({
  assessmentId: 'phatthalung-2567',
  subject,
  kind,
  localDate: '2024-02-15',
  to: ['ita.treasury@example.org'],
  cc: [],
  email,
});
const row = (agencyId: string, state: WeeklyRow['state']): WeeklyRow => ({
  agencyId,
  agencyName: `หน่วยงาน ${agencyId}`,
  oit: { done: 3, assigned: 20 },
  iit: { responses: 10, required: 40 },
  eit: { responses: 50, required: 400 },
  tasks: { open: 2, overdue: 1 },
  state,
});
const weekly: EmailFacts = {
  template: 'weekly',
  asOf: '2024-02-19',
  unitName: 'จังหวัดพัทลุง',
  rows: [row('pt-treasury', 'behind'), row('pt-land', 'on-track')],
};
const linked = (...owners: string[]): LineState => ({
  settings: DEFAULT_LINE_SETTINGS,
  links: owners.map((owner) => ({ owner, groupId: `C-${owner}`, linkedAt: '2024-01-01T00:00:00.000Z' })),
});

describe('deliveries per channel', () => {
  it('email only while no group is linked', () => {
    // Act
    const deliveries = planDeliveries(request(behind(0)), linked());

    // Assess
    expect(deliveries).toEqual([{ channel: 'email', id: '2024-02-15_pt-treasury_behind' }]);
  });

  it('both by default once the agency has a group; the LINE key carries the channel', () => {
    // Act
    const deliveries = planDeliveries(request(behind(0)), linked('pt-treasury'));

    // Assess
    expect(deliveries.map((d) => d.id)).toEqual([
      '2024-02-15_pt-treasury_behind',
      '2024-02-15_pt-treasury_behind_line',
    ]);
    expect(deliveries.map((d) => channelOfDelivery(d.id))).toEqual(['email', 'line']);
  });

  it('an owner may choose LINE only or email only', () => {
    // Prepare
    const lineOnly = {
      ...linked('pt-treasury'),
      settings: { ...DEFAULT_LINE_SETTINGS, channels: { 'pt-treasury': 'line' as const } },
    };
    const emailOnly = {
      ...linked('pt-treasury'),
      settings: { ...DEFAULT_LINE_SETTINGS, channels: { 'pt-treasury': 'email' as const } },
    };

    // Act & Assess
    expect(planDeliveries(request(behind(0)), lineOnly).map((d) => d.channel)).toEqual(['line']);
    expect(planDeliveries(request(behind(0)), emailOnly).map((d) => d.channel)).toEqual(['email']);
  });

  it('the top rung of the ladder also goes to the secretariat group', () => {
    // Act
    const deliveries = planDeliveries(request(behind(2)), linked('pt-treasury', 'province'));

    // Assess
    expect(deliveries.map((d) => d.id)).toEqual([
      '2024-02-15_pt-treasury_behind',
      '2024-02-15_pt-treasury_behind_line',
      '2024-02-15_pt-treasury_behind_line-province',
    ]);
  });

  it('the weekly summary goes to the secretariat group, and as digests to agencies on the weekly rhythm only', () => {
    // Prepare
    const weeklyRhythm: LineState = {
      ...linked('province', 'pt-treasury'),
      settings: { ...DEFAULT_LINE_SETTINGS, agencyDigest: 'weekly' },
    };
    const summary = request(weekly, 'province', 'weekly-summary');

    // Act
    const daily = planDeliveries(summary, linked('province', 'pt-treasury'));
    const digest = planDeliveries(summary, weeklyRhythm);
    const dailyBehind = planDeliveries(request(behind(0)), weeklyRhythm);

    // Assess
    expect(daily.map((d) => d.id)).toEqual([
      '2024-02-15_province_weekly-summary',
      '2024-02-15_province_weekly-summary_line',
    ]);
    expect(digest.map((d) => d.id)).toEqual([
      '2024-02-15_province_weekly-summary',
      '2024-02-15_province_weekly-summary_line',
      '2024-02-15_province_weekly-summary_line-pt-treasury',
    ]);
    expect(dailyBehind.map((d) => d.channel)).toEqual(['email']);
  });

  it("the approver's notifications stay email", () => {
    // Prepare
    const approval = { ...request(weekly, 'province', 'm10-due'), audience: 'approver' as const };

    // Act & Assess
    expect(planDeliveries(approval, linked('province')).map((d) => d.channel)).toEqual(['email']);
  });
});

describe('the LINE text', () => {
  it('states what is behind, by how much, the deadline in BE and the link to the agency', () => {
    // Prepare
    const r = request(behind(0));

    // Act
    const text = lineText(
      r,
      { channel: 'line', id: deliveryId(r, 'line'), owner: 'pt-treasury', groupId: 'C1', form: 'notice' },
      ctx,
    );

    // Assess
    expect(text).toContain('สำนักงานคลังจังหวัดพัทลุง ล่าช้ากว่าแผนต่อเนื่องมา 8 วัน ณ 15 ก.พ. 2567');
    expect(text).toContain('ส่งหลักฐาน OIT แล้ว 3 จาก 20 ข้อ ควรส่งได้อย่างน้อย 9 ข้อ');
    expect(text).toContain('กำหนดส่งครบ 31 มี.ค. 2567');
    expect(text).toMatch(/https:\/\/ita\.example\.org\/.*pt-treasury/);
    expect(text).not.toContain('<');
  });

  it("an agency's digest is its line of the weekly summary", () => {
    // Prepare
    const r = request(weekly, 'province', 'weekly-summary');

    // Act
    const text = lineText(
      r,
      { channel: 'line', id: 'x', owner: 'pt-treasury', groupId: 'C1', form: 'digest' },
      ctx,
    );

    // Assess
    expect(text).toContain('หน่วยงาน pt-treasury สรุปรายสัปดาห์ ณ 19 ก.พ. 2567');
    expect(text).toContain('OIT ส่งแล้ว 3/20 ข้อ');
    expect(text).toContain('สถานะ: ล่าช้า');
  });
});

describe('ids, keys and codes', () => {
  it('the retry key is a UUID fixed by the delivery', () => {
    // Act
    const key = retryKeyOf('a', '2024-02-15_x_behind_line');

    // Assess
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(retryKeyOf('a', '2024-02-15_x_behind_line')).toBe(key);
    expect(retryKeyOf('a', '2024-02-15_x_behind_line-province')).not.toBe(key);
  });

  it('link codes are 8 characters of an alphabet without 0, O, 1, I or L', () => {
    // Act
    const codes = Array.from({ length: 200 }, newLinkCode);

    // Assess
    for (const code of codes) expect(code).toMatch(new RegExp(`^[${LINK_CODE_ALPHABET}]{8}$`));
    expect(LINK_CODE_ALPHABET).not.toMatch(/[01OIL]/);
    expect(new Set(codes).size).toBe(200);
  });

  it('finds a code in a short message, not in chatter', () => {
    // Act & Assess
    expect(codeInMessage('ABCD2345')).toBe('ABCD2345');
    expect(codeInMessage('รหัส abcd-2345 ครับ')).toBe('ABCD2345');
    expect(codeInMessage('สวัสดีครับ พรุ่งนี้ประชุม 9 โมง')).toBeNull();
    expect(codeInMessage('ABCD23456')).toBeNull();
  });

  it('projects the month at the pace so far', () => {
    // Act & Assess
    expect(projectMonth(100, '2024-02-10')).toEqual({ projected: 290, daysInMonth: 29 });
  });

  it("the SDK's validateSignature is HMAC-SHA256 of the raw body", async () => {
    // Prepare
    const { createHmac } = await import('node:crypto');
    const body = '{"events":[]}';
    const signature = createHmac('sha256', 'secret').update(body).digest('base64');

    // Act & Assess
    expect(validateSignature(body, 'secret', signature)).toBe(true);
    expect(validateSignature(`${body} `, 'secret', signature)).toBe(false);
  });
});
