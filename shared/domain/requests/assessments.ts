import * as z from 'zod/mini';
import { FiscalYearBE, Framework, Milestone, Slug, ThaiName } from '../model.ts';

/**
 * The assessment and plan routes' bodies and query strings, strict everywhere: an unknown field is a 400
 * naming it, never silently dropped. The OpenAPI document is generated from these; one module per
 * area, so that a function builds only the schemas of its own routes.
 */

/**
 * A provincial plan has about fifteen steps; sixty is generous and keeps a whole plan, with its
 * assessment item and audit entry, well inside one DynamoDB transaction (100 items).
 */
export const MAX_MILESTONES = 60;

const Milestones = z.array(Milestone).check(z.maxLength(MAX_MILESTONES));

/** POST /assessments. The window follows from the fiscal year; the framework defaults to that year's. */
export const CreateAssessmentRequest = z.strictObject({
  id: Slug,
  unitName: ThaiName,
  fiscalYear: FiscalYearBE,
  framework: z.optional(Framework),
  milestones: z.optional(Milestones),
});
export type CreateAssessmentRequest = z.infer<typeof CreateAssessmentRequest>;

/** PUT /assessments/{id}/plan: the whole plan; milestones left out are removed. */
export const ReplacePlanRequest = z.strictObject({ milestones: Milestones });
export type ReplacePlanRequest = z.infer<typeof ReplacePlanRequest>;

/** POST /assessments/{id}/rollover: the next year's assessment, built from this one. */
export const RolloverRequest = z.strictObject({ id: Slug, fiscalYear: FiscalYearBE });
export type RolloverRequest = z.infer<typeof RolloverRequest>;
