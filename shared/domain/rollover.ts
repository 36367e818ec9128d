import { newAgencySummary } from './agency.ts';
import { UnprocessableError } from './errors.ts';
import type { OitEvidence } from './evidence.ts';
import type { ImprovementTask, YearResult } from './improvement.ts';
import type { AgencySummary, Assessment, Milestone } from './model.ts';
import { addYears, fiscalYearWindow, formatThaiWindow, parseThaiPeriod } from './thai-date.ts';

export type RolloverSource = {
  assessment: Assessment;
  milestones: Milestone[];
  tasks: ImprovementTask[];
  results: YearResult[];
  agencies: { summary: AgencySummary; evidence: OitEvidence[] }[];
};

export type RolledOver = {
  assessment: Assessment;
  milestones: Milestone[];
  tasks: ImprovementTask[];
  results: YearResult[];
  agencies: { summary: AgencySummary; items: string[] }[];
};

/** `มกราคม 2567 ถึง 1 กรกฎาคม 2567` one year on reads `มกราคม 2568 ถึง 1 กรกฎาคม 2568`. */
const shiftBeYears = (text: string, years: number): string =>
  text.replace(/(?<!\d)(25\d\d)(?!\d)/g, (year) => String(Number(year) + years));

const shift = (window: { start: string; end: string }, years: number) => ({
  start: addYears(window.start, years),
  end: addYears(window.end, years),
});

/**
 * The period text of a moved window. Shifting the years in the text is right only when the text
 * says what the window says; where they disagree (the seed's step 9 reads มกราคม 2566 but was
 * corrected to 2567 on import) the shifted text would carry the defect on, so the new text is
 * written from the window instead.
 */
const movedPeriodText = (text: string, window: { start: string; end: string }, years: number): string => {
  const parsed = parseThaiPeriod(text);
  const agrees = parsed.ok && parsed.window.start === window.start && parsed.window.end === window.end;
  return agrees ? shiftBeYears(text, years) : formatThaiWindow(shift(window, years), 'full');
};

/**
 * Next year's assessment from this one: every window moved by whole years, agencies copied with
 * their contacts and headcounts (minimums recomputed), OIT assignments copied with every item
 * back to `missing`, survey counts zero, tasks back to planned at 0 %, last results kept. The
 * framework is copied too: the assignments refer to its item ids, and the admin replaces the
 * catalog (PUT .../oit/catalog) once the new year's is published.
 */
export const rollover = (
  source: RolloverSource,
  target: { id: string; fiscalYear: number },
  now: string,
  /**
   * Whether the caller may create an assessment of any year (the `*` admin): then any later year;
   * otherwise exactly the next one, so a rollover cannot stand in for a creation it may not make.
   */
  anyLaterYear = false,
): RolledOver => {
  const years = target.fiscalYear - source.assessment.fiscalYear;
  if (years < 1)
    throw new UnprocessableError('a rollover moves forward', [
      {
        path: 'fiscalYear',
        message: `must be after ${source.assessment.fiscalYear}, the fiscal year of ${source.assessment.id}`,
      },
    ]);
  if (years > 1 && !anyLaterYear)
    throw new UnprocessableError('a rollover moves to the next fiscal year', [
      {
        path: 'fiscalYear',
        message: `must be ${source.assessment.fiscalYear + 1}, the year after ${source.assessment.id}'s`,
      },
    ]);
  if (target.id === source.assessment.id)
    throw new UnprocessableError('the new assessment needs its own id', [
      { path: 'id', message: 'must differ from the source assessment id' },
    ]);
  const assessment: Assessment = {
    ...source.assessment,
    id: target.id,
    fiscalYear: target.fiscalYear,
    window: fiscalYearWindow(target.fiscalYear),
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  return {
    assessment,
    milestones: source.milestones.map((m) => ({
      ...m,
      periodText: movedPeriodText(m.periodText, m.window, years),
      window: shift(m.window, years),
    })),
    tasks: source.tasks.map((t) => ({
      ...t,
      periodText: movedPeriodText(t.periodText, t.window, years),
      window: shift(t.window, years),
      // A draft stays a draft (nobody was given it); every other task starts again, planned at 0 %.
      status: t.status === 'draft' ? ('draft' as const) : ('planned' as const),
      progress: 0,
      version: 1,
    })),
    results: source.results,
    // Built fresh: each agency's own state of every published task naming it starts planned at 0 %.
    agencies: source.agencies.map(({ summary, evidence }) => ({
      summary: newAgencySummary(target.id, summary.agency, assessment.framework, now, source.tasks),
      items: evidence.map((e) => e.itemId),
    })),
  };
};
