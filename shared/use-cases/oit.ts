import type { AgencyRepository } from '#adapters/dynamo/agency-repository';
import type { AssessmentRepository } from '#adapters/dynamo/assessment-repository';
import { type LinkRepository, linksByItem } from '#adapters/dynamo/link-repository';
import { auditEntry } from '#domain/audit';
import {
  ConflictError,
  EvidenceExistsError,
  NotFoundError,
  UnprocessableError,
  VersionConflictError,
} from '#domain/errors';
import { frameworkProblems } from '#domain/framework';
import type { OitItem, OitStatus } from '#domain/model';
import {
  heldEvidence,
  holdsEvidence,
  type OitMatrixAnswer,
  oitMatrix,
  type UnassignAnswer,
  unassignDeltas,
} from '#domain/oit-matrix';
import type { Principal } from '#domain/principal';
import type { ReviewEvidenceRequest } from '#domain/requests/oit';
import { evidenceView } from '#domain/views';

export type OitDeps = {
  assessments: Pick<AssessmentRepository, 'getWithPlan' | 'replaceFramework'>;
  agencies: Pick<
    AgencyRepository,
    | 'assignOitItems'
    | 'assignedItemIds'
    | 'listAgencyItems'
    | 'unassignOitItem'
    | 'getEvidence'
    | 'getSummary'
    | 'listEvidenceByStatus'
    | 'reviewEvidence'
  >;
  /** The link watch's health of every evidence URL, shown in the review queue (unchecked without it). */
  links?: Pick<LinkRepository, 'listLinks'>;
  now: () => Date;
};

const planOf = async (deps: OitDeps, assessmentId: string) => {
  const plan = await deps.assessments.getWithPlan(assessmentId);
  if (!plan) throw new NotFoundError(`assessment ${assessmentId} not found`);
  return plan;
};

/**
 * PUT /assessments/{id}/oit/catalog: replaces the framework's OIT items. The new list must be a
 * consistent framework (unique ids, known sub-indicators, none left empty) and must still hold
 * every item assigned to an agency, or evidence would point at nothing (422). `If-Match` is
 * optional here; the write is conditional on the version read either way.
 */
export const replaceOitCatalog = async (
  deps: OitDeps,
  principal: Principal,
  input: { assessmentId: string; items: OitItem[]; expectedVersion?: number | undefined },
): Promise<{ items: OitItem[]; version: number }> => {
  const now = deps.now().toISOString();
  const plan = await planOf(deps, input.assessmentId);
  const version = plan.assessment.version;
  if (input.expectedVersion !== undefined && input.expectedVersion !== version)
    throw new VersionConflictError();
  const framework = { ...plan.assessment.framework, oitItems: input.items };
  const problems = frameworkProblems(framework);
  if (problems.length > 0)
    throw new UnprocessableError(
      'the catalog is inconsistent with the framework',
      problems.map((message) => ({ path: 'items', message })),
    );
  const kept = new Set(input.items.map((i) => i.id));
  const assigned = await deps.agencies.assignedItemIds(input.assessmentId);
  const dropped = [...assigned].filter((id) => !kept.has(id)).sort();
  if (dropped.length > 0)
    throw new UnprocessableError(
      'assigned items must stay in the catalog',
      dropped.map((id) => ({ path: 'items', message: `${id} is assigned to an agency` })),
    );
  await deps.assessments.replaceFramework(
    input.assessmentId,
    framework,
    version,
    now,
    auditEntry(
      principal,
      {
        assessmentId: input.assessmentId,
        action: 'framework.update',
        target: `assessment/${input.assessmentId}/oit/catalog`,
        changes: { items: input.items },
      },
      now,
    ),
  );
  return { items: input.items, version: version + 1 };
};

/**
 * PUT /assessments/{id}/agencies/{agencyId}/oit-assignments: assigns the listed catalog items
 * (each a `missing` evidence item). Items already assigned stay as they are, so the same body
 * twice changes nothing; an item may be assigned to any number of agencies. Unknown items: 422.
 */
