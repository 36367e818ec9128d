import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { UnprocessableError } from '#domain/errors';
import type { Principal } from '#domain/principal';
import { addDays } from '#domain/thai-date';
import { httpHandler } from '#http/handler';
import { withIdempotency } from '#http/idempotency';
import type { HttpEvent, HttpResult } from '#http/types';
import { lambdaContext } from '#local/lambda-context';
import { tableRuntime } from '#runtime/table';
import { recordCommands } from '#test/commands';
import { httpEvent } from '#test/events';
import { seedAssessment } from '#test/fixtures';
import { freshTable, idempotencyRecords } from '#test/table';
import { handler as putEvidence } from '../../functions/put-oit-evidence.ts';
import { handler as surveys } from '../../functions/surveys.ts';
import { handler as tasks } from '../../functions/tasks.ts';

type Handler = (event: HttpEvent, context: never) => Promise<HttpResult>;

const A = 'test-2567';
const agencyA: Principal = { tokenId: 'tok-a', role: 'agency', assessmentId: A, agencyId: 'agency-a' };
/** The commands the functions' client sends (from `beforeAll` on). */
let calls: string[] = [];

/** `timeoutMs`: the Lambda's, unless a test puts many requests in one process (each Lambda has its own CPU). */
const send = (
  fn: Handler,
  routeKey: string,
  params: Record<string, string>,
  body: unknown,
  headers = {},
  timeoutMs?: number,
) =>
  fn(
    httpEvent({
      method: routeKey.split(' ')[0]!,
      routeKey,
      pathParameters: params,
      body: body as object,
      headers,
      principal: agencyA,
    }),
    lambdaContext('test', timeoutMs) as never,
  );

const evidence = (itemId: string, body: unknown, headers: Record<string, string> = {}) =>
  send(
    putEvidence,
    'PUT /assessments/{id}/agencies/{agencyId}/oit/{itemId}',
    { id: A, agencyId: 'agency-a', itemId },
    body,
    headers,
  );

const auditCount = async () => {
  const { client, tableName } = tableRuntime();
  const page = await client.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': `AUDIT#${A}` },
      Select: 'COUNT',
    }),
  );
  return page.Count ?? 0;
};

/** A keyed POST with a raw body, so spacing and key order reach the wrapper as written. */
const rawPost = (body: string, key: string) =>
  httpEvent({
    method: 'POST',
    routeKey: 'POST /things',
    body,
    headers: { 'idempotency-key': key },
    principal: agencyA,
  });

/** One agency's audit entries (its GSI1 partition, every page). */
const agencyAudit = async (agencyId: string) => {
  const entries: { target: string; changes: Record<string, unknown> }[] = [];
  let nextToken: string | undefined;
  do {
    const page = await tableRuntime().assessments.listAudit(A, { agencyId, limit: 200, nextToken });
    entries.push(...page.entries);
    nextToken = page.nextToken;
  } while (nextToken);
  return entries;
};

beforeAll(async () => {
  const table = await freshTable('idem');
  process.env.TABLE_NAME = table.tableName;
  process.env.DDB_ENDPOINT = table.endpoint;
  await seedAssessment(table, { id: A, agencyIds: ['agency-a'], items: ['o1', 'o2', 'o3', 'o4'] });
  calls = recordCommands(tableRuntime().client);
});

