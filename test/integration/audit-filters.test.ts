import { beforeAll, describe, expect, it } from 'vitest';
import { auditPut, transactWrite } from '#adapters/dynamo/transact';
import { type AuditEntry, auditEntry } from '#domain/audit';
import type { HttpResult } from '#http/types';
import { httpEvent } from '#test/events';
import { seedAssessment } from '#test/fixtures';
import { freshTable } from '#test/table';
import { handler as audit } from '../../functions/audit.ts';

const A = 'audit-2567';
const admin = { tokenId: 'tok-admin', role: 'admin' as const, assessmentId: A };

/** 30 entries, one a day from 1 Mar 2024 08:00 UTC: three actions in turn, agencies a and b in turn. */
const ACTIONS = ['oit.submit', 'oit.review', 'task.update'] as const;
const written: AuditEntry[] = Array.from({ length: 30 }, (_, i) =>
  auditEntry(
    admin,
    {
      assessmentId: A,
      agencyId: i % 2 === 0 ? 'agency-a' : 'agency-b',
      action: ACTIONS[i % 3]!,
      target: `entry/${i}`,
      changes: { i },
    },
    new Date(Date.UTC(2024, 2, 1 + i, 8)).toISOString(),
  ),
);
// A family that shares the letters but not the dot: `oit.` must not match it.
const lookalike = auditEntry(
  admin,
  { assessmentId: A, action: 'oitx.note', target: 'entry/x', changes: {} },
  '2024-03-10T09:00:00.000Z',
);

type Page = { entries: AuditEntry[]; nextToken?: string };

const get = async (query: Record<string, string>) => {
  const result = (await audit(
    httpEvent({
      routeKey: 'GET /assessments/{id}/audit',
      pathParameters: { id: A },
      queryStringParameters: query,
      principal: admin,
    }),
    {} as never,
  )) as HttpResult;
  return {
    status: result.statusCode,
    body: JSON.parse(result.body) as Page & { error?: { details: { path: string; message: string }[] } },
  };
};

/** Every page of a query, following nextToken until it is absent. */
const allPages = async (query: Record<string, string>) => {
  const pages: Page[] = [];
  let nextToken: string | undefined;
  do {
    const page = await get({ ...query, ...(nextToken ? { nextToken } : {}) });
    expect(page.status).toBe(200);
    pages.push(page.body);
    nextToken = page.body.nextToken;
  } while (nextToken && pages.length < 50);
  return pages;
};

const targets = (entries: readonly AuditEntry[]) => entries.map((e) => e.target);
const writtenWhere = (keep: (e: AuditEntry) => boolean) => targets(written.filter(keep));

beforeAll(async () => {
  const table = await freshTable('audit');
  process.env.TABLE_NAME = table.tableName;
  process.env.DDB_ENDPOINT = table.endpoint;
  await seedAssessment(table, { id: A, agencyIds: ['agency-a', 'agency-b'], items: ['o1'] });
  for (const entry of [...written, lookalike])
    await transactWrite(table.client, { TransactItems: [auditPut(table.tableName, entry)] });
});

