import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLinkRepository } from '#adapters/dynamo/link-repository';
import type { LinkListAnswer } from '#domain/link-list';
import { SEEDED_ASSESSMENT_ID, sampleAgencies } from '#local/seed';
import { type LocalApi, startLocalApi } from '#test/local-api';
import { freshPhatthalungTable, type freshTable } from '#test/table';
import { issueOperatorSecrets } from '#test/tokens';

/**
 * GET /assessments/{id}/links?state=dead (the dashboard's dead links by agency) through the real
 * local server, authorizer and handler on DynamoDB Local: who may read it, what it lists, and that
 * it reads by key (Query), never a Scan.
 */

const A = SEEDED_ASSESSMENT_ID;
const [first, second] = sampleAgencies() as [
  ReturnType<typeof sampleAgencies>[number],
  ReturnType<typeof sampleAgencies>[number],
];

let table: Awaited<ReturnType<typeof freshTable>>;
let api: LocalApi | undefined;
let baseUrl = '';
let secrets: Record<'agency' | 'admin' | 'viewer' | 'approver', string>;

const get = (query: string, secret?: string) =>
  fetch(`${baseUrl}/assessments/${A}/links${query}`, {
    headers: secret ? { authorization: `Bearer ${secret}` } : {},
  });

beforeAll(async () => {
  table = await freshPhatthalungTable('link-list');
  secrets = await issueOperatorSecrets(table, A, 'link list', {
    agency: ['agency', first.id],
    admin: ['admin'],
    viewer: ['viewer'],
    approver: ['approver'],
  });

  // Two dead links of one agency, one of another, and an alive one: stored as the checks store them.
  const links = createLinkRepository(table);
  const dead = async (agencyId: string, itemId: string, url: string, deadSince: string) => {
    const [link] = (await links.syncItemLinks(A, agencyId, itemId, [url])).filter((l) => l.url === url);
    await links.recordCheck(
      link!,
      {
        url,
        state: 'dead',
        status: 404,
        error: 'http_status',
        finalUrl: url,
        checkedAt: deadSince,
        consecutiveFailures: 2,
        failingSince: '2024-04-01T01:30:00.000Z',
        deadSince,
      },
      1,
    );
  };
  await dead(first.id, first.oitItems[1]!, 'http://127.0.0.1:9/ita/b', '2024-04-03T01:30:00.000Z');
  await dead(first.id, first.oitItems[0]!, 'http://127.0.0.1:9/ita/a', '2024-04-02T01:30:00.000Z');
  await dead(second.id, second.oitItems[0]!, 'http://127.0.0.1:9/ita/c', '2024-04-02T01:30:00.000Z');
  await links.syncItemLinks(A, second.id, second.oitItems[1]!, ['http://127.0.0.1:9/ita/unchecked']);

  api = await startLocalApi();
  baseUrl = api.baseUrl;
});

afterAll(async () => {
  await api?.close();
});

describe('GET /assessments/{id}/links', () => {
  it('answers 401 without a token and 403 to an agency', async () => {
    // Act
    const [anonymous, agency] = await Promise.all([get('?state=dead'), get('?state=dead', secrets.agency)]);

    // Assess
    expect(anonymous.status).toBe(401);
    expect(agency.status).toBe(403);
  });

  it('lists the dead links by agency to the secretariat, the approver and the viewer, with one Query each for the names and the links and no Scan', async () => {
    // Prepare
    const sent = vi.spyOn(DynamoDBDocumentClient.prototype, 'send');

    // Act
    const answers = await Promise.all(
      [secrets.admin, secrets.approver, secrets.viewer].map((secret) => get('?state=dead', secret)),
    );
    const commands = sent.mock.calls.map(([command]) => command.constructor.name);
    sent.mockRestore();
    const bodies = (await Promise.all(answers.map((a) => a.json()))) as LinkListAnswer[];

    // Assess
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(commands).not.toContain('ScanCommand');
    expect(commands.filter((c) => c === 'QueryCommand').length).toBeGreaterThanOrEqual(6);
    const body = bodies[0]!;
    expect(bodies[1]).toEqual(body);
    expect(body.state).toBe('dead');
    expect(body.total).toBe(3);
    const firstRow = body.agencies.find((a) => a.agencyId === first.id)!;
    expect(firstRow.agencyName).toBe(first.nameTh);
    expect(firstRow.links.map((l) => [l.itemId, l.url, l.stateTh, l.deadSince])).toEqual([
      [first.oitItems[0], 'http://127.0.0.1:9/ita/a', 'ลิงก์เสีย', '2024-04-02T01:30:00.000Z'],
      [first.oitItems[1], 'http://127.0.0.1:9/ita/b', 'ลิงก์เสีย', '2024-04-03T01:30:00.000Z'],
    ]);
    expect(firstRow.links[0]!.itemNameTh.length).toBeGreaterThan(0);
    expect(body.agencies.find((a) => a.agencyId === second.id)!.links.map((l) => l.url)).toEqual([
      'http://127.0.0.1:9/ita/c',
    ]);
  });

  it('lists every state without ?state, one agency with ?agencyId, and refuses an unknown state with a 400', async () => {
    // Act
    const [all, one, bad] = await Promise.all([
      get('', secrets.admin),
      get(`?agencyId=${second.id}`, secrets.admin),
      get('?state=gone', secrets.admin),
    ]);
    const allBody = (await all.json()) as LinkListAnswer;
    const oneBody = (await one.json()) as LinkListAnswer;

    // Assess
    expect(allBody.total).toBe(4);
    expect(oneBody.agencies.map((a) => a.agencyId)).toEqual([second.id]);
    expect(oneBody.agencies[0]!.links.map((l) => l.state).sort()).toEqual(['dead', 'unchecked']);
    expect(bad.status).toBe(400);
  });
});