export const assignOitItems = async (
  deps: OitDeps,
  principal: Principal,
  input: { assessmentId: string; agencyId: string; items: string[] },
): Promise<{ agencyId: string; added: string[]; assigned: number }> => {
  const now = deps.now().toISOString();
  const plan = await planOf(deps, input.assessmentId);
  const catalog = new Set(plan.assessment.framework.oitItems.map((i) => i.id));
  const unknown = input.items.flatMap((id, i) =>
    catalog.has(id) ? [] : [{ path: `items.${i}`, message: `${id} is not in this assessment's catalog` }],
  );
  if (unknown.length > 0) throw new UnprocessableError('unknown OIT items', unknown);
  const added = await deps.agencies.assignOitItems(
    input.assessmentId,
    input.agencyId,
    input.items,
    now,
    auditEntry(
      principal,
      {
        assessmentId: input.assessmentId,
        agencyId: input.agencyId,
        action: 'oit.assign',
        target: `agency/${input.agencyId}/oit`,
        changes: { items: input.items },
      },
      now,
    ),
    plan.assessment.version,
  );
  const summary = await deps.agencies.getSummary(input.assessmentId, input.agencyId);
  return { agencyId: input.agencyId, added, assigned: summary?.oit.assigned ?? added.length };
};

/**
 * POST .../oit/{itemId}/review: approves or rejects submitted evidence AT THE VERSION THE APPROVER
 * SAW (`If-Match`), in one transaction conditional on that version, with the counters. The
 * evidence is read first so the answer and the audit entry name the exact URLs decided on; the
 * condition guarantees they are still the ones stored. Evidence replaced since (another version)
 * is a 409 `version_conflict`; evidence no longer waiting for review a 409 `conflict`. A rejection
 * reopens the item: the agency can submit again.
 */
export const reviewEvidence = async (
  deps: OitDeps,
  principal: Principal,
  input: {
    assessmentId: string;
    agencyId: string;
    itemId: string;
    review: ReviewEvidenceRequest;
    expectedVersion: number;
  },
) => {
  const now = deps.now().toISOString();
  const { decision, reason } = input.review;
  const status = decision === 'approve' ? 'approved' : 'rejected';
  const seen = await deps.agencies.getEvidence(input.assessmentId, input.agencyId, input.itemId);
  if (!seen) throw await explainUnassigned(deps, input);
  if (seen.status !== 'submitted') throw notWaiting(input.itemId, seen.status);
  if (seen.version !== input.expectedVersion)
    throw new VersionConflictError(
      `evidence for ${input.itemId} is at version ${seen.version}, not ${input.expectedVersion}: it was replaced since you read it; open it again`,
    );
  const outcome = await deps.agencies.reviewEvidence(
    { ...input, decision, reason, reviewedBy: principal.tokenId, now },
    auditEntry(
      principal,
      {
        assessmentId: input.assessmentId,
        agencyId: input.agencyId,
        action: 'oit.review',
        target: `oit/${input.itemId}`,
        changes: {
          status,
          urls: seen.urls,
          version: input.expectedVersion,
          ...(reason ? { reason } : {}),
        },
      },
      now,
    ),
  );
  if (outcome.kind === 'reviewed')
    return {
      itemId: input.itemId,
      agencyId: input.agencyId,
      status,
      urls: seen.urls,
      version: outcome.version,
      reviewedAt: now,
      reviewedBy: principal.tokenId,
      ...(decision === 'reject' ? { rejectionReason: reason } : {}),
    };
  if (outcome.kind === 'status') throw notWaiting(input.itemId, outcome.status);
  if (outcome.kind === 'version') throw new VersionConflictError();
  throw await explainUnassigned(deps, input);
};

const notWaiting = (itemId: string, status: OitStatus) =>
  new ConflictError(
    status === 'missing'
      ? `nothing has been submitted for ${itemId} yet`
      : `evidence for ${itemId} is ${status}, not waiting for review`,
  );

const explainUnassigned = async (
  deps: OitDeps,
  input: { assessmentId: string; agencyId: string; itemId: string },
): Promise<NotFoundError> => {
  const plan = await deps.assessments.getWithPlan(input.assessmentId);
  if (!plan) return new NotFoundError(`assessment ${input.assessmentId} not found`);
  const summary = await deps.agencies.getSummary(input.assessmentId, input.agencyId);
  if (!summary) return new NotFoundError(`agency ${input.agencyId} not found in ${input.assessmentId}`);
  return new NotFoundError(`OIT item ${input.itemId} is not assigned to ${input.agencyId}`);
};

/** GET /assessments/{id}/oit?status=: every agency's items in one status, with the item names. */
export const listOitByStatus = async (deps: OitDeps, input: { assessmentId: string; status: OitStatus }) => {
  const plan = await planOf(deps, input.assessmentId);
  const names = new Map(plan.assessment.framework.oitItems.map((i) => [i.id, i.nameTh]));
  const [evidence, links] = await Promise.all([
    deps.agencies.listEvidenceByStatus(input.assessmentId, input.status),
    deps.links?.listLinks(input.assessmentId) ?? [],
  ]);
  const health = linksByItem(links);
  return {
    status: input.status,
    items: evidence.map((e) => ({
      agencyId: e.agencyId,
      ...evidenceView(e, names, health.get(e.agencyId)?.get(e.itemId)),
    })),
  };
};