describe('GET /assessments/{id}/audit filters', () => {
  it('filters by one action, oldest first', async () => {
    // Act
    const page = await get({ action: 'oit.review', limit: '200' });

    // Assess
    expect(page.status).toBe(200);
    expect(targets(page.body.entries)).toEqual(writtenWhere((e) => e.action === 'oit.review'));
    expect(page.body.nextToken).toBeUndefined();
  });

  it('filters by a prefix ending in a dot, and not a family that only shares the letters', async () => {
    // Act
    const page = await get({ action: 'oit.', limit: '200' });

    // Assess
    expect(targets(page.body.entries)).toEqual(writtenWhere((e) => e.action.startsWith('oit.')));
    expect(targets(page.body.entries)).not.toContain('entry/x');
  });

  it('takes since and until as an inclusive range, with an offset read as the same instant', async () => {
    // Act: 5 Mar 08:00 UTC is 15:00 in Bangkok; 9 Mar 08:00 UTC exactly is the last entry in.
    const page = await get({ since: '2024-03-05T15:00:00+07:00', until: '2024-03-09T08:00:00.000Z' });

    // Assess
    expect(targets(page.body.entries)).toEqual(['entry/4', 'entry/5', 'entry/6', 'entry/7', 'entry/8']);
  });

  it('combines agency, action and range', async () => {
    // Act
    const page = await get({
      agencyId: 'agency-a',
      action: 'oit.',
      since: '2024-03-03T00:00:00Z',
      until: '2024-03-20T23:59:59.999Z',
    });

    // Assess
    const expected = writtenWhere(
      (e) =>
        e.agencyId === 'agency-a' &&
        e.action.startsWith('oit.') &&
        e.at >= '2024-03-03T00:00:00.000Z' &&
        e.at <= '2024-03-20T23:59:59.999Z',
    );
    expect(expected.length).toBeGreaterThan(2);
    expect(targets(page.body.entries)).toEqual(expected);
  });

  it('pages through a filter: every match once, in order, no page over the limit', async () => {
    // Act
    const pages = await allPages({ action: 'task.update', limit: '3' });
    const agencyPages = await allPages({ agencyId: 'agency-b', action: 'oit.review', limit: '1' });

    // Assess
    expect(pages.every((p) => p.entries.length <= 3)).toBe(true);
    expect(pages.length).toBeGreaterThan(2);
    expect(targets(pages.flatMap((p) => p.entries))).toEqual(writtenWhere((e) => e.action === 'task.update'));
    expect(targets(agencyPages.flatMap((p) => p.entries))).toEqual(
      writtenWhere((e) => e.agencyId === 'agency-b' && e.action === 'oit.review'),
    );
  });

  it('pages through a range: the pages join up to the range exactly', async () => {
    // Act
    const pages = await allPages({
      since: '2024-03-10T00:00:00Z',
      until: '2024-03-19T23:59:59Z',
      limit: '4',
    });

    // Assess
    expect(targets(pages.flatMap((p) => p.entries))).toEqual([
      ...writtenWhere((e) => e.at >= '2024-03-10' && e.at < '2024-03-10T09'),
      'entry/x',
      ...writtenWhere((e) => e.at > '2024-03-10T09' && e.at < '2024-03-20'),
    ]);
  });

  it('answers 400 naming the parameter for a bad action, an until before since, or a token outside the range', async () => {
    // Prepare
    const late = await get({ since: '2024-03-20T00:00:00Z', limit: '1' });

    // Act
    const answers = await Promise.all([
      get({ action: 'OIT.review' }),
      get({ action: 'oit..review' }),
      get({ action: '.oit' }),
      get({ action: `a${'b'.repeat(64)}` }),
      get({ action: 'oit.review; drop' }),
      get({ since: '2024-03-10T00:00:00Z', until: '2024-03-09T00:00:00Z' }),
      get({ until: '2024-03-31' }),
      get({ until: 'yesterday' }),
      get({ untill: '2024-03-09T00:00:00Z' }),
      get({ until: '2024-03-10T00:00:00Z', nextToken: late.body.nextToken ?? '' }),
    ]);

    // Assess
    expect(answers.map((a) => a.status)).toEqual(Array(answers.length).fill(400));
    const paths = answers.map((a) => a.body.error?.details[0]?.path);
    expect(paths.slice(0, 5)).toEqual(Array(5).fill('query.action'));
    expect(paths.slice(5, 8)).toEqual(Array(3).fill('query.until'));
    expect(paths[8]).toBe('query');
    expect(answers[8]?.body.error?.details[0]).toMatchObject({ message: expect.stringContaining('untill') });
    expect(paths[9]).toBe('nextToken');
  });
});
