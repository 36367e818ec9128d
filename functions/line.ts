import * as z from 'zod/mini';
import * as agencyTable from '#adapters/dynamo/agency-repository';
import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import * as lineTable from '#adapters/dynamo/line-repository';
import * as notificationTable from '#adapters/dynamo/notification-repository';
import { LineSettings } from '#domain/line';
import { Slug } from '#domain/primitives';
import { dispatch } from '#http/dispatch';
import { httpHandler } from '#http/handler';
import { parseBody, parsePath, principalFrom } from '#http/request';
import { json } from '#http/response';
import type { HttpEvent } from '#http/types';
import { clockNow } from '#runtime/clock';
import { lineMessenger } from '#runtime/line';
import { tableDeps } from '#runtime/table';
import { lineNames, lineOverview, putLineSettings, requestLinkCode } from '#use-cases/line';

const AssessmentPath = z.object({ id: Slug });
const LinkPath = z.object({ id: Slug, agencyId: Slug });

const table = tableDeps({
  line: {
    createCode: lineTable.createCode,
    getState: lineTable.getState,
    putSettings: lineTable.putSettings,
  },
  notifications: { listSince: notificationTable.listSince },
  agencies: { getSummary: agencyTable.getSummary },
  assessments: { getWithPlan: assessmentTable.getWithPlan },
});

const names = () => lineNames(table());

/**
 * POST /assessments/{id}/agencies/{agencyId}/line-link: a one-time code to link a LINE group to the
 * agency (`agencyId` = `province`: the secretariat's group, admin only). 201 `{code, expiresAt}`.
 */
const linkCode = async (event: HttpEvent) => {
  const { id, agencyId } = parsePath(event, LinkPath);
  const deps = { line: table().line, names: names(), now: clockNow };
  return json(201, await requestLinkCode(deps, principalFrom(event), id, agencyId), {
    'cache-control': 'no-store',
  });
};

/** GET /assessments/{id}/line: groups, members, pushes this month, LINE's quota and the projection. */
const overview = async (event: HttpEvent) => {
  const { id } = parsePath(event, AssessmentPath);
  const deps = table();
  return json(
    200,
    await lineOverview(
      {
        line: deps.line,
        notifications: deps.notifications,
        names: names(),
        messenger: lineMessenger,
        now: clockNow,
        timeZone: 'Asia/Bangkok',
      },
      principalFrom(event),
      id,
    ),
  );
};

/** PUT /assessments/{id}/line/settings: channels per owner, and the agencies' weekly digest. */
const settings = async (event: HttpEvent) => {
  const { id } = parsePath(event, AssessmentPath);
  const principal = principalFrom(event);
  const body = parseBody(event, LineSettings);
  return json(200, await putLineSettings({ line: table().line, now: clockNow }, principal, id, body));
};

export const line = dispatch({
  'POST /assessments/{id}/agencies/{agencyId}/line-link': linkCode,
  'GET /assessments/{id}/line': overview,
  'PUT /assessments/{id}/line/settings': settings,
});

export const handler = httpHandler(line);
