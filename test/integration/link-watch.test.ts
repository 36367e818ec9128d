import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLinkRepository,
  type EvidenceLink,
  type LinkRepository,
} from '#adapters/dynamo/link-repository';
import { createLinkChecker, type LinkChecker, linkCheckUserAgent } from '#adapters/link-checker';
import type { LinkHealth } from '#domain/link-watch';
import { audit, seedAssessment } from '#test/fixtures';
import { freshTable } from '#test/table';
import { checkLinks, syncLinksFromEvidence } from '#use-cases/link-watch';
import { listOitByStatus } from '#use-cases/oit';

const AID = 'links-2567';
const HOUR = 60 * 60 * 1000;

let server: Server;
let origin = '';
let pageOn = true;
let checker: LinkChecker;
let links: LinkRepository;
let table: Awaited<ReturnType<typeof freshTable>>;

beforeAll(async () => {
  server = createServer((_req, res) => {
    if (pageOn) res.writeHead(200, { 'content-type': 'text/html' }).end('<title>แผนการจัดซื้อจัดจ้าง</title>');
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.4', resolve));
  origin = `http://127.0.0.4:${(server.address() as AddressInfo).port}`;
  checker = createLinkChecker({
    scope: 'loopback',
    userAgent: linkCheckUserAgent(AID),
    backoffMs: 10,
    hostSpacingMs: 0,
  });
  table = await freshTable('links');
  await seedAssessment(table, { id: AID, agencyIds: ['pt-land', 'pt-land2'], items: ['o1', 'o2'] });
  links = createLinkRepository({ client: table.client, tableName: table.tableName });
});

afterAll(async () => {
  await checker.close();
  await new Promise((resolve) => server.close(resolve));
});

const deadLinks = async (agencyId: string) =>
  (await table.agencies.getDetail(AID, agencyId))?.summary.deadLinks ?? 0;

describe('link watch on DynamoDB Local and a local page', () => {
  it('marks a page switched off dead on the check 24 hours after its first failure, tells the agency once, counts it exactly, and revives it', async () => {
    // Prepare
    const url = `${origin}/ita/o1`;
    await links.syncItemLinks(AID, 'pt-land', 'o1', [url]);
    const told: Array<{ link: EvidenceLink; health: LinkHealth }> = [];
    let now = new Date('2024-04-01T01:30:00Z');
    const deps = {
      links,
      checker,
      now: () => now,
      deadNotice: async (link: EvidenceLink, health: LinkHealth) => {
        told.push({ link, health });
        return null;
      },
    };
    const run = async (hoursLater: number) => {
      now = new Date(Date.parse('2024-04-01T01:30:00Z') + hoursLater * HOUR);
      return checkLinks(deps, { assessmentId: AID, agencyId: 'pt-land' });
    };

    // Act
    const first = await run(0);
    pageOn = false;
    const second = await run(1);
    const third = await run(13);
    const fourth = await run(25);
    const stale = (await links.listLinks(AID, 'pt-land'))[0]!;
    const fifth = await run(49);
    // A redelivered batch still holding the link as it was before the fifth check.
    const replay = await checkLinks(deps, { assessmentId: AID, links: [stale] });
    const deadAfter = await deadLinks('pt-land');
    pageOn = true;
    const revived = await run(50);

    // Assess
    expect(first.states.alive).toBe(1);
    expect(second.states.failing).toBe(1);
    expect(third.states.failing).toBe(1);
    expect(fourth.states.dead).toBe(1);
    expect(fourth.turnedDead).toEqual([{ agencyId: 'pt-land', itemId: 'o1', url }]);
    expect(fifth.states.dead).toBe(1);
    expect(fifth.turnedDead).toEqual([]);
    expect(replay.skipped).toBe(1);
    expect(told).toHaveLength(1);
    expect(told[0]!.health).toMatchObject({
      state: 'dead',
      status: 404,
      error: 'http_status',
      failingSince: '2024-04-01T02:30:00.000Z',
      deadSince: '2024-04-02T02:30:00.000Z',
      consecutiveFailures: 3,
    });
    expect(deadAfter).toBe(1);
    expect(revived.states.alive).toBe(1);
    expect(await deadLinks('pt-land')).toBe(0);
    expect(await deadLinks('pt-land2')).toBe(0);
  });

  it('stops watching a replaced URL, taking it out of the dead count', async () => {
    // Prepare
    const old = `${origin}/old/o2`;
    await links.syncItemLinks(AID, 'pt-land2', 'o2', [old]);
    pageOn = false;
    let now = new Date('2024-04-10T01:30:00Z');
    const deps = { links, checker, now: () => now, deadNotice: async () => null };
    await checkLinks(deps, { assessmentId: AID, agencyId: 'pt-land2' });
    now = new Date('2024-04-11T01:30:00Z');
    await checkLinks(deps, { assessmentId: AID, agencyId: 'pt-land2' });
    const deadBefore = await deadLinks('pt-land2');

    // Act
    const watched = await links.syncItemLinks(AID, 'pt-land2', 'o2', [`${origin}/new/o2`]);

    // Assess
    expect(deadBefore).toBe(1);
    expect(watched.map((l) => [l.url, l.state])).toEqual([[`${origin}/new/o2`, 'unchecked']]);
    expect(await deadLinks('pt-land2')).toBe(0);
    pageOn = true;
  });

  it('blocks the seed example.org URLs locally and never counts them dead', async () => {
    // Prepare
    await links.syncItemLinks(AID, 'pt-land2', 'o1', ['https://pt-land.example.org/ita/o1']);
    const deps = {
      links,
      checker,
      now: () => new Date('2024-04-12T01:30:00Z'),
      deadNotice: async () => null,
    };

    // Act
    const run = await checkLinks(deps, {
      assessmentId: AID,
      links: (await links.listLinks(AID, 'pt-land2')).filter((l) => l.itemId === 'o1'),
    });

    // Assess
    expect(run.states.blocked).toBe(1);
    expect((await links.listLinks(AID, 'pt-land2')).find((l) => l.itemId === 'o1')).toMatchObject({
      state: 'blocked',
      error: 'outside_loopback',
      detail: 'local: outside loopback (pt-land.example.org)',
    });
  });

  it('watches the URLs of submitted evidence, picked up from the evidence itself', async () => {
    // Prepare
    const url = `${origin}/submitted/o2`;
    await table.agencies.submitEvidence(
      {
        assessmentId: AID,
        agencyId: 'pt-land',
        itemId: 'o2',
        urls: [url],
        note: '',
        submittedBy: 'test',
        now: '2024-04-12T01:00:00.000Z',
      },
      { status: 'missing' },
      audit(AID, 'pt-land'),
    );

    // Act
    const first = await syncLinksFromEvidence(
      { agencies: table.agencies, links },
      { assessmentId: AID, agencyId: 'pt-land' },
    );
    const again = await syncLinksFromEvidence(
      { agencies: table.agencies, links },
      { assessmentId: AID, agencyId: 'pt-land' },
    );

    // Assess
    expect(first.filter((l) => l.itemId === 'o2').map((l) => [l.url, l.state])).toEqual([[url, 'unchecked']]);
    expect(again.map((l) => l.url)).toEqual(first.map((l) => l.url));
    expect((await links.listLinks(AID, 'pt-land')).map((l) => l.itemId).sort()).toEqual(['o2']);
  });

  it('the approver sees a submitted URL that died in the review queue, and the agency is told once', async () => {
    // Prepare
    const url = `${origin}/queue/o1`;
    await table.agencies.submitEvidence(
      {
        assessmentId: AID,
        agencyId: 'pt-land2',
        itemId: 'o1',
        urls: [url],
        note: '',
        submittedBy: 'test',
        now: '2024-04-20T01:00:00.000Z',
      },
      { status: 'missing' },
      audit(AID, 'pt-land2'),
    );
    const told: string[] = [];
    let now = new Date('2024-04-20T01:30:00Z');
    const deps = {
      links,
      checker,
      now: () => now,
      deadNotice: async (link: EvidenceLink) => {
        told.push(link.url);
        return null;
      },
    };
    const watch = async () => {
      const synced = await syncLinksFromEvidence(
        { agencies: table.agencies, links },
        { assessmentId: AID, agencyId: 'pt-land2' },
      );
      return checkLinks(deps, { assessmentId: AID, links: synced });
    };
    pageOn = false;

    // Act
    await watch();
    now = new Date('2024-04-21T01:30:00Z');
    await watch();
    now = new Date('2024-04-22T01:30:00Z');
    await watch();
    const queue = await listOitByStatus(
      { assessments: table.assessments, agencies: table.agencies, links, now: () => now },
      { assessmentId: AID, status: 'submitted' },
    );
    pageOn = true;

    // Assess
    expect(told).toEqual([url]);
    const item = queue.items.find((i) => i.agencyId === 'pt-land2' && i.itemId === 'o1');
    expect(item?.links).toMatchObject([{ url, state: 'dead', stateTh: 'ลิงก์เสีย', status: 404 }]);
    expect(await deadLinks('pt-land2')).toBe(1);
  });
});
