import * as z from 'zod/mini';
import * as agencyTable from '#adapters/dynamo/agency-repository';
import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import * as tokenTable from '#adapters/dynamo/token-repository';
import { CreateTokenRequest } from '#domain/auth';
import { authorize } from '#domain/policy';
import { Slug } from '#domain/primitives';
import { httpHandler } from '#http/handler';
import { parseBody, parsePath, principalFrom } from '#http/request';
import { json } from '#http/response';
import type { HttpEvent, HttpResult } from '#http/types';
import { clockNow, tokenClockNow } from '#runtime/clock';
import { publicBaseUrl } from '#runtime/links';
import { tableDeps } from '#runtime/table';
import { createCalendarFeed, issueToken, listTokens, revokeToken } from '#use-cases/tokens';

const table = tableDeps({
  tokens: { create: tokenTable.create, list: tokenTable.list, revoke: tokenTable.revoke },
  assessments: { getWithPlan: assessmentTable.getWithPlan },
  agencies: { getDetail: agencyTable.getDetail },
});

// Token lifetimes on real time; their audit entries on the clock every other entry reads.
const deps = () => ({ ...table(), now: tokenClockNow, auditNow: clockNow });

const AssessmentPath = z.object({ id: Slug });
const AgencyPath = z.object({ id: Slug, agencyId: Slug });
const TokenPath = z.object({ id: Slug, tokenId: z.string().check(z.regex(/^tok-[0-9a-f]{16}$/)) });

/** POST /assessments/{id}/tokens: the secret is in this response and nowhere else, ever. */
export const createToken = async (event: HttpEvent): Promise<HttpResult> => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, AssessmentPath);
  authorize(principal, 'token.manage', { assessmentId: id });
  const request = parseBody(event, CreateTokenRequest);
  const issued = await issueToken(deps(), principal, { assessmentId: id, request, channel: 'api' });
  return json(201, issued, { 'cache-control': 'no-store' });
};

/** GET /assessments/{id}/tokens: ids, roles, labels and status; never a secret or a hash. */
export const getTokens = async (event: HttpEvent): Promise<HttpResult> => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, AssessmentPath);
  authorize(principal, 'token.manage', { assessmentId: id });
  return json(200, { tokens: await listTokens(deps(), id) });
};

/** DELETE /assessments/{id}/tokens/{tokenId}: revokes; doing it again answers the same. */
export const deleteToken = async (event: HttpEvent): Promise<HttpResult> => {
  const principal = principalFrom(event);
  const { id, tokenId } = parsePath(event, TokenPath);
  authorize(principal, 'token.manage', { assessmentId: id });
  return json(200, { token: await revokeToken(deps(), principal, { assessmentId: id, tokenId }) });
};

/**
 * POST /assessments/{id}/agencies/{agencyId}/calendar-feed: the agency's own calendar link (the
 * agency itself or the secretariat). The URL carries the secret: shown here once, never stored.
 * No Idempotency-Key store: a replayed answer would keep a live secret in the table for a day,
 * and a repeat is harmless (it makes a new link and stops the earlier one).
 */
export const createCalendarFeedLink = async (event: HttpEvent): Promise<HttpResult> => {
  const principal = principalFrom(event);
  const { id, agencyId } = parsePath(event, AgencyPath);
  authorize(principal, 'calendar-feed.create', { assessmentId: id, agencyId });
  const link = await createCalendarFeed(deps(), principal, {
    assessmentId: id,
    agencyId,
    publicBaseUrl: publicBaseUrl(),
  });
  return json(201, link, { 'cache-control': 'no-store' });
};

const byRoute: Record<string, (event: HttpEvent) => Promise<HttpResult>> = {
  'POST /assessments/{id}/tokens': createToken,
  'GET /assessments/{id}/tokens': getTokens,
  'DELETE /assessments/{id}/tokens/{tokenId}': deleteToken,
  'POST /assessments/{id}/agencies/{agencyId}/calendar-feed': createCalendarFeedLink,
};

/** One Lambda for the token routes and the agency's calendar link, dispatched on the route key API Gateway matched. */
export const tokens = async (event: HttpEvent): Promise<HttpResult> => {
  const route = byRoute[event.routeKey];
  if (!route) throw new Error(`tokens function wired to an unknown route ${event.routeKey}`);
  return route(event);
};

export const handler = httpHandler(tokens);
