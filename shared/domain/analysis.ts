import * as z from 'zod/mini';
import type { ImprovementTask, YearResult } from './improvement.ts';
import type { Framework, ToolCode } from './model.ts';
import { type DateWindow, FiscalYearBE, IsoDateTime, Slug, ThaiName } from './primitives.ts';
import { type ItaScore, oitScore, round2, scoreFromResult } from './score.ts';
import { beToCe, fiscalYearWindow, isoFromParts, thaiMonthName } from './thai-date.ts';

// ---------------------------------------------------------------- question results

const codes = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);

export const IIT_CODES = codes('i', 30);
export const EIT_CODES = codes('e', 15);
export const OIT_CODES = codes('o', 33);

const Score = z.number().check(z.gte(0), z.lte(100));
const scoresFor = <T extends z.ZodMiniType>(list: string[], value: T) =>
  z
    .partialRecord(z.enum(list as [string, ...string[]]), value)
    .check(z.refine((r) => Object.keys(r).length > 0, 'give at least one question'));

/** The official per-question results of one year, as the admin imports them from ITAS. */
export const QuestionResultsRequest = z.strictObject({
  /** IIT questions i1–i30, each 0–100. */
  iit: scoresFor(IIT_CODES, Score),
  /** EIT questions e1–e15, each 0–100. */
  eit: scoresFor(EIT_CODES, Score),
  /** OIT items o1–o33: 0 or 100 (an item passes or it does not). */
  oit: scoresFor(OIT_CODES, z.union([z.literal(0), z.literal(100)])),
  /** The year's wording of questions, when known; shown in the analysis and draft tasks. */
  texts: z.optional(z.partialRecord(z.enum([...IIT_CODES, ...EIT_CODES] as [string, ...string[]]), ThaiName)),
});
export type QuestionResultsRequest = z.infer<typeof QuestionResultsRequest>;

export const QuestionResults = z.strictObject({
  assessmentId: Slug,
  fiscalYear: FiscalYearBE,
  iit: z.record(z.string(), Score),
  eit: z.record(z.string(), Score),
  oit: z.record(z.string(), Score),
  texts: z.record(z.string(), z.string()),
  importedAt: IsoDateTime,
  importedBy: z.string(),
  version: z.number().check(z.int(), z.gte(1)),
});
export type QuestionResults = z.infer<typeof QuestionResults>;

// ---------------------------------------------------------------- themes

/**
 * The seven themes Phatthalung's FY2566 analysis grouped weak questions under (the titles of the
 * plan's improvement tasks), and which questions belong to each. Every question has ONE theme so
 * a draft task is never written twice; the seed lists i1 under themes 1 and 2 and e15 under 1
 * and 7, and here each goes to the first theme the indicator structure points at.
 *
 * Built on the indicator structure (reference ita-framework.md §4; the 2567 indicators in
 * framework-2567.json): IIT 1 การปฏิบัติหน้าที่ i1–i6, 2 การใช้งบประมาณ i7–i12, 3 การใช้อำนาจ
 * i13–i18, 4 การใช้ทรัพย์สินของราชการ i19–i24, 5 การแก้ไขปัญหาการทุจริต i25–i30; EIT 6 คุณภาพการ
 * ดำเนินงาน e1–e5, 7 ประสิทธิภาพการสื่อสาร e6–e10, 8 การปรับปรุงระบบการทำงาน e11–e15; OIT by
 * sub-indicator. Checked against the seed's table: e1 -> 1, e14 -> 2, e6/e7 -> 3, i19/i20 -> 4,
 * i7/i8 -> 5, i15 -> 6, i28 -> 7.
 *
 * | theme | title                                                          | questions                         |
 * |-------|----------------------------------------------------------------|-----------------------------------|
 * | 1     | กระบวนการปฏิบัติงานที่โปร่งใสและมีประสิทธิภาพ                       | i1–i6, e1–e5, o7–o13 (9.2)        |
 * | 2     | การให้บริการและระบบ E-Service                                     | e11–e14                           |
 * | 3     | ช่องทางและรูปแบบการประชาสัมพันธ์เผยแพร่ข้อมูลข่าวสารภาครัฐ             | e6–e10, o1–o6 (9.1), o21–o24 (9.5) |
 * | 4     | กระบวนการกำกับดูแลการใช้ทรัพย์สินของราชการ                          | i19–i24                           |
 * | 5     | กระบวนการสร้างความโปร่งใสในการใช้งบประมาณและการจัดซื้อจัดจ้าง          | i7–i12, o14–o17 (9.3)             |
 * | 6     | กระบวนการควบคุม ตรวจสอบการใช้อำนาจและการบริหารงานบุคคล               | i13–i18, o18–o20 (9.4)            |
 * | 7     | กลไกและมาตรการในการแก้ไขและป้องกันการทุจริตภายในหน่วยงาน             | i25–i30, e15, o25–o33 (10.1, 10.2) |
 *
 * A question outside the table (a later year's new code) lands in the `other` group.
 */
