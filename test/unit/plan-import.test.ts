import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORRECTIONS, type Defect, importPlanDocument, PlanData, toPlanData } from '#domain/plan-import';

const repoRoot = resolve(import.meta.dirname, '../..');
const seedPath = join(repoRoot, 'shared/data/source/000_2a3c5341e523ff3b.txt');
const dataPath = join(repoRoot, 'shared/data/phatthalung-2567.plan.json');
const seed = readFileSync(seedPath, 'utf8');

const defectsOf = (defects: Defect[], code: Defect['code']) =>
  defects
    .filter((d) => d.code === code)
    .map(({ table, row, rowKind, line, correction }) => ({ table, row, rowKind, line, correction }));

describe('importPlanDocument on the Phatthalung FY2567 plan', () => {
  it('detects the fiscal year from the title', () => {
    // Prepare
    const text = seed;

    // Act
    const imported = importPlanDocument(text);

    // Assess
    expect(imported.fiscalYear).toBe(2567);
  });

  it('imports all 15 steps with their windows, roles and tracks', () => {
    // Prepare
    const text = seed;

    // Act
    const { milestones } = importPlanDocument(text);

    // Assess
    expect(
      milestones.map((m) => [m.number, m.window.start, m.window.end, m.responsible.role, m.tracks]),
    ).toEqual([
      [1, '2023-12-01', '2023-12-31', 'all_agencies', 'informational'],
      [2, '2023-12-01', '2023-12-31', 'provincial_office', 'informational'],
      [3, '2024-01-01', '2024-01-31', 'provincial_office', 'informational'],
      [4, '2024-01-01', '2024-01-31', 'provincial_office', 'informational'],
      [5, '2024-01-01', '2024-07-01', 'all_agencies', 'survey_collection'],
      [6, '2024-01-01', '2024-01-31', 'committee', 'informational'],
      [7, '2024-01-01', '2024-03-31', 'all_agencies', 'oit_publishing'],
      [8, '2024-01-01', '2024-07-01', 'secretariat', 'monitoring'],
      [9, '2024-01-01', '2024-04-01', 'secretariat', 'monitoring'],
      [10, '2024-04-01', '2024-04-30', 'governor', 'oit_approval'],
      [11, '2024-05-01', '2024-05-31', 'nacc', 'informational'],
      [12, '2024-06-01', '2024-06-15', 'committee', 'informational'],
      [13, '2024-06-16', '2024-06-30', 'nacc', 'informational'],
      [14, '2024-07-01', '2024-07-31', 'nacc', 'informational'],
      [15, '2024-08-01', '2024-08-31', 'nacc', 'informational'],
    ]);
  });

  it('keeps period and responsible text as written, without the leading bullet', () => {
    // Prepare
    const text = seed;

    // Act
    const { milestones } = importPlanDocument(text);
    const step = (n: number) => milestones.find((m) => m.number === n)!;

    // Assess
    expect(step(9).periodText).toBe('มกราคม 2566 ถึง 1 เมษายน 2567');
    expect(step(10).periodText).toBe('ภายในวันที่ 30 เมษายน 2567');
    expect(step(6).responsible.text).toBe('คณะกรรมการขับเคลื่อนการประเมิน ITA จ.พัทลุง');
    expect(step(8).responsible.text).toBe('ฝ่ายเลขานุการคณะกรรมการขับเคลื่อนการประเมิน ITA');
    expect(step(10).responsible.text).toBe('ผู้ว่าราชการจังหวัดหรือผู้ที่ได้รับมอบหมาย');
    expect(step(11).responsible.text).toBe('สำนักงาน ป.ป.ช.');
    expect(step(2).title).toBe(
      'เผยแพร่ปฏิทิน/คู่มือการประเมิน ITA ให้ส่วนราชการรับทราบและถือปฏิบัติ; ' +
        'แจ้งส่วนราชการจัดส่งข้อมูลผู้รับผิดชอบการประเมินฯ ของแต่ละหน่วยงานและจำนวนผู้มีส่วนได้ส่วนเสียภายใน',
    );
  });

  it('imports the 2565 and 2566 results as published', () => {
    // Prepare
    const text = seed;

    // Act
    const { results } = importPlanDocument(text);

    // Assess
    expect(results).toEqual([
      { fiscalYear: 2565, iit: 25.67, eit: 25.78, oit: 40, publishedTotal: 91.45, publishedLabel: 'A' },
      { fiscalYear: 2566, iit: 26.6, eit: 25.38, oit: 40, publishedTotal: 91.98, publishedLabel: 'ผ่าน' },
    ]);
  });

  it('imports the 11 analysis rows as tasks with unique ids, in document order', () => {
    // Prepare
    const text = seed;

    // Act
    const { improvementTasks } = importPlanDocument(text);

    // Assess
    expect(improvementTasks.map((t) => t.id)).toEqual([
      't01-i1',
      't02-e1',
      't03-e15',
      't04-i1',
      't05-e14',
      't06-e6',
      't07-i19',
      't08-i7',
      't09-i15',
      't10-i28',
      't11-e15',
    ]);
    expect(improvementTasks.map((t) => t.theme.number)).toEqual([1, 1, 1, 2, 2, 3, 4, 5, 6, 7, 7]);
    expect(improvementTasks.every((t) => t.status === 'planned' && t.progress === 0)).toBe(true);
    expect(
      improvementTasks.every((t) => t.window.start === '2023-10-01' && t.window.end === '2024-03-31'),
    ).toBe(true);
  });

  it('carries several questions per task and joins rows continued on the next page', () => {
    // Prepare
    const text = seed;

    // Act
    const { improvementTasks } = importPlanDocument(text);
    const task = (id: string) => improvementTasks.find((t) => t.id === id)!;

    // Assess
    expect(task('t06-e6').questions.map((q) => [q.code, q.lastYearScore])).toEqual([
      ['e6', 82.95],
      ['e7', 81.67],
    ]);
    expect(task('t05-e14').theme).toEqual({ number: 2, title: 'การให้บริการและระบบ E-Service' });
    expect(task('t05-e14').guideline).toContain('ผ่านโครงการ/กิจกรรมต่างๆ การประชุม');
    expect(task('t05-e14').method).toBe(
      '- จัดประชุมคณะกรรมการที่มีตัวแทนภาคประชาชน/ภาคเอกชนอย่างสม่ำเสมอ\n' +
        '- ประชาสัมพันธ์ช่องทางการรับฟังความคิดเห็นผ่านช่องทางออนไลน์ให้ทั่วถึง',
    );
    expect(task('t07-i19').method.split('\n')).toHaveLength(2);
    expect(task('t05-e14').responsibleText).toBe('ส่วนราชการ ทุกส่วน');
    expect(task('t05-e14').responsibleAgencies).toBe('all');
    expect(task('t03-e15').responsibleText).toBe('สำนักงาน จังหวัดพัทลุง');
    expect(task('t03-e15').responsibleAgencies).toEqual([]);
    expect(task('t06-e6').periodText).toBe('ต.ค. 2566 - มี.ค. 2567');
    expect(task('t01-i1').periodText).toBe('ต.ค. 2566 – มี.ค. 2567');
  });

  it('corrects the question codes and the typo, and leaves the missing score empty', () => {
    // Prepare
    const text = seed;

    // Act
    const { improvementTasks } = importPlanDocument(text);
    const task = (id: string) => improvementTasks.find((t) => t.id === id)!;

    // Assess
    expect(task('t01-i1').questions[0]).toMatchObject({ code: 'i1', lastYearScore: 90.31 });
    expect(task('t04-i1').questions[0]).toMatchObject({ code: 'i1', lastYearScore: 90.31 });
    expect(task('t11-e15').questions).toEqual([
      { code: 'e15', text: 'หน่วยงานมีการปรับปรุงองค์กรให้มีความโปร่งใสมากขึ้น มากน้อยเพียงใด' },
    ]);
  });

  it('reports every defect of the document with its row and line', () => {
    // Prepare
    const text = seed;

    // Act
    const { defects } = importPlanDocument(text);

    // Assess
    expect(defectsOf(defects, 'window-before-fiscal-year')).toEqual([
      {
        table: 'plan',
        row: 9,
        rowKind: 'printed',
        line: 166,
        correction: 'มกราคม 2567 ถึง 1 เมษายน 2567 (2024-01-01 – 2024-04-01)',
      },
    ]);
    expect(defectsOf(defects, 'question-code-misread')).toEqual([
      { table: 'analysis', row: 1, rowKind: 'printed', line: 79, correction: 'i1' },
      { table: 'analysis', row: 4, rowKind: 'printed', line: 87, correction: 'i1' },
    ]);
    expect(defectsOf(defects, 'duplicate-row-number')).toEqual([
      { table: 'analysis', row: 5, rowKind: 'printed', line: 97, correction: undefined },
      { table: 'analysis', row: 6, rowKind: 'printed', line: 104, correction: undefined },
    ]);
    expect(defectsOf(defects, 'typo')).toEqual([
      { table: 'analysis', row: 9, rowKind: 'printed', line: 113, correction: 'ความโปร่งใสมากขึ้น' },
    ]);
    expect(defectsOf(defects, 'missing-score')).toEqual([
      { table: 'analysis', row: 9, rowKind: 'printed', line: 113, correction: undefined },
    ]);
    expect(defectsOf(defects, 'duplicate-question')).toEqual([
      { table: 'analysis', row: 4, rowKind: 'printed', line: 87, correction: undefined },
      { table: 'analysis', row: 9, rowKind: 'printed', line: 113, correction: undefined },
    ]);
    expect(defectsOf(defects, 'calendar-mismatch')).toEqual([
      { table: 'plan', row: 2, rowKind: 'printed', line: 159, correction: undefined },
    ]);
    expect(defects).toHaveLength(10);
  });

  it('explains the defects in words a secretariat can act on', () => {
    // Prepare
    const text = seed;

    // Act
    const { defects } = importPlanDocument(text);
    const message = (code: Defect['code'], line: number) =>
      defects.find((d) => d.code === code && d.line === line)?.message;

    // Assess
    expect(message('window-before-fiscal-year', 166)).toMatch(/starts 2023-01-01, before fiscal year 2567/);
    expect(message('question-code-misread', 79)).toMatch(/"11"/);
    expect(message('question-code-misread', 87)).toMatch(/"l1"/);
    expect(message('duplicate-row-number', 97)).toMatch(/t07-i19/);
    expect(message('missing-score', 113)).toMatch(/e15.*74\.84/);
    expect(message('duplicate-question', 87)).toMatch(/question i1 is also row 1/);
    expect(message('calendar-mismatch', 159)).toMatch(/ม\.ค\. 67/);
    expect(defects.find((d) => d.code === 'duplicate-row-number')?.taskId).toBe('t07-i19');
  });

  it('reports the defects without correcting them when given no correction table', () => {
    // Prepare
    const text = seed;

    // Act
    const { milestones, improvementTasks, defects } = importPlanDocument(text, { corrections: [] });

    // Assess
    expect(milestones.find((m) => m.number === 9)?.window).toEqual({
      start: '2023-01-01',
      end: '2024-04-01',
    });
    expect(defects.filter((d) => d.correction !== undefined)).toEqual([]);
    expect(defectsOf(defects, 'question-code-misread').map((d) => d.row)).toEqual([1, 4]);
    // Without a code the two i1 rows cannot be imported; the other nine still are.
    expect(improvementTasks).toHaveLength(9);
  });

  it('uses every entry of the correction table on this document', () => {
    // Prepare
    const text = seed;

    // Act
    const { defects } = importPlanDocument(text);
    const applied = defects.filter((d) => d.correction !== undefined);

    // Assess
    expect(applied).toHaveLength(CORRECTIONS.length);
  });

  it('refuses text that is not a plan', () => {
    // Prepare
    const text = 'hello';

    // Act
    const act = () => importPlanDocument(text);

    // Assess
    expect(act).toThrow(/not an ITA plan/);
  });
});

describe('the checked-in plan data', () => {
  it('parses with PlanData and equals a fresh import of the seed', () => {
    // Prepare
    const checkedIn: unknown = JSON.parse(readFileSync(dataPath, 'utf8'));

    // Act
    const fresh = JSON.parse(JSON.stringify(toPlanData(importPlanDocument(seed), basename(seedPath))));

    // Assess
    expect(PlanData.safeParse(checkedIn).error).toBeUndefined();
    expect(checkedIn).toEqual(fresh);
  });

  it('keeps the Thai readable, not escaped', () => {
    // Prepare
    const raw = readFileSync(dataPath, 'utf8');

    // Act
    const hasEscapes = /\\u0e[0-9a-f]{2}/i.test(raw);

    // Assess
    expect(hasEscapes).toBe(false);
    expect(raw).toContain('ทุกส่วนราชการ');
  });
});
