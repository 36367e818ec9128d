import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '#domain/principal';
import { SEEDED_ASSESSMENT_ID, seedPhatthalung } from '#local/seed';
import { tableRuntime } from '#runtime/table';
import { callRoute, type Handler, type RouteCall } from '#test/events';
import { makeAgency, seedAssessment, taskRequestBody } from '#test/fixtures';
import { freshTable } from '#test/table';
import { handler as agencies } from '../../functions/agencies.ts';
import { handler as progress } from '../../functions/progress.ts';
import { handler as rolloverAssessment } from '../../functions/rollover-assessment.ts';
import { handler as tasks } from '../../functions/tasks.ts';

/**
 * Per-agency state of improvement tasks: each responsible agency moves its own state in its own
 * summary, the open count moves in the same write, and the task's overall state is the admin's.
 */

const A = 'tasks-2567';
const admin: Principal = { tokenId: 'tok-admin', role: 'admin', assessmentId: '*' };
const agencyToken = (assessmentId: string, agencyId: string): Principal => ({
  tokenId: `tok-${agencyId}`,
  role: 'agency',
  assessmentId,
  agencyId,
});

const send = (fn: Handler, call: Omit<RouteCall, 'principal'> & { principal?: Principal }) =>
  callRoute(fn, { ...call, principal: call.principal ?? admin });

const createTask = (assessmentId: string, body: unknown) =>
  send(tasks, { routeKey: 'POST /assessments/{id}/tasks', params: { id: assessmentId }, body });

/** PATCH as `principal`; If-Match is read fresh unless given (the summary's version, or the task's for the admin). */
const patchTask = async (
  assessmentId: string,
  taskId: string,
  body: Record<string, unknown>,
  principal: Principal,
  ifMatch?: number,
) => {
  const target = principal.agencyId ?? (body.agencyId as string | undefined);
  const version =
    ifMatch ??
    (target
      ? (await tableRuntime().agencies.getSummary(assessmentId, target))!.version
      : (await tableRuntime().assessments.getTask(assessmentId, taskId))!.version!);
  return send(tasks, {
    routeKey: 'PATCH /assessments/{id}/tasks/{taskId}',
    params: { id: assessmentId, taskId },
    headers: { 'if-match': `"${version}"` },
    body,
    principal,
  });
};

const summaryOf = async (assessmentId: string, agencyId: string) =>
  (await tableRuntime().agencies.getSummary(assessmentId, agencyId))!;

/** What every summary of the assessment holds for a task, and its open count. */
const statesOf = async (assessmentId: string, taskId: string) => {
  const { summaries } = await tableRuntime().agencies.listAgencyItems(assessmentId);
  return Object.fromEntries(
    summaries.map((s) => [
      s.agency.id,
      {
        state: s.tasks[taskId] ? [s.tasks[taskId].status, s.tasks[taskId].progress] : null,
        open: s.openTasks,
      },
    ]),
  );
};

beforeAll(async () => {
  const table = await freshTable('task-state');
  process.env.TABLE_NAME = table.tableName;
  process.env.DDB_ENDPOINT = table.endpoint;
  await seedAssessment(table, { id: A, agencyIds: ['agency-a', 'agency-b', 'agency-c'], items: ['o1'] });
});

