import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLinkRepository, linkKey } from '#adapters/dynamo/link-repository';
import type { Principal } from '#domain/principal';
import type { HttpEvent, HttpResult } from '#http/types';
import { httpEvent } from '#test/events';
import { seedAssessment } from '#test/fixtures';
import { freshTable } from '#test/table';
import { handler as audit } from '../../functions/audit.ts';
import { handler as agencyProgress } from '../../functions/get-agency-progress.ts';
import { handler as getAssessment } from '../../functions/get-assessment.ts';
import { handler as oit } from '../../functions/oit.ts';
import { handler as progress } from '../../functions/progress.ts';
import { handler as putEvidence } from '../../functions/put-oit-evidence.ts';

/**
 * Unassigning an OIT item (issue 15): counters exact with and without evidence, confirmation
 * required for evidence, the audit entry keeps it, the agency's and the province's progress agree,
 * the assessment's version moves, only the secretariat may. Through the real handler on DynamoDB Local.
 */

type Handler = (event: HttpEvent, context: never) => Promise<HttpResult>;

const A = 'unassign-2567';
const agencyA: Principal = { tokenId: 'tok-a', role: 'agency', assessmentId: A, agencyId: 'agency-a' };
const approver: Principal = { tokenId: 'tok-approver', role: 'approver', assessmentId: A };
const viewer: Principal = { tokenId: 'tok-viewer', role: 'viewer', assessmentId: A };
let table: Awaited<ReturnType<typeof freshTable>>;

const send = async (
  fn: Handler,
  routeKey: string,
  params: Record<string, string>,
  options: {
    body?: object;
    query?: Record<string, string>;
    principal?: Principal;
    headers?: Record<string, string>;
  } = {},
) => {
  const result = await fn(
    httpEvent({
      method: routeKey.split(' ')[0]!,
      routeKey,
      pathParameters: params,
      ...(options.query ? { queryStringParameters: options.query } : {}),
      ...(options.body ? { body: options.body } : {}),
      headers: options.headers ?? {},
      ...(options.principal ? { principal: options.principal } : {}),
    }),
    {} as never,
  );
  return {
    status: result.statusCode,
    headers: result.headers ?? {},
    body: JSON.parse(result.body || 'null'),
  };
};

const UNASSIGN = 'DELETE /assessments/{id}/agencies/{agencyId}/oit-assignments/{itemId}';
const unassign = (agencyId: string, itemId: string, options: Parameters<typeof send>[3] = {}) =>
  send(oit, UNASSIGN, { id: A, agencyId, itemId }, options);

const submit = (itemId: string, urls: string[]) =>
  send(
    putEvidence,
    'PUT /assessments/{id}/agencies/{agencyId}/oit/{itemId}',
    { id: A, agencyId: 'agency-a', itemId },
    { body: { urls, note: `หลักฐาน ${itemId}` }, principal: agencyA },
  );

const counts = async (agencyId: string) => (await table.agencies.getSummary(A, agencyId))!;

/** Both views of the agency's OIT counts: its own progress and its row of the province's. */
const bothProgress = async (agencyId: string) => {
  const own = await send(agencyProgress, 'GET /assessments/{id}/agencies/{agencyId}/progress', {
    id: A,
    agencyId,
  });
  const province = await send(progress, 'GET /assessments/{id}/progress', { id: A });
  const row = (
    province.body.agencies as { agencyId: string; oit: { assigned: number; done: number } }[]
  ).find((r) => r.agencyId === agencyId);
  return { own: own.body, row };
};

const assessmentEtag = async () =>
  (await send(getAssessment, 'GET /assessments/{id}', { id: A })).headers.etag as string;

beforeAll(async () => {
  table = await freshTable('unassign');
  process.env.TABLE_NAME = table.tableName;
  process.env.DDB_ENDPOINT = table.endpoint;
  await seedAssessment(table, {
    id: A,
    agencyIds: ['agency-a', 'agency-b'],
    items: ['o1', 'o2', 'o3', 'o4', 'o5'],
  });
});

