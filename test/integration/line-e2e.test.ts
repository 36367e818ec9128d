import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLineRepository } from '#adapters/dynamo/line-repository';
import type { Principal } from '#domain/principal';
import { type LineStub, startLineStub } from '#local/line-stub';
import type { LocalNotifications } from '#local/local-notifications';
import { readInbox } from '#local/ses-local';
import { notificationRepository } from '#runtime/schedules';
import { invokeWith, type LocalStandIns } from '#runtime/stand-ins';
import { tableRuntime } from '#runtime/table';
import { httpEvent } from '#test/events';
import { seedAssessment } from '#test/fixtures';
import {
  announcePlan,
  inboxUntil,
  putNotificationSettings,
  setOitSubmitted,
  startNotificationsOnFreshTable,
} from '#test/notifications';
import { until } from '#test/poll';
import type { freshTable } from '#test/table';

const ID = 'line-2567';
const SECRET = 'local-channel-secret';
const TOKEN = 'local-channel-token';
const items = Array.from({ length: 20 }, (_, i) => `o${i + 1}`);
const admin: Principal = { tokenId: 'test-admin', role: 'admin', assessmentId: '*' };

let local: LocalNotifications;
/**
 * The clock, bus, scheduler and link queue (the local notifications fill them in) and the LINE
 * stub: every function called below runs against them, as the local system passes them.
 */
const standIns: LocalStandIns = {};
let stub: LineStub;
let table: Awaited<ReturnType<typeof freshTable>>;
let eventSeq = 0;

const sign = (body: string, secret = SECRET) => createHmac('sha256', secret).update(body).digest('base64');

const webhook = async (body: string, signature: string | undefined) => {
  const { handler } = await import('../../functions/line-webhook.ts');
  return invokeWith(standIns, () =>
    handler(
      httpEvent({
        method: 'POST',
        path: '/line/webhook',
        headers: signature === undefined ? {} : { 'x-line-signature': signature },
        body,
        principal: null,
      }),
      {} as never,
    ),
  );
};

const groupEvent = (groupId: string, type: string, text?: string) => ({
  type,
  webhookEventId: `evt-${++eventSeq}-${Date.now()}`,
  timestamp: Date.now(),
  mode: 'active',
  deliveryContext: { isRedelivery: false },
  source: { type: 'group', groupId, userId: 'U123' },
  ...(type === 'leave' ? {} : { replyToken: `reply-${eventSeq}` }),
  ...(text ? { message: { type: 'text', id: String(eventSeq), text } } : {}),
});

const signedWebhook = (events: unknown[]) => {
  const body = JSON.stringify({ destination: 'Uoa', events });
  return webhook(body, sign(body));
};

const requestCode = async (owner: string, principal: Principal = admin) => {
  const { handler } = await import('../../functions/line.ts');
  const answer = await invokeWith(standIns, () =>
    handler(
      httpEvent({
        method: 'POST',
        routeKey: 'POST /assessments/{id}/agencies/{agencyId}/line-link',
        path: `/assessments/${ID}/agencies/${owner}/line-link`,
        pathParameters: { id: ID, agencyId: owner },
        principal,
      }),
      {} as never,
    ),
  );
  return {
    status: answer.statusCode,
    body: JSON.parse(answer.body ?? '{}') as { code: string; expiresAt: string },
  };
};

const linkState = () => createLineRepository(table).getState(ID);

beforeAll(async () => {
  ({ local, table } = await startNotificationsOnFreshTable('line', {
    standIns,
    clockStart: '2024-02-13T08:00:00+07:00',
    busRetries: 1,
  }));
  stub = await startLineStub({ port: 0, accessToken: TOKEN, now: local.clock.now });
  standIns.line = { channelSecret: SECRET, channelAccessToken: TOKEN, baseURL: stub.url };
  await seedAssessment(tableRuntime(), { id: ID, agencyIds: ['a1', 'a2', 'a3'], items });
  await putNotificationSettings(table, ID, { secretariatEmails: ['sec@example.org'] });
  // a2 and a3 are on pace for OIT in mid-February; a1 has published nothing.
  for (const agency of ['a2', 'a3']) await setOitSubmitted(table, ID, agency, 15);
  await announcePlan(local, ID);
});

afterAll(async () => {
  await stub?.stop();
  await local?.stop();
});

