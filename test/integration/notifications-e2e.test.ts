import { createServer, type Server } from 'node:http';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSesMailer, sesClientConfig } from '#adapters/ses-mailer';
import { freePort } from '#local/dynamo-local';
import type { LocalNotifications } from '#local/local-notifications';
import { readInbox } from '#local/ses-local';
import { notificationRepository } from '#runtime/schedules';
import { invokeWith } from '#runtime/stand-ins';
import { tableRuntime } from '#runtime/table';
import { httpEvent } from '#test/events';
import { audit, seedAssessment } from '#test/fixtures';
import {
  announcePlan,
  inboxUntil,
  setOitSubmitted,
  startNotificationsOnFreshTable,
} from '#test/notifications';
import { sendNotification } from '#use-cases/send-notification';

const ID = 'e2e-2567';
const items = Array.from({ length: 20 }, (_, i) => `o${i + 1}`);

let local: LocalNotifications;

/** A function called as the local system calls it: against its clock, bus, scheduler and link queue. */
const asLocal =
  <Args extends unknown[], Result>(fn: (...args: Args) => Result) =>
  (...args: Args): Result =>
    invokeWith(local.standIns, () => fn(...args));

beforeAll(async () => {
  process.env.PUBLIC_BASE_URL = 'http://127.0.0.1:9/';
  const started = await startNotificationsOnFreshTable('e2e', {
    clockStart: '2024-02-14T08:00:00+07:00',
    busRetries: 1,
  });
  local = started.local;
  await seedAssessment(tableRuntime(), { id: ID, agencyIds: ['a1', 'a2'], items });
  // a2 has published 15 of its 20 OIT items: on pace for OIT in mid-February.
  await setOitSubmitted(started.table, ID, 'a2', 15);
  await announcePlan(local, ID);
});

afterAll(async () => {
  await local?.stop();
});

