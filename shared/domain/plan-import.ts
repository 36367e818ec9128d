import * as z from 'zod/mini';
import { ImprovementTask, YearResult } from './improvement.ts';
import {
  type DateWindow,
  FiscalYearBE,
  Milestone,
  type MilestoneTracks,
  type ResponsibleRole,
} from './model.ts';
import { fiscalYearWindow, parseThaiPeriod } from './thai-date.ts';

/**
 * Imports a province's ITA drive plan (the tab-separated text export of the Word/PDF plan) into
 * milestones, improvement tasks and past results. The document is typed by hand and converted
 * from PDF, so it has defects; each one is reported with its row and line, corrections come only
 * from the explicit {@link CORRECTIONS} table, and every sound row is still imported.
 */

// ---------------------------------------------------------------- defects

export const DefectCode = z.enum([
  /** A period starts before the plan's fiscal year. */
  'window-before-fiscal-year',
  /** A period ends after the plan's fiscal year. */
  'window-after-fiscal-year',
  'unparseable-period',
  /** A question code that is not `i`/`e`/`o` plus a number, e.g. `11` or `l1` for `i1`. */
  'question-code-misread',
  'duplicate-row-number',
  'row-number-out-of-sequence',
  /** The same question code in two rows. */
  'duplicate-question',
  /** The same question code with different wording in two rows. */
  'question-text-mismatch',
  'typo',
  /** A question without last year's score in parentheses. */
  'missing-score',
  'score-out-of-range',
  'unknown-responsible',
  /** The plan table and the calendar (Gantt) table disagree on when a step starts. */
  'calendar-mismatch',
  'unreadable-row',
  'missing-table',
  'missing-value',
  /** A published total that is not the sum of the tool scores. */
  'total-mismatch',
]);
export type DefectCode = z.infer<typeof DefectCode>;

export const DefectTable = z.enum(['plan', 'analysis', 'results']);
export type DefectTable = z.infer<typeof DefectTable>;

export const Defect = z.strictObject({
  table: DefectTable,
  /** The row number as printed, or the document line where the row has no number; see `rowKind`. */
  row: z.number().check(z.int(), z.gte(1)),
  rowKind: z.enum(['printed', 'line']),
  /** 1-based line in the document. */
  line: z.number().check(z.int(), z.gte(1)),
  code: DefectCode,
  message: z.string().check(z.minLength(1)),
  /** The corrected value the importer used, when it applied a correction. */
  correction: z.optional(z.string()),
  /** The improvement task the defect concerns, where printed row numbers are ambiguous. */
  taskId: z.optional(z.string()),
});
export type Defect = z.infer<typeof Defect>;

export type PlanImport = {
  /** The B.E. fiscal year the plan is for, read from its title. */
  fiscalYear: number;
  milestones: Milestone[];
  improvementTasks: ImprovementTask[];
  results: YearResult[];
  defects: Defect[];
};

/** The checked-in import (`shared/data/<province>-<year>.plan.json`) the seeder loads. */
export const PlanData = z.strictObject({
  source: z.string().check(z.minLength(1)),
  fiscalYear: FiscalYearBE,
  milestones: z.array(Milestone),
  improvementTasks: z.array(ImprovementTask),
  results: z.array(YearResult),
  defects: z.array(Defect),
});
export type PlanData = z.infer<typeof PlanData>;

// ---------------------------------------------------------------- corrections

export type Correction = {
  table: 'plan' | 'analysis';
  /** Printed row number; with `wrong` it picks one cell even where numbers repeat. */
  row: number;
  field: 'period' | 'questionCode' | 'questionText';
  wrong: string;
  right: string;
  code: DefectCode;
  why: string;
};

/**
 * Every correction the importer makes, and why. A `period` or `questionCode` entry is applied
 * only where the importer itself finds that value unsound (a window outside the fiscal year, a
 * code that is not a question code); a `questionText` entry is applied wherever its wrong text
 * appears, since no rule can spot a typo. An entry that matches nothing does nothing, so a
 * corrected document imports cleanly.
 */
