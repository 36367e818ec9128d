import * as z from 'zod/mini';
import { FreeText, OitItem, OitStatus } from '../model.ts';

/**
 * The OIT routes' bodies and query strings, strict everywhere: an unknown field is a 400
 * naming it, never silently dropped. The OpenAPI document is generated from these; one module per
 * area, so that a function builds only the schemas of its own routes.
 */

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
