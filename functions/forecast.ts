import * as z from 'zod/mini';
import * as agencyTable from '#adapters/dynamo/agency-repository';
import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import { listLinks } from '#adapters/dynamo/link-repository';
import { Slug } from '#domain/primitives';
import { httpHandler } from '#http/handler';
import { parsePath, principalFrom } from '#http/request';
import { json } from '#http/response';
import type { HttpEvent, HttpResult } from '#http/types';
import { tableDeps } from '#runtime/table';
import { getForecast } from '#use-cases/forecast';

const deps = tableDeps({
  assessments: { getOverview: assessmentTable.getOverview },
  agencies: { listAgencyItems: agencyTable.listAgencyItems },
  links: { listLinks },
});

const Path = z.object({ id: Slug });

/** GET /assessments/{id}/forecast: the projected score, both ends, and what reaching 85 and 95 takes. */
export const forecast = async (event: HttpEvent): Promise<HttpResult> => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, Path);
  return json(200, await getForecast(deps(), principal, id), { 'cache-control': 'no-store' });
};

export const handler = httpHandler(forecast);
