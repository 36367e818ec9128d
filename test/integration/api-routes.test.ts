import { beforeAll, describe, expect, it } from 'vitest';
import { UnprocessableError } from '#domain/errors';
import type { Principal } from '#domain/principal';
import type { HttpEvent, HttpResult } from '#http/types';
import { tableRuntime } from '#runtime/table';
import { httpEvent } from '#test/events';
import { makeMilestones, seedAssessment, taskRequestBody } from '#test/fixtures';
import { freshTable, outboxEventsIn } from '#test/table';
import { createAssessment } from '#use-cases/assessments';
import { handler as agencies } from '../../functions/agencies.ts';
import { handler as audit } from '../../functions/audit.ts';
import { handler as createAssessmentHandler } from '../../functions/create-assessment.ts';
import { handler as agencyProgress } from '../../functions/get-agency-progress.ts';
import { handler as getAssessment } from '../../functions/get-assessment.ts';
import { handler as oit } from '../../functions/oit.ts';
import { handler as progress } from '../../functions/progress.ts';
import { handler as putEvidence } from '../../functions/put-oit-evidence.ts';
import { handler as putPlan } from '../../functions/put-plan.ts';
import { handler as rolloverAssessment } from '../../functions/rollover-assessment.ts';
import { handler as surveys } from '../../functions/surveys.ts';
import { handler as tasks } from '../../functions/tasks.ts';

type Handler = (event: HttpEvent, context: never) => Promise<HttpResult>;
type Call = {
  routeKey: string;
  params?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  principal?: Principal;
};

const A = 'test-2567';
let table: Awaited<ReturnType<typeof freshTable>>;
const agencyA: Principal = { tokenId: 'tok-a', role: 'agency', assessmentId: A, agencyId: 'agency-a' };
const approver: Principal = { tokenId: 'tok-approver', role: 'approver', assessmentId: A };

const send = async (fn: Handler, call: Call) => {
  const [method = 'GET'] = call.routeKey.split(' ');
  const result = await fn(
    httpEvent({
      method,
      routeKey: call.routeKey,
      ...(call.params ? { pathParameters: call.params } : {}),
      ...(call.query ? { queryStringParameters: call.query } : {}),
      ...(call.body !== undefined ? { body: call.body as object } : {}),
      headers: call.headers ?? {},
      ...(call.principal ? { principal: call.principal } : {}),
    }),
    {} as never,
  );
  const json = result.headers?.['content-type']?.toString().startsWith('application/json');
  return {
    status: result.statusCode,
    headers: result.headers ?? {},
    body: json ? JSON.parse(result.body) : result.body,
  };
};

const agencyBody = (id: string, staff = 120) => ({
  id,
  nameTh: `สำนักงานทดสอบ ${id}`,
  coordinator: { email: `c@${id}.example.org` },
  head: { name: 'นายทดสอบ', email: `h@${id}.example.org` },
  internalStaff: staff,
  externalStakeholders: 5000,
});

beforeAll(async () => {
  table = await freshTable('api');
  process.env.TABLE_NAME = table.tableName;
  process.env.DDB_ENDPOINT = table.endpoint;
  await seedAssessment(table, { id: A, agencyIds: ['agency-a', 'agency-b'], items: ['o1', 'o2', 'o3'] });
});

