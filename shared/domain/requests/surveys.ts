import * as z from 'zod/mini';
import { FreeText, IsoDate } from '../primitives.ts';

/**
 * The survey routes' bodies and query strings, strict everywhere: an unknown field is a 400
 * naming it, never silently dropped. The OpenAPI document is generated from these; one module per
 * area, so that a function builds only the schemas of its own routes.
 */

export const SurveyReportRequest = z.strictObject({
  responses: z.number().check(z.int(), z.gte(0), z.lte(100_000_000)),
  asOf: IsoDate,
  /** Required (with a reason) to report fewer responses than the series already shows. */
  correction: z.optional(z.boolean()),
  reason: z.optional(FreeText(1000)),
});
export type SurveyReportRequest = z.infer<typeof SurveyReportRequest>;
