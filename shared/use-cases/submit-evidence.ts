import type { AgencyRepository, SubmittedEvidence } from '#adapters/dynamo/agency-repository';
import type { AssessmentRepository } from '#adapters/dynamo/assessment-repository';
import { auditEntry } from '#domain/audit';
import { ConflictError, NotFoundError } from '#domain/errors';
import type { SubmitEvidenceRequest } from '#domain/evidence';
import type { LinkCheckRequested } from '#domain/link-check-plan';
import type { Principal } from '#domain/principal';

export type SubmitEvidenceDeps = {
  agencies: Pick<AgencyRepository, 'getDetail' | 'submitEvidence'>;
  assessments: Pick<AssessmentRepository, 'getWithPlan'>;
  now: () => Date;
};

export type SubmitEvidenceInput = {
  assessmentId: string;
  agencyId: string;
  itemId: string;
  request: SubmitEvidenceRequest;
};

/**
 * Records OIT evidence for an assigned item.
 *
 * 1. Try the common case, a first submission (status `missing`): one transaction, no read; the
 *    check of its links (`LinkCheckRequested`) is an outbox item of that same transaction.
 * 2. If DynamoDB says the item is `rejected` or already `submitted`, write again from that status
 *    and version (a resubmission reopens a rejected item; an unreviewed one is updated in place),
 *    moving the version by one, so an approver's If-Match taken before no longer matches.
 * 3. Approved evidence is closed to the agency: 409.
 * 4. If nothing is assigned, find out which part of the path is unknown, for a precise 404.
 */
export const submitEvidence = async (
  deps: SubmitEvidenceDeps,
  principal: Principal,
  input: SubmitEvidenceInput,
): Promise<SubmittedEvidence> => {
  const now = deps.now().toISOString();
  const submission = {
    assessmentId: input.assessmentId,
    agencyId: input.agencyId,
    itemId: input.itemId,
    urls: input.request.urls,
    note: input.request.note ?? '',
    submittedBy: principal.tokenId,
    now,
  };
  const audit = () =>
    auditEntry(
      principal,
      {
        assessmentId: input.assessmentId,
        agencyId: input.agencyId,
        action: 'oit.submit',
        target: `oit/${input.itemId}`,
        changes: { status: 'submitted', urls: submission.urls, note: submission.note },
      },
      now,
    );

  // Every URL is checked once it is submitted, after the answer: the plan step reads the evidence
  // as stored then, so of two quick submissions the later URLs are the ones checked.
  const check = (): LinkCheckRequested[] => [
    {
      type: 'LinkCheckRequested',
      version: 1,
      at: now,
      assessmentId: input.assessmentId,
      reason: 'submission',
      agencyId: input.agencyId,
      itemId: input.itemId,
    },
  ];
  let outcome = await deps.agencies.submitEvidence(submission, { status: 'missing' }, audit(), check());
  if ('kind' in outcome && outcome.kind === 'status') {
    const { status, version } = outcome;
    if (status === 'rejected' || status === 'submitted')
      outcome = await deps.agencies.submitEvidence(submission, { status, version }, audit(), check());
  }
  if (!('kind' in outcome)) return outcome;
  if (outcome.kind === 'status') {
    throw outcome.status === 'approved'
      ? new ConflictError(`evidence for ${input.itemId} is already approved and can no longer be changed`)
      : new ConflictError(`evidence for ${input.itemId} changed while saving; send it again`);
  }
  throw await explainMissing(deps, input);
};

const explainMissing = async (
  deps: SubmitEvidenceDeps,
  input: SubmitEvidenceInput,
): Promise<NotFoundError> => {
  const plan = await deps.assessments.getWithPlan(input.assessmentId);
  if (!plan) return new NotFoundError(`assessment ${input.assessmentId} not found`);
  const detail = await deps.agencies.getDetail(input.assessmentId, input.agencyId);
  if (!detail) return new NotFoundError(`agency ${input.agencyId} not found in ${input.assessmentId}`);
  const known = plan.assessment.framework.oitItems.some((item) => item.id === input.itemId);
  return new NotFoundError(
    known
      ? `OIT item ${input.itemId} is not assigned to ${input.agencyId}`
      : `OIT item ${input.itemId} is not in this assessment's catalog`,
  );
};
