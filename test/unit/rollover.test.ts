import { describe, expect, it } from 'vitest';
import planData from '#data/phatthalung-2567.plan.json' with { type: 'json' };
import { PlanData } from '#domain/plan-import';
import { rollover } from '#domain/rollover';
import { makeAssessment, NOW } from '#test/fixtures';

const plan = PlanData.parse(planData);

describe('rollover to the next fiscal year', () => {
  it('moves every window by whole years and keeps each period text in agreement with its window', () => {
    // Prepare
    const source = {
      assessment: makeAssessment('phatthalung-2567'),
      milestones: plan.milestones,
      tasks: plan.improvementTasks,
      results: plan.results,
      agencies: [],
    };

    // Act
    const next = rollover(source, { id: 'phatthalung-2568', fiscalYear: 2568 }, NOW);

    // Assess
    const step5 = next.milestones.find((m) => m.number === 5)!;
    const step9 = next.milestones.find((m) => m.number === 9)!;
    expect(step5).toMatchObject({
      window: { start: '2025-01-01', end: '2025-07-01' },
      periodText: 'มกราคม 2568 ถึง 1 กรกฎาคม 2568',
    });
    // The seed's step 9 text was wrong (มกราคม 2566); shifting it would read 2567 against a 2025 window.
    expect(step9.window).toEqual({ start: '2025-01-01', end: '2025-04-01' });
    expect(step9.periodText).toBe('1 มกราคม – 1 เมษายน 2568');
    expect(next.tasks.every((t) => t.status === 'planned' && t.progress === 0)).toBe(true);
    expect(next.assessment.window).toEqual({ start: '2024-10-01', end: '2025-09-30' });
  });
});

describe('how far a rollover may move', () => {
  const source = {
    assessment: makeAssessment('phatthalung-2567'),
    milestones: plan.milestones,
    tasks: [],
    results: [],
    agencies: [],
  };
  const outcome = (fiscalYear: number, anyLaterYear: boolean) => {
    try {
      return rollover(source, { id: `phatthalung-${fiscalYear}`, fiscalYear }, NOW, anyLaterYear).assessment
        .fiscalYear;
    } catch (error) {
      return (error as { details?: { path: string; message: string }[] }).details?.[0]?.message;
    }
  };

  it('moves exactly one year for a caller who may not create assessments, any later year for one who may', () => {
    // Act
    const bound = [2568, 2569, 2567].map((year) => outcome(year, false));
    const free = [2568, 2569, 2567].map((year) => outcome(year, true));

    // Assess
    expect(bound).toEqual([
      2568,
      "must be 2568, the year after phatthalung-2567's",
      'must be after 2567, the fiscal year of phatthalung-2567',
    ]);
    expect(free).toEqual([2568, 2569, 'must be after 2567, the fiscal year of phatthalung-2567']);
  });
});
