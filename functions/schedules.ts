import * as z from 'zod/mini';
import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import { Slug } from '#domain/primitives';
import { httpHandler } from '#http/handler';
import { parsePath, principalFrom } from '#http/request';
import { json } from '#http/response';
import type { HttpEvent } from '#http/types';
import { clockNow } from '#runtime/clock';
import { eventPublisher } from '#runtime/events';
import { tableDeps } from '#runtime/table';
import { requestSyncNow } from '#use-cases/schedules';

const table = tableDeps({ assessments: { getWithPlan: assessmentTable.getWithPlan } });

const Path = z.object({ id: Slug });

/**
 * POST /assessments/{id}/schedules/sync (admin): re-syncs the schedules on demand, e.g. after a
 * sync that failed for good (its event in a dead-letter queue). Idempotent: the sync changes nothing when the
 * schedules already match.
 */
export const schedules = async (event: HttpEvent) => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, Path);
  return json(
    202,
    await requestSyncNow(
      { assessments: table().assessments, publisher: eventPublisher(), now: clockNow },
      principal,
      id,
    ),
  );
};

export const handler = httpHandler(schedules);
