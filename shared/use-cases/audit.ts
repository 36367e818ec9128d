import type { AssessmentRepository } from '#adapters/dynamo/assessment-repository';
import type { AuditEntry } from '#domain/audit';
import { NotFoundError } from '#domain/errors';
import type { AuditQuery } from '#domain/requests/audit';

export type AuditDeps = { assessments: Pick<AssessmentRepository, 'getWithPlan' | 'listAudit'> };

/**
 * GET /assessments/{id}/audit: the audit trail, oldest first, between `since` and `until`, one page
 * at a time; with `agencyId`, that agency's entries only (its GSI1 partition); with `action`, that
 * action's (or, ending in a dot, that family's) entries only. The page cursor is the repository's
 * (opaque here); one that does not belong to this query is a 400.
 */
export const listAudit = async (
  deps: AuditDeps,
  input: { assessmentId: string; query: AuditQuery },
): Promise<{ entries: AuditEntry[]; nextToken?: string }> => {
  const { agencyId, since, until, action, limit, nextToken } = input.query;
  const plan = await deps.assessments.getWithPlan(input.assessmentId);
  if (!plan) throw new NotFoundError(`assessment ${input.assessmentId} not found`);
  return deps.assessments.listAudit(input.assessmentId, {
    agencyId,
    // Keys hold UTC instants; an offset in `since` must not change the comparison.
    since: since ? new Date(since).toISOString() : undefined,
    until: until ? new Date(until).toISOString() : undefined,
    action,
    limit,
    nextToken,
  });
};