export const THEMES = [
  { number: 1, title: 'กระบวนการปฏิบัติงานที่โปร่งใสและมีประสิทธิภาพ' },
  { number: 2, title: 'การให้บริการและระบบ E-Service' },
  { number: 3, title: 'ช่องทางและรูปแบบการประชาสัมพันธ์เผยแพร่ข้อมูลข่าวสารภาครัฐ' },
  { number: 4, title: 'กระบวนการกำกับดูแลการใช้ทรัพย์สินของราชการ' },
  { number: 5, title: 'กระบวนการสร้างความโปร่งใสในการใช้งบประมาณและการจัดซื้อจัดจ้าง' },
  { number: 6, title: 'กระบวนการควบคุม ตรวจสอบการใช้อำนาจและการบริหารงานบุคคล' },
  { number: 7, title: 'กลไกและมาตรการในการแก้ไขและป้องกันการทุจริตภายในหน่วยงาน' },
] as const;

export const OTHER_THEME = { number: 0, title: 'อื่น ๆ' } as const;

const range = (prefix: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);

const THEME_QUESTIONS: Record<number, string[]> = {
  1: [...range('i', 1, 6), ...range('e', 1, 5), ...range('o', 7, 13)],
  2: range('e', 11, 14),
  3: [...range('e', 6, 10), ...range('o', 1, 6), ...range('o', 21, 24)],
  4: range('i', 19, 24),
  5: [...range('i', 7, 12), ...range('o', 14, 17)],
  6: [...range('i', 13, 18), ...range('o', 18, 20)],
  7: [...range('i', 25, 30), 'e15', ...range('o', 25, 33)],
};

const THEME_OF = new Map(
  Object.entries(THEME_QUESTIONS).flatMap(([theme, list]) => list.map((code) => [code, Number(theme)])),
);

export type Theme = { number: number; title: string };

/** The theme a question belongs to, or the `other` group. */
export function themeOf(code: string): Theme {
  const number = THEME_OF.get(code);
  return THEMES.find((t) => t.number === number) ?? OTHER_THEME;
}

/** IIT/EIT indicator of a question code (ita-framework.md §4); OIT items use their sub-indicator. */
export function indicatorOf(framework: Framework, code: string): number | undefined {
  const n = Number(code.slice(1));
  if (code.startsWith('i')) return n >= 1 && n <= 30 ? Math.ceil(n / 6) : undefined;
  if (code.startsWith('e')) return n >= 1 && n <= 15 ? 5 + Math.ceil(n / 5) : undefined;
  const item = framework.oitItems.find((i) => i.id === code);
  return framework.oitSubIndicators.find((s) => s.code === item?.subIndicator)?.indicator;
}

const toolOf = (code: string): ToolCode =>
  code.startsWith('i') ? 'IIT' : code.startsWith('e') ? 'EIT' : 'OIT';

// ---------------------------------------------------------------- analysis

export type WeakQuestion = { code: string; tool: ToolCode; score: number; text: string };
export type ThemeGroup = { theme: Theme; questions: WeakQuestion[] };
export type Analysis = { fiscalYear: number; threshold: number; weak: number; groups: ThemeGroup[] };

const codeOrder = (a: string, b: string) =>
  'ieo'.indexOf(a[0] ?? '') - 'ieo'.indexOf(b[0] ?? '') || Number(a.slice(1)) - Number(b.slice(1));

/** The text to show for a question: the year's wording, else last tasks', else its code and tool. */
export function questionText(
  code: string,
  results: QuestionResults,
  tasks: readonly ImprovementTask[],
): string {
  return (
    results.texts[code] ??
    tasks.flatMap((t) => t.questions).find((q) => q.code === code)?.text ??
    `ข้อคำถาม ${code} (แบบวัด ${toolOf(code)})`
  );
}