describe('assessments and plan', () => {
  it('creates an assessment with the default framework, a fiscal-year window and PlanChanged in the outbox', async () => {
    // Act
    const created = await send(createAssessmentHandler, {
      routeKey: 'POST /assessments',
      body: { id: 'new-2567', unitName: 'จังหวัดใหม่', fiscalYear: 2567, milestones: makeMilestones() },
    });

    // Assess
    expect(created.status).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.body.assessment).toMatchObject({
      id: 'new-2567',
      window: { start: '2023-10-01', end: '2024-09-30' },
      version: 1,
    });
    expect(created.body.warnings).toEqual([]);
    expect(created.body.schedules).toBe('sync-requested');
    expect(await outboxEventsIn(table)).toContainEqual(
      expect.objectContaining({ type: 'PlanChanged', assessmentId: 'new-2567' }),
    );
    const read = await send(getAssessment, { routeKey: 'GET /assessments/{id}', params: { id: 'new-2567' } });
    expect(read.body.milestones).toHaveLength(2);
  });

  it('refuses a duplicate id, a year without a framework, unknown fields and non-admins', async () => {
    // Act
    const duplicate = await send(createAssessmentHandler, {
      routeKey: 'POST /assessments',
      body: { id: A, unitName: 'ซ้ำ', fiscalYear: 2567 },
    });
    const noFramework = await send(createAssessmentHandler, {
      routeKey: 'POST /assessments',
      body: { id: 'far-2599', unitName: 'อนาคต', fiscalYear: 2599 },
    });
    const unknownField = await send(createAssessmentHandler, {
      routeKey: 'POST /assessments',
      body: { id: 'x-2567', unitName: 'x', fiscalYear: 2567, colour: 'red' },
    });
    const bidi = await send(createAssessmentHandler, {
      routeKey: 'POST /assessments',
      body: { id: 'x-2567', unitName: 'ก\u202eข', fiscalYear: 2567 },
    });
    const asAgency = await send(createAssessmentHandler, {
      routeKey: 'POST /assessments',
      body: { id: 'y-2567', unitName: 'ย', fiscalYear: 2567 },
      principal: agencyA,
    });

    // Assess
    expect(duplicate.status).toBe(409);
    expect(noFramework.status).toBe(422);
    expect(noFramework.body.error.details[0].path).toBe('fiscalYear');
    expect(unknownField.status).toBe(400);
    expect(JSON.stringify(unknownField.body.error.details)).toContain('colour');
    expect(bidi.status).toBe(400);
    expect(bidi.body.error.details[0].path).toBe('unitName');
    expect(asAgency.status).toBe(403);
  });

  it('caps a new plan at 60 milestones (400 above), and the use case refuses a plan no transaction holds (422)', async () => {
    // Prepare: DynamoDB takes at most 100 items in one transaction: the assessment, the
    // milestones, the audit entry and the PlanChanged outbox item. 97 milestones fill it.
    const milestones = (count: number) =>
      Array.from({ length: count }, (_, i) => ({ ...makeMilestones()[0]!, number: i + 1 }));
    const post = (id: string, count: number) =>
      send(createAssessmentHandler, {
        routeKey: 'POST /assessments',
        body: { id, unitName: 'จังหวัดแผนยาว', fiscalYear: 2567, milestones: milestones(count) },
      });

    // Act
    const ninetyNine = await post('long-2567', 99);
    const sixty = await post('sixty-2567', 60);
    const direct = await createAssessment(tableRuntime(), approver, {
      id: 'direct-2567',
      unitName: 'จังหวัดตรง',
      fiscalYear: 2567,
      milestones: milestones(98),
    }).catch((error: unknown) => error);
    const full = await createAssessment(tableRuntime(), approver, {
      id: 'full-2567',
      unitName: 'จังหวัดเต็ม',
      fiscalYear: 2567,
      milestones: milestones(97),
    });

    // Assess
    expect(ninetyNine.status).toBe(400);
    expect(ninetyNine.body.error.details[0].path).toBe('milestones');
    expect(sixty.status).toBe(201);
    expect(sixty.body.assessment.milestones).toHaveLength(60);
    expect(direct).toBeInstanceOf(UnprocessableError);
    expect(await tableRuntime().assessments.getWithPlan('direct-2567')).toBeNull();
    expect(full.view.milestones).toHaveLength(97);
    expect(await outboxEventsIn(table)).toContainEqual(
      expect.objectContaining({ type: 'PlanChanged', assessmentId: 'full-2567' }),
    );
  });

  it('replaces the plan only with the current ETag, and flags windows outside the fiscal year', async () => {
    // Prepare
    const current = await send(getAssessment, { routeKey: 'GET /assessments/{id}', params: { id: A } });
    const late = { ...makeMilestones()[0]!, number: 16, window: { start: '2024-09-01', end: '2024-10-15' } };
    const put = (headers: Record<string, string>, milestones: unknown[]) =>
      send(putPlan, {
        routeKey: 'PUT /assessments/{id}/plan',
        params: { id: A },
        headers,
        body: { milestones },
      });

    // Act
    const missing = await put({}, makeMilestones());
    const duplicate = await put({ 'if-match': current.headers.etag as string }, [
      makeMilestones()[0],
      makeMilestones()[0],
    ]);
    const ok = await put({ 'if-match': current.headers.etag as string }, [...makeMilestones(), late]);
    const stale = await put({ 'if-match': current.headers.etag as string }, makeMilestones());

    // Assess
    expect(missing.status).toBe(400);
    expect(missing.body.error.details[0].path).toBe('headers.if-match');
    expect(duplicate.status).toBe(422);
    expect(ok.status).toBe(200);
    expect(ok.headers.etag).toBe('"2"');
    expect(ok.body.warnings).toEqual([
      expect.objectContaining({ milestone: 16, path: 'milestones.2.window' }),
    ]);
    expect(stale.status).toBe(409);
    const read = await send(getAssessment, { routeKey: 'GET /assessments/{id}', params: { id: A } });
    expect(read.headers.etag).toBe('"2"');
    expect(read.body.milestones.map((m: { number: number }) => m.number)).toEqual([5, 7, 16]);
  });
});

