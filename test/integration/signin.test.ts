import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '#adapters/dynamo/keys';
import { createSignInRepository } from '#adapters/dynamo/signin-repository';
import { createTokenRepository } from '#adapters/dynamo/token-repository';
import { SIGNIN_LIMITS } from '#domain/signin';
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
import { until } from '#test/poll';
import type { freshTable } from '#test/table';
import { createSession } from '#use-cases/signin';
import { auth } from '../../functions/auth.ts';
import { authorizer } from '../../functions/authorizer.ts';

const ID = 'signin-2567';
const COORDINATOR = 'coordinator@a1.example.org';
const SECRETARIAT = 'sec@signin.example.org';

let local: LocalNotifications;
let table: Awaited<ReturnType<typeof freshTable>>;
let sourceCounter = 0;
const context = {} as Parameters<ReturnType<typeof httpHandler>>[1];
const call = httpHandler(auth);

/** A fresh source address per test, so the per-source limit of one test never touches another. */
const newSource = () => `10.0.0.${++sourceCounter}`;

const post = async (path: string, body: object, source: string): Promise<HttpResult> => {
  const event = httpEvent({ method: 'POST', path, body, principal: null });
  event.requestContext.http.sourceIp = source;
  return (await call(event, context)) as HttpResult;
};

/** A request the way API Gateway passes it on: the real authorizer ran on the bearer token. */
const withToken = async (method: 'GET' | 'DELETE', path: string, secret: string): Promise<HttpResult> => {
  const routeKey = `${method} ${path}`;
  const verdict = await authorizer({
    routeKey,
    headers: { authorization: `Bearer ${secret}` },
  } as unknown as APIGatewayRequestAuthorizerEventV2);
  const event = httpEvent({ method, path, principal: null }) as HttpEvent;
  (event.requestContext as { authorizer?: unknown }).authorizer = { lambda: verdict.context };
  return (await call(event, context)) as HttpResult;
};

/** Asks for a code and waits (with a deadline) for its email; returns the code. */
const askCode = async (email: string, source = newSource()): Promise<string> => {
  const before = (await codeMails(local, email)).length;
  const answer = await post('/auth/code', { email, assessmentId: ID }, source);
  expect(answer.statusCode).toBe(202);
  await local.outbox.drain();
  return nextCode(local, email, before);
};

const auditOf = async (action: string) => {
  const page = await table.client.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': `AUDIT#${ID}` },
    }),
  );
  return (page.Items ?? []).filter((i) => i.action === action);
};

const storedCode = async (email: string) =>
  (await table.client.send(new GetCommand({ TableName: table.tableName, Key: keys.signInCode(ID, email) })))
    .Item;

const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

beforeAll(async () => {
  process.env.PUBLIC_BASE_URL = 'http://127.0.0.1:9/';
  ({ local, table } = await startNotificationsOnFreshTable('signin', { busRetries: 0 }));
  await seedAssessment(tableRuntime(), { id: ID, agencyIds: ['a1', 'a2'], items: ['o1'] });
  await putNotificationSettings(table, ID, {
    secretariatEmails: [SECRETARIAT],
    viewerEmails: [SECRETARIAT, 'viewer@signin.example.org'],
    approverEmails: ['gov@signin.example.org'],
  });
}, 60_000);

afterAll(async () => {
  await local?.stop();
});

