import { describe, expect, it } from 'vitest';
import planData from '#data/phatthalung-2567.plan.json' with { type: 'json' };
import {
  analyseQuestions,
  compareYears,
  draftTasks,
  EIT_CODES,
  IIT_CODES,
  improvementWindow,
  OIT_CODES,
  type QuestionResults,
  QuestionResultsRequest,
  resultsHistory,
  THEMES,
  themeOf,
} from '#domain/analysis';
import { loadDefaultFramework } from '#domain/framework';
import { PlanData } from '#domain/plan-import';

const framework = loadDefaultFramework(2567);
const plan = PlanData.parse(planData);

/** A year where every question scores `base` except the ones given. */
const yearResults = (fiscalYear: number, base: number, low: Record<string, number> = {}): QuestionResults => {
  const fill = (list: string[], value: number) =>
    Object.fromEntries(list.map((code) => [code, low[code] ?? value]));
  return {
    assessmentId: 'phatthalung-2567',
    fiscalYear,
    iit: fill(IIT_CODES, base),
    eit: fill(EIT_CODES, base),
    oit: fill(OIT_CODES, 100),
    texts: {},
    importedAt: '2024-02-15T01:30:00.000Z',
    importedBy: 'test',
    version: 1,
  };
};

/** The seed's FY2566 weak questions with the scores it printed. */
const seed2566 = yearResults(2566, 90, {
  i1: 90.31,
  e1: 78.84,
  e15: 74.84,
  e14: 75.48,
  e6: 82.95,
  e7: 81.67,
  i19: 80.09,
  i20: 80.11,
  i7: 76.59,
  i8: 63.58,
  i15: 82.27,
  i28: 81.97,
});

describe('the theme table', () => {
  it('uses exactly the seven theme titles of the plan’s improvement tasks', () => {
    // Act
    const fromPlan = new Map(plan.improvementTasks.map((t) => [t.theme.number, t.theme.title]));

    // Assess
    expect(THEMES.map((t) => [t.number, t.title])).toEqual([...fromPlan].sort(([a], [b]) => a - b));
  });

  it('files the seed’s weak questions under the themes the seed used', () => {
    // Prepare
    const seen = plan.improvementTasks.flatMap((t) =>
      t.questions.map((q) => [q.code, t.theme.number] as const),
    );

    // Act
    const misfiled = seen.filter(([code, theme]) => themeOf(code).number !== theme);

    // Assess: only the seed's second listings of i1 (theme 2) and e15 (theme 1) differ.
    expect(misfiled).toEqual([
      ['e15', 1],
      ['i1', 2],
    ]);
  });

  it('puts a code outside the table into the other group', () => {
    // Act / Assess
    expect(themeOf('i31')).toEqual({ number: 0, title: 'อื่น ๆ' });
  });
});

describe('analyseQuestions', () => {
  it('lists the questions under 85 by theme, wording from last year’s tasks', () => {
    // Act
    const analysis = analyseQuestions(seed2566, 85, plan.improvementTasks);

    // Assess
    expect(analysis.weak).toBe(11);
    expect(analysis.groups.map((g) => [g.theme.number, g.questions.map((q) => q.code)])).toEqual([
      [1, ['e1']],
      [2, ['e14']],
      [3, ['e6', 'e7']],
      [4, ['i19', 'i20']],
      [5, ['i7', 'i8']],
      [6, ['i15']],
      [7, ['i28', 'e15']],
    ]);
    expect(analysis.groups[0]?.questions[0]).toMatchObject({
      code: 'e1',
      tool: 'EIT',
      score: 78.84,
      text: 'หน่วยงานปฏิบัติหรือให้บริการแก่ท่าน เป็นไปตามขั้นตอนและระยะเวลา มากน้อยเพียงใด',
    });
  });

  it('takes the threshold from the caller and shows failing OIT items', () => {
    // Prepare
    const results = { ...seed2566, oit: { ...seed2566.oit, o14: 0 } };

    // Act
    const analysis = analyseQuestions(results, 64);

    // Assess
    expect(analysis.groups.map((g) => [g.theme.number, g.questions.map((q) => q.code)])).toEqual([
      [5, ['i8', 'o14']],
    ]);
    expect(analysis.groups[0]?.questions[1]?.text).toBe('ข้อคำถาม o14 (แบบวัด OIT)');
  });
});