describe('agencies', () => {
  it('creates an agency with its minimum samples and reads it back with an ETag', async () => {
    // Act
    const created = await send(agencies, {
      routeKey: 'POST /assessments/{id}/agencies',
      params: { id: A },
      body: agencyBody('agency-c', 30),
    });
    const read = await send(agencies, {
      routeKey: 'GET /assessments/{id}/agencies/{agencyId}',
      params: { id: A, agencyId: 'agency-c' },
    });
    const again = await send(agencies, {
      routeKey: 'POST /assessments/{id}/agencies',
      params: { id: A },
      body: agencyBody('agency-c'),
    });

    // Assess
    expect(created.status).toBe(201);
    expect(read.status).toBe(200);
    expect(read.headers.etag).toBe('"1"');
    expect(read.body.required).toEqual({ iit: 30, eit: expect.any(Number) });
    expect(again.status).toBe(409);
  });

  it('updates contacts and headcounts with If-Match, recomputing the minimums', async () => {
    // Prepare
    const { id: _id, ...profile } = agencyBody('agency-c', 30);
    const put = (etag: string, staff: number) =>
      send(agencies, {
        routeKey: 'PUT /assessments/{id}/agencies/{agencyId}',
        params: { id: A, agencyId: 'agency-c' },
        headers: { 'if-match': etag },
        body: { ...profile, internalStaff: staff },
      });

    // Act
    const ok = await put('"1"', 5);
    const stale = await put('"1"', 7);
    const unknown = await send(agencies, {
      routeKey: 'GET /assessments/{id}/agencies/{agencyId}',
      params: { id: A, agencyId: 'nobody' },
    });

    // Assess
    expect(ok.status).toBe(200);
    expect(ok.body.required.iit).toBe(5);
    expect(ok.headers.etag).toBe('"2"');
    expect(stale.status).toBe(409);
    expect(unknown.status).toBe(404);
  });
});

