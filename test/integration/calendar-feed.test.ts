import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEEDED_ASSESSMENT_ID, sampleAgencies } from '#local/seed';
import { type LocalApi, startLocalApi } from '#test/local-api';
import { freshPhatthalungTable, type freshTable, partitionItems } from '#test/table';
import { issueOperatorSecrets } from '#test/tokens';

/**
 * An agency's own calendar link (POST …/agencies/{agencyId}/calendar-feed) through the real local
 * server, authorizer and handlers on DynamoDB Local: the link it answers opens that agency's
 * calendar and no other, a new link stops the earlier one, and only the agency or the secretariat
 * may make one.
 */

const A = SEEDED_ASSESSMENT_ID;
const own = sampleAgencies()[0]!;
const other = sampleAgencies()[1]!;

let table: Awaited<ReturnType<typeof freshTable>>;
let api: LocalApi | undefined;
let baseUrl = '';
let secrets: Record<'agencyOwn' | 'agencyOther' | 'admin' | 'viewer' | 'approver', string>;

const mint = (agencyId: string, secret: string) =>
  fetch(`${baseUrl}/assessments/${A}/agencies/${agencyId}/calendar-feed`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}` },
  });

type Link = { url: string; createdAt: string; revoked: number };

const auditOf = async (action: string) =>
  (await partitionItems(table, `AUDIT#${A}`)).filter((item) => item.action === action);

beforeAll(async () => {
  table = await freshPhatthalungTable('calendar-feed');
  secrets = await issueOperatorSecrets(table, A, 'calendar test', {
    agencyOwn: ['agency', own.id],
    agencyOther: ['agency', other.id],
    admin: ['admin'],
    viewer: ['viewer'],
    approver: ['approver'],
  });

  api = await startLocalApi();
  baseUrl = api.baseUrl;
  // The links start with the deployment's public base URL; here that is this server.
  process.env.PUBLIC_BASE_URL = baseUrl;
});

afterAll(async () => {
  await api?.close();
});

describe('POST /assessments/{id}/agencies/{agencyId}/calendar-feed', () => {
  it("answers a link that opens the agency's own calendar, not another agency's, audited without the secret", async () => {
    // Act
    const response = await mint(own.id, secrets.agencyOwn);
    const link = (await response.json()) as Link;

    // Assess
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(link.url).toMatch(
      new RegExp(
        `^${baseUrl}/assessments/${A}/agencies/${own.id}/calendar\\.ics\\?token=ita_[A-Za-z0-9_-]{43}$`,
      ),
    );
    expect(Number.isNaN(Date.parse(link.createdAt))).toBe(false);
    const calendar = await fetch(link.url);
    expect(calendar.status).toBe(200);
    expect(calendar.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(await calendar.text()).toContain('BEGIN:VCALENDAR');
    const token = new URL(link.url).searchParams.get('token')!;
    const elsewhere = await fetch(
      `${baseUrl}/assessments/${A}/agencies/${other.id}/calendar.ics?token=${token}`,
    );
    expect(elsewhere.status).toBe(404);
    const entries = await auditOf('calendar-feed.create');
    expect(entries.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(entries)).not.toContain(token);
    expect(entries.at(-1)?.changes).toMatchObject({
      role: 'feed',
      label: `calendar:${own.id}`,
      agencyId: own.id,
    });
  });

  it('revokes the earlier link when a new one is made: the first URL answers 401, the new one 200', async () => {
    // Prepare
    const first = (await (await mint(own.id, secrets.agencyOwn)).json()) as Link;
    expect((await fetch(first.url)).status).toBe(200);

    // Act
    const response = await mint(own.id, secrets.admin);
    const second = (await response.json()) as Link;

    // Assess
    expect(response.status).toBe(201);
    expect(second.revoked).toBe(1);
    expect(second.url).not.toBe(first.url);
    expect((await fetch(first.url)).status).toBe(401);
    expect((await fetch(second.url)).status).toBe(200);
  });

  it("answers 404 for another agency's id and 403 for the viewer and the approver, making no link", async () => {
    // Prepare
    const before = (await auditOf('calendar-feed.create')).length;

    // Act
    const statuses = {
      otherAgency: (await mint(other.id, secrets.agencyOwn)).status,
      unknownAgency: (await mint('no-such-agency', secrets.admin)).status,
      viewer: (await mint(own.id, secrets.viewer)).status,
      approver: (await mint(own.id, secrets.approver)).status,
    };

    // Assess
    expect(statuses).toEqual({ otherAgency: 404, unknownAgency: 404, viewer: 403, approver: 403 });
    expect((await auditOf('calendar-feed.create')).length).toBe(before);
  });
});
