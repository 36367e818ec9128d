import * as z from 'zod/mini';
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

// ---------------------------------------------------------------- agencies

export const CreateAgencyRequest = Agency;
export type CreateAgencyRequest = z.infer<typeof CreateAgencyRequest>;

/** PUT /assessments/{id}/agencies/{agencyId}: the profile (name, contacts, headcounts); the id is the path's. */
export const UpdateAgencyRequest = z.omit(Agency, { id: true });
export type UpdateAgencyRequest = z.infer<typeof UpdateAgencyRequest>;

// ---------------------------------------------------------------- OIT

export const ReplaceOitCatalogRequest = z.strictObject({
  items: z.array(OitItem).check(z.minLength(1), z.maxLength(200)),
});
export type ReplaceOitCatalogRequest = z.infer<typeof ReplaceOitCatalogRequest>;

export const AssignOitItemsRequest = z.strictObject({
  items: z.array(OitItem.shape.id).check(z.minLength(1), z.maxLength(200)),
});
export type AssignOitItemsRequest = z.infer<typeof AssignOitItemsRequest>;

const Reason = FreeText(2000).check(z.refine((s) => s.trim().length > 0, 'give a reason'));

export const ReviewEvidenceRequest = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('approve'), reason: z.optional(FreeText(2000)) }),
  z.strictObject({ decision: z.literal('reject'), reason: Reason }),
]);
export type ReviewEvidenceRequest = z.infer<typeof ReviewEvidenceRequest>;

export const OitListQuery = z.strictObject({ status: OitStatus });

// ---------------------------------------------------------------- surveys

export const SurveyReportRequest = z.strictObject({
  responses: z.number().check(z.int(), z.gte(0), z.lte(100_000_000)),
  asOf: IsoDate,
  /** Required (with a reason) to report fewer responses than the series already shows. */
  correction: z.optional(z.boolean()),
  reason: z.optional(FreeText(1000)),
});
export type SurveyReportRequest = z.infer<typeof SurveyReportRequest>;

// ---------------------------------------------------------------- improvement tasks

export const CreateTaskRequest = z.extend(z.omit(ImprovementTask, { version: true }), {
  status: z._default(TaskStatus, 'planned'),
  progress: z._default(z.number().check(z.int(), z.gte(0), z.lte(100)), 0),
});
export type CreateTaskRequest = z.infer<typeof CreateTaskRequest>;

/**
 * PATCH of a task. An agency moves its own state; the admin moves the overall state, or one
 * agency's state when it names `agencyId`, and sets `responsibleAgencies` while publishing a draft.
 * While a task is a draft the admin may also reword it (`guideline`, `method`) and move its
 * `window` (its `periodText` then follows the window, in BE).
 */
export const UpdateTaskRequest = z
  .strictObject({
    status: z.optional(TaskStatus),
    progress: z.optional(z.number().check(z.int(), z.gte(0), z.lte(100))),
    agencyId: z.optional(Slug),
    responsibleAgencies: z.optional(ImprovementTask.shape.responsibleAgencies),
    guideline: z.optional(FreeText(2000).check(z.refine((s) => s.trim().length > 0, 'give the guideline'))),
    method: z.optional(FreeText()),
    window: z.optional(ImprovementTask.shape.window),
  })
  .check(
    z.refine(
      (r) =>
        r.status !== undefined ||
        r.progress !== undefined ||
        r.guideline !== undefined ||
        r.method !== undefined ||
        r.window !== undefined,
      { message: "give status, progress, or a draft's guideline, method or window", path: ['status'] },
    ),
  );

/** The fields of a PATCH that reword a draft task, never a published one. */
export const DRAFT_EDIT_FIELDS = ['guideline', 'method', 'window'] as const;
export type UpdateTaskRequest = z.infer<typeof UpdateTaskRequest>;

// ---------------------------------------------------------------- audit

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

/**
 * An audit action (`oit.review`), or a prefix ending in a dot (`oit.`) for every action under it:
 * lower-case words joined by dots or hyphens, as `auditEntry` callers write them.
 */
export const AuditActionFilter = z
  .string()
  .check(
    z.maxLength(64),
    z.regex(
      /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*\.?$/,
      'one action such as oit.review, or a prefix ending in a dot such as oit.',
    ),
  );

export const AuditQuery = z
  .strictObject({
    agencyId: z.optional(Slug),
    /** Entries at or after this instant. */
    since: z.optional(IsoDateTime),
    /** Entries at or before this instant. */
    until: z.optional(IsoDateTime),
    action: z.optional(AuditActionFilter),
    limit: z._default(z.pipe(DecimalInteger, z.number().check(z.int(), z.gte(1), z.lte(200))), 50),
    nextToken: z.optional(z.string().check(z.maxLength(2048))),
  })
  .check(
    z.refine((q) => !q.since || !q.until || Date.parse(q.since) <= Date.parse(q.until), {
      message: 'until is before since',
      path: ['until'],
    }),
  );
export type AuditQuery = z.infer<typeof AuditQuery>;