describe('unassigning an OIT item', () => {
  it('removes an item with no evidence at once: assigned -1, the version moves, audited, the two progress views agree', async () => {
    // Prepare
    const etagBefore = await assessmentEtag();

    // Act
    const removed = await unassign('agency-a', 'o5');

    // Assess
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({
      agencyId: 'agency-a',
      itemId: 'o5',
      removed: { status: 'missing', urls: [] },
      oit: { assigned: 4, submitted: 0, approved: 0, rejected: 0 },
    });
    expect(await table.agencies.getEvidence(A, 'agency-a', 'o5')).toBeNull();
    expect((await counts('agency-a')).oit.assigned).toBe(4);
    expect(Number((await assessmentEtag()).replaceAll('"', ''))).toBe(
      Number(etagBefore.replaceAll('"', '')) + 1,
    );
    const { own, row } = await bothProgress('agency-a');
    expect(own.oit.assigned).toBe(4);
    expect(row?.oit.assigned).toBe(4);
    expect(own.items.map((i: { itemId: string }) => i.itemId)).not.toContain('o5');
  });

  it('refuses an item holding evidence without confirm=true (409 evidence_exists, what it holds), and changes nothing', async () => {
    // Prepare
    expect(
      (await submit('o1', ['https://agency-a.example.org/ita/o1', 'https://agency-a.example.org/ita/o1b']))
        .status,
    ).toBe(200);
    const before = await counts('agency-a');

    // Act
    const refused = await unassign('agency-a', 'o1');
    const refusedFalse = await unassign('agency-a', 'o1', { query: { confirm: 'false' } });

    // Assess
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('evidence_exists');
    expect(refused.body.error.details).toEqual([
      { path: 'evidence.status', message: 'submitted' },
      { path: 'evidence.urls', message: '2' },
      { path: 'evidence.version', message: '1' },
    ]);
    expect(refusedFalse.status).toBe(409);
    expect(await counts('agency-a')).toEqual(before);
    expect((await table.agencies.getEvidence(A, 'agency-a', 'o1'))?.status).toBe('submitted');
  });

  it('with confirm=true removes submitted evidence and its watched links, moving assigned, submitted and the dead count exactly', async () => {
    // Prepare: o1 is submitted (above) with two watched links, one of them dead.
    const links = createLinkRepository({ client: table.client, tableName: table.tableName });
    const watched = await links.syncItemLinks(A, 'agency-a', 'o1', [
      'https://agency-a.example.org/ita/o1',
      'https://agency-a.example.org/ita/o1b',
    ]);
    const dying = watched.find((l) => l.url.endsWith('o1b'))!;
    expect(
      await links.recordCheck(
        dying,
        { ...dying, state: 'dead', consecutiveFailures: 3, deadSince: '2024-03-01T02:30:00.000Z' },
        1,
      ),
    ).toBe(true);
    const before = await counts('agency-a');
    expect(before.deadLinks).toBe(1);

    // Act
    const removed = await unassign('agency-a', 'o1', { query: { confirm: 'true' } });

    // Assess
    expect(removed.status).toBe(200);
    expect(removed.body.removed).toMatchObject({
      status: 'submitted',
      urls: ['https://agency-a.example.org/ita/o1', 'https://agency-a.example.org/ita/o1b'],
      note: 'หลักฐาน o1',
      version: 1,
    });
    const after = await counts('agency-a');
    expect(after.oit).toEqual({
      assigned: before.oit.assigned - 1,
      submitted: before.oit.submitted - 1,
      approved: before.oit.approved,
      rejected: before.oit.rejected,
    });
    expect(after.deadLinks).toBe(0);
    expect(await links.listLinks(A, 'agency-a')).toEqual([]);
    const stored = await table.client.send(
      new GetCommand({
        TableName: table.tableName,
        Key: linkKey(A, 'agency-a', 'o1', dying.url),
      }),
    );
    expect(stored.Item).toBeUndefined();
    const { own, row } = await bothProgress('agency-a');
    expect(own.oit).toMatchObject(after.oit);
    expect(row?.oit.assigned).toBe(after.oit.assigned);
    expect(own.deadLinks).toBe(0);
  });

  it('keeps the removed evidence in the audit entry oit.unassign (URLs, note, status, version, links)', async () => {
    // Act
    const trail = await send(
      audit,
      'GET /assessments/{id}/audit',
      { id: A },
      { query: { agencyId: 'agency-a', limit: '200' } },
    );

    // Assess
    const entries = (
      trail.body.entries as { action: string; target: string; changes: Record<string, unknown> }[]
    ).filter((e) => e.action === 'oit.unassign');
    expect(entries.map((e) => e.target)).toEqual(['oit/o5', 'oit/o1']);
    expect(entries[1]!.changes).toMatchObject({
      itemId: 'o1',
      confirmed: true,
      evidence: {
        status: 'submitted',
        urls: ['https://agency-a.example.org/ita/o1', 'https://agency-a.example.org/ita/o1b'],
        note: 'หลักฐาน o1',
        version: 1,
        submittedBy: 'tok-a',
      },
      links: expect.arrayContaining([{ url: 'https://agency-a.example.org/ita/o1b', state: 'dead' }]),
    });
  });

  it('moves approved and rejected counters when such items are removed, and the item can be assigned again afresh', async () => {
    // Prepare: o2 approved, o3 rejected.
    for (const itemId of ['o2', 'o3'])
      expect((await submit(itemId, [`https://agency-a.example.org/ita/${itemId}`])).status).toBe(200);
    const review = (itemId: string, body: object) =>
      send(
        oit,
        'POST /assessments/{id}/agencies/{agencyId}/oit/{itemId}/review',
        { id: A, agencyId: 'agency-a', itemId },
        { body, principal: approver, headers: { 'if-match': '"1"' } },
      );
    expect((await review('o2', { decision: 'approve' })).status).toBe(200);
    expect((await review('o3', { decision: 'reject', reason: 'ลิงก์ไม่ตรงข้อ' })).status).toBe(200);
    const before = await counts('agency-a');

    // Act
    const approved = await unassign('agency-a', 'o2', { query: { confirm: 'true' } });
    const rejected = await unassign('agency-a', 'o3', { query: { confirm: 'true' } });
    const again = await send(
      oit,
      'PUT /assessments/{id}/agencies/{agencyId}/oit-assignments',
      { id: A, agencyId: 'agency-a' },
      { body: { items: ['o2'] } },
    );

    // Assess
    expect([approved.status, rejected.status]).toEqual([200, 200]);
    expect(approved.body.removed).toMatchObject({ status: 'approved', version: 2 });
    expect(rejected.body.removed).toMatchObject({ status: 'rejected', rejectionReason: 'ลิงก์ไม่ตรงข้อ' });
    expect(rejected.body.oit).toEqual({
      assigned: before.oit.assigned - 2,
      submitted: before.oit.submitted,
      approved: before.oit.approved - 1,
      rejected: before.oit.rejected - 1,
    });
    expect(again.body).toMatchObject({ added: ['o2'], assigned: before.oit.assigned - 1 });
    expect((await table.agencies.getEvidence(A, 'agency-a', 'o2'))?.status).toBe('missing');
    const { own, row } = await bothProgress('agency-a');
    expect(own.oit.assigned).toBe(row?.oit.assigned);
    expect(own.oit.done).toBe(row?.oit.done);
  });

  it('answers 404 for an item not assigned (or already removed), another agency untouched', async () => {
    // Prepare
    const other = await counts('agency-b');

    // Act
    const again = await unassign('agency-a', 'o5');
    const unknownAgency = await unassign('agency-z', 'o1');

    // Assess
    expect(again.status).toBe(404);
    expect(again.body.error.message).toContain('not assigned');
    expect(unknownAgency.status).toBe(404);
    expect(await counts('agency-b')).toEqual(other);
  });

  it('is for the secretariat only: 403 for the approver, a viewer and the agency itself, nothing removed', async () => {
    // Act
    const statuses = await Promise.all(
      [approver, viewer, agencyA].map(
        async (principal) =>
          (await unassign('agency-a', 'o4', { principal, query: { confirm: 'true' } })).status,
      ),
    );

    // Assess
    expect(statuses).toEqual([403, 403, 403]);
    expect(await table.agencies.getEvidence(A, 'agency-a', 'o4')).not.toBeNull();
  });
});

