import { beforeAll, describe, expect, it } from 'vitest';
import { createAgencyRepository } from '#adapters/dynamo/agency-repository';
import type { Principal } from '#domain/principal';
import { lambdaContext } from '#local/lambda-context';
import { tableRuntime } from '#runtime/table';
import { callRoute, type Handler, type RouteCall } from '#test/events';
import { seedAssessment, taskRequestBody } from '#test/fixtures';
import { freshTable } from '#test/table';
import { replaceOitCatalog } from '#use-cases/oit';
import { submitEvidence } from '#use-cases/submit-evidence';
import { handler as oit } from '../../functions/oit.ts';
import { handler as rolloverAssessment } from '../../functions/rollover-assessment.ts';
import { handler as tasks } from '../../functions/tasks.ts';

/**
 * Issue 11 items 4 and 5: rollover needs the right to create an assessment, and races end in
 * 2xx, 409 or 422, never 500. Requests are fired in parallel through the real handlers on
 * DynamoDB Local; each Lambda's time is generous, as ten Lambdas share this process's CPU.
 */

const A = 'races-2567';
const admin: Principal = { tokenId: 'tok-admin', role: 'admin', assessmentId: '*' };
const boundAdmin: Principal = { tokenId: 'tok-bound', role: 'admin', assessmentId: A };
const approver: Principal = { tokenId: 'tok-approver', role: 'approver', assessmentId: A };
const agencyA: Principal = { tokenId: 'tok-a', role: 'agency', assessmentId: A, agencyId: 'agency-a' };

const send = (fn: Handler, call: Omit<RouteCall, 'principal'>, principal: Principal = admin) =>
  callRoute(fn, { ...call, principal }, lambdaContext('races', 60_000) as never);

const parallel = <T>(n: number, fn: (i: number) => Promise<T>) =>
  Promise.all(Array.from({ length: n }, (_, i) => fn(i)));

const statusCounts = (answers: { status: number }[]) => {
  const counts: Record<number, number> = {};
  for (const { status } of answers) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
};

const catalogOf = async (assessmentId: string) =>
  (await tableRuntime().assessments.getWithPlan(assessmentId))!.assessment.framework.oitItems;

beforeAll(async () => {
  const table = await freshTable('races');
  process.env.TABLE_NAME = table.tableName;
  process.env.DDB_ENDPOINT = table.endpoint;
  await seedAssessment(table, {
    id: A,
    agencyIds: ['agency-a', 'agency-b', 'agency-c'],
    items: ['o1', 'o2', 'o3'],
  });
});

describe('rollover needs the right to create an assessment (item 4)', () => {
  it('refuses a token bound to the source assessment with 403, and lets the * admin roll over', async () => {
    // Prepare
    const roll = (principal: Principal, id: string, fiscalYear: number) =>
      send(
        rolloverAssessment,
        { routeKey: 'POST /assessments/{id}/rollover', params: { id: A }, body: { id, fiscalYear } },
        principal,
      );

    // Act
    const bound = await roll(boundAdmin, 'races-bound-2568', 2568);
    const global = await roll(admin, 'races-skip-2569', 2569);

    // Assess
    expect(bound.status).toBe(403);
    expect(await tableRuntime().assessments.getWithPlan('races-bound-2568')).toBeNull();
    expect(global.status).toBe(201);
    expect(global.body.assessment).toMatchObject({ id: 'races-skip-2569', fiscalYear: 2569 });
  });
});