describe('Idempotency-Key on write routes', () => {
  it('leaves the evidence submission at one round trip without the header and three with it', async () => {
    // Act
    calls.length = 0;
    const plain = await evidence('o1', { urls: ['https://example.org/o1'] });
    const plainCalls = [...calls];
    calls.length = 0;
    const keyed = await evidence('o2', { urls: ['https://example.org/o2'] }, { 'idempotency-key': 'k-o2' });
    const keyedCalls = [...calls];

    // Assess
    expect(plain.statusCode).toBe(200);
    expect(plainCalls).toEqual(['TransactWriteItemsCommand']);
    expect(keyed.statusCode).toBe(200);
    expect(keyedCalls).toEqual(['PutItemCommand', 'TransactWriteItemsCommand', 'UpdateItemCommand']);
  });

  it('replays the first answer for the same key and body, with no second effect', async () => {
    // Prepare
    const body = { urls: ['https://example.org/o3'], note: 'ฉบับแรก' };
    const first = await evidence('o3', body, { 'idempotency-key': 'k-o3' });
    const auditBefore = await auditCount();

    // Act
    calls.length = 0;
    const replay = await evidence(
      'o3',
      { note: 'ฉบับแรก', urls: ['https://example.org/o3'] },
      { 'idempotency-key': 'k-o3' },
    );

    // Assess
    expect(replay.statusCode).toBe(first.statusCode);
    expect(replay.body).toBe(first.body);
    expect(replay.headers?.['idempotent-replayed']).toBe('true');
    expect(calls).toEqual(['PutItemCommand']);
    expect(await auditCount()).toBe(auditBefore);
    const detail = await tableRuntime().agencies.getDetail(A, 'agency-a');
    // Submitted once: version 1 (a second effect would have made it 2).
    expect(detail?.evidence.find((e) => e.itemId === 'o3')?.version).toBe(1);
  });

  it('refuses the same key with another body (422) and writes nothing', async () => {
    // Prepare
    await evidence('o4', { urls: ['https://example.org/a'] }, { 'idempotency-key': 'k-o4' });
    const auditBefore = await auditCount();

    // Act
    const reused = await evidence('o4', { urls: ['https://example.org/b'] }, { 'idempotency-key': 'k-o4' });

    // Assess
    expect(reused.statusCode).toBe(422);
    expect(JSON.parse(reused.body).error.code).toBe('idempotency_key_reused');
    expect(await auditCount()).toBe(auditBefore);
    const detail = await tableRuntime().agencies.getDetail(A, 'agency-a');
    expect(detail?.evidence.find((e) => e.itemId === 'o4')?.urls).toEqual(['https://example.org/a']);
  });

  it('does not record a failed request, so the same key can be retried once the cause is fixed', async () => {
    // Prepare
    const admin: Principal = { tokenId: 'tok-admin', role: 'admin', assessmentId: A };
    const post = (body: unknown) =>
      tasks(
        httpEvent({
          method: 'POST',
          routeKey: 'POST /assessments/{id}/tasks',
          pathParameters: { id: A },
          body: body as object,
          headers: { 'idempotency-key': 'task-1' },
          principal: admin,
        }),
        lambdaContext() as never,
      );
    const task = {
      id: 'web',
      theme: { number: 1, title: 'เว็บไซต์' },
      questions: [],
      analysis: '',
      guideline: '',
      method: '',
      periodText: 'มกราคม 2567',
      window: { start: '2024-01-01', end: '2024-01-31' },
      responsibleText: 'ทุกส่วนราชการ',
      responsibleAgencies: 'all',
    };

    // Act
    const refused = await post({ ...task, responsibleAgencies: ['nobody'] });
    const created = await post(task);
    const replayed = await post(task);

    // Assess
    expect(refused.statusCode).toBe(422);
    expect(created.statusCode).toBe(201);
    expect(replayed.statusCode).toBe(201);
    expect(replayed.body).toBe(created.body);
  });
});