describe('OIT catalog, assignments and review', () => {
  it('keeps assigned items in the catalog and refuses unknown assignments', async () => {
    // Prepare
    const plan = await tableRuntime().assessments.getWithPlan(A);
    const items = plan!.assessment.framework.oitItems;

    // Act
    const dropAssigned = await send(oit, {
      routeKey: 'PUT /assessments/{id}/oit/catalog',
      params: { id: A },
      body: { items: items.filter((i) => i.id !== 'o2') },
    });
    const renamed = await send(oit, {
      routeKey: 'PUT /assessments/{id}/oit/catalog',
      params: { id: A },
      body: { items: items.map((i) => (i.id === 'o4' ? { ...i, nameTh: 'ชื่อใหม่' } : i)) },
    });
    const unknown = await send(oit, {
      routeKey: 'PUT /assessments/{id}/agencies/{agencyId}/oit-assignments',
      params: { id: A, agencyId: 'agency-b' },
      body: { items: ['o4', 'o999'] },
    });
    const assigned = await send(oit, {
      routeKey: 'PUT /assessments/{id}/agencies/{agencyId}/oit-assignments',
      params: { id: A, agencyId: 'agency-b' },
      body: { items: ['o3', 'o4'] },
    });

    // Assess
    expect(dropAssigned.status).toBe(422);
    expect(dropAssigned.body.error.details).toContainEqual({
      path: 'items',
      message: 'o2 is assigned to an agency',
    });
    expect(renamed.status).toBe(200);
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details).toEqual([
      { path: 'items.1', message: "o999 is not in this assessment's catalog" },
    ]);
    expect(assigned.body).toEqual({ agencyId: 'agency-b', added: ['o4'], assigned: 4 });
  });

  it('approves and rejects submitted evidence, moving the counters, and lists items by status', async () => {
    // Prepare
    for (const itemId of ['o1', 'o2']) {
      const submitted = await send(putEvidence, {
        routeKey: 'PUT /assessments/{id}/agencies/{agencyId}/oit/{itemId}',
        params: { id: A, agencyId: 'agency-a', itemId },
        body: { urls: [`https://example.org/${itemId}`] },
        principal: agencyA,
      });
      expect(submitted.status).toBe(200);
    }
    // If-Match: the version the approver sees, read fresh (1 for an item that was never assigned).
    const review = async (itemId: string, body: unknown, principal: Principal = approver) => {
      const detail = await tableRuntime().agencies.getDetail(A, 'agency-a');
      const version = detail?.evidence.find((e) => e.itemId === itemId)?.version ?? 1;
      return send(oit, {
        routeKey: 'POST /assessments/{id}/agencies/{agencyId}/oit/{itemId}/review',
        params: { id: A, agencyId: 'agency-a', itemId },
        headers: { 'if-match': `"${version}"` },
        body,
        principal,
      });
    };

    // Act
    const approved = await review('o1', { decision: 'approve' });
    const twice = await review('o1', { decision: 'approve' });
    const noReason = await review('o2', { decision: 'reject' });
    const byAgency = await review('o2', { decision: 'reject', reason: 'ไม่มีลิงก์' }, agencyA);
    const rejected = await review('o2', { decision: 'reject', reason: 'ลิงก์ไม่ตรงกับข้อ' });
    const notAssigned = await review('o9', { decision: 'approve' });
    const submittedList = await send(oit, {
      routeKey: 'GET /assessments/{id}/oit',
      params: { id: A },
      query: { status: 'rejected' },
      principal: approver,
    });
    const badStatus = await send(oit, {
      routeKey: 'GET /assessments/{id}/oit',
      params: { id: A },
      query: { status: 'x' },
    });

    // Assess
    expect(approved.status).toBe(200);
    expect(approved.body.evidence.status).toBe('approved');
    expect(twice.status).toBe(409);
    expect(noReason.status).toBe(400);
    expect(byAgency.status).toBe(403);
    expect(rejected.body.evidence).toMatchObject({ status: 'rejected', rejectionReason: 'ลิงก์ไม่ตรงกับข้อ' });
    expect(notAssigned.status).toBe(404);
    expect(submittedList.body.items).toEqual([
      expect.objectContaining({ agencyId: 'agency-a', itemId: 'o2', rejectionReason: 'ลิงก์ไม่ตรงกับข้อ' }),
    ]);
    expect(badStatus.status).toBe(400);
    const detail = await tableRuntime().agencies.getDetail(A, 'agency-a');
    expect(detail?.summary.oit).toEqual({ assigned: 3, submitted: 0, approved: 1, rejected: 1 });
  });
});

