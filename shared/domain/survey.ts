import { UnprocessableError } from './errors.ts';
import type { DateWindow, IsoDate, SurveyProgress, SurveyReport } from './model.ts';

/** How many reports the summary keeps: enough for a pace forecast, small enough for one item. */
export const SURVEY_HISTORY_LIMIT = 60;

export type SurveyReportInput = {
  responses: number;
  asOf: IsoDate;
  correction?: boolean | undefined;
  reason?: string | undefined;
};

/**
 * Applies one report to an agency's survey progress, or refuses it (422).
 *
 * The history is a series of counts by date, one report per date (a second report for a date
 * replaces the first), kept in date order and cut to the last {@link SURVEY_HISTORY_LIMIT} dates.
 * Counts only grow: a report lower than the report before it in date order, or higher than one
 * after it, would make the series go down, so it needs `correction: true` and a reason. Because
 * the rule is about dates, not arrival order, reports that arrive out of order are all accepted
 * as long as the series they form still grows, and the current count is the latest date's.
 *
 * Dates: not after today (Asia/Bangkok) and not before the collection window opens.
 */
export const applySurveyReport = (
  current: SurveyProgress,
  report: SurveyReportInput,
  context: { today: IsoDate; collection: DateWindow },
): SurveyProgress => {
  if (report.asOf > context.today)
    throw new UnprocessableError('asOf is in the future', [
      { path: 'asOf', message: `must not be after today (${context.today}, Asia/Bangkok)` },
    ]);
  if (report.asOf < context.collection.start)
    throw new UnprocessableError('asOf is before the collection window', [
      { path: 'asOf', message: `the collection window opens on ${context.collection.start}` },
    ]);
  const isCorrection = report.correction === true;
  if (isCorrection && !report.reason?.trim())
    throw new UnprocessableError('a correction needs a reason', [
      { path: 'reason', message: 'say why the count goes down' },
    ]);
  const others = current.history.filter((r) => r.asOf !== report.asOf);
  const sameDay = current.history.find((r) => r.asOf === report.asOf);
  const before = [...others].reverse().find((r) => r.asOf < report.asOf);
  const after = others.find((r) => r.asOf > report.asOf);
  const floor = Math.max(before?.responses ?? 0, sameDay?.responses ?? 0);
  if (!isCorrection && report.responses < floor)
    throw new UnprocessableError('the count would go down', [
      {
        path: 'responses',
        message: `${report.responses} is lower than the ${floor} already reported; send correction: true and a reason`,
      },
    ]);
  if (!isCorrection && after && report.responses > after.responses)
    throw new UnprocessableError('the count would go down after this date', [
      {
        path: 'responses',
        message: `${report.responses} is higher than the ${after.responses} reported for ${after.asOf}; send correction: true and a reason`,
      },
    ]);
  const entry: SurveyReport = { asOf: report.asOf, responses: report.responses };
  const history = [...others, entry]
    .sort((a, b) => (a.asOf < b.asOf ? -1 : a.asOf > b.asOf ? 1 : 0))
    .slice(-SURVEY_HISTORY_LIMIT);
  const latest = history[history.length - 1] ?? entry;
  return { ...current, responses: latest.responses, asOf: latest.asOf, history };
};