describe('the webhook signature', () => {
  it('a valid signature is accepted (LINE verify: no events)', async () => {
    // Prepare
    const body = JSON.stringify({ destination: 'Uoa', events: [] });

    // Act
    const answer = await webhook(body, sign(body));

    // Assess
    expect(answer.statusCode).toBe(200);
  });

  it('a missing, invalid or other-secret signature is a 401', async () => {
    // Prepare
    const body = JSON.stringify({ destination: 'Uoa', events: [] });

    // Act
    const missing = await webhook(body, undefined);
    const garbage = await webhook(body, 'not-a-signature');
    const otherSecret = await webhook(body, sign(body, 'another-secret'));

    // Assess
    expect([missing.statusCode, garbage.statusCode, otherSecret.statusCode]).toEqual([401, 401, 401]);
  });

  it('a body altered after signing is a 401 and links nothing', async () => {
    // Prepare
    const { body: issued } = await requestCode('a3');
    const signedBody = JSON.stringify({
      destination: 'Uoa',
      events: [groupEvent('Csigned', 'message', 'สวัสดี')],
    });
    const altered = signedBody.replace('สวัสดี', issued.code);

    // Act
    const answer = await webhook(altered, sign(signedBody));

    // Assess
    expect(answer.statusCode).toBe(401);
    expect((await linkState()).links.find((l) => l.groupId === 'Csigned')).toBeUndefined();
  });
});

describe('linking a group', () => {
  it('an agency asks for a code (8 characters, 24 hours); another agency may not', async () => {
    // Act
    const own = await requestCode('a1', {
      tokenId: 't-a1',
      role: 'agency',
      assessmentId: ID,
      agencyId: 'a1',
    });
    const other = await requestCode('a2', {
      tokenId: 't-a1',
      role: 'agency',
      assessmentId: ID,
      agencyId: 'a1',
    });

    // Assess
    expect(own.status).toBe(201);
    expect(own.body.code).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
    expect(new Date(own.body.expiresAt).getTime() - local.clock.now().getTime()).toBe(24 * 3600_000);
    expect(other.status).toBe(404);
  });

  it('join without a code gets the Thai how-to; the code posted in the group links it and replies in Thai', async () => {
    // Prepare
    const { body } = await requestCode('a1');

    // Act
    const joined = await signedWebhook([groupEvent('Ca1', 'join')]);
    const linked = await signedWebhook([groupEvent('Ca1', 'message', `รหัส ${body.code}`)]);

    // Assess
    expect([joined.statusCode, linked.statusCode]).toEqual([200, 200]);
    const replies = stub.replies().map((r) => r.messages[0]?.text ?? '');
    expect(replies.some((t) => t.includes('รหัสเชื่อมกลุ่ม 8 ตัว'))).toBe(true);
    expect(replies.at(-1)).toContain('เชื่อมกลุ่มนี้กับ "หน่วยงานทดสอบ a1"');
    expect((await linkState()).links).toContainEqual(
      expect.objectContaining({ owner: 'a1', groupId: 'Ca1' }),
    );
  });

  it('a code posted twice, or in a second group, is refused clearly and links nothing', async () => {
    // Prepare
    const { body } = await requestCode('a2');
    await signedWebhook([groupEvent('Ca2', 'message', body.code)]);

    // Act
    await signedWebhook([groupEvent('Ca2', 'message', body.code)]);
    await signedWebhook([groupEvent('Cother', 'message', body.code)]);

    // Assess
    const replies = stub
      .replies()
      .slice(-2)
      .map((r) => r.messages[0]?.text);
    expect(replies).toEqual([expect.stringContaining('ใช้ได้ครั้งเดียว'), expect.stringContaining('ใช้ได้ครั้งเดียว')]);
    const links = (await linkState()).links;
    expect(links.filter((l) => l.owner === 'a2').map((l) => l.groupId)).toEqual(['Ca2']);
    expect(links.find((l) => l.groupId === 'Cother')).toBeUndefined();
  });

  it('an expired code is refused with a Thai reply', async () => {
    // Prepare: a code issued 25 hours before now
    const { requestLinkCode, lineNames } = await import('#use-cases/line');
    const repos = tableRuntime();
    const past = new Date(local.clock.now().getTime() - 25 * 3600_000);
    const { code } = await requestLinkCode(
      { line: createLineRepository(table), names: lineNames(repos), now: () => past },
      admin,
      ID,
      'a3',
    );

    // Act
    await signedWebhook([groupEvent('Cexpired', 'message', code)]);

    // Assess
    expect(stub.replies().at(-1)?.messages[0]?.text).toContain('หมดอายุ');
    expect((await linkState()).links.find((l) => l.groupId === 'Cexpired')).toBeUndefined();
  });

  it('relinking moves the agency to its new group; the old one no longer belongs to it', async () => {
    // Prepare
    const first = await requestCode('a3');
    await signedWebhook([groupEvent('Ca3-old', 'message', first.body.code)]);
    const second = await requestCode('a3');

    // Act
    await signedWebhook([groupEvent('Ca3-new', 'message', second.body.code)]);

    // Assess
    const links = (await linkState()).links;
    expect(links.filter((l) => l.owner === 'a3').map((l) => l.groupId)).toEqual(['Ca3-new']);
    expect(await createLineRepository(table).findGroup('Ca3-old')).toBeNull();
    expect(stub.replies().at(-1)?.messages[0]?.text).toContain('แทนกลุ่มเดิม');
  });

  it('a redelivered webhook event (same webhookEventId) does nothing the second time', async () => {
    // Prepare
    const { body } = await requestCode('province');
    const event = groupEvent('Cprovince', 'message', body.code);
    const repliesBefore = stub.replies().length;

    // Act
    await signedWebhook([event]);
    await signedWebhook([{ ...event, deliveryContext: { isRedelivery: true } }]);

    // Assess: one link, one reply (not a second "used" reply)
    expect(stub.replies().length - repliesBefore).toBe(1);
    expect((await linkState()).links).toContainEqual(
      expect.objectContaining({ owner: 'province', groupId: 'Cprovince' }),
    );
  });

  it('every link is audited, a relink with the group it replaced', async () => {
    // Act
    const { entries } = await tableRuntime().assessments.listAudit(ID, { limit: 200 });

    // Assess
    const actions = entries.map((e: { action: string }) => e.action);
    expect(actions).toContain('line.link-code');
    const relink = entries.find(
      (e: { action: string; changes: Record<string, unknown> }) =>
        e.action === 'line.link' && e.changes.groupId === 'Ca3-new',
    );
    expect(relink?.changes).toMatchObject({ previousGroupId: 'Ca3-old' });
  });
});

