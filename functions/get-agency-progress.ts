import * as z from 'zod/mini';
import * as agencyTable from '#adapters/dynamo/agency-repository';
import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import { linksByItem, listLinks } from '#adapters/dynamo/link-repository';
import { NotFoundError } from '#domain/errors';
import { authorize } from '#domain/policy';
import { Slug } from '#domain/primitives';
import { agencyProgressView } from '#domain/views';
import { httpHandler } from '#http/handler';
import { parsePath, principalFrom } from '#http/request';
import { json } from '#http/response';
import type { HttpEvent } from '#http/types';
import { tableDeps } from '#runtime/table';

const deps = tableDeps({
  assessments: { getWithPlan: assessmentTable.getWithPlan, listTasks: assessmentTable.listTasks },
  agencies: { getDetail: agencyTable.getDetail },
  links: { listLinks },
});

const Path = z.object({ id: Slug, agencyId: Slug });

/** GET /assessments/{id}/agencies/{agencyId}/progress: the agency's OIT items and counters. */
export const getAgencyProgress = async (event: HttpEvent) => {
  const principal = principalFrom(event);
  const { id, agencyId } = parsePath(event, Path);
  authorize(principal, 'progress.read', { assessmentId: id, agencyId });
  const { assessments, agencies, links } = deps();
  const [plan, detail, tasks, watched] = await Promise.all([
    assessments.getWithPlan(id),
    agencies.getDetail(id, agencyId),
    assessments.listTasks(id),
    links.listLinks(id, agencyId),
  ]);
  if (!plan) throw new NotFoundError(`assessment ${id} not found`);
  if (!detail) throw new NotFoundError(`agency ${agencyId} not found in ${id}`);
  return json(
    200,
    agencyProgressView(
      plan.assessment.framework,
      detail.summary,
      detail.evidence,
      tasks,
      linksByItem(watched).get(agencyId),
    ),
    {
      etag: `"${detail.summary.version}"`,
    },
  );
};

export const handler = httpHandler(getAgencyProgress);
