import * as z from 'zod/mini';
import { ImprovementTask } from '../improvement.ts';
import { FreeText, Slug, TaskStatus } from '../model.ts';

/**
 * The improvement task routes' bodies and query strings, strict everywhere: an unknown field is a 400
 * naming it, never silently dropped. The OpenAPI document is generated from these; one module per
 * area, so that a function builds only the schemas of its own routes.
 */

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
