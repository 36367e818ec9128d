import * as z from 'zod/mini';
import type { OitEvidence } from './evidence.ts';
import type { LinkState } from './link-watch.ts';
import { type AgencySummary, OitCounts, OitItem, OitStatus, Slug } from './model.ts';

/**
 * The secretariat's OIT assignment matrix (catalog items x agencies) and the removal of one
 * assignment. Pure: the use case reads the catalog, the agencies' items and the item's links.
 */

/**
 * `DELETE …/oit-assignments/{itemId}?confirm=true`: `confirm` is required once the item holds
 * evidence (a query parameter, not a body: a DELETE body is dropped by some proxies and clients).
 */
export const UnassignOitQuery = z.strictObject({ confirm: z.optional(z.enum(['true', 'false'])) });
export type UnassignOitQuery = z.infer<typeof UnassignOitQuery>;

/** What an assigned item holds that unassigning it would take out of the live state. */
export const HeldEvidence = z.strictObject({
  status: OitStatus,
  urls: z.array(z.string()),
  note: z.string(),
  version: z.number().check(z.int()),
  submittedAt: z.optional(z.string()),
  submittedBy: z.optional(z.string()),
  reviewedAt: z.optional(z.string()),
  reviewedBy: z.optional(z.string()),
  rejectionReason: z.optional(z.string()),
});
export type HeldEvidence = z.infer<typeof HeldEvidence>;

export const UnassignAnswer = z.strictObject({
  agencyId: Slug,
  itemId: z.string(),
  /** The item as it was when removed (kept in the audit entry `oit.unassign` too). */
  removed: HeldEvidence,
  /** The agency's counters after the removal. */
  oit: OitCounts,
  deadLinks: z.number().check(z.int(), z.gte(0)),
});
export type UnassignAnswer = z.infer<typeof UnassignAnswer>;

export const MatrixCell = z.strictObject({
  agencyId: Slug,
  itemId: z.string(),
  status: OitStatus,
  /** Evidence URLs stored (0 for an item nothing was submitted for). */
  urls: z.number().check(z.int(), z.gte(0)),
  /** Whether unassigning needs `confirm=true` (see {@link holdsEvidence}). */
  hasEvidence: z.boolean(),
  deadLinks: z.number().check(z.int(), z.gte(0)),
});
export type MatrixCell = z.infer<typeof MatrixCell>;

/** `GET /assessments/{id}/oit-assignments`: the whole matrix in one answer (two reads, no Scan). */
export const OitMatrixAnswer = z.strictObject({
  assessmentId: Slug,
  /** The assessment's version (its ETag): an assignment or a removal moves it. */
  version: z.number().check(z.int()),
  catalog: z.array(OitItem),
  agencies: z.array(
    z.strictObject({
      id: Slug,
      nameTh: z.string(),
      oit: OitCounts,
      deadLinks: z.number().check(z.int(), z.gte(0)),
    }),
  ),
  /** One per assigned item, by agency then item number. */
  cells: z.array(MatrixCell),
});
export type OitMatrixAnswer = z.infer<typeof OitMatrixAnswer>;

/**
 * An item holds evidence once anything was submitted for it: any status but `missing` (a rejected
 * item keeps its URLs for the agency to replace), or URLs stored whatever the status says.
 */
export const holdsEvidence = (e: Pick<OitEvidence, 'status' | 'urls'>): boolean =>
  e.status !== 'missing' || e.urls.length > 0;

export const heldEvidence = (e: OitEvidence): HeldEvidence => ({
  status: e.status,
  urls: e.urls,
  note: e.note,
  version: e.version,
  ...(e.submittedAt ? { submittedAt: e.submittedAt } : {}),
  ...(e.submittedBy ? { submittedBy: e.submittedBy } : {}),
  ...(e.reviewedAt ? { reviewedAt: e.reviewedAt } : {}),
  ...(e.reviewedBy ? { reviewedBy: e.reviewedBy } : {}),
  ...(e.rejectionReason ? { rejectionReason: e.rejectionReason } : {}),
});

/**
 * How the agency's summary moves when the item goes: one assignment fewer, one fewer in the status
 * it was in (a `missing` item has no counter of its own), and its dead links out of the dead count.
 */
export const unassignDeltas = (
  status: OitEvidence['status'],
  linkStates: readonly LinkState[],
): { oit: Partial<Record<keyof OitCounts, number>>; deadLinks: number } => ({
  oit: { assigned: -1, ...(status === 'missing' ? {} : { [status]: -1 }) },
  deadLinks: -linkStates.filter((s) => s === 'dead').length,
});

/** The matrix from one Query of the agencies' items and the catalog: cells by agency, then item number. */
export const oitMatrix = (input: {
  assessmentId: string;
  version: number;
  catalog: readonly OitItem[];
  summaries: readonly AgencySummary[];
  evidence: readonly OitEvidence[];
  deadLinksByItem: ReadonlyMap<string, number>;
}): OitMatrixAnswer => {
  const itemNumber = (id: string) => Number(id.slice(1));
  return {
    assessmentId: input.assessmentId,
    version: input.version,
    catalog: [...input.catalog],
    agencies: [...input.summaries]
      .sort((a, b) => a.agency.nameTh.localeCompare(b.agency.nameTh, 'th'))
      .map((s) => ({ id: s.agency.id, nameTh: s.agency.nameTh, oit: s.oit, deadLinks: s.deadLinks ?? 0 })),
    cells: [...input.evidence]
      .sort((a, b) => a.agencyId.localeCompare(b.agencyId) || itemNumber(a.itemId) - itemNumber(b.itemId))
      .map((e) => ({
        agencyId: e.agencyId,
        itemId: e.itemId,
        status: e.status,
        urls: e.urls.length,
        hasEvidence: holdsEvidence(e),
        deadLinks: input.deadLinksByItem.get(`${e.agencyId}#${e.itemId}`) ?? 0,
      })),
  };
};
