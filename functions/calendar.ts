import * as z from 'zod/mini';
import { Slug } from '#domain/primitives';
import { dispatch } from '#http/dispatch';
import { httpHandler } from '#http/handler';
import { parsePath, principalFrom } from '#http/request';
import type { HttpEvent, HttpResult } from '#http/types';
import { reportsDeps } from '#runtime/reports';
import { agencyCalendar, provinceCalendar } from '#use-cases/reports';

const ProvincePath = z.object({ id: Slug });
const AgencyPath = z.object({ id: Slug, agencyId: Slug });

const icsFile = (name: string, body: string): HttpResult => ({
  statusCode: 200,
  headers: {
    'content-type': 'text/calendar; charset=utf-8',
    'content-disposition': `inline; filename="${name}"`,
    // The URL carries the feed token: keep it out of shared caches.
    'cache-control': 'private, max-age=300',
  },
  body,
});

/** GET /assessments/{id}/calendar.ics?token=…: the plan's milestone windows. */
export const provinceFeed = async (event: HttpEvent): Promise<HttpResult> => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, ProvincePath);
  return icsFile(`ita-${id}.ics`, await provinceCalendar(reportsDeps(), principal, id));
};

/** GET /assessments/{id}/agencies/{agencyId}/calendar.ics?token=…: plus the agency's improvement tasks. */
export const agencyFeed = async (event: HttpEvent): Promise<HttpResult> => {
  const principal = principalFrom(event);
  const { id, agencyId } = parsePath(event, AgencyPath);
  return icsFile(
    `ita-${id}-${agencyId}.ics`,
    await agencyCalendar(reportsDeps(), principal, { assessmentId: id, agencyId }),
  );
};

/** One Lambda for these routes, dispatched on the route key API Gateway matched. */
export const handler = httpHandler(
  dispatch({
    'GET /assessments/{id}/calendar.ics': provinceFeed,
    'GET /assessments/{id}/agencies/{agencyId}/calendar.ics': agencyFeed,
  }),
);
