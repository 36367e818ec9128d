import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import planData from '#data/phatthalung-2567.plan.json' with { type: 'json' };
import { resultsHistory } from '#domain/analysis';
import { resultRows, taskRows } from '#domain/csv';
import { loadDefaultFramework } from '#domain/framework';
import { escapeText, foldLine, renderCalendar } from '#domain/ical';
import { PlanData } from '#domain/plan-import';
import { csvDocument } from '#http/csv';

const octets = (s: string) => new TextEncoder().encode(s).length;

describe('iCalendar text', () => {
  it('escapes backslash, semicolon, comma and newlines', () => {
    // Act / Assess
    expect(escapeText('a\\b;c,d\ne')).toBe('a\\\\b\\;c\\,d\\ne');
  });

  it('folds Thai at 75 octets between characters, and unfolds to the original', () => {
    // Prepare
    const line = `SUMMARY:${'ส่วนราชการเผยแพร่ข้อมูลลงในเว็บไซต์ตามแบบวัด OIT '.repeat(4)}`;

    // Act
    const folded = foldLine(line);

    // Assess
    const physical = folded.split('\r\n');
    expect(physical.length).toBeGreaterThan(3);
    expect(physical.every((p) => octets(p) <= 75)).toBe(true);
    expect(physical.slice(1).every((p) => p.startsWith(' '))).toBe(true);
    expect(folded.replace(/\r\n /g, '')).toBe(line);
    expect(physical.join('')).not.toContain('\uFFFD');
  });

  it('renders a feed whose text survives a parser: Thai, escapes, all-day exclusive end', () => {
    // Prepare
    const feed = renderCalendar({
      name: 'ITA จังหวัดพัทลุง 2567',
      description: 'ทดสอบ',
      stamp: new Date('2024-02-15T01:30:00.000Z'),
      events: [
        {
          uid: 'milestone-12@test.ita-campaign',
          summary: 'ชี้แจง, ทบทวน; และ \\ ยืนยัน',
          description: 'บรรทัดแรก\nบรรทัดสอง',
          start: '2024-06-01',
          end: '2024-06-15',
        },
      ],
    });

    // Act
    const component = new ICAL.Component(ICAL.parse(feed));
    const event = new ICAL.Event(component.getFirstSubcomponent('vevent')!);

    // Assess
    expect(feed.split('\r\n').every((line) => !line.includes('\n'))).toBe(true);
    expect(feed.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(component.getFirstPropertyValue('x-wr-timezone')).toBe('Asia/Bangkok');
    expect(component.getFirstSubcomponent('vtimezone')?.getFirstPropertyValue('tzid')).toBe('Asia/Bangkok');
    expect(event.summary).toBe('ชี้แจง, ทบทวน; และ \\ ยืนยัน');
    expect(event.description).toBe('บรรทัดแรก\nบรรทัดสอง');
    expect(event.startDate.toString()).toBe('2024-06-01');
    expect(event.endDate.toString()).toBe('2024-06-16');
    expect(feed).toContain('DTSTAMP:20240215T013000Z');
  });
});

describe('the CSV reports', () => {
  it('writes the tasks in the seed’s columns, one record per task, multi-line cells quoted', () => {
    // Prepare
    const plan = PlanData.parse(planData);

    // Act
    const csv = csvDocument(taskRows(plan.improvementTasks));

    // Assess
    const [header] = csv.slice(1).split('\r\n');
    expect(csv.startsWith('\uFEFFรหัส,ประเด็น,ข้อคำถาม')).toBe(true);
    expect(header?.split(',')).toHaveLength(13);
    expect(csv).toContain(`t06-e6,3. ช่องทางและรูปแบบการประชาสัมพันธ์เผยแพร่ข้อมูลข่าวสารภาครัฐ,"e6 `);
    expect(csv).toContain('"\'- ประชาสัมพันธ์ข้อมูลข่าวสารผ่าน Facebook, Line เป็นต้น');
  });

  it('writes each year with computed and published totals and signed deltas', () => {
    // Prepare
    const plan = PlanData.parse(planData);

    // Act
    const rows = resultRows(resultsHistory(loadDefaultFramework(2567), plan.results));

    // Assess
    expect(rows).toHaveLength(3);
    expect(rows[2]).toEqual([2566, 26.6, 25.38, 40, 91.98, 'A', 'ผ่าน', 91.98, 'ผ่าน', 0.93, -0.4, 0, 0.53]);
    expect(rows[1]?.slice(9)).toEqual([undefined, undefined, undefined, undefined]);
  });
});
