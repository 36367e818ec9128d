import * as z from 'zod/mini';
import * as agencyTable from '#adapters/dynamo/agency-repository';
import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import * as linkTable from '#adapters/dynamo/link-repository';
import { LinkCheckRequest } from '#domain/link-check-plan';
import { authorize } from '#domain/policy';
import { Slug } from '#domain/primitives';
import { httpHandler } from '#http/handler';
import { withIdempotency } from '#http/idempotency';
import { parseBody, parsePath, principalFrom } from '#http/request';
import { json } from '#http/response';
import type { HttpEvent } from '#http/types';
import { clockNow } from '#runtime/clock';
import { linkCheckQueue } from '#runtime/link-check';
import { tableDeps } from '#runtime/table';
import { requestLinkCheck } from '#use-cases/link-watch';

const table = tableDeps({
  assessments: { getWithPlan: assessmentTable.getWithPlan },
  agencies: {
    listAgencyItems: agencyTable.listAgencyItems,
    getEvidence: agencyTable.getEvidence,
    getSummary: agencyTable.getSummary,
  },
  links: { listLinks: linkTable.listLinks, syncItemLinks: linkTable.syncItemLinks },
});

const Path = z.object({ id: Slug });

/**
 * POST /assessments/{id}/links/check (the secretariat): checks every watched evidence link of the
 * assessment now, or of one agency (`{"agencyId": …}`; no body means all). The links are synced
 * from the evidence and queued; the answer does not wait for the checks: `202` with how many.
 */
export const linkCheckRequest = async (event: HttpEvent) => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, Path);
  authorize(principal, 'links.check', { assessmentId: id });
  const body: LinkCheckRequest = event.body ? parseBody(event, LinkCheckRequest) : {};
  const deps = table();
  const plan = await requestLinkCheck(
    {
      assessments: deps.assessments,
      summaries: deps.agencies,
      agencies: deps.agencies,
      links: deps.links,
      queue: linkCheckQueue(),
      // On demand every link is queued: the interval is the schedule's alone.
      everyDays: async () => 1,
      now: clockNow,
    },
    { assessmentId: id, ...(body.agencyId ? { agencyId: body.agencyId } : {}) },
  );
  return json(202, plan);
};

export const handler = httpHandler(withIdempotency('link-check-request', linkCheckRequest));
