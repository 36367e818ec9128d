import * as z from 'zod/mini';

/**
 * The pace rules' margins, part of an assessment's notification settings: a module of their own
 * because the progress views run the pace rules with the defaults and read no settings.
 */

export const PaceSettings = z.strictObject({
  /** OIT is behind when done/assigned trails the elapsed share of the window by more than this, in points. */
  oitMarginPoints: z._default(z.number().check(z.gte(0), z.lte(100)), 10),
  /** A survey is behind when responses are below this share of the expected count. */
  surveyRatio: z._default(z.number().check(z.gte(0), z.lte(1)), 0.9),
  /** A survey count not updated for this many days gets a request to update it. */
  staleDays: z._default(z.number().check(z.int(), z.gte(1)), 14),
  /** The recent rate for the survey forecast is taken over this many days of history. */
  forecastDays: z._default(z.number().check(z.int(), z.gte(1)), 14),
  /** An improvement task is behind when its progress trails the elapsed share by more than this, in points. */
  taskMarginPoints: z._default(z.number().check(z.gte(0), z.lte(100)), 10),
});
export type PaceSettings = z.infer<typeof PaceSettings>;

export const DEFAULT_PACE_SETTINGS: PaceSettings = PaceSettings.parse({});