describe('an unassign racing the agency', () => {
  it('ends with counters equal to the items whichever write wins, on four items', async () => {
    // Prepare
    const agencyB: Principal = { tokenId: 'tok-b', role: 'agency', assessmentId: A, agencyId: 'agency-b' };
    const items = ['o2', 'o3', 'o4', 'o5'];
    const outcomes: number[][] = [];

    // Act: for each item, the agency submits while the secretariat takes it back (confirmed).
    for (const itemId of items)
      outcomes.push(
        (
          await Promise.all([
            send(
              putEvidence,
              'PUT /assessments/{id}/agencies/{agencyId}/oit/{itemId}',
              { id: A, agencyId: 'agency-b', itemId },
              { body: { urls: [`https://agency-b.example.org/ita/${itemId}`] }, principal: agencyB },
            ),
            unassign('agency-b', itemId, { query: { confirm: 'true' } }),
          ])
        ).map((r) => r.status),
      );

    // Assess: the unassign always wins in the end (it reads again after a submission); the
    // submission either came first (200) or found nothing assigned (404); the counters are exact.
    for (const [submitted, removed] of outcomes) {
      expect([200, 404]).toContain(submitted);
      expect(removed).toBe(200);
    }
    const detail = (await table.agencies.getDetail(A, 'agency-b'))!;
    const count = (status: string) => detail.evidence.filter((e) => e.status === status).length;
    expect(detail.evidence.map((e) => e.itemId)).toEqual(['o1']);
    expect(detail.summary.oit).toEqual({
      assigned: detail.evidence.length,
      submitted: count('submitted'),
      approved: count('approved'),
      rejected: count('rejected'),
    });
  });
});