describe('approval is bound to the evidence the approver saw (issue 11 item 2)', () => {
  const R = 'review-2567';
  const agencyR: Principal = { tokenId: 'tok-r', role: 'agency', assessmentId: R, agencyId: 'agency-r' };
  const approverR: Principal = { tokenId: 'tok-approver-r', role: 'approver', assessmentId: R };
  const submit = (urls: string[], note = '') =>
    send(putEvidence, {
      routeKey: 'PUT /assessments/{id}/agencies/{agencyId}/oit/{itemId}',
      params: { id: R, agencyId: 'agency-r', itemId: 'o1' },
      body: { urls, note },
      principal: agencyR,
    });
  const review = (headers: Record<string, string>, decision = 'approve') =>
    send(oit, {
      routeKey: 'POST /assessments/{id}/agencies/{agencyId}/oit/{itemId}/review',
      params: { id: R, agencyId: 'agency-r', itemId: 'o1' },
      headers,
      body: { decision },
      principal: approverR,
    });
  const queue = async () =>
    (
      await send(oit, {
        routeKey: 'GET /assessments/{id}/oit',
        params: { id: R },
        query: { status: 'submitted' },
        principal: approverR,
      })
    ).body.items as Record<string, unknown>[];
  const agencyPage = async () =>
    (
      await send(agencyProgress, {
        routeKey: 'GET /assessments/{id}/agencies/{agencyId}/progress',
        params: { id: R, agencyId: 'agency-r' },
        principal: agencyR,
      })
    ).body.items as { itemId: string; version: number }[];

  beforeAll(async () => {
    await seedAssessment(tableRuntime(), { id: R, agencyIds: ['agency-r'], items: ['o1', 'o2'] });
  });

  it('versions evidence from 1, shows it in the queue and on the agency page, and refuses a stale or missing If-Match', async () => {
    // Prepare
    const before = await agencyPage();
    const first = await submit(['https://agency-r.example.org/first'], 'ฉบับแรก');
    const queued = await queue();
    const onPage = await agencyPage();

    // Act: the agency replaces its URLs after the approver opened version 1.
    const replaced = await submit(['https://agency-r.example.org/second']);
    const stale = await review({ 'if-match': '"1"' });
    const without = await review({});

    // Assess
    expect(before.map((i) => [i.itemId, i.version])).toEqual([
      ['o1', 0],
      ['o2', 0],
    ]);
    expect(first.status).toBe(200);
    expect(first.body.evidence.version).toBe(1);
    expect(queued).toEqual([
      expect.objectContaining({
        agencyId: 'agency-r',
        itemId: 'o1',
        urls: ['https://agency-r.example.org/first'],
        note: 'ฉบับแรก',
        submittedAt: expect.any(String),
        submittedBy: 'tok-r',
        version: 1,
      }),
    ]);
    expect(onPage.find((i) => i.itemId === 'o1')?.version).toBe(1);
    expect(replaced.body.evidence.version).toBe(2);
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
    expect(without.status).toBe(400);
    expect(without.body.error.details).toEqual([expect.objectContaining({ path: 'headers.if-match' })]);
    const stored = (await tableRuntime().agencies.getDetail(R, 'agency-r'))?.evidence.find(
      (e) => e.itemId === 'o1',
    );
    expect(stored).toMatchObject({
      status: 'submitted',
      urls: ['https://agency-r.example.org/second'],
      version: 2,
    });
  });

  it('approves the version named in If-Match, echoes its URLs and version, and audits the URLs', async () => {
    // Prepare
    const version = (await queue()).find((i) => i.itemId === 'o1')?.version;

    // Act
    const approved = await review({ 'if-match': `"${version}"` });
    const trail = await send(audit, {
      routeKey: 'GET /assessments/{id}/audit',
      params: { id: R },
      principal: approverR,
    });

    // Assess
    expect(approved.status).toBe(200);
    expect(approved.headers.etag).toBe(`"${Number(version) + 1}"`);
    expect(approved.body.evidence).toMatchObject({
      status: 'approved',
      urls: ['https://agency-r.example.org/second'],
      version: Number(version) + 1,
    });
    const entry = (trail.body.entries as { action: string; changes: Record<string, unknown> }[]).find(
      (e) => e.action === 'oit.review',
    );
    expect(entry?.changes).toMatchObject({
      status: 'approved',
      urls: ['https://agency-r.example.org/second'],
      version,
    });
    expect((await agencyPage()).find((i) => i.itemId === 'o1')?.version).toBe(Number(version) + 1);
  });
});

