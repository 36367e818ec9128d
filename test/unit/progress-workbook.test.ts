import { strFromU8, unzipSync } from 'fflate';
import readExcelFile from 'read-excel-file/node';
import { describe, expect, it } from 'vitest';
import { BE_DATE_FORMAT, writeWorkbook } from '#adapters/xlsx-writer';
import { newAgencySummary } from '#domain/agency';
import { IMPORT_COLUMNS, IMPORT_FIELDS } from '#domain/agency-import';
import type { OitEvidence } from '#domain/evidence';
import type { ImprovementTask } from '#domain/improvement';
import { agencyTemplate, progressWorkbook } from '#domain/progress-workbook';
import { makeAgency, makeAssessment, NOW } from '#test/fixtures';

const framework = makeAssessment('a').framework;
const summary = newAgencySummary('a', makeAgency('pt-b', { nameTh: 'สำนักงานบี' }), framework, NOW);
const task: ImprovementTask = {
  id: 'improve-web',
  theme: { number: 2, title: 'การเปิดเผยข้อมูล' },
  questions: [],
  analysis: '',
  guideline: 'ปรับปรุงเว็บไซต์',
  method: '',
  periodText: 'มกราคม 2567',
  window: { start: '2024-01-15', end: '2024-03-31' },
  responsibleText: 'สำนักงานบี',
  responsibleAgencies: ['pt-b'],
  status: 'planned',
  progress: 0,
};
const evidence = (itemId: string, overrides: Partial<OitEvidence> = {}): OitEvidence => ({
  assessmentId: 'a',
  agencyId: 'pt-b',
  itemId,
  status: 'missing',
  urls: [],
  note: '',
  updatedAt: NOW,
  version: 1,
  ...overrides,
});
const progressRow = {
  agencyId: 'pt-b',
  nameTh: 'สำนักงานบี',
  state: 'behind' as const,
  oit: { assigned: 2, submitted: 1, approved: 0, rejected: 0 },
  surveys: {
    iit: { required: 50, responses: 10, asOf: '2024-02-01' },
    eit: { required: 300, responses: 0, asOf: null },
  },
  openTasks: 1,
  daysOverdue: 0,
};

const sheets = () =>
  progressWorkbook({
    progress: [progressRow],
    summaries: [
      {
        ...summary,
        tasks: {
          'improve-web': { status: 'in_progress', progress: 40, updatedAt: '2024-02-10T03:00:00.000Z' },
        },
      },
    ],
    evidence: [
      evidence('o10'),
      evidence('o2', {
        status: 'submitted',
        urls: ['https://pt-b.example.org/a', 'https://pt-b.example.org/b'],
        submittedAt: '2024-02-01T17:30:00.000Z',
      }),
    ],
    oitItems: framework.oitItems,
    tasks: [task],
  });

describe('progress.xlsx', () => {
  it('holds the OIT items per agency in item order, with Thai status, URLs and Bangkok times', async () => {
    // Act
    const read = await readExcelFile(await writeWorkbook(sheets()));

    // Assess
    const [header, ...rows] = read[1]!.data;
    expect(header).toContain('ลิงก์หลักฐาน');
    expect(rows.map((r) => [r[2], r[5]])).toEqual([
      ['o2', 'ส่งแล้ว รออนุมัติ'],
      ['o10', 'ยังไม่ส่ง'],
    ]);
    expect(rows[0]![6]).toBe('https://pt-b.example.org/a\nhttps://pt-b.example.org/b');
    // 17:30 UTC on 1 Feb is 00:30 on 2 Feb in Bangkok: the wall time is what the sheet shows.
    // (An Excel serial carries the time as a fraction of a day: compared to the second.)
    expect(Math.round((rows[0]![8] as unknown as Date).getTime() / 1000)).toBe(
      Date.parse('2024-02-02T00:30:00Z') / 1000,
    );
  });

  it("holds each agency's own state of its tasks, with the task's window as real dates", async () => {
    // Act
    const read = await readExcelFile(await writeWorkbook(sheets()));

    // Assess
    expect(read[2]!.data[1]).toEqual([
      'pt-b',
      'สำนักงานบี',
      'improve-web',
      '2. การเปิดเผยข้อมูล',
      'ปรับปรุงเว็บไซต์',
      new Date('2024-01-15T00:00:00.000Z'),
      new Date('2024-03-31T00:00:00.000Z'),
      'กำลังดำเนินการ',
      40,
      new Date('2024-02-10T10:00:00.000Z'),
    ]);
  });

  it('shows dates with Buddhist-era years, freezes the header row and sets column widths', async () => {
    // Act
    const parts = unzipSync(await writeWorkbook(sheets()));

    // Assess
    expect(strFromU8(parts['xl/styles.xml']!)).toContain(`formatCode="${BE_DATE_FORMAT}"`);
    for (const n of [1, 2, 3]) {
      const sheet = strFromU8(parts[`xl/worksheets/sheet${n}.xml`]!);
      expect(sheet).toMatch(/<pane [^>]*ySplit="1"[^>]*state="frozen"/);
      expect(sheet).toMatch(/<col [^>]*width="/);
    }
  });
});

describe('template.xlsx', () => {
  it('lists the agencies under the Thai headers, the import columns explained on a second sheet', async () => {
    // Act
    const read = await readExcelFile(
      await writeWorkbook(
        agencyTemplate([
          makeAgency('pt-z'),
          makeAgency('pt-a', { coordinator: { name: 'สมใจ', email: 'c@pt-a.example.org' } }),
        ]),
      ),
    );

    // Assess
    expect(read[0]!.data).toEqual([
      IMPORT_FIELDS.map((f) => IMPORT_COLUMNS[f].th),
      ['pt-a', 'หน่วยงานทดสอบ pt-a', 'สมใจ', 'c@pt-a.example.org', null, 'head@pt-a.example.org', 120, 5000],
      [
        'pt-z',
        'หน่วยงานทดสอบ pt-z',
        null,
        'coordinator@pt-z.example.org',
        null,
        'head@pt-z.example.org',
        120,
        5000,
      ],
    ]);
    expect(read[1]!.data.slice(1, 9).map((r) => r[1])).toEqual([...IMPORT_FIELDS]);
  });
});