describe('Idempotency-Key on a handler of our own', () => {
  it('replays a body sent again with other spacing and key order, at any depth', async () => {
    // Prepare
    let runs = 0;
    const create = httpHandler(
      withIdempotency('idem-canonical', async () => {
        runs += 1;
        return { statusCode: 201, body: JSON.stringify({ run: runs }) };
      }),
    );
    const first = '{"a":{"x":1,"y":[{"p":1,"q":"ข"},2]},"b":null}';
    const respelled = '{ "b" : null,\n  "a" : { "y" : [ { "q" : "ข", "p" : 1.0 }, 2 ], "x" : 1 } }';
    const arrayReordered = '{"a":{"x":1,"y":[2,{"p":1,"q":"ข"}]},"b":null}';

    // Act
    const created = await create(rawPost(first, 'canon-1'), lambdaContext() as never);
    const replayed = await create(rawPost(respelled, 'canon-1'), lambdaContext() as never);
    const otherBody = await create(rawPost(arrayReordered, 'canon-1'), lambdaContext() as never);

    // Assess: the order of an array's items is part of the body, the order of an object's keys is not.
    expect(created.statusCode).toBe(201);
    expect(replayed.statusCode).toBe(201);
    expect(replayed.body).toBe(created.body);
    expect(replayed.headers?.['idempotent-replayed']).toBe('true');
    expect(otherBody.statusCode).toBe(422);
    expect(runs).toBe(1);
  });

  it('answers 409 to the same key while the first request is still running, then replays its answer', async () => {
    // Prepare: the first request holds inside the handler until the test lets it go.
    let letGo = () => {};
    const gate = new Promise<void>((resolve) => {
      letGo = resolve;
    });
    let entered = () => {};
    const running = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const slow = httpHandler(
      withIdempotency('idem-slow', async () => {
        entered();
        await gate;
        return { statusCode: 201, body: '{"done":true}' };
      }),
    );

    // Act
    const firstPending = slow(rawPost('{"n":1}', 'slow-1'), lambdaContext() as never);
    await running;
    const whileRunning = await slow(rawPost('{"n":1}', 'slow-1'), lambdaContext() as never);
    letGo();
    const first = await firstPending;
    const afterwards = await slow(rawPost('{"n":1}', 'slow-1'), lambdaContext() as never);

    // Assess
    expect(whileRunning.statusCode).toBe(409);
    expect(JSON.parse(whileRunning.body).error.code).toBe('conflict');
    expect(first.statusCode).toBe(201);
    expect(afterwards.body).toBe(first.body);
    expect(afterwards.headers?.['idempotent-replayed']).toBe('true');
  });

  it('deletes the record of a failed request and passes its error on unchanged', async () => {
    // Prepare
    const refusal = new UnprocessableError('not today');
    const failing = withIdempotency('idem-failing', async () => {
      throw refusal;
    });

    // Act
    calls.length = 0;
    const outcome = await failing(rawPost('{"n":1}', 'fail-1'), lambdaContext() as never).catch(
      (error: unknown) => error,
    );

    // Assess
    expect(outcome).toBe(refusal);
    expect(calls).toEqual(['PutItemCommand', 'DeleteItemCommand']);
    expect(await idempotencyRecords(tableRuntime(), 'idem-failing')).toEqual([]);
  });

  it('stores the answer for a day, and holds an unfinished request 60 s when there is no Lambda context', async () => {
    // Prepare
    const before = Date.now();
    const plain = withIdempotency('idem-record', async () => ({ statusCode: 200, body: '{}' }));

    // Act
    await plain(rawPost('{"n":1}', 'record-1'), undefined as never);

    // Assess
    const [record] = await idempotencyRecords(tableRuntime(), 'idem-record');
    expect(record).toMatchObject({
      status: 'COMPLETED',
      response: JSON.stringify({ statusCode: 200, body: '{}' }),
    });
    expect(record?.expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) + 24 * 60 * 60);
    // Powertools rounds the expiry to the nearest second.
    expect(record?.expiresAt).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 24 * 60 * 60);
    expect(record?.inProgressUntil).toBeGreaterThanOrEqual(before + 60_000);
    expect(record?.inProgressUntil).toBeLessThanOrEqual(Date.now() + 60_000);
  });
});

describe('survey reports racing on one agency', () => {
  it('keeps every one of 25 parallel reports through the handler, with nothing serialising them', async () => {
    // Prepare: 50 reports one after another (the history nearly full), then 25 whose counts grow
    // with the date arrive all at once, in any order. Every racing writer retries on another's
    // version, so the work grows with the square of the racers: 25 show the race for a fraction
    // of 100's time; the history limit (60) is crossed by the race itself.
    const reports = Array.from({ length: 75 }, (_, i) => ({
      responses: (i + 1) * 3,
      asOf: addDays('2024-01-01', i),
    }));
    const [earlier, racing] = [reports.slice(0, 50), reports.slice(50)];
    const route = 'PUT /assessments/{id}/agencies/{agencyId}/surveys/{tool}';
    const params = { id: A, agencyId: 'agency-a', tool: 'eit' };
    for (const report of earlier) expect((await send(surveys, route, params, report)).statusCode).toBe(200);
    const before = await tableRuntime().agencies.getSummary(A, 'agency-a');

    // Act
    const results = await Promise.all(
      // 25 Lambdas' work in one process on two cores: each gets the whole test's time.
      racing.map((report) => send(surveys, route, params, report, {}, 120_000)),
    );

    // Assess: every report answered, the latest date's count stands, the history is exactly the
    // last 60 dates, the version moved once per report and each report left one audit entry.
    expect(results.map((r) => r.statusCode)).toEqual(racing.map(() => 200));
    const after = await tableRuntime().agencies.getSummary(A, 'agency-a');
    expect(after?.surveys.eit.responses).toBe(225);
    expect(after?.surveys.eit.asOf).toBe(addDays('2024-01-01', 74));
    expect(after?.surveys.eit.history).toEqual(reports.slice(15));
    expect(after?.version).toBe((before?.version ?? 0) + 25);
    const entries = (await agencyAudit('agency-a')).filter((e) => e.target === 'survey/eit');
    expect(entries).toHaveLength(75);
    expect(entries.map((e) => e.changes.asOf).sort()).toEqual(reports.map((r) => r.asOf));
  }, 120_000);
});