/**
 * The questions scoring under `threshold`, grouped by theme (theme order, then i, e, o and
 * number), with empty themes left out and the `other` group last.
 */
export function analyseQuestions(
  results: QuestionResults,
  threshold: number,
  tasks: readonly ImprovementTask[] = [],
): Analysis {
  const all = [
    ...Object.entries(results.iit),
    ...Object.entries(results.eit),
    ...Object.entries(results.oit),
  ];
  const weak = all
    .filter(([, score]) => score < threshold)
    .sort(([a], [b]) => codeOrder(a, b))
    .map(([code, score]) => ({ code, tool: toolOf(code), score, text: questionText(code, results, tasks) }));
  const groups = [...THEMES, OTHER_THEME]
    .map((theme) => ({
      theme: { ...theme },
      questions: weak.filter((q) => themeOf(q.code).number === theme.number),
    }))
    .filter((g) => g.questions.length > 0);
  return { fiscalYear: results.fiscalYear, threshold, weak: weak.length, groups };
}

// ---------------------------------------------------------------- draft tasks

/** Generic wording per theme, for a question no earlier task covered; the secretariat edits it. */
const TEMPLATES: Record<number, { analysis: string; guideline: string; method: string }> = {
  1: {
    analysis: 'ผู้รับบริการยังไม่เห็นขั้นตอนและระยะเวลาการปฏิบัติงานที่ชัดเจน',
    guideline: 'ปฏิบัติงานและให้บริการตามคู่มือการปฏิบัติงาน โดยแสดงขั้นตอนและระยะเวลาให้ชัดเจน',
    method:
      '- ปรับปรุงคู่มือการปฏิบัติงาน/คู่มือบริการประชาชนให้เป็นปัจจุบัน\n- เผยแพร่แผนผังขั้นตอนการให้บริการ ณ จุดบริการและช่องทางออนไลน์',
  },
  2: {
    analysis: 'การให้บริการและการมีส่วนร่วมของผู้รับบริการยังไม่ทั่วถึง',
    guideline: 'พัฒนาการให้บริการและช่องทาง E-Service และเปิดโอกาสให้บุคคลภายนอกมีส่วนร่วม',
    method: '- พัฒนาช่องทางการให้บริการออนไลน์ (E-Service)\n- รับฟังความคิดเห็นของผู้รับบริการอย่างสม่ำเสมอ',
  },
  3: {
    analysis: 'ช่องทางการเผยแพร่ข้อมูลข่าวสารไม่หลากหลาย หรือข้อมูลไม่เป็นปัจจุบัน',
    guideline: 'เผยแพร่ข้อมูลข่าวสารผ่านช่องทางที่หลากหลายและปรับปรุงข้อมูลบนเว็บไซต์ให้เป็นปัจจุบัน',
    method: '- ประชาสัมพันธ์ข้อมูลข่าวสารผ่าน Facebook, Line เป็นต้น\n- ปรับปรุงข้อมูลพื้นฐานบนเว็บไซต์ของหน่วยงานให้เป็นปัจจุบัน',
  },
  4: {
    analysis: 'แนวทางการใช้ทรัพย์สินของราชการยังไม่ชัดเจนหรือไม่เป็นที่รับรู้',
    guideline: 'จัดทำและประชาสัมพันธ์แนวทางการใช้ทรัพย์สินของราชการให้ชัดเจน',
    method: '- จัดทำขั้นตอนการขออนุญาตใช้ทรัพย์สินของราชการ\n- จัดทำสมุดบันทึกการใช้ทรัพย์สิน',
  },
  5: {
    analysis: 'บุคลากรรับรู้ข้อมูลงบประมาณและการจัดซื้อจัดจ้างค่อนข้างน้อย',
    guideline: 'เผยแพร่ข้อมูลงบประมาณและการจัดซื้อจัดจ้างและสร้างการมีส่วนร่วมในการติดตาม',
    method: '- แจ้งข้อมูลการใช้จ่ายงบประมาณรายไตรมาสในการประชุมประจำเดือน\n- เผยแพร่แผนและผลการจัดซื้อจัดจ้างบนเว็บไซต์',
  },
  6: {
    analysis: 'การบริหารงานบุคคลและการใช้อำนาจยังถูกมองว่าไม่เป็นธรรม',
    guideline: 'บริหารงานบุคคลตามหลักเกณฑ์ที่กำหนดอย่างโปร่งใสและเป็นธรรม',
    method: '- แต่งตั้งคณะกรรมการกลั่นกรองผลการประเมินผลการปฏิบัติราชการ\n- เผยแพร่หลักเกณฑ์การบริหารงานบุคคล',
  },
  7: {
    analysis: 'มาตรการป้องกันและแก้ไขการทุจริตยังเห็นผลไม่ชัดเจน',
    guideline: 'จัดทำแผนป้องกันการทุจริตและนำผลการประเมิน ITA ไปปรับปรุงการทำงาน',
    method: '- จัดทำแผนปฏิบัติการป้องกันการทุจริตประจำปี\n- รายงานผลการดำเนินงานและเผยแพร่บนเว็บไซต์',
  },
  0: {
    analysis: 'ผลคะแนนต่ำกว่าเกณฑ์ รอฝ่ายเลขานุการวิเคราะห์สาเหตุ',
    guideline: 'กำหนดแนวทางปรับปรุงตามผลการวิเคราะห์',
    method: '- กำหนดวิธีการปฏิบัติและผู้รับผิดชอบ',
  },
};