describe('an agency moves only its own state of a shared task', () => {
  it("leaves the other agencies' states and the task's overall state unchanged", async () => {
    // Prepare
    await createTask(A, taskRequestBody('shared', 'all'));

    // Act
    const closed = await patchTask(A, 'shared', { progress: 100 }, agencyToken(A, 'agency-a'));

    // Assess
    expect(closed.status).toBe(200);
    expect(closed.body.agency).toMatchObject({
      agencyId: 'agency-a',
      status: 'done',
      progress: 100,
      openTasks: 0,
    });
    expect(await statesOf(A, 'shared')).toEqual({
      'agency-a': { state: ['done', 100], open: 0 },
      'agency-b': { state: ['planned', 0], open: 1 },
      'agency-c': { state: ['planned', 0], open: 1 },
    });
    expect(await tableRuntime().assessments.getTask(A, 'shared')).toMatchObject({
      status: 'planned',
      progress: 0,
      version: 1,
    });
  });

  it("shows an agency token its own state only, and the admin every agency's", async () => {
    // Act
    const asAgency = await send(tasks, {
      routeKey: 'GET /assessments/{id}/tasks',
      params: { id: A },
      principal: agencyToken(A, 'agency-b'),
    });
    const asAdmin = await send(tasks, { routeKey: 'GET /assessments/{id}/tasks', params: { id: A } });

    // Assess
    const sharedFor = (body: { tasks: { id: string; agencies: { agencyId: string; status: string }[] }[] }) =>
      body.tasks.find((t) => t.id === 'shared')?.agencies.map((a) => [a.agencyId, a.status]);
    expect(sharedFor(asAgency.body)).toEqual([['agency-b', 'planned']]);
    expect(sharedFor(asAdmin.body)).toEqual([
      ['agency-a', 'done'],
      ['agency-b', 'planned'],
      ['agency-c', 'planned'],
    ]);
  });
});

describe('the open-task count', () => {
  it('stays exact through create, close, reopen and cancel, and an admin can address one agency', async () => {
    // Prepare
    const before = (await summaryOf(A, 'agency-b')).openTasks;
    const b = agencyToken(A, 'agency-b');

    // Act
    await createTask(A, taskRequestBody('count-all', 'all'));
    await createTask(A, taskRequestBody('count-b', ['agency-b']));
    const created = (await summaryOf(A, 'agency-b')).openTasks;
    await patchTask(A, 'count-b', { status: 'done' }, b);
    const closed = (await summaryOf(A, 'agency-b')).openTasks;
    await patchTask(A, 'count-b', { status: 'in_progress', progress: 40 }, b);
    const reopened = (await summaryOf(A, 'agency-b')).openTasks;
    const byAdmin = await patchTask(A, 'count-all', { agencyId: 'agency-b', status: 'cancelled' }, admin);
    const cancelled = (await summaryOf(A, 'agency-b')).openTasks;
    const progressOnly = await patchTask(A, 'count-b', { progress: 60 }, b);
    const afterProgress = (await summaryOf(A, 'agency-b')).openTasks;

    // Assess
    expect([created, closed, reopened, cancelled, afterProgress]).toEqual([
      before + 2,
      before + 1,
      before + 2,
      before + 1,
      before + 1,
    ]);
    expect(byAdmin.status).toBe(200);
    expect(progressOnly.status).toBe(200);
    const summary = await summaryOf(A, 'agency-b');
    const open = Object.values(summary.tasks).filter(
      (t) => t.status === 'planned' || t.status === 'in_progress',
    );
    expect(summary.openTasks).toBe(open.length);
    expect((await statesOf(A, 'count-all'))['agency-a']).toEqual({ state: ['planned', 0], open: 1 });
  });

  it('refuses a stale If-Match, another agency, and an agency not responsible (a 404, as for no task)', async () => {
    // Prepare
    await createTask(A, taskRequestBody('only-c', ['agency-c']));
    const c = agencyToken(A, 'agency-c');
    const version = (await summaryOf(A, 'agency-c')).version;

    // Act
    const first = await patchTask(A, 'only-c', { progress: 10 }, c, version);
    const stale = await patchTask(A, 'only-c', { progress: 20 }, c, version);
    const foreign = await patchTask(A, 'only-c', { progress: 20, agencyId: 'agency-a' }, c);
    const notResponsible = await patchTask(A, 'only-c', { progress: 20 }, agencyToken(A, 'agency-a'));
    const adminNotResponsible = await patchTask(A, 'only-c', { progress: 20, agencyId: 'agency-a' }, admin);

    // Assess
    expect([first.status, stale.status, foreign.status, notResponsible.status]).toEqual([200, 409, 404, 404]);
    expect(adminNotResponsible.status).toBe(422);
    expect((await summaryOf(A, 'agency-c')).tasks['only-c']).toMatchObject({ progress: 10 });
  });
});