describe('survey reports', () => {
  const report = (body: unknown, principal: Principal = agencyA, agencyId = 'agency-a') =>
    send(surveys, {
      routeKey: 'PUT /assessments/{id}/agencies/{agencyId}/surveys/{tool}',
      params: { id: A, agencyId, tool: 'iit' },
      body,
      principal,
    });

  it('records counts, refuses a lower one unless it is a correction with a reason, and checks the dates', async () => {
    // Act
    const first = await report({ responses: 40, asOf: '2024-03-01' });
    const lower = await report({ responses: 30, asOf: '2024-03-02' });
    const noReason = await report({ responses: 30, asOf: '2024-03-02', correction: true });
    const corrected = await report({ responses: 30, asOf: '2024-03-02', correction: true, reason: 'นับซ้ำ' });
    const future = await report({ responses: 50, asOf: '2999-01-01' });
    const early = await report({ responses: 50, asOf: '2023-12-31' });
    const otherAgency = await report({ responses: 50, asOf: '2024-03-03' }, agencyA, 'agency-b');

    // Assess
    expect(first.status).toBe(200);
    expect(lower.status).toBe(422);
    expect(noReason.status).toBe(422);
    expect(corrected.status).toBe(200);
    expect(corrected.body.survey).toMatchObject({ responses: 30, asOf: '2024-03-02' });
    expect(corrected.body.survey.history).toEqual([
      { asOf: '2024-03-01', responses: 40 },
      { asOf: '2024-03-02', responses: 30 },
    ]);
    expect(future.status).toBe(422);
    expect(early.status).toBe(422);
    expect(otherAgency.status).toBe(404);
  });
});

describe('improvement tasks', () => {
  it('creates tasks, lists them, and lets a responsible agency move its own state with If-Match', async () => {
    // Prepare
    await send(tasks, {
      routeKey: 'POST /assessments/{id}/tasks',
      params: { id: A },
      body: taskRequestBody('web', ['agency-a']),
    });
    await send(tasks, {
      routeKey: 'POST /assessments/{id}/tasks',
      params: { id: A },
      body: taskRequestBody('other', ['agency-b']),
    });
    const patch = (taskId: string, etag: string, body: unknown, principal: Principal = agencyA) =>
      send(tasks, {
        routeKey: 'PATCH /assessments/{id}/tasks/{taskId}',
        params: { id: A, taskId },
        headers: { 'if-match': etag },
        body,
        principal,
      });

    // Act
    const listed = await send(tasks, {
      routeKey: 'GET /assessments/{id}/tasks',
      params: { id: A },
      principal: agencyA,
    });
    const own = listed.body.tasks[0].agencies[0];
    const moved = await patch('web', `"${own.version}"`, { progress: 50 });
    const stale = await patch('web', `"${own.version}"`, { progress: 60 });
    const notMine = await patch('other', '"1"', { progress: 10 });
    const contradiction = await patch('web', moved.headers.etag as string, { status: 'done', progress: 80 });
    const unknownAgency = await send(tasks, {
      routeKey: 'POST /assessments/{id}/tasks',
      params: { id: A },
      body: taskRequestBody('ghost', ['nobody']),
    });
    const task = await tableRuntime().assessments.getTask(A, 'web');

    // Assess
    expect(listed.body.tasks.map((t: { id: string }) => t.id)).toEqual(['web']);
    expect(own).toMatchObject({ agencyId: 'agency-a', status: 'planned', progress: 0 });
    expect(moved.status).toBe(200);
    expect(moved.body.agency).toMatchObject({
      agencyId: 'agency-a',
      status: 'in_progress',
      progress: 50,
      version: own.version + 1,
      openTasks: 1,
    });
    expect(moved.headers.etag).toBe(`"${own.version + 1}"`);
    expect(task).toMatchObject({ status: 'planned', progress: 0, version: 1 });
    expect(stale.status).toBe(409);
    expect(notMine.status).toBe(404);
    expect(contradiction.status).toBe(422);
    expect(unknownAgency.status).toBe(422);
  });
});