describe('draftTasks', () => {
  it('drafts one task (status draft) per weak question for ต.ค. – มี.ค. of the next year, wording from last year', () => {
    // Prepare
    const analysis = analyseQuestions(seed2566, 85, plan.improvementTasks);

    // Act
    const tasks = draftTasks(analysis, plan.improvementTasks);

    // Assess
    expect(tasks.map((t) => t.id)).toEqual([
      'r2566-e1',
      'r2566-e14',
      'r2566-e6',
      'r2566-e7',
      'r2566-i19',
      'r2566-i20',
      'r2566-i7',
      'r2566-i8',
      'r2566-i15',
      'r2566-i28',
      'r2566-e15',
    ]);
    const e15 = tasks.find((t) => t.id === 'r2566-e15');
    const seedE15 = plan.improvementTasks.find((t) => t.id === 't11-e15');
    expect(e15).toMatchObject({
      theme: { number: 7 },
      questions: [{ code: 'e15', lastYearScore: 74.84 }],
      analysis: seedE15?.analysis,
      method: seedE15?.method,
      periodText: 'ต.ค. 2566 – มี.ค. 2567',
      window: { start: '2023-10-01', end: '2024-03-31' },
      responsibleAgencies: 'all',
      status: 'draft',
      progress: 0,
    });
  });

  it('falls back to the theme’s template for a question no earlier task covered', () => {
    // Prepare
    const analysis = analyseQuestions(yearResults(2567, 95, { i25: 70 }), 85, plan.improvementTasks);

    // Act
    const [task] = draftTasks(analysis, plan.improvementTasks);

    // Assess
    expect(task).toMatchObject({
      id: 'r2567-i25',
      theme: { number: 7 },
      periodText: 'ต.ค. 2567 – มี.ค. 2568',
    });
    expect(task?.analysis).toBe('มาตรการป้องกันและแก้ไขการทุจริตยังเห็นผลไม่ชัดเจน');
    expect(improvementWindow(2567).window).toEqual({ start: '2024-10-01', end: '2025-03-31' });
  });
});

describe('QuestionResultsRequest', () => {
  it.each([
    ['an IIT score over 100', { iit: { i1: 101 }, eit: { e1: 80 }, oit: { o1: 100 } }, 'iit.i1'],
    ['an OIT score that is not 0 or 100', { iit: { i1: 80 }, eit: { e1: 80 }, oit: { o1: 50 } }, 'oit.o1'],
    ['an unknown question', { iit: { i31: 80 }, eit: { e1: 80 }, oit: { o1: 100 } }, 'iit'],
    ['an unknown field', { iit: { i1: 80 }, eit: { e1: 80 }, oit: { o1: 100 }, year: 1 }, ''],
  ])('refuses %s', (_label, body, path) => {
    // Act
    const parsed = QuestionResultsRequest.safeParse(body);

    // Assess
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});

describe('resultsHistory and compareYears', () => {
  it('computes totals, grade and label beside the published ones, with deltas per tool', () => {
    // Act
    const history = resultsHistory(framework, plan.results);

    // Assess
    expect(history.map((h) => [h.fiscalYear, h.computed.total, h.computed.grade, h.published.total])).toEqual(
      [
        [2565, 91.45, 'A', 91.45],
        [2566, 91.98, 'A', 91.98],
      ],
    );
    expect(history[0]?.delta).toBeNull();
    expect(history[1]?.delta).toEqual({ iit: 0.93, eit: -0.4, oit: 0, total: 0.53 });
    expect(history.some((h) => h.publishedDiffers)).toBe(false);
  });

  it('compares two years per tool and per indicator', () => {
    // Prepare
    const from = yearResults(2565, 80);
    const to = yearResults(2566, 90, { i1: 60 });

    // Act
    const comparison = compareYears(framework, {
      from: 2565,
      to: 2566,
      results: plan.results,
      questions: { from, to },
    });

    // Assess
    expect(comparison.tools.find((t) => t.tool === 'IIT')).toEqual({
      tool: 'IIT',
      from: 25.67,
      to: 26.6,
      delta: 0.93,
    });
    expect(comparison.total).toEqual({ from: 91.45, to: 91.98, delta: 0.53 });
    expect(comparison.indicators.find((i) => i.number === 1)).toMatchObject({ from: 80, to: 85, delta: 5 });
    expect(comparison.indicators.find((i) => i.number === 9)).toMatchObject({ from: 100, to: 100, delta: 0 });
  });
});