describe('an agency cannot escape its tasks, nor learn about the others (issue 11 items 1 and 9)', () => {
  it('refuses an agency cancelling its own state with 403 and changes nothing', async () => {
    // Prepare
    await createTask(A, taskRequestBody('no-escape', ['agency-a']));
    const before = await summaryOf(A, 'agency-a');

    // Act
    const cancelled = await patchTask(A, 'no-escape', { status: 'cancelled' }, agencyToken(A, 'agency-a'));
    const byAdmin = await patchTask(A, 'no-escape', { agencyId: 'agency-a', status: 'cancelled' }, admin);
    const revived = await patchTask(A, 'no-escape', { status: 'in_progress' }, agencyToken(A, 'agency-a'));

    // Assess
    expect(cancelled.status).toBe(403);
    expect(cancelled.body.error.code).toBe('forbidden');
    expect(byAdmin.status).toBe(200);
    expect(revived.status).toBe(403);
    const after = await summaryOf(A, 'agency-a');
    expect(after.tasks['no-escape']?.status).toBe('cancelled');
    expect(after.version).toBe(before.version + 1);
    expect(after.openTasks).toBe(before.openTasks - 1);
  });

  it("answers another agency's task and a draft with the same 404 body as a task that does not exist", async () => {
    // Prepare
    await createTask(A, taskRequestBody('b-only', ['agency-b']));
    await createTask(A, taskRequestBody('a-draft', ['agency-a'], { status: 'draft' }));
    const a = agencyToken(A, 'agency-a');
    const patchAs = (taskId: string) =>
      send(tasks, {
        routeKey: 'PATCH /assessments/{id}/tasks/{taskId}',
        params: { id: A, taskId },
        headers: { 'if-match': '"1"' },
        body: { progress: 10 },
        principal: a,
      });
    const withoutId = (body: unknown, taskId: string) => JSON.stringify(body).replaceAll(taskId, '{taskId}');

    // Act
    const missing = await patchAs('no-such-task');
    const others = await patchAs('b-only');
    const draft = await patchAs('a-draft');

    // Assess
    expect([missing.status, others.status, draft.status]).toEqual([404, 404, 404]);
    expect(withoutId(others.body, 'b-only')).toBe(withoutId(missing.body, 'no-such-task'));
    expect(withoutId(draft.body, 'a-draft')).toBe(withoutId(missing.body, 'no-such-task'));
    expect(JSON.stringify(others.body)).not.toContain('agency-b');
  });

  it('shows an agency token no responsibleAgencies, and the admin all of them', async () => {
    // Prepare
    await createTask(A, taskRequestBody('named-two', ['agency-a', 'agency-b']));

    // Act
    const asAgency = await send(tasks, {
      routeKey: 'GET /assessments/{id}/tasks',
      params: { id: A },
      principal: agencyToken(A, 'agency-a'),
    });
    const patched = await patchTask(A, 'named-two', { progress: 20 }, agencyToken(A, 'agency-a'));
    const asAdmin = await send(tasks, { routeKey: 'GET /assessments/{id}/tasks', params: { id: A } });

    // Assess
    const agencyTasks = asAgency.body.tasks as Record<string, unknown>[];
    expect(agencyTasks.map((t) => t.id)).toContain('named-two');
    expect(agencyTasks.filter((t) => 'responsibleAgencies' in t)).toEqual([]);
    expect(patched.status).toBe(200);
    expect(patched.body.task).not.toHaveProperty('responsibleAgencies');
    expect(JSON.stringify(asAgency.body)).not.toContain('agency-b');
    const adminTask = (asAdmin.body.tasks as { id: string; responsibleAgencies?: unknown }[]).find(
      (t) => t.id === 'named-two',
    );
    expect(adminTask?.responsibleAgencies).toEqual(['agency-a', 'agency-b']);
  });
});