describe('progress and audit', () => {
  it("shows every agency's pace as JSON and as a CSV Excel opens in Thai", async () => {
    // Act
    const asJson = await send(progress, { routeKey: 'GET /assessments/{id}/progress', params: { id: A } });
    const asCsv = await send(progress, { routeKey: 'GET /assessments/{id}/progress.csv', params: { id: A } });
    const own = await send(progress, {
      routeKey: 'GET /assessments/{id}/progress',
      params: { id: A },
      principal: agencyA,
    });

    // Assess
    expect(asJson.body.agencies.map((a: { agencyId: string }) => a.agencyId)).toEqual([
      'agency-a',
      'agency-b',
      'agency-c',
    ]);
    expect(own.body.agencies.map((a: { agencyId: string }) => a.agencyId)).toEqual(['agency-a']);
    expect(asCsv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(asCsv.headers['content-disposition']).toMatch(
      /^attachment; filename="ita-progress-test-2567-\d{4}-\d\d-\d\d\.csv"/,
    );
    const text = asCsv.body as string;
    expect(text.startsWith('\uFEFFรหัสหน่วยงาน,ชื่อหน่วยงาน,สถานะ,')).toBe(true);
    expect(text.split('\r\n')).toHaveLength(5);
    expect(text).not.toMatch(/[^\r]\n/);
    expect(text).toContain('agency-a,หน่วยงานทดสอบ agency-a,');
  });

  it('pages through the audit trail with nextToken, per agency too, and refuses a foreign token', async () => {
    // Act
    const first = await send(audit, {
      routeKey: 'GET /assessments/{id}/audit',
      params: { id: A },
      query: { limit: '3' },
    });
    const second = await send(audit, {
      routeKey: 'GET /assessments/{id}/audit',
      params: { id: A },
      query: { limit: '3', nextToken: first.body.nextToken },
    });
    const agencyOnly = await send(audit, {
      routeKey: 'GET /assessments/{id}/audit',
      params: { id: A },
      query: { agencyId: 'agency-c' },
      principal: approver,
    });
    const foreign = await send(audit, {
      routeKey: 'GET /assessments/{id}/audit',
      params: { id: A },
      query: { agencyId: 'agency-a', nextToken: first.body.nextToken },
    });

    // Assess
    expect(first.body.entries).toHaveLength(3);
    expect(second.body.entries).toHaveLength(3);
    expect(second.body.entries[0].at >= first.body.entries[2].at).toBe(true);
    expect(agencyOnly.body.entries.map((e: { action: string }) => e.action)).toEqual([
      'agency.create',
      'agency.update',
    ]);
    expect(foreign.status).toBe(400);
  });

  it('answers 400, never a 500, for a crafted nextToken DynamoDB would refuse or that leaves the query', async () => {
    // Prepare
    const token = (key: object) => Buffer.from(JSON.stringify(key)).toString('base64url');
    const page = (query: Record<string, string>) =>
      send(audit, { routeKey: 'GET /assessments/{id}/audit', params: { id: A }, query });
    const first = await page({ limit: '2' });
    const firstKey = JSON.parse(Buffer.from(first.body.nextToken, 'base64url').toString('utf8'));
    const agencyFirst = await page({ agencyId: 'agency-a', limit: '1' });
    const agencyKey = JSON.parse(Buffer.from(agencyFirst.body.nextToken, 'base64url').toString('utf8'));

    // Act
    const crafted: Record<string, string>[] = [
      { nextToken: token({ PK: `AUDIT#${A}`, SK: '' }) },
      { nextToken: token({ PK: 'AUDIT#other-2567', SK: firstKey.SK }) },
      { nextToken: token({ ...firstKey, extra: 'x' }) },
      { nextToken: token({ PK: `AUDIT#${A}`, SK: 7 }) },
      { nextToken: 'not base64 json' },
      { nextToken: token({ PK: `AUDIT#${A}`, SK: 'x'.repeat(2000) }) },
      { nextToken: first.body.nextToken, since: '2999-01-01T00:00:00Z' },
      { agencyId: 'agency-a', nextToken: token({ ...agencyKey, GSI1SK: '' }) },
      { agencyId: 'agency-a', nextToken: token({ ...agencyKey, GSI1PK: `AUDIT#${A}#AGENCY#agency-b` }) },
      { agencyId: 'agency-a', nextToken: token({ ...agencyKey, SK: '' }) },
      { agencyId: 'agency-b', nextToken: agencyFirst.body.nextToken },
    ];
    const statuses = await Promise.all(crafted.map(async (query) => (await page(query)).status));
    const agencySecond = await page({
      agencyId: 'agency-a',
      limit: '1',
      nextToken: agencyFirst.body.nextToken,
    });

    // Assess
    expect(statuses).toEqual(statuses.map(() => 400));
    expect(agencySecond.status).toBe(200);
    expect(agencySecond.body.entries[0].id).not.toBe(agencyFirst.body.entries[0].id);
  });
});

describe('rollover', () => {
  it("builds next year's assessment once: a retry finishes or repeats it, another source is a 409", async () => {
    // Prepare
    const roll = (source: string, body: unknown) =>
      send(rolloverAssessment, { routeKey: 'POST /assessments/{id}/rollover', params: { id: source }, body });

    // Act
    const created = await roll(A, { id: 'test-2568', fiscalYear: 2568 });
    const retried = await roll(A, { id: 'test-2568', fiscalYear: 2568 });
    const taken = await roll('new-2567', { id: 'test-2568', fiscalYear: 2568 });
    const backwards = await roll(A, { id: 'test-2566', fiscalYear: 2566 });

    // Assess
    expect(created.status).toBe(201);
    expect(created.body.assessment).toMatchObject({ id: 'test-2568', fiscalYear: 2568, version: 1 });
    expect(created.body.assessment.milestones[0].window).toEqual({ start: '2025-01-01', end: '2025-07-01' });
    expect(retried.status).toBe(201);
    expect(taken.status).toBe(409);
    expect(backwards.status).toBe(422);
    const detail = await tableRuntime().agencies.getDetail('test-2568', 'agency-a');
    expect(detail?.summary.oit).toEqual({ assigned: 3, submitted: 0, approved: 0, rejected: 0 });
    expect(detail?.summary.surveys.iit).toMatchObject({ responses: 0, history: [] });
    expect(detail?.evidence.every((e) => e.status === 'missing')).toBe(true);
    const newTasks = await tableRuntime().assessments.listTasks('test-2568');
    expect(newTasks.map((t) => [t.id, t.status, t.progress, t.window.start])).toEqual([
      ['other', 'planned', 0, '2025-01-01'],
      ['web', 'planned', 0, '2025-01-01'],
    ]);
    expect(
      (await outboxEventsIn(table)).filter(
        (event) => event.type === 'PlanChanged' && event.assessmentId === 'test-2568',
      ),
    ).toHaveLength(1);
  });
});
