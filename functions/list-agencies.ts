import * as z from 'zod/mini';
import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import { NotFoundError } from '#domain/errors';
import { authorize } from '#domain/policy';
import { Slug } from '#domain/primitives';
import { agencyListItem } from '#domain/views';
import { httpHandler } from '#http/handler';
import { parsePath, principalFrom } from '#http/request';
import { json } from '#http/response';
import type { HttpEvent } from '#http/types';
import { tableDeps } from '#runtime/table';

const deps = tableDeps({ assessments: { getOverview: assessmentTable.getOverview } });

const Path = z.object({ id: Slug });

/** GET /assessments/{id}/agencies: every agency of the assessment. */
export const listAgencies = async (event: HttpEvent) => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, Path);
  authorize(principal, 'agency.list', { assessmentId: id });
  const overview = await deps().assessments.getOverview(id);
  if (!overview) throw new NotFoundError(`assessment ${id} not found`);
  return json(200, { agencies: overview.agencies.map(agencyListItem) });
};

export const handler = httpHandler(listAgencies);
