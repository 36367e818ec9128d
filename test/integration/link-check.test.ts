import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLineRepository } from '#adapters/dynamo/line-repository';
import { createLinkRepository } from '#adapters/dynamo/link-repository';
import { auditEntry } from '#domain/audit';
import { hashLinkCode } from '#domain/line';
import type { Principal } from '#domain/principal';
import { type LineStub, startLineStub } from '#local/line-stub';
import type { LocalNotifications } from '#local/local-notifications';
import { readInbox, type StoredMail } from '#local/ses-local';
import { invokeWith, type LocalStandIns } from '#runtime/stand-ins';
import { tableRuntime } from '#runtime/table';
import { httpEvent } from '#test/events';
import { seedAssessment } from '#test/fixtures';
import { announcePlan, putNotificationSettings, startNotificationsOnFreshTable } from '#test/notifications';
import { until } from '#test/poll';
import type { freshTable } from '#test/table';

const ID = 'links-e2e-2567';
const AGENCY = 'a1';
const items = ['o1', 'o2', 'o3', 'o14'];
const admin: Principal = { tokenId: 'test-admin', role: 'admin', assessmentId: ID };
const agency: Principal = { tokenId: 'test-a1', role: 'agency', assessmentId: ID, agencyId: AGENCY };

let local: LocalNotifications;
let table: Awaited<ReturnType<typeof freshTable>>;
let stub: LineStub;
let site: Server;
let origin = '';
const standIns: LocalStandIns = {};
/** What the agency's test pages answer: path → on (200 page) or off (404). */
const pages = new Map<string, boolean>();

const links = () => createLinkRepository(table);
const linkOf = async (url: string) => (await links().listLinks(ID, AGENCY)).find((l) => l.url === url);

const call = async (fn: string, event: Parameters<typeof httpEvent>[0]) => {
  const { handler } = (await import(`../../functions/${fn}.ts`)) as {
    handler: (e: unknown, c: never) => Promise<{ statusCode: number; body?: string }>;
  };
  const answer = await invokeWith(standIns, () => handler(httpEvent(event), {} as never));
  return { status: answer.statusCode, body: JSON.parse(answer.body ?? '{}') as Record<string, unknown> };
};

const submit = (itemId: string, urls: string[]) =>
  call('put-oit-evidence', {
    method: 'PUT',
    routeKey: 'PUT /assessments/{id}/agencies/{agencyId}/oit/{itemId}',
    path: `/assessments/${ID}/agencies/${AGENCY}/oit/${itemId}`,
    pathParameters: { id: ID, agencyId: AGENCY, itemId },
    body: { urls },
    principal: agency,
  });

const checkNow = (body?: unknown, principal: Principal | null = admin) =>
  call('link-check-request', {
    method: 'POST',
    routeKey: 'POST /assessments/{id}/links/check',
    path: `/assessments/${ID}/links/check`,
    pathParameters: { id: ID },
    ...(body === undefined ? {} : { body: body as object }),
    principal,
  });

/** The asynchronous half: the outbox relayed, the queue worked off, the notices relayed and sent. */
const settle = async () => {
  await local.outbox.drain();
  await local.links.drain();
  await local.outbox.drain();
};

const at = (iso: string) => local.clock.set(new Date(iso));

/** The dead-link messages about o14 (o2, switched off earlier, dies too and has its own). */
const deadMails = (mails: StoredMail[]) => mails.filter((m) => m.subject.includes('ลิงก์หลักฐาน OIT ข้อ o14 '));
const deadPushes = () =>
  stub.pushes().filter((p) => p.to === 'C-a1' && p.messages[0]?.text?.includes('ข้อ o14 '));

