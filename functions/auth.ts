import * as agencyTable from '#adapters/dynamo/agency-repository';
import * as assessmentTable from '#adapters/dynamo/assessment-repository';
import * as signInTable from '#adapters/dynamo/signin-repository';
import * as tokenTable from '#adapters/dynamo/token-repository';
import { AssessmentPath } from '#domain/paths';
import { authorize } from '#domain/policy';
import { CODE_ACCEPTED_MESSAGE, CodeRequest, SessionRequest } from '#domain/signin';
import { httpHandler } from '#http/handler';
import { parseBody, parsePath, principalFrom } from '#http/request';
import { json } from '#http/response';
import type { HttpEvent, HttpResult } from '#http/types';
import { viewerAddress } from '#http/viewer-address';
import { tokenClockNow } from '#runtime/clock';
import { eventPublisher } from '#runtime/events';
import { defaultRecipients } from '#runtime/recipients';
import { tableDeps } from '#runtime/table';
import { listPeople } from '#use-cases/people';
import { createSession, endSession, readSession, requestCode } from '#use-cases/signin';

const table = tableDeps({
  signIn: {
    countSourceRequest: signInTable.countSourceRequest,
    getDirectory: signInTable.getDirectory,
    getCode: signInTable.getCode,
    countWrongTry: signInTable.countWrongTry,
    recordAudit: signInTable.recordAudit,
    redeemCode: signInTable.redeemCode,
    listLastSignIns: signInTable.listLastSignIns,
  },
  tokens: { get: tokenTable.get, list: tokenTable.list, revoke: tokenTable.revoke },
  assessments: { getWithPlan: assessmentTable.getWithPlan },
  agencies: { getDetail: agencyTable.getDetail },
});

const NO_STORE = { 'cache-control': 'no-store' };

/** POST /auth/code: always the same 202 for a well-formed body, known address or not. */
export const postCode = async (event: HttpEvent): Promise<HttpResult> => {
  const request = parseBody(event, CodeRequest);
  await requestCode(
    { signIn: table().signIn, publisher: eventPublisher(), now: tokenClockNow },
    request,
    viewerAddress(event),
  );
  return json(202, { message: CODE_ACCEPTED_MESSAGE }, NO_STORE);
};

/** POST /auth/session: 201 with the token, or 200 with the roles to choose from. */
export const postSession = async (event: HttpEvent): Promise<HttpResult> => {
  const request = parseBody(event, SessionRequest);
  const outcome = await createSession(
    { ...table(), defaults: defaultRecipients(), now: tokenClockNow },
    request,
    viewerAddress(event),
  );
  return outcome.kind === 'token'
    ? json(201, outcome.answer, NO_STORE)
    : json(200, { choices: outcome.choices }, NO_STORE);
};

/** GET /auth/session: the presenting token's role, scope, label and expiry. */
export const getSession = async (event: HttpEvent): Promise<HttpResult> => {
  const principal = principalFrom(event);
  authorize(principal, 'session.read', {});
  return json(200, await readSession(table(), principal), NO_STORE);
};

/** DELETE /auth/session: signs out by revoking the presenting token. */
export const deleteSession = async (event: HttpEvent): Promise<HttpResult> => {
  const principal = principalFrom(event);
  authorize(principal, 'session.end', {});
  await endSession({ tokens: table().tokens, now: tokenClockNow }, principal);
  return { statusCode: 204, headers: NO_STORE, body: '' };
};

/**
 * GET /assessments/{id}/people: who can sign in and as what, their last sign-in and live
 * sessions (token ids, which `DELETE …/tokens/{tokenId}` revokes): token management's grant.
 */
export const getPeople = async (event: HttpEvent): Promise<HttpResult> => {
  const principal = principalFrom(event);
  const { id } = parsePath(event, AssessmentPath);
  authorize(principal, 'token.manage', { assessmentId: id });
  const answer = await listPeople({ ...table(), defaults: defaultRecipients(), now: tokenClockNow }, id);
  return json(200, answer, NO_STORE);
};

const byRoute: Record<string, (event: HttpEvent) => Promise<HttpResult>> = {
  'POST /auth/code': postCode,
  'POST /auth/session': postSession,
  'GET /auth/session': getSession,
  'DELETE /auth/session': deleteSession,
  'GET /assessments/{id}/people': getPeople,
};

/** One Lambda for the sign-in routes and the list of who signs in, dispatched on the route key API Gateway matched. */
export const auth = async (event: HttpEvent): Promise<HttpResult> => {
  const route = byRoute[event.routeKey];
  if (!route) throw new Error(`auth function wired to an unknown route ${event.routeKey}`);
  return route(event);
};

export const handler = httpHandler(auth);
