import { type ErrorDetail, UnprocessableError } from './errors.ts';
import type { DateWindow, Milestone } from './model.ts';

/** A milestone accepted although its window leaves the fiscal year. */
export type PlanWarning = { path: string; milestone: number; message: string };

/**
 * Checks a plan against its fiscal year. Duplicate numbers are refused (422): a number is a
 * milestone's key. A window outside the fiscal year is accepted with a warning, because real
 * plans do this (a kick-off in the last weeks of the previous year, results announced after
 * 30 September) and refusing them would make the province's own plan unenterable.
 */
export const checkPlan = (milestones: Milestone[], fiscalYear: DateWindow): PlanWarning[] => {
  const seen = new Map<number, number>();
  const duplicates: ErrorDetail[] = [];
  milestones.forEach((m, i) => {
    const first = seen.get(m.number);
    if (first !== undefined)
      duplicates.push({
        path: `milestones.${i}.number`,
        message: `milestone ${m.number} appears twice (first at milestones.${first})`,
      });
    else seen.set(m.number, i);
  });
  if (duplicates.length > 0) throw new UnprocessableError('milestone numbers must be unique', duplicates);
  return milestones.flatMap((m, i) =>
    m.window.start < fiscalYear.start || m.window.end > fiscalYear.end
      ? [
          {
            path: `milestones.${i}.window`,
            milestone: m.number,
            message: `${m.window.start} – ${m.window.end} is outside the fiscal year ${fiscalYear.start} – ${fiscalYear.end}`,
          },
        ]
      : [],
  );
};