describe('parallel updates', () => {
  it('20 agencies patching one shared task at once leave every state and count exact', async () => {
    // Prepare
    const P = 'parallel-2567';
    const ids = Array.from({ length: 20 }, (_, i) => `par-${String(i).padStart(2, '0')}`);
    await seedAssessment(tableRuntime(), { id: P, agencyIds: ids, items: [] });
    await createTask(P, taskRequestBody('together', 'all'));

    // Act
    const answers = await Promise.all(
      ids.map((id, i) =>
        patchTask(P, 'together', i % 2 === 0 ? { progress: 100 } : { progress: 5 * i }, agencyToken(P, id)),
      ),
    );

    // Assess
    expect(answers.map((a) => a.status)).toEqual(ids.map(() => 200));
    const states = await statesOf(P, 'together');
    expect(states).toEqual(
      Object.fromEntries(
        ids.map((id, i) => [
          id,
          i % 2 === 0 ? { state: ['done', 100], open: 0 } : { state: ['in_progress', 5 * i], open: 1 },
        ]),
      ),
    );
    const { summaries } = await tableRuntime().agencies.listAgencyItems(P);
    expect(summaries.map((s) => s.version)).toEqual(ids.map(() => 3));
    expect(await tableRuntime().assessments.getTask(P, 'together')).toMatchObject({
      status: 'planned',
      version: 1,
    });
  });
});

describe('who gets a state', () => {
  it("a task for 'all' reaches every agency, past one transaction's worth", async () => {
    // Prepare
    const W = 'wide-2567';
    const ids = Array.from({ length: 130 }, (_, i) => `wide-${String(i).padStart(3, '0')}`);
    await seedAssessment(tableRuntime(), { id: W, agencyIds: ids, items: [] });

    // Act
    const created = await createTask(W, taskRequestBody('everyone', 'all'));
    const again = await createTask(W, taskRequestBody('everyone', 'all'));

    // Assess
    expect([created.status, again.status]).toEqual([201, 409]);
    const states = await statesOf(W, 'everyone');
    expect(Object.keys(states)).toHaveLength(130);
    expect(Object.values(states).every((s) => s.state?.[0] === 'planned' && s.open === 1)).toBe(true);
  });

  it("a new agency gets the published tasks for 'all' in its first write, not drafts or others' tasks", async () => {
    // Prepare
    await createTask(A, taskRequestBody('draft-all', 'all', { status: 'draft' }));
    const published = (await tableRuntime().assessments.listTasks(A))
      .filter((t) => t.responsibleAgencies === 'all' && t.status !== 'draft')
      .map((t) => t.id)
      .sort();

    // Act
    const created = await send(agencies, {
      routeKey: 'POST /assessments/{id}/agencies',
      params: { id: A },
      body: makeAgency('agency-new'),
    });

    // Assess
    expect(created.status).toBe(201);
    const summary = await summaryOf(A, 'agency-new');
    expect(Object.keys(summary.tasks).sort()).toEqual(published);
    expect(summary.openTasks).toBe(published.length);
    expect(summary.version).toBe(1);
  });

  it('a draft gives nobody a state until the admin publishes it, then its agencies get one', async () => {
    // Prepare
    await createTask(A, taskRequestBody('proposal', 'all', { status: 'draft' }));
    const openBefore = (await summaryOf(A, 'agency-a')).openTasks;

    // Act
    const byAgency = await patchTask(A, 'proposal', { progress: 10 }, agencyToken(A, 'agency-a'));
    const listed = await send(tasks, {
      routeKey: 'GET /assessments/{id}/tasks',
      params: { id: A },
      principal: agencyToken(A, 'agency-a'),
    });
    const published = await patchTask(
      A,
      'proposal',
      { status: 'planned', responsibleAgencies: ['agency-a', 'agency-c'] },
      admin,
    );
    const backToDraft = await patchTask(A, 'proposal', { status: 'draft' }, admin);
    const reassigned = await patchTask(
      A,
      'proposal',
      { status: 'planned', responsibleAgencies: 'all' },
      admin,
    );

    // Assess: a draft is invisible to an agency, the same 404 as a task that does not exist.
    expect(byAgency.status).toBe(404);
    expect(listed.body.tasks.map((t: { id: string }) => t.id)).not.toContain('proposal');
    expect(published.status).toBe(200);
    expect(published.body.task).toMatchObject({
      status: 'planned',
      responsibleAgencies: ['agency-a', 'agency-c'],
    });
    expect(backToDraft.status).toBe(422);
    expect(reassigned.status).toBe(422);
    const states = await statesOf(A, 'proposal');
    expect(states['agency-a']).toEqual({ state: ['planned', 0], open: openBefore + 1 });
    expect(states['agency-b']?.state).toBeNull();
    expect(states['agency-c']?.state).toEqual(['planned', 0]);
  });

  it('the province progress shows each agency its exact open count, in JSON and CSV', async () => {
    // Act
    const asJson = await send(progress, { routeKey: 'GET /assessments/{id}/progress', params: { id: A } });
    const asCsv = await send(progress, { routeKey: 'GET /assessments/{id}/progress.csv', params: { id: A } });

    // Assess
    const { summaries } = await tableRuntime().agencies.listAgencyItems(A);
    expect(
      asJson.body.agencies.map((r: { agencyId: string; openTasks: number }) => [r.agencyId, r.openTasks]),
    ).toEqual(summaries.map((s) => [s.agency.id, s.openTasks]));
    const header = (asCsv.body as string).split('\r\n')[0]!;
    expect(header).toContain('งานพัฒนาที่ยังไม่เสร็จ');
  });

  it("rollover starts every agency's state again, planned at 0 %", async () => {
    // Act
    const rolled = await send(rolloverAssessment, {
      routeKey: 'POST /assessments/{id}/rollover',
      params: { id: A },
      body: { id: 'tasks-2568', fiscalYear: 2568 },
    });

    // Assess
    expect(rolled.status).toBe(201);
    const next = await summaryOf('tasks-2568', 'agency-a');
    const old = await summaryOf(A, 'agency-a');
    expect(Object.keys(next.tasks).sort()).toEqual(Object.keys(old.tasks).sort());
    expect(Object.values(next.tasks).every((t) => t.status === 'planned' && t.progress === 0)).toBe(true);
    expect(next.openTasks).toBe(Object.keys(next.tasks).length);
    expect((await tableRuntime().assessments.getTask('tasks-2568', 'draft-all'))?.status).toBe('draft');
  });
});

