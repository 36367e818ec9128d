import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '#domain/principal';
import type { HttpResult } from '#http/types';
import { httpEvent } from '#test/events';
import { seedAssessment, taskRequestBody } from '#test/fixtures';
import { freshTable } from '#test/table';
import { handler as tasks } from '../../functions/tasks.ts';

/**
 * A draft task is reworded and moved by the secretariat before it is published (the console's
 * task editor): `guideline`, `method` and `window` in the PATCH, only while it is a draft.
 */

const A = 'drafts-2567';
const admin: Principal = { tokenId: 'tok-admin', role: 'admin', assessmentId: A };
const agencyA: Principal = { tokenId: 'tok-a', role: 'agency', assessmentId: A, agencyId: 'agency-a' };

const call = async (
  method: 'GET' | 'POST' | 'PATCH',
  options: { taskId?: string; body?: unknown; ifMatch?: number; principal?: Principal } = {},
) => {
  const routeKey =
    method === 'PATCH' ? 'PATCH /assessments/{id}/tasks/{taskId}' : `${method} /assessments/{id}/tasks`;
  const result = (await tasks(
    httpEvent({
      method,
      routeKey,
      pathParameters: { id: A, ...(options.taskId ? { taskId: options.taskId } : {}) },
      ...(options.body !== undefined ? { body: options.body as object } : {}),
      headers: options.ifMatch !== undefined ? { 'if-match': `"${options.ifMatch}"` } : {},
      principal: options.principal ?? admin,
    }),
    {} as never,
  )) as HttpResult;
  return { status: result.statusCode, body: JSON.parse(result.body) };
};

type TaskBody = {
  id: string;
  guideline: string;
  method: string;
  window: { start: string; end: string };
  periodText: string;
  status: string;
  version: number;
  agencies: { agencyId: string }[];
};

const listed = async (taskId: string): Promise<TaskBody> => {
  const list = await call('GET');
  return list.body.tasks.find((t: TaskBody) => t.id === taskId);
};

beforeAll(async () => {
  const table = await freshTable('drafts');
  process.env.TABLE_NAME = table.tableName;
  process.env.DDB_ENDPOINT = table.endpoint;
  await seedAssessment(table, { id: A, agencyIds: ['agency-a', 'agency-b'], items: ['o1'] });
  const created = await call('POST', { body: taskRequestBody('d1', 'all', { status: 'draft' }) });
  expect(created.status).toBe(201);
});

describe('rewording a draft task', () => {
  it('rewords and moves a draft; the period text follows the window in BE; nobody gets a state', async () => {
    // Act
    const patched = await call('PATCH', {
      taskId: 'd1',
      ifMatch: 1,
      body: {
        guideline: 'จัดทำคู่มือการให้บริการ',
        method: '- ประชุมชี้แจง',
        window: { start: '2024-02-01', end: '2024-06-30' },
      },
    });

    // Assess
    expect(patched.status).toBe(200);
    const task = await listed('d1');
    expect(task).toMatchObject({
      guideline: 'จัดทำคู่มือการให้บริการ',
      method: '- ประชุมชี้แจง',
      window: { start: '2024-02-01', end: '2024-06-30' },
      periodText: '1 ก.พ. – 30 มิ.ย. 2567',
      status: 'draft',
      version: 2,
      agencies: [],
    });
  });

  it('publishes to chosen agencies with a last rewording in the same PATCH', async () => {
    // Act
    const published = await call('PATCH', {
      taskId: 'd1',
      ifMatch: 2,
      body: { status: 'planned', responsibleAgencies: ['agency-a'], guideline: 'จัดทำคู่มือ ฉบับปรับปรุง' },
    });

    // Assess
    expect(published.status).toBe(200);
    const task = await listed('d1');
    expect(task.guideline).toBe('จัดทำคู่มือ ฉบับปรับปรุง');
    expect(task.status).toBe('planned');
    expect(task.agencies.map((a) => a.agencyId)).toEqual(['agency-a']);
  });

  it('refuses to reword a published task (422), an agency rewording (403) and a window ending before it starts (400)', async () => {
    // Act
    const afterPublish = await call('PATCH', { taskId: 'd1', ifMatch: 3, body: { method: 'อื่น' } });
    const byAgency = await call('PATCH', {
      taskId: 'd1',
      ifMatch: 1,
      body: { guideline: 'ของเรา' },
      principal: agencyA,
    });
    const throughAgency = await call('PATCH', {
      taskId: 'd1',
      ifMatch: 1,
      body: { agencyId: 'agency-a', window: { start: '2024-02-01', end: '2024-03-01' } },
    });
    const backwards = await call('PATCH', {
      taskId: 'd1',
      ifMatch: 3,
      body: { window: { start: '2024-05-01', end: '2024-04-01' } },
    });
    const empty = await call('PATCH', { taskId: 'd1', ifMatch: 3, body: { guideline: '   ' } });

    // Assess
    expect(afterPublish.status).toBe(422);
    expect(afterPublish.body.error.details[0].path).toBe('method');
    expect(byAgency.status).toBe(403);
    expect(throughAgency.status).toBe(422);
    expect(throughAgency.body.error.details[0].path).toBe('window');
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.details[0].path).toBe('window.end');
    expect(empty.status).toBe(400);
    expect((await listed('d1')).version).toBe(3);
  });

  it('answers 409 for a stale If-Match on a draft edit', async () => {
    // Prepare
    await call('POST', { body: taskRequestBody('d2', 'all', { status: 'draft' }) });
    await call('PATCH', { taskId: 'd2', ifMatch: 1, body: { method: 'ครั้งแรก' } });

    // Act
    const stale = await call('PATCH', { taskId: 'd2', ifMatch: 1, body: { method: 'ครั้งที่สอง' } });

    // Assess
    expect(stale.status).toBe(409);
    expect((await listed('d2')).method).toBe('ครั้งแรก');
  });
});