export const CORRECTIONS: readonly Correction[] = [
  {
    table: 'plan',
    row: 9,
    field: 'period',
    wrong: 'มกราคม 2566',
    right: 'มกราคม 2567',
    code: 'window-before-fiscal-year',
    why:
      'January 2566 is nine months before the FY2567 drive begins; steps 7 and 8 run from มกราคม 2567 and ' +
      'the calendar table marks step 9 in ม.ค. 67, so the year is a typo for 2567',
  },
  {
    table: 'analysis',
    row: 1,
    field: 'questionCode',
    wrong: '11',
    right: 'i1',
    code: 'question-code-misread',
    why: 'the text is IIT question i1 (the same wording and 90.31 score as row 4); "i" was read as "1"',
  },
  {
    table: 'analysis',
    row: 4,
    field: 'questionCode',
    wrong: 'l1',
    right: 'i1',
    code: 'question-code-misread',
    why: 'the text is IIT question i1 (the same wording and 90.31 score as row 1); "i" was read as "l"',
  },
  {
    table: 'analysis',
    row: 9,
    field: 'questionText',
    wrong: 'ความโปร่งมากขึ้น',
    right: 'ความโปร่งใสมากขึ้น',
    code: 'typo',
    why: '"ความโปร่ง" lacks "ใส" (transparent); row 3 spells the same question e15 "ความโปร่งใสมากขึ้น"',
  },
];

// ---------------------------------------------------------------- classification

/**
 * Who a plan step's responsible party is. Matched on the text without spaces, because the PDF
 * export breaks names across lines (`ส่วนราชการ ทุกส่วน`). The secretariat is checked before
 * the committee because its name contains the committee's.
 */
export function responsibleRole(text: string): ResponsibleRole | undefined {
  const key = text.replace(/\s+/g, '');
  if (key.startsWith('ทุกส่วนราชการ') || key.startsWith('ส่วนราชการทุกส่วน')) return 'all_agencies';
  if (key.startsWith('ฝ่ายเลขานุการ')) return 'secretariat';
  if (key.startsWith('คณะกรรมการขับเคลื่อน')) return 'committee';
  if (key.startsWith('ผู้ว่าราชการจังหวัด')) return 'governor';
  if (key.includes('ป.ป.ช.')) return 'nacc';
  if (key.startsWith('สำนักงานจังหวัด')) return 'provincial_office';
  return undefined;
}

/**
 * What a plan step's window measures, decided by the wording of its title rather than its
 * number: the ITAS calendar's step wording is stable from year to year while provinces add,
 * merge and renumber steps. Order matters: a monitoring step also names the survey or OIT.
 */
export function milestoneTracks(title: string): MilestoneTracks {
  const text = title.replace(/\s+/g, ' ');
  if (text.includes('ติดตามความก้าวหน้า')) return 'monitoring';
  if (text.includes('อนุมัติ') && text.includes('OIT')) return 'oit_approval';
  if (text.includes('เผยแพร่ข้อมูล') && text.includes('OIT')) return 'oit_publishing';
  if (/ตอบแบบวัด\s*IIT/.test(text) && text.includes('ให้แล้วเสร็จ')) return 'survey_collection';
  return 'informational';
}

/** `ส่วนราชการทุกส่วน`/`ทุกส่วนราชการ` mean every agency; anything else the secretariat assigns. */
function responsibleAgencies(text: string): 'all' | string[] {
  const key = text.replace(/\s+/g, '');
  return key === 'ส่วนราชการทุกส่วน' || key === 'ทุกส่วนราชการ' ? 'all' : [];
}

// ---------------------------------------------------------------- reading the document

type Row = { line: number; cells: string[] };

type Context = {
  lines: string[];
  fiscalYear: number;
  fiscalWindow: DateWindow;
  corrections: readonly Correction[];
  defects: Defect[];
};

