import * as z from 'zod';
import type { AssessmentRepository } from '#adapters/dynamo/assessment-repository';
import { keys } from '#adapters/dynamo/keys';
import type { AuditEntry } from '#domain/audit';
import { NotFoundError, ValidationError } from '#domain/errors';
import type { AuditQuery } from '#domain/requests';

export type AuditDeps = { assessments: AssessmentRepository };

const TableKey = z.strictObject({ PK: z.string(), SK: z.string() });
const IndexKey = TableKey.extend({ GSI1PK: z.string(), GSI1SK: z.string() });

const badToken = () =>
  new ValidationError('nextToken does not belong to this query', [
    {
      path: 'nextToken',
      message: 'pass the nextToken of the previous page unchanged, with the same agencyId',
    },
  ]);

/**
 * The page cursor is DynamoDB's last key, base64url JSON. It is checked before use: a key from
 * another partition or index would make the Query fail (or read another trail), so it is a 400.
 */
const decodeToken = (token: string, assessmentId: string, agencyId: string | undefined) => {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badToken();
  }
  const auditPk = keys.audit(assessmentId, '', '').PK;
  if (agencyId === undefined) {
    const parsed = TableKey.safeParse(value);
    if (!parsed.success || parsed.data.PK !== auditPk) throw badToken();
    return parsed.data;
  }
  const parsed = IndexKey.safeParse(value);
  const gsiPk = keys.auditByAgency(assessmentId, agencyId, '', '').GSI1PK;
  if (!parsed.success || parsed.data.PK !== auditPk || parsed.data.GSI1PK !== gsiPk) throw badToken();
  return parsed.data;
};

/**
 * GET /assessments/{id}/audit: the audit trail, oldest first, after `since`, one page at a
 * time; with `agencyId`, that agency's entries only (its GSI1 partition).
 */
export const listAudit = async (
  deps: AuditDeps,
  input: { assessmentId: string; query: AuditQuery },
): Promise<{ entries: AuditEntry[]; nextToken?: string }> => {
  const { agencyId, since, limit, nextToken } = input.query;
  const startKey = nextToken ? decodeToken(nextToken, input.assessmentId, agencyId) : undefined;
  const plan = await deps.assessments.getWithPlan(input.assessmentId);
  if (!plan) throw new NotFoundError(`assessment ${input.assessmentId} not found`);
  const page = await deps.assessments.listAudit(input.assessmentId, {
    agencyId,
    // Keys hold UTC instants; an offset in `since` must not change the comparison.
    since: since ? new Date(since).toISOString() : undefined,
    limit,
    startKey,
  });
  return {
    entries: page.entries,
    ...(page.lastKey ? { nextToken: Buffer.from(JSON.stringify(page.lastKey)).toString('base64url') } : {}),
  };
};