describe('delivery per channel', () => {
  it('the behind reminder arrives by email and in the group, once each, under a double fire', async () => {
    // Prepare: Wednesday 14 Feb 2567, a1 (linked to Ca1) is behind on OIT
    local.clock.set(new Date('2024-02-14T08:30:00+07:00'));
    const { milestone } = await import('../../functions/milestone.ts');
    const before = (await readInbox(local.ses.url)).length;

    // Act: the pace check fires twice
    await invokeWith(standIns, () => milestone({ assessmentId: ID, trigger: 'pace-check' }));
    await invokeWith(standIns, () => milestone({ assessmentId: ID, trigger: 'pace-check' }));
    await local.outbox.drain();

    // Assess
    const mails = await inboxUntil(local, (m) => m.length >= before + 1);
    const behind = mails.filter((m) => m.destination.to.includes('coordinator@a1.example.org'));
    expect(behind).toHaveLength(1);
    const pushes = await until(
      async () => stub.pushes().filter((p) => p.to === 'Ca1'),
      (p) => p.length >= 1,
    );
    expect(pushes).toHaveLength(1);
    expect(pushes[0]?.messages[0]?.text).toContain('ส่งหลักฐาน OIT แล้ว 0 จาก 20 ข้อ');
    expect(pushes[0]?.messages[0]?.text).toContain('31 มี.ค. 2567');
    expect(pushes[0]?.retryKey).toMatch(/^[0-9a-f-]{36}$/);
    const record = await notificationRepository().get(ID, '2024-02-14_a1_behind_line');
    expect(record).toMatchObject({ status: 'sent', channel: 'line', groupId: 'Ca1' });
  });

  it('429 is recorded failed with the reason and not retried; the email goes out regardless', async () => {
    // Prepare
    stub.failNext(429, 5);
    const { deliverNotification } = await import('#use-cases/deliver-notification');
    const { lineMessenger } = await import('#runtime/line');
    const { mailRuntime } = await import('#runtime/mail');
    const request = {
      assessmentId: ID,
      subject: 'a1',
      kind: 'line-test-429',
      localDate: '2024-02-14',
      to: ['coordinator@a1.example.org'],
      cc: [],
      email: {
        template: 'behind' as const,
        asOf: '2024-02-14',
        unitName: 'จังหวัดทดสอบ',
        agencyId: 'a1',
        agencyName: 'หน่วยงานทดสอบ a1',
        lines: [{ what: 'oit-behind' as const, done: 0, assigned: 20, expected: 10, deadline: '2024-03-31' }],
        daysBehind: 0,
        daysOverdue: 0,
        escalation: 0,
      },
    };
    const pushesBefore = stub.pushes().length;

    // Act
    const outcomes = await invokeWith(standIns, () =>
      deliverNotification(
        {
          notifications: notificationRepository(),
          line: createLineRepository(table),
          mailer: mailRuntime().mailer,
          lineMessenger,
          secretariat: async () => ({ emails: ['sec@example.org'], unitName: 'จังหวัดทดสอบ', ownerName: 'a1' }),
          email: { publicBaseUrl: 'http://127.0.0.1:9' },
          now: local.clock.now,
        },
        request,
      ),
    );

    // Assess
    stub.failNext(200, 0);
    expect(outcomes.map((o) => [o.channel, o.outcome])).toEqual([
      ['email', 'sent'],
      ['line', 'failed'],
    ]);
    const record = await notificationRepository().get(ID, '2024-02-14_a1_line-test-429_line');
    expect(record).toMatchObject({ status: 'failed', retryable: false });
    expect(record?.error).toContain('429');
    expect(stub.pushes().length).toBe(pushesBefore);
  });

  it('a failed push is listed and resent alone: the group gets it, the email is not sent again', async () => {
    // Prepare
    const { handler } = await import('../../functions/notifications.ts');
    const id = '2024-02-14_a1_line-test-429_line';
    const pushesBefore = stub.pushes().filter((p) => p.to === 'Ca1').length;
    const mailsBefore = (await readInbox(local.ses.url)).length;

    // Act
    const listed = await invokeWith(standIns, () =>
      handler(
        httpEvent({
          path: `/assessments/${ID}/notifications`,
          pathParameters: { id: ID },
          queryStringParameters: { status: 'failed' },
        }),
        {} as never,
      ),
    );
    const resent = await invokeWith(standIns, () =>
      handler(
        httpEvent({
          method: 'POST',
          routeKey: 'POST /assessments/{id}/notifications/{notificationId}/resend',
          path: `/assessments/${ID}/notifications/${id}/resend`,
          pathParameters: { id: ID, notificationId: id },
        }),
        {} as never,
      ),
    );
    await local.outbox.drain();

    // Assess
    expect(JSON.parse(listed.body ?? '{}').items.map((i: { id: string }) => i.id)).toContain(id);
    expect(resent.statusCode).toBe(202);
    const record = await until(
      () => notificationRepository().get(ID, id),
      (r) => r?.status === 'sent',
    );
    expect(record?.status).toBe('sent');
    expect(stub.pushes().filter((p) => p.to === 'Ca1')).toHaveLength(pushesBefore + 1);
    expect((await readInbox(local.ses.url)).length).toBe(mailsBefore);
  });

  it('a group the bot has left is unlinked and the secretariat told by email', async () => {
    // Prepare
    stub.leaveGroup('Ca2');
    const { notifier } = await import('../../functions/notifier.ts');
    const request = {
      assessmentId: ID,
      subject: 'a2',
      kind: 'line-test-left',
      localDate: '2024-02-14',
      to: ['coordinator@a2.example.org'],
      cc: [],
      email: {
        template: 'kickoff' as const,
        unitName: 'จังหวัดทดสอบ',
        milestone: { number: 7, title: 'เผยแพร่ข้อมูล OIT', window: { start: '2024-01-01', end: '2024-03-31' } },
        audienceName: 'หน่วยงานทดสอบ a2',
        agencyId: 'a2',
      },
    };

    // Act
    await invokeWith(standIns, () =>
      notifier({
        detail: { type: 'NotificationRequested', version: 1, at: local.clock.now().toISOString(), request },
      }),
    );

    // Assess
    expect((await linkState()).links.find((l) => l.owner === 'a2')).toBeUndefined();
    const mails = await inboxUntil(local, (m) =>
      m.some((x) => x.destination.to.includes('sec@example.org') && x.subject.includes('กลุ่ม LINE')),
    );
    const told = mails.filter((m) => m.subject.includes('กลุ่ม LINE ของ หน่วยงานทดสอบ a2'));
    expect(told).toHaveLength(1);
    expect(told[0]?.destination.to).toEqual(['sec@example.org']);
    expect(told[0]?.body.text).toContain('LINE 404');
    expect(
      mails.some((m) => m.subject.includes('กลุ่ม LINE') && m.destination.to.includes('sec@example.org')),
    ).toBe(true);
    expect(mails.some((m) => m.destination.to.includes('coordinator@a2.example.org'))).toBe(true);
  });

  it("the bot's leave event unlinks the group", async () => {
    // Act
    await signedWebhook([groupEvent('Ca3-new', 'leave')]);

    // Assess
    expect((await linkState()).links.find((l) => l.owner === 'a3')).toBeUndefined();
    const { entries } = await tableRuntime().assessments.listAudit(ID, { agencyId: 'a3', limit: 200 });
    expect(entries).toContainEqual(
      expect.objectContaining({
        action: 'line.unlink',
        changes: expect.objectContaining({ groupId: 'Ca3-new' }),
      }),
    );
  });

  it("Monday's weekly summary reaches the secretariat's group", async () => {
    // Prepare: Monday 19 Feb 2567
    local.clock.set(new Date('2024-02-19T08:30:00+07:00'));
    const { milestone } = await import('../../functions/milestone.ts');

    // Act
    await invokeWith(standIns, () => milestone({ assessmentId: ID, trigger: 'pace-check' }));
    await local.outbox.drain();

    // Assess
    const pushes = await until(
      async () => stub.pushes().filter((p) => p.to === 'Cprovince'),
      (p) => p.length >= 1,
    );
    expect(pushes[0]?.messages[0]?.text).toContain('สรุปรายสัปดาห์ ณ 19 ก.พ. 2567');
  });

  it("the secretariat's overview: groups with members, pushes this month, LINE's quota and the month projected", async () => {
    // Prepare
    stub.setMembers('Cprovince', 15);
    const { handler } = await import('../../functions/line.ts');

    // Act
    const answer = await invokeWith(standIns, () =>
      handler(
        httpEvent({
          routeKey: 'GET /assessments/{id}/line',
          path: `/assessments/${ID}/line`,
          pathParameters: { id: ID },
        }),
        {} as never,
      ),
    );
    const agencyAnswer = await invokeWith(standIns, () =>
      handler(
        httpEvent({
          routeKey: 'GET /assessments/{id}/line',
          path: `/assessments/${ID}/line`,
          pathParameters: { id: ID },
          principal: { tokenId: 't-a1', role: 'agency', assessmentId: ID, agencyId: 'a1' },
        }),
        {} as never,
      ),
    );

    // Assess
    expect(agencyAnswer.statusCode).toBe(403);
    const body = JSON.parse(answer.body ?? '{}');
    expect(body.groups).toContainEqual(
      expect.objectContaining({ owner: 'province', groupId: 'Cprovince', members: 15 }),
    );
    expect(body.groups).toContainEqual(
      expect.objectContaining({ owner: 'a1', name: 'หน่วยงานทดสอบ a1', members: 5 }),
    );
    expect(body.month).toBe('2024-02');
    expect(body.pushes.sent).toBeGreaterThanOrEqual(3);
    expect(body.pushes.failed).toBeGreaterThanOrEqual(1);
    expect(body.quota.limit).toBe(300);
    expect(body.quota.used).toBeGreaterThan(0);
    expect(body.quota.projected).toBe(Math.round((body.quota.used / 19) * 29));
  });

  it('with the weekly digest agencies get no daily push, and on Monday their row of the summary', async () => {
    // Prepare: Monday 26 Feb 2567, a1's group on the weekly rhythm
    const { handler } = await import('../../functions/line.ts');
    await invokeWith(standIns, () =>
      handler(
        httpEvent({
          method: 'PUT',
          routeKey: 'PUT /assessments/{id}/line/settings',
          path: `/assessments/${ID}/line/settings`,
          pathParameters: { id: ID },
          body: { agencyDigest: 'weekly' },
        }),
        {} as never,
      ),
    );
    local.clock.set(new Date('2024-02-26T08:30:00+07:00'));
    const { milestone } = await import('../../functions/milestone.ts');

    // Act
    await invokeWith(standIns, () => milestone({ assessmentId: ID, trigger: 'pace-check' }));
    await local.outbox.drain();

    // Assess
    const a1 = await until(
      async () => stub.pushes().filter((p) => p.to === 'Ca1' && p.at.startsWith('2024-02-26')),
      (p) => p.length >= 1,
    );
    expect(a1).toHaveLength(1);
    expect(a1[0]?.messages[0]?.text).toContain('สรุปรายสัปดาห์ ณ 26 ก.พ. 2567');
    expect(a1[0]?.messages[0]?.text).toContain('OIT ส่งแล้ว 0/20 ข้อ');
  });
});