describe('the assignment matrix', () => {
  it('answers the catalog, every agency with its counters and every assigned item, agreeing with the summaries', async () => {
    // Act
    const matrix = await send(oit, 'GET /assessments/{id}/oit-assignments', { id: A });
    const asAgency = await send(
      oit,
      'GET /assessments/{id}/oit-assignments',
      { id: A },
      { principal: agencyA },
    );

    // Assess
    expect(matrix.status).toBe(200);
    expect(asAgency.status).toBe(403);
    const body = matrix.body as {
      catalog: { id: string }[];
      agencies: { id: string; oit: { assigned: number } }[];
      cells: { agencyId: string; itemId: string; status: string; hasEvidence: boolean }[];
      version: number;
    };
    expect(body.catalog.length).toBeGreaterThan(20);
    for (const agency of body.agencies)
      expect(body.cells.filter((c) => c.agencyId === agency.id)).toHaveLength(agency.oit.assigned);
    expect(body.cells.filter((c) => c.agencyId === 'agency-a').map((c) => c.itemId)).toEqual(['o2', 'o4']);
    expect(body.cells.find((c) => c.agencyId === 'agency-b' && c.itemId === 'o1')).toMatchObject({
      status: 'missing',
      hasEvidence: false,
    });
    expect(`"${body.version}"`).toBe(await assessmentEtag());
  });
});