describe('schedules to inbox, on DynamoDB Local and aws-ses-v2-local', () => {
  it('syncs the plan into the local scheduler', () => {
    // Assess
    expect([...local.scheduler.schedules.keys()]).toContain(`${ID}-m07-due-soon-7`);
    expect([...local.scheduler.schedules.keys()]).toContain(`${ID}-pace-check`);
  });

  it('moving the clock runs the pace check: the agency behind on OIT gets the Thai email, with its numbers', async () => {
    // Act: Wednesday 14 Feb 2567, 08:30 Bangkok
    const fired = await local.scheduler.advanceTo(new Date('2024-02-14T09:00:00+07:00'));

    // Assess
    expect(fired.map((f) => f.name)).toEqual([`${ID}-pace-check`]);
    const mails = await inboxUntil(local, (m) => m.length >= 2);
    const a1 = mails.find((m) => m.destination.to.includes('coordinator@a1.example.org'));
    const a2 = mails.find((m) => m.destination.to.includes('coordinator@a2.example.org'));
    expect(a1?.subject).toBe('[ITA] หน่วยงานทดสอบ a1 ล่าช้ากว่าแผน ณ วันที่ 14 ก.พ. 2567');
    expect(a1?.body.text).toContain('ส่งหลักฐาน OIT แล้ว 0 จาก 20 ข้อ ควรส่งได้อย่างน้อย 10 ข้อ ณ วันที่ 14 ก.พ. 2567');
    expect(a1?.body.html).toContain('http://127.0.0.1:9/#/e2e-2567/agency/a1');
    expect(a1?.destination.cc).toEqual([]);
    expect(a2?.body.text).not.toContain('หลักฐาน OIT');
    expect(a1?.from).toContain('ita-noreply@example.org');
  });

  it('a schedule that fires twice sends each email once', async () => {
    // Prepare: 17 Mar 2567 08:30, the day step 7's due-soon-14 is planned for
    local.clock.set(new Date('2024-03-17T08:30:00+07:00'));
    const before = (await readInbox(local.ses.url)).length;
    const handler = asLocal((await import('../../functions/milestone.ts')).handler);
    const payload = { assessmentId: ID, milestone: 7, trigger: 'due-soon', days: 14 };

    // Act
    await handler(payload);
    await handler(payload);

    // Assess
    const mails = await inboxUntil(local, (m) => m.length >= before + 2);
    expect(mails).toHaveLength(before + 2);
    const reminders = mails.filter((m) => m.subject.startsWith('[ITA] อีก 14 วันครบกำหนด'));
    expect(reminders.map((m) => m.destination.to[0]).sort()).toEqual([
      'coordinator@a1.example.org',
      'coordinator@a2.example.org',
    ]);
  });

  it('retries SES throttling, records the failure, lists it, and resends it on request', async () => {
    // Prepare: an SES endpoint that always answers 429 TooManyRequestsException
    let hits = 0;
    const throttling: Server = createServer((_req, res) => {
      hits++;
      res.writeHead(429, {
        'content-type': 'application/json',
        'x-amzn-errortype': 'TooManyRequestsException',
      });
      res.end(JSON.stringify({ message: 'Maximum sending rate exceeded.' }));
    });
    const port = await freePort();
    await new Promise<void>((r) => throttling.listen(port, '127.0.0.1', () => r()));
    // The deployed client's settings with 3 attempts: the SDK's own retry makes them.
    const mailer = createSesMailer({
      client: new SESv2Client(
        sesClientConfig({ region: 'ap-southeast-1', endpoint: `http://127.0.0.1:${port}`, maxAttempts: 3 }),
      ),
      from: 'ita-noreply@example.org',
    });
    const request = {
      assessmentId: ID,
      subject: 'a1',
      kind: 'm07-due',
      localDate: '2024-03-31',
      to: ['coordinator@a1.example.org'],
      cc: [],
      email: {
        template: 'kickoff' as const,
        unitName: 'จังหวัดทดสอบ',
        milestone: { number: 7, title: 'OIT', window: { start: '2024-01-01', end: '2024-03-31' } },
        audienceName: 'หน่วยงานทดสอบ a1',
      },
    };
    const deps = {
      notifications: notificationRepository(),
      mailer,
      email: { publicBaseUrl: 'http://127.0.0.1:9' },
      now: () => new Date(),
    };

    // Act
    const outcome = await sendNotification(deps, request).catch((error: Error) => error);
    throttling.close();
    const handler = asLocal((await import('../../functions/notifications.ts')).handler);
    const listed = await handler(
      httpEvent({
        path: `/assessments/${ID}/notifications`,
        pathParameters: { id: ID },
        queryStringParameters: { status: 'failed' },
      }),
      {} as never,
    );
    const resent = await handler(
      httpEvent({
        method: 'POST',
        path: `/assessments/${ID}/notifications/2024-03-31_a1_m07-due/resend`,
        pathParameters: { id: ID, notificationId: '2024-03-31_a1_m07-due' },
      }),
      {} as never,
    );
    const after = await handler(
      httpEvent({
        path: `/assessments/${ID}/notifications`,
        pathParameters: { id: ID },
        queryStringParameters: { status: 'failed' },
      }),
      {} as never,
    );

    // Assess
    expect(hits).toBe(3);
    expect((outcome as Error).name).toBe('RetryLaterError');
    expect(listed.statusCode).toBe(200);
    expect(JSON.parse(listed.body).items).toMatchObject([
      { id: '2024-03-31_a1_m07-due', status: 'failed', retryable: true, attempts: 1 },
    ]);
    expect(JSON.parse(listed.body).items[0].error).toContain('TooManyRequestsException');
    expect(resent.statusCode).toBe(202);
    expect(JSON.parse(after.body).items).toEqual([]);
    await local.outbox.drain();
    const record = await notificationRepository().get(ID, '2024-03-31_a1_m07-due');
    expect(record).toMatchObject({ status: 'sent', attempts: 2 });
    const mails = await readInbox(local.ses.url);
    expect(mails.some((m) => m.messageId === record?.messageId)).toBe(true);
  });

  it('a trigger the plan no longer names for today sends nothing', async () => {
    // Prepare: still 17 Mar; the due-soon-7 reminder is planned for 24 Mar
    const before = (await readInbox(local.ses.url)).length;
    const milestone = asLocal((await import('../../functions/milestone.ts')).milestone);

    // Act
    const result = await milestone({ assessmentId: ID, milestone: 7, trigger: 'due-soon', days: 7 });

    // Assess
    expect(result.ignored).toBe(`${ID}-m07-due-soon-7 is planned for 2024-03-24, not 2024-03-17`);
    expect(result.published).toEqual([]);
    expect(await readInbox(local.ses.url)).toHaveLength(before);
  });

  it('records a notification nobody is configured for as failed, and resends it once recipients are set', async () => {
    // Prepare: Monday 18 Mar 2567; the assessment has no settings and the deployment no defaults
    local.clock.set(new Date('2024-03-18T08:30:00+07:00'));
    const milestone = asLocal((await import('../../functions/milestone.ts')).milestone);
    const notifications = asLocal((await import('../../functions/notifications.ts')).handler);
    const settings = asLocal((await import('../../functions/notification-settings.ts')).handler);
    const id = '2024-03-18_province_weekly-summary';

    // Act: the secretariat's summary goes out without an address (its LINE group may take it);
    // the notifier records the email failed
    const result = await milestone({ assessmentId: ID, trigger: 'pace-check' });
    await local.outbox.drain();
    const listed = await notifications(
      httpEvent({
        path: `/assessments/${ID}/notifications`,
        pathParameters: { id: ID },
        queryStringParameters: { status: 'failed' },
      }),
      {} as never,
    );
    const refused = await notifications(
      httpEvent({
        method: 'POST',
        path: `/assessments/${ID}/notifications/${id}/resend`,
        pathParameters: { id: ID, notificationId: id },
      }),
      {} as never,
    );
    const put = await settings(
      httpEvent({
        method: 'PUT',
        routeKey: 'PUT /assessments/{id}/notification-settings',
        path: `/assessments/${ID}/notification-settings`,
        pathParameters: { id: ID },
        body: {
          secretariatEmails: ['secretariat@e2e.example.org'],
          escalation: { secretariatAfterDaysOverdue: 7 },
        },
      }),
      {} as never,
    );
    const resent = await notifications(
      httpEvent({
        method: 'POST',
        path: `/assessments/${ID}/notifications/${id}/resend`,
        pathParameters: { id: ID, notificationId: id },
      }),
      {} as never,
    );

    // Assess
    expect(result.published).toContainEqual(
      expect.objectContaining({ subject: 'province', kind: 'weekly-summary', to: [] }),
    );
    expect(JSON.parse(listed.body).items).toContainEqual(
      expect.objectContaining({
        id,
        status: 'failed',
        to: [],
        error: expect.stringContaining('no recipient configured'),
      }),
    );
    expect(refused.statusCode).toBe(422);
    expect(put.statusCode).toBe(200);
    expect(JSON.parse(put.body)).toMatchObject({ version: 1, schedules: 'sync-requested' });
    expect(resent.statusCode).toBe(202);
    const mails = await inboxUntil(local, (m) =>
      m.some((x) => x.destination.to.includes('secretariat@e2e.example.org')),
    );
    expect(mails.find((m) => m.destination.to.includes('secretariat@e2e.example.org'))?.subject).toContain(
      'สรุปความก้าวหน้ารายสัปดาห์',
    );
    expect(await notificationRepository().get(ID, id)).toMatchObject({ status: 'sent' });
  });

  it('a plan change commits its PlanChanged with it; a sync that never ran is asked for again by the pace check and the sync route', async () => {
    // Prepare
    const putPlan = asLocal((await import('../../functions/put-plan.ts')).handler);
    const schedules = asLocal((await import('../../functions/schedules.ts')).handler);
    const milestone = asLocal((await import('../../functions/milestone.ts')).milestone);
    const current = (await tableRuntime().assessments.getWithPlan(ID))!;
    const endingOn = (end: string) =>
      current.milestones.map((m) => (m.number === 5 ? { ...m, window: { ...m.window, end } } : m));
    const dueBefore = local.scheduler.schedules.get(`${ID}-m05-due`)?.expression;

    // Act: through the route, then a change written with no event (as if its sync had failed for good)
    const put = await putPlan(
      httpEvent({
        method: 'PUT',
        routeKey: 'PUT /assessments/{id}/plan',
        path: `/assessments/${ID}/plan`,
        pathParameters: { id: ID },
        headers: { 'if-match': `"${current.assessment.version}"` },
        body: { milestones: endingOn('2024-06-30') },
      }),
      {} as never,
    );
    await local.outbox.drain();
    const dueAfterPut = local.scheduler.schedules.get(`${ID}-m05-due`)?.expression;
    await tableRuntime().assessments.replacePlan(
      ID,
      endingOn('2024-06-28'),
      current.assessment.version + 1,
      local.clock.now().toISOString(),
      audit(ID),
      [],
    );
    const dueUnsynced = local.scheduler.schedules.get(`${ID}-m05-due`)?.expression;
    const healed = await milestone({ assessmentId: ID, trigger: 'pace-check' });
    await local.outbox.drain();
    const synced = await schedules(
      httpEvent({
        method: 'POST',
        path: `/assessments/${ID}/schedules/sync`,
        pathParameters: { id: ID },
      }),
      {} as never,
    );

    // Assess
    expect(put.statusCode).toBe(200);
    expect(JSON.parse(put.body).schedules).toBe('sync-requested');
    expect(JSON.parse(put.body)).not.toHaveProperty('message');
    expect(dueBefore).toBe('at(2024-07-01T08:30:00)');
    expect(dueAfterPut).toBe('at(2024-06-30T08:30:00)');
    expect(dueUnsynced).toBe('at(2024-06-30T08:30:00)');
    expect(healed.resync).toBe(true);
    expect(local.scheduler.schedules.get(`${ID}-m05-due`)?.expression).toBe('at(2024-06-28T08:30:00)');
    expect(synced.statusCode).toBe(202);
    expect(JSON.parse(synced.body)).toEqual({ schedules: 'sync-requested' });
  });
});