describe('POST /auth/code', () => {
  it('answers a known and an unknown address (and an unknown assessment) with the same status and the same bytes', async () => {
    // Act
    const known = await post('/auth/code', { email: 'head@a1.example.org', assessmentId: ID }, newSource());
    const unknown = await post(
      '/auth/code',
      { email: 'nobody@a1.example.org', assessmentId: ID },
      newSource(),
    );
    const elsewhere = await post(
      '/auth/code',
      { email: 'head@a1.example.org', assessmentId: 'nope-2567' },
      newSource(),
    );

    // Assess
    expect([known.statusCode, unknown.statusCode, elsewhere.statusCode]).toEqual([202, 202, 202]);
    expect(unknown.body).toBe(known.body);
    expect(elsewhere.body).toBe(known.body);
    expect(unknown.headers).toEqual(known.headers);
    expect(JSON.parse(known.body).message).toContain('หากอีเมลนี้ลงทะเบียนไว้');
  });

  it('refuses a body that is not an email with a 400, which says nothing about any address', async () => {
    // Act
    const answer = await post('/auth/code', { email: 'not-an-email', assessmentId: ID }, newSource());

    // Assess
    expect(answer.statusCode).toBe(400);
  });

  it('mails a Thai code email: the code, the assessment name and the time in BE; only a hash is stored', async () => {
    // Act
    const code = await askCode(COORDINATOR);

    // Assess
    const mail = (await codeMails(local, COORDINATOR)).at(-1)!;
    expect(mail.subject).toBe(`รหัสเข้าสู่ระบบ ITA: ${code}`);
    expect(mail.body.text).toContain(code);
    expect(mail.body.text).toContain('จังหวัดทดสอบ ปีงบประมาณ พ.ศ. 2567');
    expect(mail.body.text).toMatch(/ขอรหัสเมื่อ \d{1,2} [ก-๙.]+ 25\d\d \d\d:\d\d น\./);
    expect(mail.body.text).toContain('หากท่านไม่ได้ขอรหัสนี้');
    const item = await storedCode(COORDINATOR);
    expect(JSON.stringify(item)).not.toContain(`"${code}"`);
    expect(typeof item?.expiresAt).toBe('number');
    const sent = await auditOf('auth.code.sent');
    expect(sent.some((e) => e.changes.email === COORDINATOR && e.agencyId === 'a1')).toBe(true);
    expect(JSON.stringify(sent)).not.toContain(code);
  });

  it('mails at most 3 codes per address in 15 minutes: the 4th still answers 202, sends nothing, and is audited', async () => {
    // Prepare
    const email = 'head@a2.example.org';
    const source = newSource();

    // Act
    const answers: number[] = [];
    for (let i = 0; i < 4; i++) {
      answers.push((await post('/auth/code', { email, assessmentId: ID }, source)).statusCode);
      await local.outbox.drain();
    }

    // Assess
    expect(answers).toEqual([202, 202, 202, 202]);
    await until(
      () => auditOf('auth.code.suppressed'),
      (entries) => entries.length > 0,
    );
    expect(await codeMails(local, email)).toHaveLength(3);
    const suppressed = await auditOf('auth.code.suppressed');
    expect(suppressed.map((e) => e.changes.email)).toEqual([email]);
  });

  it('answers 429 with Retry-After and a Thai message past 30 requests from one source in 15 minutes', async () => {
    // Prepare
    const source = newSource();
    for (let i = 0; i < SIGNIN_LIMITS.codeRequestsPerSource; i++)
      await post('/auth/code', { email: `x${i}@nobody.example.org`, assessmentId: ID }, source);

    // Act
    const over = await post('/auth/code', { email: 'y@nobody.example.org', assessmentId: ID }, source);
    const otherSource = await post(
      '/auth/code',
      { email: 'y@nobody.example.org', assessmentId: ID },
      newSource(),
    );

    // Assess
    expect(over.statusCode).toBe(429);
    expect(Number(over.headers?.['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(over.body).error.message).toContain('มากเกินไป');
    expect(otherSource.statusCode).toBe(202);
    await local.outbox.drain();
  });
});

describe('POST /auth/session', () => {
  it('gives the one role held an ita_ token bound to the agency, 12 hours, labelled with the address; the code works once', async () => {
    // Prepare
    const code = await askCode(COORDINATOR);
    const started = Date.now();

    // Act
    const first = await post('/auth/session', { email: COORDINATOR, assessmentId: ID, code }, newSource());
    const again = await post('/auth/session', { email: COORDINATOR, assessmentId: ID, code }, newSource());

    // Assess
    expect(first.statusCode).toBe(201);
    const session = JSON.parse(first.body);
    expect(session).toMatchObject({ role: 'agency', agencyId: 'a1', assessmentId: ID, email: COORDINATOR });
    expect(session.token).toMatch(/^ita_[A-Za-z0-9_-]{43}$/);
    const life = Date.parse(session.expiresAt) - started;
    expect(Math.abs(life - SIGNIN_LIMITS.sessionMs)).toBeLessThan(60_000);
    expect(again.statusCode).toBe(401);
    const me = await withToken('GET', '/auth/session', session.token);
    expect(me.statusCode).toBe(200);
    expect(JSON.parse(me.body)).toEqual({
      role: 'agency',
      agencyId: 'a1',
      assessmentId: ID,
      label: COORDINATOR,
      expiresAt: session.expiresAt,
    });
    const signins = await auditOf('auth.signin');
    expect(
      signins.some((e) => e.changes.email === COORDINATOR && e.tokenId === `signin:${COORDINATOR}`),
    ).toBe(true);
    const last = await table.client.send(
      new GetCommand({ TableName: table.tableName, Key: keys.lastSignIn(ID, COORDINATOR) }),
    );
    expect(last.Item).toMatchObject({ role: 'agency', agencyId: 'a1' });
  });

  it('answers wrong, used and unknown-address codes with one identical 401 body', async () => {
    // Prepare
    const code = await askCode('head@a1.example.org');
    const used = await askCode('coordinator@a2.example.org');
    await post(
      '/auth/session',
      { email: 'coordinator@a2.example.org', assessmentId: ID, code: used },
      newSource(),
    );

    // Act
    const answers = await Promise.all([
      post(
        '/auth/session',
        { email: 'head@a1.example.org', assessmentId: ID, code: wrongCode(code) },
        newSource(),
      ),
      post(
        '/auth/session',
        { email: 'coordinator@a2.example.org', assessmentId: ID, code: used },
        newSource(),
      ),
      post(
        '/auth/session',
        { email: 'nobody@a1.example.org', assessmentId: ID, code: '123456' },
        newSource(),
      ),
      post('/auth/session', { email: 'head@a1.example.org', assessmentId: 'nope-2567', code }, newSource()),
    ]);

    // Assess
    expect(answers.map((a) => a.statusCode)).toEqual([401, 401, 401, 401]);
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    const body = JSON.parse(answers[0]!.body);
    expect(body.error.code).toBe('invalid_code');
    expect(body.error.message).toContain('รหัสไม่ถูกต้อง');
    expect(body.error.message).toContain('The code is not valid');
  });

  it('refuses a code after its 10 minutes (clock injected)', async () => {
    // Prepare
    const email = 'coordinator@a2.example.org';
    const code = await askCode(email);
    const signIn = createSignInRepository(table);
    const tokens = createTokenRepository(table);
    const deps = (now: Date) => ({
      signIn,
      tokens,
      assessments: table.assessments,
      agencies: table.agencies,
      defaults: { secretariatEmails: [], approverEmails: [] },
      now: () => now,
    });
    const issuedAt = Date.parse(String((await storedCode(email))?.issuedAt));

    // Act
    const late = await createSession(
      deps(new Date(issuedAt + SIGNIN_LIMITS.codeTtlMs)),
      { email, assessmentId: ID, code },
      newSource(),
    ).catch((error: unknown) => error);
    const inTime = await createSession(
      deps(new Date(issuedAt + SIGNIN_LIMITS.codeTtlMs - 1000)),
      { email, assessmentId: ID, code },
      newSource(),
    );

    // Assess
    expect(late).toMatchObject({ code: 'invalid_code' });
    expect(inTime.kind).toBe('token');
  });

  it('kills a code after 5 wrong tries, even 12 in parallel, and audits each counted try', async () => {
    // Prepare
    const email = 'head@a1.example.org';
    const code = await askCode(email);
    const failedBefore = (await auditOf('auth.signin.failed')).length;

    // Act
    const wrong = await Promise.all(
      Array.from({ length: 12 }, () =>
        post('/auth/session', { email, assessmentId: ID, code: wrongCode(code) }, newSource()),
      ),
    );
    const right = await post('/auth/session', { email, assessmentId: ID, code }, newSource());

    // Assess
    expect(wrong.every((a) => a.statusCode === 401)).toBe(true);
    expect((await storedCode(email))?.tries).toBe(SIGNIN_LIMITS.maxWrongTries);
    expect(right.statusCode).toBe(401);
    const failed = await auditOf('auth.signin.failed');
    expect(failed.length - failedBefore).toBe(SIGNIN_LIMITS.maxWrongTries);
    expect(failed.some((e) => e.changes.killed === true)).toBe(true);
  });

  it('lets exactly one of 8 parallel sign-ins with one code have a token', async () => {
    // Prepare
    const code = await askCode(COORDINATOR);

    // Act
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        post('/auth/session', { email: COORDINATOR, assessmentId: ID, code }, newSource()),
      ),
    );

    // Assess
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 401, 401, 401, 401, 401, 401, 401]);
  });

  it('offers the roles of an address holding several, keeps the code live, then signs in as the one chosen', async () => {
    // Prepare
    const code = await askCode(SECRETARIAT);

    // Act
    const offered = await post('/auth/session', { email: SECRETARIAT, assessmentId: ID, code }, newSource());
    const notHeld = await post(
      '/auth/session',
      { email: SECRETARIAT, assessmentId: ID, code, role: 'approver' },
      newSource(),
    );
    const chosen = await post(
      '/auth/session',
      { email: SECRETARIAT, assessmentId: ID, code, role: 'viewer' },
      newSource(),
    );

    // Assess
    expect(offered.statusCode).toBe(200);
    expect(JSON.parse(offered.body)).toEqual({
      choices: [
        { role: 'admin', label: 'ฝ่ายเลขานุการ' },
        { role: 'viewer', label: 'ผู้ติดตามผล' },
      ],
    });
    expect(notHeld.statusCode).toBe(401);
    expect(chosen.statusCode).toBe(201);
    expect(JSON.parse(chosen.body)).toMatchObject({ role: 'viewer', assessmentId: ID });
    expect((await storedCode(SECRETARIAT))?.tries).toBe(0);
  });

  it('signs the approver the operator designated in as approver', async () => {
    // Prepare
    const code = await askCode('gov@signin.example.org');

    // Act
    const answer = await post(
      '/auth/session',
      { email: 'gov@signin.example.org', assessmentId: ID, code },
      newSource(),
    );

    // Assess
    expect(answer.statusCode).toBe(201);
    expect(JSON.parse(answer.body).role).toBe('approver');
  });

  it('answers 429 with Retry-After past 30 attempts from one source', async () => {
    // Prepare
    const source = newSource();
    for (let i = 0; i < SIGNIN_LIMITS.sessionAttemptsPerSource; i++)
      await post(
        '/auth/session',
        { email: 'nobody@x.example.org', assessmentId: ID, code: '000000' },
        source,
      );

    // Act
    const over = await post(
      '/auth/session',
      { email: 'nobody@x.example.org', assessmentId: ID, code: '000000' },
      source,
    );

    // Assess
    expect(over.statusCode).toBe(429);
    expect(Number(over.headers?.['retry-after'])).toBeGreaterThan(0);
  });
});

describe('DELETE /auth/session', () => {
  it('revokes the presenting token: 204, then 401 everywhere, and the sign-out is audited', async () => {
    // Prepare
    const code = await askCode('viewer@signin.example.org');
    const session = JSON.parse(
      (
        await post(
          '/auth/session',
          { email: 'viewer@signin.example.org', assessmentId: ID, code },
          newSource(),
        )
      ).body,
    );

    // Act
    const out = await withToken('DELETE', '/auth/session', session.token);
    const after = await withToken('GET', '/auth/session', session.token);

    // Assess
    expect(out.statusCode).toBe(204);
    expect(after.statusCode).toBe(401);
    const signouts = await auditOf('auth.signout');
    expect(signouts).toHaveLength(1);
    expect(signouts[0]?.issuedBy).toBe('signin:viewer@signin.example.org');
  });
});
