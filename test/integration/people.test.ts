import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PeopleAnswer, Person } from '#domain/people';
import { httpHandler } from '#http/handler';
import type { HttpEvent, HttpResult } from '#http/types';
import type { LocalNotifications } from '#local/local-notifications';
import { tableRuntime } from '#runtime/table';
import { httpEvent } from '#test/events';
import { seedAssessment } from '#test/fixtures';
import {
  codeMails,
  nextCode,
  putNotificationSettings,
  startNotificationsOnFreshTable,
} from '#test/notifications';
import { auth } from '../../functions/auth.ts';
import { authorizer } from '../../functions/authorizer.ts';
import { tokens } from '../../functions/tokens.ts';

const ID = 'people-2567';
const SECRETARIAT = 'sec@people.example.org';
const APPROVER = 'gov@people.example.org';
const VIEWER = 'viewer@people.example.org';
const PEOPLE = `/assessments/${ID}/people`;

let local: LocalNotifications;
let sourceCounter = 0;
const context = {} as Parameters<ReturnType<typeof httpHandler>>[1];
const callAuth = httpHandler(auth);
const callTokens = httpHandler(tokens);

/** A request the way API Gateway passes it on: the real authorizer ran on the bearer token. */
const withToken = async (
  call: typeof callAuth,
  method: 'GET' | 'DELETE',
  routePath: string,
  path: string,
  secret: string,
  pathParameters: Record<string, string>,
): Promise<HttpResult> => {
  const routeKey = `${method} ${routePath}`;
  const verdict = await authorizer({
    routeKey,
    headers: { authorization: `Bearer ${secret}` },
  } as unknown as APIGatewayRequestAuthorizerEventV2);
  const event = httpEvent({ method, routeKey, path, pathParameters, principal: null }) as HttpEvent;
  (event.requestContext as { authorizer?: unknown }).authorizer = { lambda: verdict.context };
  return (await call(event, context)) as HttpResult;
};

const getPeople = (secret: string) =>
  withToken(callAuth, 'GET', '/assessments/{id}/people', PEOPLE, secret, { id: ID });

const people = async (secret: string): Promise<Person[]> => {
  const answer = await getPeople(secret);
  expect(answer.statusCode).toBe(200);
  return (JSON.parse(answer.body) as PeopleAnswer).people;
};

const post = async (path: string, body: object): Promise<HttpResult> => {
  const event = httpEvent({ method: 'POST', path, body, principal: null });
  event.requestContext.http.sourceIp = `10.1.0.${++sourceCounter}`;
  return (await callAuth(event, context)) as HttpResult;
};

/** Asks for a code, reads it from the inbox (polled with a deadline) and signs in as `role`. */
const signIn = async (email: string, role?: string, agencyId?: string) => {
  const before = (await codeMails(local, email)).length;
  expect((await post('/auth/code', { email, assessmentId: ID })).statusCode).toBe(202);
  await local.outbox.drain();
  const code = await nextCode(local, email, before);
  const answer = await post('/auth/session', {
    email,
    assessmentId: ID,
    code,
    ...(role ? { role } : {}),
    ...(agencyId ? { agencyId } : {}),
  });
  expect(answer.statusCode).toBe(201);
  return JSON.parse(answer.body) as { token: string; expiresAt: string };
};

let admin: { token: string };

beforeAll(async () => {
  process.env.PUBLIC_BASE_URL = 'http://127.0.0.1:9/';
  const started = await startNotificationsOnFreshTable('people', { busRetries: 0 });
  local = started.local;
  await seedAssessment(tableRuntime(), { id: ID, agencyIds: ['a1', 'a2'], items: ['o1'] });
  await putNotificationSettings(started.table, ID, {
    secretariatEmails: [SECRETARIAT],
    viewerEmails: [SECRETARIAT, VIEWER],
    approverEmails: [APPROVER],
  });
  admin = await signIn(SECRETARIAT, 'admin');
}, 60_000);

afterAll(async () => {
  await local?.stop();
});

describe('GET /assessments/{id}/people', () => {
  it('answers 401 without a working token and 403 to an agency, an approver or a viewer', async () => {
    // Prepare
    const agency = await signIn('coordinator@a1.example.org');
    const viewer = await signIn(VIEWER);
    const approver = await signIn(APPROVER);

    // Act
    const answers = await Promise.all([
      getPeople('ita_not-a-token'),
      getPeople(agency.token),
      getPeople(viewer.token),
      getPeople(approver.token),
    ]);

    // Assess
    expect(answers.map((a) => a.statusCode)).toEqual([401, 403, 403, 403]);
  });

  it('derives every address and its roles from the agencies and the settings', async () => {
    // Act
    const found = await people(admin.token);

    // Assess
    const byEmail = new Map(found.map((p) => [p.email, p.roles.map((r) => [r.role, r.agencyId, r.contact])]));
    expect(found[0]?.email).toBe(SECRETARIAT);
    expect(byEmail.get(SECRETARIAT)).toEqual([
      ['admin', undefined, undefined],
      ['viewer', undefined, undefined],
    ]);
    expect(byEmail.get(APPROVER)).toEqual([['approver', undefined, undefined]]);
    expect(byEmail.get(VIEWER)).toEqual([['viewer', undefined, undefined]]);
    expect(byEmail.get('coordinator@a1.example.org')).toEqual([['agency', 'a1', ['coordinator']]]);
    expect(byEmail.get('head@a2.example.org')).toEqual([['agency', 'a2', ['head']]]);
    expect(found).toHaveLength(7);
  });

  it('shows a real sign-in as the last sign-in with its live session, and a revoked session stops working', async () => {
    // Prepare
    const before = (await people(admin.token)).find((p) => p.email === 'head@a1.example.org');
    const head = await signIn('head@a1.example.org');

    // Act
    const signedIn = (await people(admin.token)).find((p) => p.email === 'head@a1.example.org')!;
    const tokenId = signedIn.sessions[0]!.tokenId;
    const revoked = await withToken(
      callTokens,
      'DELETE',
      '/assessments/{id}/tokens/{tokenId}',
      `/assessments/${ID}/tokens/${tokenId}`,
      admin.token,
      { id: ID, tokenId },
    );
    const afterRevoke = await withToken(callAuth, 'GET', '/auth/session', '/auth/session', head.token, {});
    const after = (await people(admin.token)).find((p) => p.email === 'head@a1.example.org')!;

    // Assess
    expect(before?.lastSignIn).toBeNull();
    expect(before?.sessions).toEqual([]);
    expect(signedIn.lastSignIn).toMatchObject({ role: 'agency', agencyId: 'a1' });
    expect(Date.now() - Date.parse(signedIn.lastSignIn!.at)).toBeLessThan(60_000);
    expect(signedIn.sessions).toHaveLength(1);
    expect(signedIn.sessions[0]).toMatchObject({ role: 'agency', agencyId: 'a1', expiresAt: head.expiresAt });
    expect(revoked.statusCode).toBe(200);
    expect(afterRevoke.statusCode).toBe(401);
    expect(after.sessions).toEqual([]);
    expect(after.lastSignIn?.at).toBe(signedIn.lastSignIn?.at);
  });
});
