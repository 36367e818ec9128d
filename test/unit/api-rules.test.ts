import { describe, expect, it } from 'vitest';
import { UnprocessableError } from '#domain/errors';
import type { SurveyProgress } from '#domain/model';
import { checkPlan } from '#domain/plan-check';
import { rollover } from '#domain/rollover';
import { applySurveyReport, SURVEY_HISTORY_LIMIT } from '#domain/survey';
import { addDays } from '#domain/thai-date';
import { csvDocument, csvField } from '#http/csv';
import { makeAgency, makeAssessment, makeMilestones, NOW } from '#test/fixtures';
import { nextTaskState } from '#use-cases/tasks';

const empty: SurveyProgress = { tool: 'iit', required: 100, responses: 0, history: [] };
const context = { today: '2024-03-15', collection: { start: '2024-01-01', end: '2024-07-01' } };

describe('survey reports', () => {
  it('keeps one report per date in date order and takes the latest date as the count', () => {
    // Act
    const a = applySurveyReport(empty, { responses: 10, asOf: '2024-02-01' }, context);
    const b = applySurveyReport(a, { responses: 30, asOf: '2024-03-01' }, context);
    const late = applySurveyReport(b, { responses: 20, asOf: '2024-02-15' }, context);
    const sameDay = applySurveyReport(late, { responses: 35, asOf: '2024-03-01' }, context);

    // Assess
    expect(sameDay.history).toEqual([
      { asOf: '2024-02-01', responses: 10 },
      { asOf: '2024-02-15', responses: 20 },
      { asOf: '2024-03-01', responses: 35 },
    ]);
    expect(sameDay).toMatchObject({ responses: 35, asOf: '2024-03-01' });
  });

  it('refuses a series that would go down unless it is a correction with a reason', () => {
    // Prepare
    const current = applySurveyReport(empty, { responses: 30, asOf: '2024-03-01' }, context);

    // Act
    const lower = () => applySurveyReport(current, { responses: 20, asOf: '2024-03-02' }, context);
    const aboveLater = () => applySurveyReport(current, { responses: 40, asOf: '2024-02-01' }, context);
    const noReason = () =>
      applySurveyReport(current, { responses: 20, asOf: '2024-03-02', correction: true }, context);
    const corrected = applySurveyReport(
      current,
      { responses: 20, asOf: '2024-03-02', correction: true, reason: 'ซ้ำ' },
      context,
    );

    // Assess
    expect(lower).toThrow(UnprocessableError);
    expect(aboveLater).toThrow('the count would go down after this date');
    expect(noReason).toThrow('a correction needs a reason');
    expect(corrected.responses).toBe(20);
  });

  it('refuses dates in the future and before the collection window, and bounds the history', () => {
    // Prepare
    let survey = empty;
    for (let i = 0; i < SURVEY_HISTORY_LIMIT + 5; i++)
      survey = applySurveyReport(survey, { responses: i, asOf: addDays('2024-01-01', i) }, context);

    // Act
    const future = () => applySurveyReport(empty, { responses: 1, asOf: '2024-03-16' }, context);
    const early = () => applySurveyReport(empty, { responses: 1, asOf: '2023-12-31' }, context);

    // Assess
    expect(future).toThrow('asOf is in the future');
    expect(early).toThrow('asOf is before the collection window');
    expect(survey.history).toHaveLength(SURVEY_HISTORY_LIMIT);
    expect(survey.history[0]?.asOf).toBe(addDays('2024-01-01', 5));
  });
});

describe('plan checks', () => {
  it('refuses duplicate numbers and flags windows outside the fiscal year', () => {
    // Prepare
    const [first, second] = makeMilestones();
    const late = { ...second!, number: 9, window: { start: '2024-09-15', end: '2024-10-31' } };
    const fy = { start: '2023-10-01', end: '2024-09-30' };

    // Act
    const warnings = checkPlan([first!, second!, late], fy);
    const duplicate = () => checkPlan([first!, first!], fy);

    // Assess
    expect(warnings).toEqual([
      {
        path: 'milestones.2.window',
        milestone: 9,
        message: expect.stringContaining('outside the fiscal year'),
      },
    ]);
    expect(duplicate).toThrow('milestone numbers must be unique');
  });
});