/**
 * The window improvement work from year `fiscalYear`'s results runs in: the first half of the
 * next fiscal year, 1 October to 31 March, as the seed's `ต.ค. 2566 – มี.ค. 2567` does for 2566.
 */
export function improvementWindow(fiscalYear: number): { window: DateWindow; periodText: string } {
  const next = fiscalYearWindow(fiscalYear + 1);
  return {
    window: { start: next.start, end: isoFromParts(beToCe(fiscalYear + 1), 3, 31) },
    periodText: `${thaiMonthName(10, 'abbr')} ${fiscalYear} – ${thaiMonthName(3, 'abbr')} ${fiscalYear + 1}`,
  };
}

/** Deterministic, so a repeated call finds the task it created before. */
export const draftTaskId = (fiscalYear: number, code: string) => `r${fiscalYear}-${code}`;

/**
 * One draft task per weak question: `draft` (no agency is given it, and nobody is judged or
 * emailed on it, until the secretariat publishes it), progress 0, every agency proposed, in the
 * first half of the next fiscal year. The analysis, guideline and method come from the latest
 * existing task for the same question (last year's plan), or from the theme's template.
 */
export function draftTasks(analysis: Analysis, existing: readonly ImprovementTask[]): ImprovementTask[] {
  const { window, periodText } = improvementWindow(analysis.fiscalYear);
  return analysis.groups.flatMap((group) =>
    group.questions.map((q): ImprovementTask => {
      const sameTheme = (t: ImprovementTask) => (t.theme.number === group.theme.number ? 0 : 1);
      const previous = existing
        .filter((t) => t.questions.some((tq) => tq.code === q.code))
        .sort((a, b) => sameTheme(a) - sameTheme(b) || b.window.start.localeCompare(a.window.start))[0];
      const wording = previous ?? TEMPLATES[group.theme.number] ?? TEMPLATES[0]!;
      return {
        id: draftTaskId(analysis.fiscalYear, q.code),
        theme: group.theme,
        questions: [{ code: q.code, text: q.text, lastYearScore: q.score }],
        analysis: wording.analysis,
        guideline: wording.guideline,
        method: wording.method,
        periodText,
        window,
        responsibleText: 'ส่วนราชการทุกส่วน',
        responsibleAgencies: 'all',
        status: 'draft',
        progress: 0,
      };
    }),
  );
}

// ---------------------------------------------------------------- results over the years

export type ToolDeltas = { iit: number; eit: number; oit: number; total: number };

export type YearResultView = {
  fiscalYear: number;
  computed: ItaScore;
  published: { total: number | null; label: string | null };
  /** The published total differs from the computed one by more than rounding. */
  publishedDiffers: boolean;
  /** Change from the previous year listed, per tool and in total; null for the first year. */
  delta: ToolDeltas | null;
};

const diff = (a: number, b: number) => round2(Math.round(a * 100) / 100 - Math.round(b * 100) / 100);

