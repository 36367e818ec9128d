import * as z from 'zod/mini';
import { FiscalYearBE, OitItem, Slug, SurveyTool } from './model.ts';

/**
 * The path parameters of the API routes, and the numbers a path or query string carries: the
 * schemas every route parses, kept apart from the bodies so that a function builds only its own.
 */

export const AssessmentPath = z.object({ id: Slug });
export const AgencyPath = z.object({ id: Slug, agencyId: Slug });
export const EvidencePath = z.object({ id: Slug, agencyId: Slug, itemId: OitItem.shape.id });
export const SurveyPath = z.object({ id: Slug, agencyId: Slug, tool: SurveyTool });
export const TaskPath = z.object({ id: Slug, taskId: Slug });

/**
 * A whole number in a query string or path: decimal digits only, so `0x9F6`, `1e2`, ` 7` and an
 * empty value are refused rather than read as some other number (as `Number()` would).
 */
export const DecimalInteger = z.pipe(
  z.string().check(z.regex(/^\d{1,9}$/, 'use decimal digits only')),
  z.transform((s) => Number(s)),
);

/** A non-negative decimal number in a query string (`85`, `85.5`), digits and one point only. */
export const DecimalNumber = z.pipe(
  z.string().check(z.regex(/^\d{1,6}(\.\d{1,6})?$/, 'use a decimal number such as 85 or 85.5')),
  z.transform((s) => Number(s)),
);

/** A fiscal year (BE) in a path or query string. */
export const FiscalYearParam = z.pipe(DecimalInteger, FiscalYearBE);