describe('rollover', () => {
  it('moves windows and Thai years on, resets progress and keeps agencies and assignments', () => {
    // Prepare
    const assessment = makeAssessment('a-2567');
    const summary = {
      assessmentId: 'a-2567',
      agency: makeAgency('x'),
      oit: { assigned: 1, submitted: 1, approved: 0, rejected: 0 },
      surveys: {
        iit: {
          tool: 'iit' as const,
          required: 12,
          responses: 50,
          history: [{ asOf: '2024-02-01', responses: 50 }],
        },
        eit: { tool: 'eit' as const, required: 12, responses: 5, history: [] },
      },
      tasks: { t1: { status: 'done' as const, progress: 100, updatedAt: NOW } },
      openTasks: 0,
      version: 9,
      updatedAt: NOW,
    };
    const evidence = [
      {
        assessmentId: 'a-2567',
        agencyId: 'x',
        itemId: 'o2',
        status: 'submitted' as const,
        urls: [],
        note: '',
        updatedAt: NOW,
        version: 2,
      },
    ];

    // Act
    const next = rollover(
      { assessment, milestones: makeMilestones(), tasks: [], results: [], agencies: [{ summary, evidence }] },
      { id: 'a-2568', fiscalYear: 2568 },
      NOW,
    );
    const backwards = () =>
      rollover(
        { assessment, milestones: [], tasks: [], results: [], agencies: [] },
        { id: 'a-2566', fiscalYear: 2566 },
        NOW,
      );

    // Assess
    expect(next.assessment).toMatchObject({
      id: 'a-2568',
      window: { start: '2024-10-01', end: '2025-09-30' },
      version: 1,
    });
    expect(next.milestones[0]).toMatchObject({
      periodText: 'มกราคม 2568 ถึง 1 กรกฎาคม 2568',
      window: { start: '2025-01-01', end: '2025-07-01' },
    });
    expect(next.agencies[0]?.items).toEqual(['o2']);
    expect(next.agencies[0]?.summary.surveys.iit).toMatchObject({ responses: 0, history: [] });
    expect(next.agencies[0]?.summary.oit).toEqual({ assigned: 0, submitted: 0, approved: 0, rejected: 0 });
    expect(backwards).toThrow('a rollover moves forward');
  });
});

describe('task state', () => {
  it('derives status from progress and refuses done below 100 %', () => {
    // Act
    const started = nextTaskState({ status: 'planned', progress: 0 }, { progress: 30 });
    const finished = nextTaskState({ status: 'in_progress', progress: 30 }, { progress: 100 });
    const done = nextTaskState({ status: 'in_progress', progress: 30 }, { status: 'done' });
    const contradiction = () =>
      nextTaskState({ status: 'in_progress', progress: 30 }, { status: 'done', progress: 50 });

    // Assess
    expect(started).toEqual({ status: 'in_progress', progress: 30 });
    expect(finished).toEqual({ status: 'done', progress: 100 });
    expect(done).toEqual({ status: 'done', progress: 100 });
    expect(contradiction).toThrow(UnprocessableError);
  });
});

describe('CSV for Excel', () => {
  it('quotes per RFC 4180, defuses formulas, and writes a BOM and CRLF', () => {
    // Act
    const document = csvDocument([
      ['ชื่อ', 'หมายเหตุ'],
      ['กรม "ก", สาขา', '=HYPERLINK("x")'],
      ['บรรทัด\nใหม่', 3],
    ]);

    // Assess
    expect(csvField('-1')).toBe("'-1");
    expect(document).toBe(
      '\uFEFFชื่อ,หมายเหตุ\r\n"กรม ""ก"", สาขา","\'=HYPERLINK(""x"")"\r\n"บรรทัด\nใหม่",3\r\n',
    );
  });
});