export type ImportPlanOptions = {
  /** The plan's fiscal year, when the document's title does not give it. */
  fiscalYear?: number;
  /** Replaces {@link CORRECTIONS}, e.g. with `[]` to see the document's defects uncorrected. */
  corrections?: readonly Correction[];
};

/**
 * Reads the plan document. Throws only when the text is not a plan at all (no fiscal year);
 * everything wrong inside the tables is returned in `defects`, sorted by line.
 */
export function importPlanDocument(text: string, opts: ImportPlanOptions = {}): PlanImport {
  const lines = text.normalize('NFC').split(/\r?\n/);
  const fiscalYear = opts.fiscalYear ?? detectFiscalYear(lines);
  if (fiscalYear === undefined) {
    throw new Error(
      'not an ITA plan: no "ประจำปีงบประมาณ พ.ศ. <year>" in the document and no fiscalYear given',
    );
  }
  const ctx: Context = {
    lines,
    fiscalYear,
    fiscalWindow: fiscalYearWindow(fiscalYear),
    corrections: opts.corrections ?? CORRECTIONS,
    defects: [],
  };

  const results = importResults(ctx);
  const improvementTasks = importAnalysis(ctx);
  const milestones = importPlan(ctx);
  const defects = ctx.defects
    .map((defect, index) => ({ defect, index }))
    .sort((a, b) => a.defect.line - b.defect.line || a.index - b.index)
    .map(({ defect }) => defect);
  return { fiscalYear, milestones, improvementTasks, results, defects };
}

/** The file the seeder loads: the import plus where it came from. */
export function toPlanData(imported: PlanImport, source: string): PlanData {
  return PlanData.parse({
    source,
    fiscalYear: imported.fiscalYear,
    milestones: imported.milestones,
    improvementTasks: imported.improvementTasks,
    results: imported.results,
    defects: imported.defects,
  });
}

/** The plan's own year comes first, in its title; later headings name the previous year's results. */
function detectFiscalYear(lines: string[]): number | undefined {
  for (const line of lines) {
    const match = /ประจำปีงบประมาณ\s*พ\.\s*ศ\.\s*(\d{4})/.exec(line);
    if (match) return Number(match[1]);
  }
  return undefined;
}

function clean(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function splitCells(line: string): string[] {
  return line.split('\t').map(clean);
}

/**
 * The rows of the table whose header `isHeader` recognises. The PDF export repeats the header on
 * every page with blank lines before it, so both are skipped; the first line without a tab ends
 * the table.
 */
function tableRows(lines: string[], isHeader: (cells: string[]) => boolean): Row[] | undefined {
  const headerIndex = lines.findIndex((line) => line.includes('\t') && isHeader(splitCells(line)));
  if (headerIndex === -1) return undefined;
  const rows: Row[] = [];
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    if (raw.trim() === '') continue;
    if (!raw.includes('\t')) break;
    const cells = splitCells(raw);
    if (isHeader(cells)) continue;
    rows.push({ line: i + 1, cells });
  }
  return rows;
}

/** Text continued from the previous page joins the cell; a split after `/` is mid-word. */
function appendCell(previous: string, continuation: string): string {
  if (continuation === '') return previous;
  if (previous === '') return continuation;
  return previous.endsWith('/') ? previous + continuation : `${previous} ${continuation}`;
}

/**
 * Cells written as `- a - b` become one bullet per line. Only a cell that starts with a dash is
 * a list, so a dash inside ordinary text (`E-Service`, `ต.ค. 2566 - มี.ค. 2567`) is left alone.
 */