describe('the seeded province', () => {
  it('lets pt-provincial-office update t03-e15, and pt-land close t05-e14 for itself only', async () => {
    // Prepare
    // The seeded assessment beside the others in this file's table: the handlers use that one.
    const table = tableRuntime();
    await seedPhatthalung(table);
    const S = SEEDED_ASSESSMENT_ID;
    const patch = async (taskId: string, agencyId: string, body: Record<string, unknown>) => {
      const version = (await table.agencies.getSummary(S, agencyId))!.version;
      return send(tasks, {
        routeKey: 'PATCH /assessments/{id}/tasks/{taskId}',
        params: { id: S, taskId },
        headers: { 'if-match': `"${version}"` },
        body,
        principal: agencyToken(S, agencyId),
      });
    };

    // Act
    const own = await patch('t03-e15', 'pt-provincial-office', { progress: 30 });
    const notOwn = await patch('t03-e15', 'pt-land', { progress: 30 });
    const landClosed = await patch('t05-e14', 'pt-land', { status: 'done' });

    // Assess
    expect(own.status).toBe(200);
    expect(notOwn.status).toBe(404);
    expect(landClosed.status).toBe(200);
    const overview = await table.assessments.getOverview(S);
    expect(overview?.tasks.find((t) => t.id === 't03-e15')?.responsibleAgencies).toEqual([
      'pt-provincial-office',
    ]);
    const byId = new Map(overview?.agencies.map((a) => [a.agency.id, a]));
    expect(byId.get('pt-provincial-office')?.tasks['t03-e15']).toMatchObject({
      status: 'in_progress',
      progress: 30,
    });
    expect(byId.get('pt-land')?.tasks['t05-e14']?.status).toBe('done');
    expect(byId.get('pt-treasury')?.tasks['t05-e14']?.status).toBe('planned');
    expect(overview?.tasks.find((t) => t.id === 't05-e14')).toMatchObject({ status: 'planned', progress: 0 });
    // Seven 'all' tasks for everyone; t03-e15 for the provincial office too.
    expect(byId.get('pt-provincial-office')?.openTasks).toBe(8);
    expect(byId.get('pt-treasury')?.openTasks).toBe(7);
    expect(byId.get('pt-land')?.openTasks).toBe(6);
  });
});