/** How often an unassign reads again after the item or one of its links changed under it. */
const UNASSIGN_ATTEMPTS = 3;

/**
 * DELETE /assessments/{id}/agencies/{agencyId}/oit-assignments/{itemId}: the secretariat takes an
 * item back from an agency. An item with nothing submitted goes at once; an item holding evidence
 * (submitted, approved, rejected) needs `confirm` (409 `evidence_exists` naming what it holds,
 * nothing written), and then leaves the live state with its watched links, while the audit entry
 * `oit.unassign` keeps the evidence (URLs, note, status, version, who and when) and the links'
 * last states. Counters move in the same transaction (see `unassignOitItem` of the repository).
 * An item not assigned (or already removed) is a 404: a repeated request is answered from its
 * Idempotency-Key, and without one the 404 says truthfully that there is nothing to remove.
 */
export const unassignOitItem = async (
  /** The links are required here: an item's dead links leave the agency's dead count with it. */
  deps: OitDeps & { links: Pick<LinkRepository, 'listLinks'> },
  principal: Principal,
  input: { assessmentId: string; agencyId: string; itemId: string; confirm: boolean },
): Promise<UnassignAnswer> => {
  for (let attempt = 1; ; attempt++) {
    const now = deps.now().toISOString();
    const seen = await deps.agencies.getEvidence(input.assessmentId, input.agencyId, input.itemId);
    if (!seen) throw await explainUnassigned(deps, input);
    if (holdsEvidence(seen) && !input.confirm)
      throw new EvidenceExistsError(
        `${input.itemId} of ${input.agencyId} holds evidence (${seen.status}, ${seen.urls.length} URL(s), version ${seen.version}); send confirm=true to remove it (the audit entry keeps it)`,
        [
          { path: 'evidence.status', message: seen.status },
          { path: 'evidence.urls', message: String(seen.urls.length) },
          { path: 'evidence.version', message: String(seen.version) },
        ],
      );
    const links = await deps.links.listLinks(input.assessmentId, input.agencyId);
    const own = links.filter((l) => l.itemId === input.itemId);
    const deltas = unassignDeltas(
      seen.status,
      own.map((l) => l.state),
    );
    const removed = heldEvidence(seen);
    const outcome = await deps.agencies.unassignOitItem(
      seen,
      own,
      deltas,
      now,
      auditEntry(
        principal,
        {
          assessmentId: input.assessmentId,
          agencyId: input.agencyId,
          action: 'oit.unassign',
          target: `oit/${input.itemId}`,
          changes: {
            itemId: input.itemId,
            confirmed: input.confirm,
            evidence: removed,
            links: own.map((l) => ({
              url: l.url,
              state: l.state,
              ...(l.checkedAt ? { checkedAt: l.checkedAt } : {}),
            })),
          },
        },
        now,
      ),
    );
    if (outcome === 'removed') {
      const summary = await deps.agencies.getSummary(input.assessmentId, input.agencyId);
      return {
        agencyId: input.agencyId,
        itemId: input.itemId,
        removed,
        oit: summary?.oit ?? { assigned: 0, submitted: 0, approved: 0, rejected: 0 },
        deadLinks: summary?.deadLinks ?? 0,
      };
    }
    if (attempt >= UNASSIGN_ATTEMPTS)
      throw new ConflictError(
        `${input.itemId} of ${input.agencyId} kept changing while it was removed; read it again`,
      );
  }
};

/**
 * GET /assessments/{id}/oit-assignments: the catalog, every agency with its counters and every
 * assigned item's status: one Query of the agencies' items (the `AGENCY#` range), one of the
 * links (dead links per item), and the assessment. Never a request per agency.
 */
export const getOitMatrix = async (
  deps: OitDeps,
  input: { assessmentId: string },
): Promise<OitMatrixAnswer> => {
  const plan = await planOf(deps, input.assessmentId);
  const [{ summaries, evidence }, links] = await Promise.all([
    deps.agencies.listAgencyItems(input.assessmentId),
    deps.links?.listLinks(input.assessmentId) ?? [],
  ]);
  const deadLinksByItem = new Map<string, number>();
  for (const link of links.filter((l) => l.state === 'dead')) {
    const key = `${link.agencyId}#${link.itemId}`;
    deadLinksByItem.set(key, (deadLinksByItem.get(key) ?? 0) + 1);
  }
  return oitMatrix({
    assessmentId: input.assessmentId,
    version: plan.assessment.version,
    catalog: plan.assessment.framework.oitItems,
    summaries,
    evidence,
    deadLinksByItem,
  });
};