function bulletItems(text: string): string[] | undefined {
  if (!text.startsWith('-')) return undefined;
  return text
    .split(/(?:^|\s)-\s*/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function bulletLines(text: string): string {
  const items = bulletItems(text);
  return items ? items.map((item) => `- ${item}`).join('\n') : text;
}

function rowRef(row: Row): { row: number; rowKind: 'printed' | 'line' } {
  const printed = /^\d+$/.test(row.cells[0] ?? '') ? Number(row.cells[0]) : undefined;
  return printed === undefined ? { row: row.line, rowKind: 'line' } : { row: printed, rowKind: 'printed' };
}

function report(
  ctx: Context,
  table: DefectTable,
  row: Row,
  defect: Omit<Defect, 'table' | 'row' | 'rowKind' | 'line'>,
) {
  ctx.defects.push({ table, ...rowRef(row), line: row.line, ...defect });
}

function findCorrection(
  ctx: Context,
  table: Correction['table'],
  row: number,
  field: Correction['field'],
  value: string,
): Correction | undefined {
  return ctx.corrections.find(
    (c) =>
      c.table === table &&
      c.row === row &&
      c.field === field &&
      (field === 'questionCode' ? c.wrong === value : value.includes(c.wrong)),
  );
}

function zodMessage(error: z.core.$ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(value)'}: ${issue.message}`).join('; ');
}

// ---------------------------------------------------------------- results table

const RESULT_ROWS = [
  { key: 'iit', match: /IIT/ },
  { key: 'eit', match: /EIT/ },
  { key: 'oit', match: /OIT/ },
  { key: 'total', match: /คะแนน(?:เฉลี่ย|รวม)/ },
  { key: 'label', match: /ระดับผลการประเมิน/ },
] as const;

function importResults(ctx: Context): YearResult[] {
  const headerIndex = ctx.lines.findIndex((line) => splitCells(line)[0] === 'เครื่องมือการประเมิน');
  if (headerIndex === -1) {
    ctx.defects.push({
      table: 'results',
      row: 1,
      rowKind: 'line',
      line: 1,
      code: 'missing-table',
      message: 'no results table (a header row starting "เครื่องมือการประเมิน") was found',
    });
    return [];
  }
  // The years sit in the header or the line under it (`ปีงบประมาณ` / `พ.ศ.2565`).
  const yearColumns = new Map<number, number>();
  for (const index of [headerIndex, headerIndex + 1]) {
    splitCells(ctx.lines[index] ?? '').forEach((cell, column) => {
      const match = /พ\.\s*ศ\.\s*(\d{4})/.exec(cell);
      if (match) yearColumns.set(column, Number(match[1]));
    });
  }
  const rows = new Map<string, Row>();
  for (let i = headerIndex + 1; i < ctx.lines.length; i++) {
    const raw = ctx.lines[i] ?? '';
    if (raw.trim() === '') break;
    const cells = splitCells(raw);
    const kind = RESULT_ROWS.find((r) => r.match.test(cells[0] ?? ''));
    if (kind && !rows.has(kind.key)) rows.set(kind.key, { line: i + 1, cells });
  }
  const headerRow: Row = { line: headerIndex + 1, cells: splitCells(ctx.lines[headerIndex] ?? '') };

  const results: YearResult[] = [];
  for (const [column, fiscalYear] of [...yearColumns].sort((a, b) => a[1] - b[1])) {
    const number = (key: string): number | undefined => {
      const row = rows.get(key);
      const cell = row?.cells[column] ?? '';
      const value = /^\d+(?:\.\d+)?$/.test(cell) ? Number(cell) : undefined;
      if (value === undefined) {
        report(ctx, 'results', row ?? headerRow, {
          code: 'missing-value',
          message: `no ${key.toUpperCase()} score for ${fiscalYear} (cell "${cell}")`,
        });
      }
      return value;
    };
    const iit = number('iit');
    const eit = number('eit');
    const oit = number('oit');
    const total = number('total');
    const label = rows.get('label')?.cells[column] || undefined;
    if (iit === undefined || eit === undefined || oit === undefined) continue;
    const sum = Math.round((iit + eit + oit) * 100) / 100;
    if (total !== undefined && Math.abs(sum - total) > 0.005) {
      report(ctx, 'results', rows.get('total') ?? headerRow, {
        code: 'total-mismatch',
        message: `published total ${total} for ${fiscalYear} is not IIT + EIT + OIT = ${sum}`,
      });
    }
    const parsed = YearResult.safeParse({
      fiscalYear,
      iit,
      eit,
      oit,
      ...(total === undefined ? {} : { publishedTotal: total }),
      ...(label === undefined ? {} : { publishedLabel: label }),
    });
    if (parsed.success) results.push(parsed.data);
    else {
      report(ctx, 'results', headerRow, {
        code: 'unreadable-row',
        message: `results for ${fiscalYear}: ${zodMessage(parsed.error)}`,
      });
    }
  }
  return results;
}

// ---------------------------------------------------------------- analysis table

type Question = ImprovementTask['questions'][number];

type TaskRow = Row & { theme: ImprovementTask['theme'] };

const isAnalysisHeader = (cells: string[]) =>
  cells[0] === 'ที่' && cells[1] === 'หัวข้อ' && (cells[2] ?? '').startsWith('การวิเคราะห์');

function importAnalysis(ctx: Context): ImprovementTask[] {
  const rows = tableRows(ctx.lines, isAnalysisHeader);
  if (!rows) {
    ctx.defects.push({
      table: 'analysis',
      row: 1,
      rowKind: 'line',
      line: 1,
      code: 'missing-table',
      message: 'no analysis table (header "ที่ / หัวข้อ / การวิเคราะห์…") was found',
    });
    return [];
  }

  const taskRows: TaskRow[] = [];
  let theme: ImprovementTask['theme'] | undefined;
  let current: TaskRow | undefined;
  for (const row of rows) {
    const [first = '', second = ''] = row.cells;
    const themeMatch = /^<b>\s*(\d+)\s*\.\s*(.*?)\s*<\/b>$/.exec(first);
    if (themeMatch) {
      theme = { number: Number(themeMatch[1]), title: clean(themeMatch[2] ?? '') };
      current = undefined;
    } else if (/^\d+$/.test(first) && theme && row.cells.length >= 7) {
      current = { ...row, cells: [...row.cells], theme };
      taskRows.push(current);
    } else if (first === '' && second === '' && current) {
      for (let column = 2; column < row.cells.length; column++) {
        current.cells[column] = appendCell(current.cells[column] ?? '', row.cells[column] ?? '');
      }
    } else {
      report(ctx, 'analysis', row, {
        code: 'unreadable-row',
        message: theme
          ? `cannot read this line as a task row, a theme header or a continuation: "${row.cells.join(' | ').slice(0, 120)}"`
          : 'a task row before any theme header; it is skipped',
      });
    }
  }

  const tasks: ImprovementTask[] = [];
  const seenNumbers = new Map<number, TaskRow>();
  const seenQuestions = new Map<string, { row: TaskRow; question: Question; taskId: string }>();
  let previousNumber = 0;
  taskRows.forEach((row, index) => {
    const printed = Number(row.cells[0]);
    const questions = readQuestions(ctx, row);
    if (!questions) return;
    const id = `t${String(index + 1).padStart(2, '0')}-${questions[0]?.code ?? 'x'}`;

    const earlier = seenNumbers.get(printed);
    if (earlier) {
      report(ctx, 'analysis', row, {
        code: 'duplicate-row-number',
        message:
          `row number ${printed} is used again (first at line ${earlier.line}); by position this is ` +
          `task row ${index + 1}, imported as task ${id}`,
        taskId: id,
      });
    } else {
      seenNumbers.set(printed, row);
      if (printed !== previousNumber + 1) {
        report(ctx, 'analysis', row, {
          code: 'row-number-out-of-sequence',
          message: `row number ${printed} follows ${previousNumber}`,
          taskId: id,
        });
      }
    }
    previousNumber = printed;

    for (const question of questions) {
      const first = seenQuestions.get(question.code);
      if (!first) {
        seenQuestions.set(question.code, { row, question, taskId: id });
        continue;
      }
      const firstScore =
        first.question.lastYearScore === undefined ? 'no score' : `score ${first.question.lastYearScore}`;
      report(ctx, 'analysis', row, {
        code: 'duplicate-question',
        message:
          `question ${question.code} is also row ${first.row.cells[0]} (line ${first.row.line}, task ${first.taskId}, ` +
          `theme ${first.row.theme.number}, ${firstScore}); both rows are kept as the document lists it under ` +
          `theme ${first.row.theme.number} and theme ${row.theme.number}`,
        taskId: id,
      });
      if (first.question.text !== question.text) {
        report(ctx, 'analysis', row, {
          code: 'question-text-mismatch',
          message: `question ${question.code} reads "${question.text}" here but "${first.question.text}" in row ${first.row.cells[0]}`,
          taskId: id,
        });
      }
    }
    for (const question of questions) {
      if (question.lastYearScore !== undefined) continue;
      const other = seenQuestions.get(question.code);
      const hint =
        other && other.row !== row && other.question.lastYearScore !== undefined
          ? ` (row ${other.row.cells[0]} gives ${other.question.lastYearScore} for the same question; not copied)`
          : '';
      report(ctx, 'analysis', row, {
        code: 'missing-score',
        message: `question ${question.code} has no last-year score in parentheses; lastYearScore is left empty${hint}`,
        taskId: id,
      });
    }

    const periodText = row.cells[5] ?? '';
    const window = readWindow(ctx, 'analysis', row, periodText, id);
    if (!window) return;
    const responsibleText = row.cells[6] ?? '';
    const parsed = ImprovementTask.safeParse({
      id,
      theme: row.theme,
      questions,
      analysis: bulletLines(row.cells[2] ?? ''),
      guideline: bulletLines(row.cells[3] ?? ''),
      method: bulletLines(row.cells[4] ?? ''),
      periodText,
      window,
      responsibleText,
      responsibleAgencies: responsibleAgencies(responsibleText),
      status: 'planned',
      progress: 0,
    });
    if (parsed.success) tasks.push(parsed.data);
    else
      report(ctx, 'analysis', row, { code: 'unreadable-row', message: zodMessage(parsed.error), taskId: id });
  });
  return tasks;
}

/**
 * The questions in a หัวข้อ cell: `code text (score)`, several joined by `และ`. A split is made
 * only where `และ` is followed by something shaped like a code, since question texts use `และ`
 * too (`IIT และ EIT`).
 */
function readQuestions(ctx: Context, row: TaskRow): Question[] | undefined {
  const printed = Number(row.cells[0]);
  let cell = row.cells[1] ?? '';
  const typo = findCorrection(ctx, 'analysis', printed, 'questionText', cell);
  if (typo) {
    cell = cell.replace(typo.wrong, typo.right);
    report(ctx, 'analysis', row, {
      code: typo.code,
      message: `question text has "${typo.wrong}": ${typo.why}`,
      correction: typo.right,
    });
  }
  const questions: Question[] = [];
  for (const part of cell.split(/\s+และ\s+(?=[A-Za-z0-9]\d{0,2}\s)/)) {
    const match = /^(\S+)\s+(.*?)(?:\s*\(\s*(\d+(?:\.\d+)?)\s*\))?$/.exec(part.trim());
    if (!match) {
      report(ctx, 'analysis', row, {
        code: 'unreadable-row',
        message: `cannot read a question from "${part}"; the row is skipped`,
      });
      return undefined;
    }
    let code = match[1] ?? '';
    if (!/^[ieo]\d{1,2}$/.test(code)) {
      const fix = findCorrection(ctx, 'analysis', printed, 'questionCode', code);
      if (!fix) {
        report(ctx, 'analysis', row, {
          code: 'question-code-misread',
          message: `"${code}" is not a question code (i, e or o and a number) and no correction is listed; the row is skipped`,
        });
        return undefined;
      }
      report(ctx, 'analysis', row, {
        code: fix.code,
        message: `question code "${code}" is not a question code: ${fix.why}`,
        correction: fix.right,
      });
      code = fix.right;
    }
    const score = match[3] === undefined ? undefined : Number(match[3]);
    if (score !== undefined && score > 100) {
      report(ctx, 'analysis', row, {
        code: 'score-out-of-range',
        message: `question ${code} has score ${score}, above 100; it is left empty`,
      });
    }
    questions.push({
      code,
      text: clean(match[2] ?? ''),
      ...(score === undefined || score > 100 ? {} : { lastYearScore: score }),
    });
  }
  return questions;
}

// ---------------------------------------------------------------- plan table

const isPlanHeader = (cells: string[]) => cells[0] === 'ที่' && cells[1] === 'หัวข้อ' && cells[2] === 'ระยะเวลา';

function importPlan(ctx: Context): Milestone[] {
  const rows = tableRows(ctx.lines, isPlanHeader);
  if (!rows) {
    ctx.defects.push({
      table: 'plan',
      row: 1,
      rowKind: 'line',
      line: 1,
      code: 'missing-table',
      message: 'no plan table (header "ที่ / หัวข้อ / ระยะเวลา / หน่วยงาน…") was found',
    });
    return [];
  }

  const stepRows: Row[] = [];
  for (const row of rows) {
    const last = stepRows.at(-1);
    if (/^\d+$/.test(row.cells[0] ?? '') && row.cells.length >= 4)
      stepRows.push({ ...row, cells: [...row.cells] });
    else if (row.cells[0] === '' && last) {
      for (let column = 1; column < row.cells.length; column++) {
        last.cells[column] = appendCell(last.cells[column] ?? '', row.cells[column] ?? '');
      }
    } else {
      report(ctx, 'plan', row, {
        code: 'unreadable-row',
        message: `cannot read this line as a plan step: "${row.cells.join(' | ').slice(0, 120)}"`,
      });
    }
  }

  const calendar = calendarStarts(ctx.lines);
  const milestones: Milestone[] = [];
  const seen = new Set<number>();
  let previousNumber = 0;
  for (const row of stepRows) {
    const number = Number(row.cells[0]);
    if (seen.has(number)) {
      report(ctx, 'plan', row, {
        code: 'duplicate-row-number',
        message: `step ${number} appears twice; skipped`,
      });
      continue;
    }
    seen.add(number);
    if (number !== previousNumber + 1) {
      report(ctx, 'plan', row, {
        code: 'row-number-out-of-sequence',
        message: `step ${number} follows step ${previousNumber}`,
      });
    }
    previousNumber = number;

    const periodText = row.cells[2] ?? '';
    const window = readWindow(ctx, 'plan', row, periodText);
    if (!window) continue;

    const responsibleText = (row.cells[3] ?? '').replace(/^-\s*/, '');
    const role = responsibleRole(responsibleText);
    if (!role) {
      report(ctx, 'plan', row, {
        code: 'unknown-responsible',
        message: `cannot tell who "${responsibleText}" is (all agencies, provincial office, committee, secretariat, governor or NACC); step skipped`,
      });
      continue;
    }

    const rawTitle = row.cells[1] ?? '';
    // Titles are one line (ThaiName refuses newlines), so list items are joined with semicolons.
    const title = bulletItems(rawTitle)?.join('; ') ?? rawTitle;

    const marked = calendar.get(number);
    if (marked && !(marked.window.start <= window.start && window.start <= marked.window.end)) {
      report(ctx, 'plan', row, {
        code: 'calendar-mismatch',
        message:
          `the calendar table (line ${marked.line}) marks step ${number} in ${marked.label} but the plan table ` +
          `says "${periodText}" (from ${window.start}); the plan table's period is kept`,
      });
    }

    const parsed = Milestone.safeParse({
      number,
      title,
      periodText,
      window,
      responsible: { text: responsibleText, role },
      tracks: milestoneTracks(title),
    });
    if (parsed.success) milestones.push(parsed.data);
    else report(ctx, 'plan', row, { code: 'unreadable-row', message: zodMessage(parsed.error) });
  }
  return milestones;
}

/**
 * The window of a row's period, checked against the fiscal year. A start before the fiscal year
 * is mended only by a matching {@link CORRECTIONS} entry whose result does fall inside it;
 * otherwise the window is kept as read and reported, since a wrong guess would silently move a
 * deadline. Returns `undefined` (reported) when the period cannot be read, and the row is skipped.
 */
function readWindow(
  ctx: Context,
  table: Correction['table'],
  row: Row,
  periodText: string,
  taskId?: string,
): DateWindow | undefined {
  const ids = taskId === undefined ? {} : { taskId };
  const period = parseThaiPeriod(periodText);
  if (!period.ok) {
    report(ctx, table, row, { code: 'unparseable-period', message: `${period.error}; row skipped`, ...ids });
    return undefined;
  }
  let window = period.window;
  const fiscal = ctx.fiscalWindow;
  if (window.start < fiscal.start) {
    const problem = `period "${periodText}" starts ${window.start}, before fiscal year ${ctx.fiscalYear} starts on ${fiscal.start}`;
    const fix = findCorrection(ctx, table, Number(row.cells[0]), 'period', periodText);
    const corrected = fix ? periodText.replace(fix.wrong, fix.right) : undefined;
    const fixed = corrected === undefined ? undefined : parseThaiPeriod(corrected);
    if (fix && fixed?.ok && fixed.window.start >= fiscal.start) {
      report(ctx, table, row, {
        code: fix.code,
        message: `${problem}: ${fix.why}`,
        correction: `${corrected} (${fixed.window.start} – ${fixed.window.end})`,
        ...ids,
      });
      window = fixed.window;
    } else {
      report(ctx, table, row, {
        code: 'window-before-fiscal-year',
        message: `${problem}; no correction applies, kept as read`,
        ...ids,
      });
    }
  }
  if (window.end > fiscal.end) {
    report(ctx, table, row, {
      code: 'window-after-fiscal-year',
      message: `period "${periodText}" ends ${window.end}, after fiscal year ${ctx.fiscalYear} ends on ${fiscal.end}`,
      ...ids,
    });
  }
  return window;
}

/**
 * The calendar (Gantt) table after the plan marks each step with `↔` in the month it starts. It
 * is used only to cross-check the plan table, which stays the source of the windows.
 */
function calendarStarts(lines: string[]): Map<number, { line: number; label: string; window: DateWindow }> {
  const starts = new Map<number, { line: number; label: string; window: DateWindow }>();
  let months: (DateWindow | undefined)[] = [];
  let labels: string[] = [];
  let inCalendar = false;
  lines.forEach((raw, index) => {
    if (!raw.includes('\t')) {
      if (raw.trim() !== '') inCalendar = false;
      return;
    }
    const cells = splitCells(raw);
    if (cells[0] === 'ที่' && (cells[2] ?? '').startsWith('ระยะเวลาในการดำเนินการ')) {
      inCalendar = true;
      return;
    }
    if (!inCalendar) return;
    if (cells[0] === '' && cells[1] === '') {
      labels = cells;
      months = cells.map((cell) => {
        const period = cell === '' ? undefined : parseThaiPeriod(cell);
        return period?.ok ? period.window : undefined;
      });
      return;
    }
    const column = cells.findIndex((cell) => cell.includes('↔'));
    const window = months[column];
    if (/^\d+$/.test(cells[0] ?? '') && window) {
      starts.set(Number(cells[0]), { line: index + 1, label: labels[column] ?? '', window });
    }
  });
  return starts;
}