beforeAll(async () => {
  site = createServer((req, res) => {
    if (pages.get(req.url ?? '') ?? false)
      res.writeHead(200, { 'content-type': 'text/html' }).end('<title>แผนการจัดซื้อจัดจ้าง</title>');
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.7', resolve));
  origin = `http://127.0.0.7:${(site.address() as AddressInfo).port}`;
  process.env.PUBLIC_BASE_URL = 'http://127.0.0.1:9/';
  ({ local, table } = await startNotificationsOnFreshTable('linkcheck', {
    standIns,
    clockStart: '2024-04-01T08:00:00+07:00',
    busRetries: 1,
  }));
  stub = await startLineStub({ port: 0, accessToken: 'token', now: local.clock.now });
  standIns.line = { channelSecret: 'secret', channelAccessToken: 'token', baseURL: stub.url };
  await seedAssessment(tableRuntime(), { id: ID, agencyIds: [AGENCY, 'a2'], items });
  await putNotificationSettings(table, ID, { secretariatEmails: ['sec@example.org'], linkCheckEveryDays: 3 });
  // The agency's LINE group, linked as a code typed in the group would link it.
  const line = createLineRepository(table);
  const setup = () =>
    auditEntry(
      admin,
      { assessmentId: ID, action: 'test.setup', target: 'line', changes: {} },
      local.clock.now().toISOString(),
    );
  await line.createCode(
    hashLinkCode('ABCD2345'),
    { assessmentId: ID, owner: AGENCY, expiresAtIso: '2030-01-01T00:00:00Z' },
    setup(),
  );
  await line.redeemCode(
    hashLinkCode('ABCD2345'),
    {
      assessmentId: ID,
      owner: AGENCY,
      groupId: 'C-a1',
      now: local.clock.now(),
      previousGroupId: null,
      previousOwner: null,
    },
    [setup()],
  );
  await announcePlan(local, ID);
  await settle();
}, 60_000);

afterAll(async () => {
  await local?.stop();
  await stub?.stop();
  await new Promise((resolve) => site?.close(resolve));
});

describe('the link watch end to end: triggers, the queue, the agency told once', () => {
  it('checks an evidence URL after it is submitted, without the submission waiting for it', async () => {
    // Prepare
    const url = `${origin}/ita/o1`;
    pages.set('/ita/o1', true);

    // Act
    const answer = await submit('o1', [url]);
    const before = await linkOf(url);
    await settle();
    const after = await linkOf(url);

    // Assess
    expect(answer.status).toBe(200);
    expect(before?.state ?? 'unchecked').toBe('unchecked');
    expect(after).toMatchObject({ state: 'alive', status: 200 });
  });

  it('answers the on-demand route 401, 403, 400, 404 and 202 with the links queued, then checks them', async () => {
    // Prepare
    const url = `${origin}/ita/o2`;
    pages.set('/ita/o2', true);
    await submit('o2', [url]);
    pages.set('/ita/o2', false);
    const sentBefore = local.links.sent.length;

    // Act
    const noToken = await checkNow({}, null);
    const asAgency = await checkNow({}, agency);
    const badBody = await checkNow({ agencyId: 'NOT A SLUG', extra: 1 });
    const unknownAgency = await checkNow({ agencyId: 'nobody' });
    const accepted = await checkNow({ agencyId: AGENCY });
    const all = await checkNow();
    await settle();

    // Assess
    expect([noToken.status, asAgency.status, badBody.status, unknownAgency.status]).toEqual([
      401, 403, 400, 404,
    ]);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ watched: 2, queued: 2, messages: 1 });
    expect(all).toMatchObject({ status: 202, body: { watched: 2, queued: 2 } });
    expect(local.links.sent.length).toBeGreaterThanOrEqual(sentBefore + 2);
    expect(await linkOf(url)).toMatchObject({ state: 'failing', status: 404, error: 'http_status' });
  });

  it('never answers 500 to any body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (body) => {
        const answer = await checkNow(body);
        expect([202, 400, 404]).toContain(answer.status);
      }),
      { numRuns: 40 },
    );
    // The 202s queued checks: worked off now, on this test's clock, not on the next test's.
    await settle();
  });

  it('runs the schedule only inside the watch window and honours linkCheckEveryDays', async () => {
    // Prepare
    const { milestone } = await import('../../functions/milestone.ts');
    const fire = async (iso: string) => {
      at(iso);
      const result = await invokeWith(standIns, () => milestone({ assessmentId: ID, trigger: 'link-check' }));
      await settle();
      return result;
    };
    const o1 = `${origin}/ita/o1`;
    const checkedAt = async () => (await linkOf(o1))?.checkedAt;

    // Act: o1 was checked on 1 April (alive); the interval is 3 days.
    const beforeDay2 = await checkedAt();
    const outside = await fire('2023-12-15T07:30:00+07:00');
    const day2 = await fire('2024-04-02T07:30:00+07:00');
    const afterDay2 = await checkedAt();
    await fire('2024-04-04T07:30:00+07:00');
    const afterDay4 = await checkedAt();

    // Assess
    expect(local.scheduler.schedules.get(`${ID}-link-check`)).toMatchObject({
      expression: 'cron(30 7 * * ? *)',
      startDate: '2023-12-31T17:00:00.000Z',
    });
    expect(outside.ignored).toContain('not on 2023-12-15');
    expect(day2.ignored).toBeUndefined();
    expect(beforeDay2).toBe('2024-04-01T01:00:00.000Z');
    expect(afterDay2).toBe(beforeDay2);
    // o2, failing, is taken every day whatever the interval.
    expect((await linkOf(`${origin}/ita/o2`))?.checkedAt).toBe('2024-04-04T00:30:00.000Z');
    expect(afterDay4).toBe('2024-04-04T00:30:00.000Z');
  });

  it('marks a link dead on two failures 24 h apart, tells the agency once by email and LINE, not again on a redelivered message, and again when it dies a second time', async () => {
    // Prepare: o14's page is off from the start.
    const url = `${origin}/ita/o14`;
    pages.set('/ita/o14', false);
    at('2024-04-05T09:00:00+07:00');
    await submit('o14', [url]);
    await settle();
    const failingOn = await linkOf(url);

    // Act: the next day's check, 25 hours later.
    at('2024-04-06T10:00:00+07:00');
    await checkNow({ agencyId: AGENCY });
    await settle();
    const dead = await linkOf(url);
    const firstMails = deadMails(
      await until(
        () => readInbox(local.ses.url),
        (m) => deadMails(m).length >= 1,
      ),
    );
    const firstPushes = await until(
      async () => deadPushes(),
      (p) => p.length >= 1,
    );
    // A redelivery of the message that found it dead: checked again, no second transition or message.
    const lastMessage = local.links.sent.at(-1)!;
    await local.links.queue.send([lastMessage]);
    await settle();
    const afterRedelivery = deadMails(await readInbox(local.ses.url));
    // Back alive, then off again: a new transition two days later.
    pages.set('/ita/o14', true);
    at('2024-04-07T10:00:00+07:00');
    await checkNow({ agencyId: AGENCY });
    await settle();
    const revived = await linkOf(url);
    pages.set('/ita/o14', false);
    at('2024-04-08T10:00:00+07:00');
    await checkNow({ agencyId: AGENCY });
    await settle();
    at('2024-04-09T11:00:00+07:00');
    await checkNow({ agencyId: AGENCY });
    await settle();
    const secondMails = deadMails(
      await until(
        () => readInbox(local.ses.url),
        (m) => deadMails(m).length >= 2,
      ),
    );

    // Assess
    expect(failingOn).toMatchObject({ state: 'failing', consecutiveFailures: 1 });
    expect(dead).toMatchObject({ state: 'dead', status: 404, deadSince: '2024-04-06T03:00:00.000Z' });
    expect(firstMails).toHaveLength(1);
    expect(firstMails[0]!.destination.to).toEqual(['coordinator@a1.example.org']);
    expect(firstMails[0]!.body.text).toContain(url);
    expect(firstMails[0]!.body.text).toContain('ไม่พบหน้า (404)');
    expect(firstMails[0]!.body.text).toContain('ส่งลิงก์ใหม่ของข้อ o14');
    expect(firstMails[0]!.body.text).toContain('http://127.0.0.1:9/#/links-e2e-2567/agency/a1');
    expect(firstPushes).toHaveLength(1);
    expect(firstPushes[0]!.messages[0]!.text).toContain(url);
    expect(afterRedelivery).toHaveLength(1);
    expect(deadPushes()).toHaveLength(2);
    expect(revived?.state).toBe('alive');
    expect(secondMails).toHaveLength(2);
    expect(local.links.deadLetters).toEqual([]);
  }, 60_000);
});