/** Every year's result, oldest first, with computed totals and year-over-year deltas. */
export function resultsHistory(framework: Framework, results: readonly YearResult[]): YearResultView[] {
  const sorted = [...results].sort((a, b) => a.fiscalYear - b.fiscalYear);
  return sorted.map((result, index) => {
    const computed = scoreFromResult(framework, result);
    const prev = index > 0 ? scoreFromResult(framework, sorted[index - 1]!) : null;
    return {
      fiscalYear: result.fiscalYear,
      computed,
      published: { total: result.publishedTotal ?? null, label: result.publishedLabel ?? null },
      publishedDiffers:
        result.publishedTotal !== undefined && Math.abs(result.publishedTotal - computed.total) > 0.011,
      delta: prev
        ? {
            iit: diff(computed.iit, prev.iit),
            eit: diff(computed.eit, prev.eit),
            oit: diff(computed.oit, prev.oit),
            total: diff(computed.total, prev.total),
          }
        : null,
    };
  });
}

export type IndicatorScore = { number: number; tool: ToolCode; nameTh: string; score: number | null };

/**
 * Indicator scores 0–100 from a year's question results: IIT/EIT indicators as the mean of their
 * questions (inferred, as in the reference), OIT indicators from the items as score.ts scores them.
 */
export function indicatorScores(framework: Framework, results: QuestionResults): IndicatorScore[] {
  const oit = oitScore(
    framework,
    Object.fromEntries(framework.oitItems.map((i) => [i.id, results.oit[i.id] === 100])),
  );
  return framework.indicators.map((indicator) => {
    if (indicator.tool === 'OIT') {
      const found = oit.indicators.find((i) => i.number === indicator.number);
      return { ...pick(indicator), score: found ? round2(found.score) : null };
    }
    const scores = Object.entries(indicator.tool === 'IIT' ? results.iit : results.eit)
      .filter(([code]) => indicatorOf(framework, code) === indicator.number)
      .map(([, s]) => s);
    return {
      ...pick(indicator),
      score: scores.length ? round2(scores.reduce((a, b) => a + b, 0) / scores.length) : null,
    };
  });
}

const pick = (i: Framework['indicators'][number]) => ({ number: i.number, tool: i.tool, nameTh: i.nameTh });

export type Comparison = {
  from: number;
  to: number;
  tools: { tool: ToolCode; from: number | null; to: number | null; delta: number | null }[];
  total: { from: number | null; to: number | null; delta: number | null };
  indicators: {
    number: number;
    tool: ToolCode;
    nameTh: string;
    from: number | null;
    to: number | null;
    delta: number | null;
  }[];
};

/** Year `from` against year `to`, per tool (points) and per indicator (0–100, where questions were imported). */
export function compareYears(
  framework: Framework,
  input: {
    from: number;
    to: number;
    results: readonly YearResult[];
    questions: { from: QuestionResults | null; to: QuestionResults | null };
  },
): Comparison {
  const scoreOf = (fy: number) => {
    const r = input.results.find((x) => x.fiscalYear === fy);
    return r ? scoreFromResult(framework, r) : null;
  };
  const a = scoreOf(input.from);
  const b = scoreOf(input.to);
  const delta = (x: number | null, y: number | null) => (x === null || y === null ? null : diff(y, x));
  const ia = input.questions.from ? indicatorScores(framework, input.questions.from) : [];
  const ib = input.questions.to ? indicatorScores(framework, input.questions.to) : [];
  return {
    from: input.from,
    to: input.to,
    tools: (['IIT', 'EIT', 'OIT'] as const).map((tool) => {
      const key = tool.toLowerCase() as 'iit' | 'eit' | 'oit';
      const x = a ? a[key] : null;
      const y = b ? b[key] : null;
      return { tool, from: x, to: y, delta: delta(x, y) };
    }),
    total: { from: a?.total ?? null, to: b?.total ?? null, delta: delta(a?.total ?? null, b?.total ?? null) },
    indicators: framework.indicators.map((indicator) => {
      const x = ia.find((i) => i.number === indicator.number)?.score ?? null;
      const y = ib.find((i) => i.number === indicator.number)?.score ?? null;
      return { ...pick(indicator), from: x, to: y, delta: delta(x, y) };
    }),
  };
}