describe('races end in 2xx, 409 or 422, never 500 (item 5)', () => {
  it('10 parallel rollovers to one id all answer 201 and build one complete assessment', async () => {
    // Act
    const answers = await parallel(10, () =>
      send(rolloverAssessment, {
        routeKey: 'POST /assessments/{id}/rollover',
        params: { id: A },
        body: { id: 'races-2568', fiscalYear: 2568 },
      }),
    );

    // Assess
    expect(statusCounts(answers)).toEqual({ 201: 10 });
    const agencies = createAgencyRepository(tableRuntime());
    for (const agencyId of ['agency-a', 'agency-b', 'agency-c']) {
      const detail = await agencies.getDetail('races-2568', agencyId);
      expect(detail?.summary.oit.assigned, agencyId).toBe(3);
      expect(detail?.evidence.map((e) => e.itemId).sort(), agencyId).toEqual(['o1', 'o2', 'o3']);
    }
  });

  it('a catalog replacement that read the assignments before an assignment committed is refused (409)', async () => {
    // Prepare: o5 is in the catalog and assigned to nobody; the replacement drops it.
    const before = await catalogOf(A);
    const withoutO5 = before.filter((i) => i.id !== 'o5');
    let assignment: { status: number } | undefined;
    const runtime = tableRuntime();
    const deps = {
      ...runtime,
      now: () => new Date(),
      agencies: {
        ...runtime.agencies,
        // The replacement has read who holds what; the assignment of o5 lands right then.
        assignedItemIds: async (assessmentId: string) => {
          const assigned = await runtime.agencies.assignedItemIds(assessmentId);
          assignment = await send(oit, {
            routeKey: 'PUT /assessments/{id}/agencies/{agencyId}/oit-assignments',
            params: { id: A, agencyId: 'agency-b' },
            body: { items: ['o5'] },
          });
          return assigned;
        },
      },
    };

    // Act
    const replaced = await replaceOitCatalog(deps, admin, { assessmentId: A, items: withoutO5 }).then(
      () => 'replaced',
      (error: { code?: string }) => error.code,
    );

    // Assess: the assignment won, so the catalog keeps o5.
    expect(assignment?.status).toBe(200);
    expect(replaced).toBe('version_conflict');
    expect((await catalogOf(A)).map((i) => i.id)).toContain('o5');
  });

  it('fired together, a catalog replacement and an assignment never leave an item assigned outside the catalog', async () => {
    // Prepare
    const full = await catalogOf(A);
    const candidates = full
      .map((i) => i.id)
      // o4 stays for the parallel assignments below.
      .filter((id) => !['o1', 'o2', 'o3', 'o4', 'o5'].includes(id))
      .slice(0, 5);
    const outcomes: number[][] = [];

    // Act: each round drops one unassigned item while another request assigns it.
    for (const itemId of candidates) {
      const current = await catalogOf(A);
      const [catalog, assignment] = await Promise.all([
        send(oit, {
          routeKey: 'PUT /assessments/{id}/oit/catalog',
          params: { id: A },
          body: { items: current.filter((i) => i.id !== itemId) },
        }),
        send(oit, {
          routeKey: 'PUT /assessments/{id}/agencies/{agencyId}/oit-assignments',
          params: { id: A, agencyId: 'agency-c' },
          body: { items: [itemId] },
        }),
      ]);
      outcomes.push([catalog.status, assignment.status]);
    }

    // Assess: never both done; whatever is assigned is in the catalog.
    expect(outcomes.filter(([c, a]) => c === 200 && a === 200)).toEqual([]);
    expect(outcomes.flat().every((s) => [200, 409, 422].includes(s))).toBe(true);
    const catalog = new Set((await catalogOf(A)).map((i) => i.id));
    const assigned = await tableRuntime().agencies.assignedItemIds(A);
    expect([...assigned].filter((id) => !catalog.has(id))).toEqual([]);
  });

  it('parallel writes on every transactional path answer one 200 and 409s for the rest', async () => {
    // Prepare: evidence awaiting review, a task, and the versions everyone read.
    await submitEvidence(tableRuntime(), agencyA, {
      assessmentId: A,
      agencyId: 'agency-a',
      itemId: 'o1',
      request: { urls: ['https://agency-a.example.org/o1'] },
    });
    await send(tasks, {
      routeKey: 'POST /assessments/{id}/tasks',
      params: { id: A },
      body: taskRequestBody('raced', 'all'),
    });
    const evidenceVersion = (await tableRuntime().agencies.getDetail(A, 'agency-a'))!.evidence.find(
      (e) => e.itemId === 'o1',
    )!.version;

    // Act: each block reads the version it sends right before it (a review moves the summary's).
    const reviews = await parallel(10, () =>
      send(
        oit,
        {
          routeKey: 'POST /assessments/{id}/agencies/{agencyId}/oit/{itemId}/review',
          params: { id: A, agencyId: 'agency-a', itemId: 'o1' },
          headers: { 'if-match': `"${evidenceVersion}"` },
          body: { decision: 'approve' },
        },
        approver,
      ),
    );
    const summaryVersion = (await tableRuntime().agencies.getSummary(A, 'agency-a'))!.version;
    const patches = await parallel(10, (i) =>
      send(
        tasks,
        {
          routeKey: 'PATCH /assessments/{id}/tasks/{taskId}',
          params: { id: A, taskId: 'raced' },
          headers: { 'if-match': `"${summaryVersion}"` },
          body: { progress: 10 + i },
        },
        agencyA,
      ),
    );
    const assessmentVersion = (await tableRuntime().assessments.getWithPlan(A))!.assessment.version;
    const catalog = await catalogOf(A);
    const catalogs = await parallel(10, (i) =>
      send(oit, {
        routeKey: 'PUT /assessments/{id}/oit/catalog',
        params: { id: A },
        headers: { 'if-match': `"${assessmentVersion}"` },
        body: { items: catalog.map((item) => (item.id === 'o1' ? { ...item, nameTh: `ชื่อใหม่ ${i}` } : item)) },
      }),
    );
    const assignments = await parallel(10, () =>
      send(oit, {
        routeKey: 'PUT /assessments/{id}/agencies/{agencyId}/oit-assignments',
        params: { id: A, agencyId: 'agency-a' },
        body: { items: ['o4'] },
      }),
    );

    // Assess
    expect(statusCounts(reviews)).toEqual({ 200: 1, 409: 9 });
    expect(statusCounts(patches)).toEqual({ 200: 1, 409: 9 });
    expect(statusCounts(catalogs)).toEqual({ 200: 1, 409: 9 });
    expect(assignments.every((a) => a.status === 200 || a.status === 409)).toBe(true);
    expect(assignments.some((a) => a.status === 200)).toBe(true);
    const summary = await tableRuntime().agencies.getDetail(A, 'agency-a');
    expect(summary?.summary.oit).toMatchObject({ assigned: 4, approved: 1, submitted: 0 });
    expect(summary?.evidence.filter((e) => e.itemId === 'o4')).toHaveLength(1);
  });
});
