import { describe, expect, it } from 'vitest';
import { newAgencySummary } from '#domain/agency';
import {
  IMPORT_COLUMNS,
  IMPORT_FIELDS,
  MAX_IMPORT_ROWS,
  mapColumns,
  planImport,
  readRows,
} from '#domain/agency-import';
import { UnprocessableError } from '#domain/errors';
import { type Cell, columnLetter, csvGrid, parseCsv, type SheetGrid } from '#domain/spreadsheet';
import { agencyImportRow, makeAgency, makeAssessment, NOW } from '#test/fixtures';

const ENGLISH = [...IMPORT_FIELDS];
const THAI = IMPORT_FIELDS.map((f) => IMPORT_COLUMNS[f].th);

const grid = (rows: Cell[][], formulas: string[] = []): SheetGrid => ({ rows, formulas });

const refusal = (act: () => unknown): UnprocessableError => {
  try {
    act();
  } catch (error) {
    if (error instanceof UnprocessableError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

const framework = makeAssessment('a').framework;
const stored = (id: string, overrides = {}) =>
  newAgencySummary('a', makeAgency(id, overrides), framework, NOW);

describe('the import header row', () => {
  it('maps English or Thai headers in any order, and lists the columns it does not read', () => {
    // Prepare
    const header = ['ลำดับ', ...THAI.slice(4), ...ENGLISH.slice(0, 4).map((h) => ` ${h.toUpperCase()} `)];

    // Act
    const columns = mapColumns(header);

    // Assess
    expect(columns.index.id).toBe(5);
    expect(columns.index.internalStaff).toBe(3);
    expect(columns.header.id).toBe('ID');
    expect(columns.header.headEmail).toBe('อีเมลหัวหน้าส่วนราชการ');
    expect(columns.ignored).toEqual(['ลำดับ']);
  });

  it('refuses a missing column and a repeated one, naming each', () => {
    // Act
    const missing = refusal(() => mapColumns(ENGLISH.filter((h) => h !== 'headEmail')));
    const repeated = refusal(() => mapColumns([...ENGLISH, 'รหัสหน่วยงาน']));

    // Assess
    expect(missing.details).toEqual([{ path: 'headEmail', message: expect.stringContaining('อีเมลหัวหน้า') }]);
    expect(repeated.details).toEqual([{ path: 'I1', message: expect.stringContaining('ซ้ำกับคอลัมน์ A1') }]);
  });
});

describe('the import cells', () => {
  it('refuses the whole file for a formula, a date, a boolean or text in a count', () => {
    // Act
    const formula = refusal(() => readRows(grid([ENGLISH, agencyImportRow('a')], ['C2'])));
    const wrong = refusal(() =>
      readRows(
        grid([
          ENGLISH,
          agencyImportRow('a', { internalStaff: 'สามสิบ' }),
          agencyImportRow('b', { nameTh: new Date('2024-01-01') }),
          agencyImportRow('c', { headEmail: true }),
        ]),
      ),
    );

    // Assess
    expect(formula.details).toEqual([{ path: 'C2', message: expect.stringContaining('สูตร') }]);
    expect(wrong.details.map((d) => d.path)).toEqual(['G2', 'B3', 'F4']);
    expect(wrong.details[0]!.message).toContain('ต้องเป็นตัวเลขจำนวนเต็ม ไม่ใช่ข้อความ "สามสิบ"');
  });

  it('takes digits with thousands separators as counts and numbers as text, and skips empty rows', () => {
    // Act
    const { rows } = readRows(
      grid([
        ENGLISH,
        agencyImportRow('101', { id: 101, externalStakeholders: '12,500' }),
        [null, null],
        agencyImportRow('b'),
      ]),
    );

    // Assess
    expect(rows.map((r) => r.row)).toEqual([2, 4]);
    expect(rows[0]!.values).toMatchObject({ id: '101', externalStakeholders: 12500 });
  });

  it(`accepts ${MAX_IMPORT_ROWS} rows and refuses one more`, () => {
    // Prepare
    const rows = Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => agencyImportRow(`a-${i}`));

    // Act
    const within = readRows(grid([ENGLISH, ...rows.slice(0, MAX_IMPORT_ROWS)]));
    const over = refusal(() => readRows(grid([ENGLISH, ...rows])));

    // Assess
    expect(within.rows).toHaveLength(MAX_IMPORT_ROWS);
    expect(over.message).toContain('2001');
  });

  it('refuses a sheet with a header and no agencies', () => {
    // Act
    const empty = refusal(() => readRows(grid([THAI, [null]])));

    // Assess
    expect(empty.message).toContain('ไม่มีข้อมูลหน่วยงาน');
  });
});

describe('the import plan', () => {
  it('creates new ids, updates changed ones, leaves equal ones unchanged', () => {
    // Prepare
    const same = stored('same', { nameTh: 'สำนักงานนำเข้า same' });
    const sheet = readRows(
      grid([
        ENGLISH,
        agencyImportRow('new'),
        agencyImportRow('same', {
          coordinatorName: null,
          coordinatorEmail: same.agency.coordinator.email,
          headEmail: same.agency.head.email,
          internalStaff: same.agency.internalStaff,
          externalStakeholders: same.agency.externalStakeholders,
        }),
        agencyImportRow('changed'),
      ]),
    );

    // Act
    const plan = planImport(sheet.rows, sheet.columns, [same, stored('changed')]);

    // Assess
    expect(plan.map((p) => [p.row, p.agencyId, p.action])).toEqual([
      [2, 'new', 'create'],
      [3, 'same', 'unchanged'],
      [4, 'changed', 'update'],
    ]);
    expect(plan[2]!.expectedVersion).toBe(1);
  });

  it('refuses rows the JSON API refuses, with Thai messages naming the column as written', () => {
    // Prepare
    const header = THAI;
    const sheet = readRows(
      grid([
        header,
        agencyImportRow('bad', { id: 'Bad Id', coordinatorEmail: 'not-an-email', internalStaff: -1 }),
        agencyImportRow('b', { nameTh: 'ชื่อ\u202eกลับ', externalStakeholders: 2.5 }),
        agencyImportRow('c', { headEmail: null, nameTh: '\u200b' }),
      ]),
    );

    // Act
    const plan = planImport(sheet.rows, sheet.columns, []);

    // Assess
    expect(plan.map((p) => p.action)).toEqual(['refuse', 'refuse', 'refuse']);
    expect(plan[0]!.problems).toEqual([
      { column: 'รหัสหน่วยงาน', message: expect.stringContaining('อักษรอังกฤษตัวเล็ก') },
      { column: 'อีเมลผู้ประสานงาน ITA', message: 'อีเมลไม่ถูกต้อง' },
      { column: 'จำนวนบุคลากร (IIT)', message: 'ต้องไม่ติดลบ' },
    ]);
    expect(plan[1]!.problems).toEqual([
      { column: 'ชื่อหน่วยงาน', message: expect.stringContaining('อักขระกลับทิศทาง') },
      { column: 'จำนวนผู้มีส่วนได้ส่วนเสียภายนอก (EIT)', message: 'ต้องเป็นจำนวนเต็ม' },
    ]);
    expect(plan[2]!.problems).toEqual([
      { column: 'ชื่อหน่วยงาน', message: 'ต้องไม่ว่าง' },
      { column: 'อีเมลหัวหน้าส่วนราชการ', message: 'ต้องกรอก' },
    ]);
  });

  it('refuses both rows of a duplicated id and of a look-alike name, each naming the other row', () => {
    // Prepare
    const sheet = readRows(
      grid([
        ENGLISH,
        agencyImportRow('twice'),
        agencyImportRow('twice', { nameTh: 'อีกชื่อหนึ่ง' }),
        agencyImportRow('x', { nameTh: 'สำนักงาน  ซ้ำ' }),
        agencyImportRow('y', { nameTh: 'สำนักงาน\u200b ซ้ำ' }),
      ]),
    );

    // Act
    const plan = planImport(sheet.rows, sheet.columns, []);

    // Assess
    expect(plan.map((p) => p.action)).toEqual(['refuse', 'refuse', 'refuse', 'refuse']);
    expect(plan[0]!.problems).toEqual([{ column: 'id', message: 'รหัสซ้ำกับแถวที่ 3 ในไฟล์' }]);
    expect(plan[1]!.problems).toEqual([{ column: 'id', message: 'รหัสซ้ำกับแถวที่ 2 ในไฟล์' }]);
    expect(plan[2]!.problems).toEqual([{ column: 'nameTh', message: 'ชื่อซ้ำกับแถวที่ 5 ในไฟล์' }]);
    expect(plan[3]!.problems).toEqual([{ column: 'nameTh', message: 'ชื่อซ้ำกับแถวที่ 4 ในไฟล์' }]);
  });

  it('refuses a name that another stored agency holds, even one the same file renames', () => {
    // Prepare
    const sheet = readRows(
      grid([
        ENGLISH,
        agencyImportRow('new', { nameTh: 'หน่วยงานทดสอบ  old' }),
        agencyImportRow('old', { nameTh: 'ชื่อใหม่' }),
      ]),
    );

    // Act
    const plan = planImport(sheet.rows, sheet.columns, [stored('old')]);

    // Assess
    expect(plan.map((p) => p.action)).toEqual(['refuse', 'update']);
    expect(plan[0]!.problems).toEqual([{ column: 'nameTh', message: 'ชื่อซ้ำกับหน่วยงาน old' }]);
  });
});

describe('CSV and cell references', () => {
  it('parses RFC 4180 with a BOM, quotes, doubled quotes, line breaks and CRLF', () => {
    // Act
    const records = parseCsv('\uFEFFa,"b,1","say ""hi""","two\r\nlines"\r\nc,,d\n');

    // Assess
    expect(records).toEqual([
      ['a', 'b,1', 'say "hi"', 'two\r\nlines'],
      ['c', '', 'd'],
    ]);
  });

  it('lists fields a spreadsheet would run as formulas, and refuses an unterminated quote', () => {
    // Act
    const sheet = csvGrid('id,nameTh\r\n=HYPERLINK("x"),ชื่อ\r\n');

    // Assess
    expect(sheet.formulas).toEqual(['A2']);
    expect(sheet.rows[0]).toEqual(['id', 'nameTh']);
    expect(() => parseCsv('a,"open\r\n')).toThrow(/line 1/);
  });

  it('names columns as Excel does', () => {
    // Act and Assess
    expect([0, 25, 26, 27, 701, 702].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
  });
});
