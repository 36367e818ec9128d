import * as z from 'zod';
import {
  Agency,
  FiscalYearBE,
  Framework,
  FreeText,
  ImprovementTask,
  IsoDate,
  IsoDateTime,
  Milestone,
  OitItem,
  OitStatus,
  Slug,
  SurveyTool,
  TaskStatus,
  ThaiName,
} from './model.ts';

/**
 * The bodies, paths and query strings of the API routes, strict everywhere: an unknown field is a
 * 400 naming it, never silently dropped. The OpenAPI document is generated from these.
 */

// ---------------------------------------------------------------- paths

export const AssessmentPath = z.object({ id: Slug });
export const AgencyPath = z.object({ id: Slug, agencyId: Slug });
export const EvidencePath = z.object({ id: Slug, agencyId: Slug, itemId: OitItem.shape.id });
export const SurveyPath = z.object({ id: Slug, agencyId: Slug, tool: SurveyTool });
export const TaskPath = z.object({ id: Slug, taskId: Slug });

// ---------------------------------------------------------------- assessments and plan

/**
 * A provincial plan has about fifteen steps; sixty is generous and keeps a whole plan, with its
 * assessment item and audit entry, well inside one DynamoDB transaction (100 items).
 */
export const MAX_MILESTONES = 60;

const Milestones = z.array(Milestone).max(MAX_MILESTONES);

/** POST /assessments. The window follows from the fiscal year; the framework defaults to that year's. */
export const CreateAssessmentRequest = z.strictObject({
  id: Slug,
  unitName: ThaiName,
  fiscalYear: FiscalYearBE,
  framework: Framework.optional(),
  milestones: Milestones.optional(),
});
export type CreateAssessmentRequest = z.infer<typeof CreateAssessmentRequest>;

/** PUT /assessments/{id}/plan: the whole plan; milestones left out are removed. */
export const ReplacePlanRequest = z.strictObject({ milestones: Milestones });
export type ReplacePlanRequest = z.infer<typeof ReplacePlanRequest>;

/** POST /assessments/{id}/rollover: the next year's assessment, built from this one. */
export const RolloverRequest = z.strictObject({ id: Slug, fiscalYear: FiscalYearBE });
export type RolloverRequest = z.infer<typeof RolloverRequest>;

// ---------------------------------------------------------------- agencies

export const CreateAgencyRequest = Agency;
export type CreateAgencyRequest = z.infer<typeof CreateAgencyRequest>;

/** PUT /assessments/{id}/agencies/{agencyId}: the profile (name, contacts, headcounts); the id is the path's. */
export const UpdateAgencyRequest = Agency.omit({ id: true });
export type UpdateAgencyRequest = z.infer<typeof UpdateAgencyRequest>;

// ---------------------------------------------------------------- OIT

export const ReplaceOitCatalogRequest = z.strictObject({ items: z.array(OitItem).min(1).max(200) });
export type ReplaceOitCatalogRequest = z.infer<typeof ReplaceOitCatalogRequest>;

export const AssignOitItemsRequest = z.strictObject({
  items: z.array(OitItem.shape.id).min(1).max(200),
});
export type AssignOitItemsRequest = z.infer<typeof AssignOitItemsRequest>;

const Reason = FreeText(2000).refine((s) => s.trim().length > 0, 'give a reason');

export const ReviewEvidenceRequest = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('approve'), reason: FreeText(2000).optional() }),
  z.strictObject({ decision: z.literal('reject'), reason: Reason }),
]);
export type ReviewEvidenceRequest = z.infer<typeof ReviewEvidenceRequest>;

export const OitListQuery = z.strictObject({ status: OitStatus });

// ---------------------------------------------------------------- surveys

export const SurveyReportRequest = z.strictObject({
  responses: z.number().int().min(0).max(100_000_000),
  asOf: IsoDate,
  /** Required (with a reason) to report fewer responses than the series already shows. */
  correction: z.boolean().optional(),
  reason: FreeText(1000).optional(),
});
export type SurveyReportRequest = z.infer<typeof SurveyReportRequest>;

// ---------------------------------------------------------------- improvement tasks

export const CreateTaskRequest = ImprovementTask.omit({ version: true }).extend({
  status: TaskStatus.default('planned'),
  progress: z.number().int().min(0).max(100).default(0),
});
export type CreateTaskRequest = z.infer<typeof CreateTaskRequest>;

/**
 * PATCH of a task. An agency moves its own state; the admin moves the overall state, or one
 * agency's state when it names `agencyId`, and sets `responsibleAgencies` while publishing a draft.
 */
export const UpdateTaskRequest = z
  .strictObject({
    status: TaskStatus.optional(),
    progress: z.number().int().min(0).max(100).optional(),
    agencyId: Slug.optional(),
    responsibleAgencies: ImprovementTask.shape.responsibleAgencies.optional(),
  })
  .refine((r) => r.status !== undefined || r.progress !== undefined, {
    message: 'give status, progress or both',
    path: ['status'],
  });
export type UpdateTaskRequest = z.infer<typeof UpdateTaskRequest>;

// ---------------------------------------------------------------- audit

export const AuditQuery = z.strictObject({
  agencyId: Slug.optional(),
  since: IsoDateTime.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  nextToken: z.string().max(2048).optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;
