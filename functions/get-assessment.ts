import * as z from 'zod/mini';
import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import { NotFoundError } from '#domain/errors';
import { authorize } from '#domain/policy';
import { Slug } from '#domain/primitives';
import { assessmentView } from '#domain/views';
import { httpHandler } from '#http/handler';
import { parsePath, principalFrom } from '#http/request';
import { json } from '#http/response';
import type { HttpEvent } from '#http/types';
import { tableDeps } from '#runtime/table';

const deps = tableDeps({ assessments: { getWithPlan: assessmentTable.getWithPlan } });

const Path = z.object({ id: Slug });

/** GET /assessments/{id}: the assessment and its milestones. */
export const getAssessment = async (event: HttpEvent) => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, Path);
  authorize(principal, 'assessment.read', { assessmentId: id });
  const found = await deps().assessments.getWithPlan(id);
  if (!found) throw new NotFoundError(`assessment ${id} not found`);
  return json(200, assessmentView(found.assessment, found.milestones), {
    etag: `"${found.assessment.version}"`,
  });
};

export const handler = httpHandler(getAssessment);
