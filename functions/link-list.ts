import * as z from 'zod/mini';
import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import { listLinks } from '#adapters/dynamo/link-repository';
import { LinkListQuery } from '#domain/link-list';
import { Slug } from '#domain/primitives';
import { httpHandler } from '#http/handler';
import { parsePath, parseQuery, principalFrom } from '#http/request';
import { json } from '#http/response';
import type { HttpEvent, HttpResult } from '#http/types';
import { tableDeps } from '#runtime/table';
import { listLinksByAgency } from '#use-cases/link-list';

const deps = tableDeps({
  assessments: { getOverview: assessmentTable.getOverview },
  links: { listLinks },
});

const Path = z.object({ id: Slug });

/** GET /assessments/{id}/links?state=dead: the watched evidence links by agency (the dashboard's dead-link list). */
export const linkList = async (event: HttpEvent): Promise<HttpResult> => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, Path);
  const query = parseQuery(event, LinkListQuery);
  return json(200, await listLinksByAgency(deps(), principal, id, query), { 'cache-control': 'no-store' });
};

export const handler = httpHandler(linkList);
