import { describe, expect, it } from 'vitest';
import { renderEmail } from '#domain/emails/templates';
import { lineText, planDeliveries } from '#domain/line';
import {
  HOST_CHUNK_DELAY_SECONDS,
  hostOf,
  LinkCheckMessage,
  type LinkRef,
  linkDue,
  linkWatchWindow,
  MAX_DELAY_SECONDS,
  planMessages,
} from '#domain/link-check-plan';
import { deadLinkReasonTh, deadLinkRequest, linkDeadKind } from '#domain/link-notice';
import { type LinkHealth, nextLinkHealth, uncheckedLink } from '#domain/link-watch';
import type { Milestone } from '#domain/model';
import { notificationId } from '#domain/notifications';
import { desiredSchedules, triggerMatchesPlan } from '#domain/schedule-plan';
import { firingsBetween } from '#local/local-scheduler';

const AID = 'phatthalung-2567';

const linksOn = (host: string, count: number, agencyId = 'pt-land'): LinkRef[] =>
  Array.from({ length: count }, (_, i) => ({
    agencyId,
    itemId: `o${(i % 33) + 1}`,
    url: `https://${host}/ita/${i}`,
  }));

describe('planMessages: links cut into queue messages by host', () => {
  it('keeps every host of a province in one message when it fits, at most 25 links a message, none lost or doubled', () => {
    // Prepare: 100 agencies of 33 items, each on its own website; one agency doubled by mistake.
    const links = Array.from({ length: 100 }, (_, a) => linksOn(`agency${a}.go.th`, 33, `a${a}`)).flat();

    // Act
    const messages = planMessages(AID, 'schedule', [...links, links[0]!]);

    // Assess
    const sent = messages.flatMap((m) => m.body.links);
    expect(sent).toHaveLength(3300);
    expect(new Set(sent.map((l) => `${l.agencyId}#${l.url}`)).size).toBe(3300);
    expect(messages.every((m) => m.body.links.length <= 25)).toBe(true);
    expect(messages.every((m) => LinkCheckMessage.safeParse(m.body).success)).toBe(true);
    // 33 links a host: one message of 25 now, the other 8 held back so two consumers do not share a host.
    const first = messages.filter((m) => m.body.links.some((l) => hostOf(l.url) === 'agency7.go.th'));
    expect(
      first.map((m) => [
        m.body.links.filter((l) => hostOf(l.url) === 'agency7.go.th').length,
        m.delaySeconds,
      ]),
    ).toEqual([
      [25, 0],
      [8, HOST_CHUNK_DELAY_SECONDS],
    ]);
  });

  it('packs small hosts together without splitting any of them', () => {
    // Prepare
    const links = [
      ...linksOn('a.go.th', 10),
      ...linksOn('b.go.th', 10),
      ...linksOn('c.go.th', 10),
      ...linksOn('d.go.th', 3),
    ];

    // Act
    const messages = planMessages(AID, 'on-demand', links);

    // Assess
    expect(messages.map((m) => m.body.links.length).sort((a, b) => a - b)).toEqual([10, 23]);
    for (const host of ['a.go.th', 'b.go.th', 'c.go.th', 'd.go.th']) {
      expect(messages.filter((m) => m.body.links.some((l) => hostOf(l.url) === host))).toHaveLength(1);
    }
    expect(messages.every((m) => m.delaySeconds === 0 && m.body.reason === 'on-demand')).toBe(true);
  });

  it('spreads one very large host over delayed messages, never beyond the queue maximum of 900 s', () => {
    // Act
    const messages = planMessages(AID, 'schedule', linksOn('shared-host.go.th', 25 * 12));

    // Assess
    expect(messages).toHaveLength(12);
    expect(messages.map((m) => m.delaySeconds)).toEqual([
      0, 120, 240, 360, 480, 600, 720, 840, 900, 900, 900, 900,
    ]);
    expect(Math.max(...messages.map((m) => m.delaySeconds))).toBe(MAX_DELAY_SECONDS);
  });

  it('plans nothing for no links', () => {
    expect(planMessages(AID, 'schedule', [])).toEqual([]);
  });
});

describe('when links are checked', () => {
  const window = (start: string, end: string) => ({ start, end });
  const milestone = (number: number, tracks: Milestone['tracks'], start: string, end: string): Milestone =>
    ({
      number,
      title: `ขั้นตอน ${number}`,
      window: window(start, end),
      tracks,
      responsible: { role: 'provincial_office' },
    }) as Milestone;
  const fiscalYear = window('2023-10-01', '2024-09-30');

  it('watches from the start of OIT publishing (step 7) to the end of NACC scoring and appeals (step 13)', () => {
    // Prepare
    const plan = [
      milestone(7, 'oit_publishing', '2024-01-01', '2024-03-31'),
      milestone(10, 'oit_approval', '2024-04-01', '2024-04-30'),
      milestone(13, 'informational', '2024-06-16', '2024-06-30'),
      milestone(15, 'informational', '2024-08-01', '2024-08-31'),
    ];

    // Act and Assess
    expect(linkWatchWindow(fiscalYear, plan)).toEqual(window('2024-01-01', '2024-06-30'));
    expect(
      linkWatchWindow(
        fiscalYear,
        plan.filter((m) => m.number !== 13),
      ),
    ).toEqual(window('2024-01-01', '2024-09-30'));
    expect(
      linkWatchWindow(
        fiscalYear,
        plan.filter((m) => m.number !== 7),
      ),
    ).toBeNull();
  });

  it('schedules one daily link check over that window, an hour before the reminders, weekends included', () => {
    // Prepare
    const plan = [
      milestone(7, 'oit_publishing', '2024-01-01', '2024-03-31'),
      milestone(13, 'informational', '2024-06-16', '2024-06-30'),
    ];

    // Act
    const schedule = desiredSchedules({ id: AID, window: fiscalYear }, plan).find(
      (d) => d.name === `${AID}-link-check`,
    )!;
    const week = firingsBetween(
      schedule,
      new Date('2024-04-01T00:00:00+07:00'),
      new Date('2024-04-08T00:00:00+07:00'),
    );

    // Assess
    expect(schedule).toMatchObject({
      expression: 'cron(30 7 * * ? *)',
      timezone: 'Asia/Bangkok',
      startDate: '2023-12-31T17:00:00.000Z',
      endDate: '2024-06-30T17:00:00.000Z',
      input: { assessmentId: AID, trigger: 'link-check' },
    });
    expect(week).toHaveLength(7);
    const desired = desiredSchedules({ id: AID, window: fiscalYear }, plan);
    expect(triggerMatchesPlan(schedule.input, desired, '2024-06-30')).toEqual({ ok: true });
    expect(triggerMatchesPlan(schedule.input, desired, '2024-07-01').ok).toBe(false);
    expect(triggerMatchesPlan(schedule.input, desired, '2023-12-31').ok).toBe(false);
  });

  it('takes a link when unchecked or failing, otherwise once its last check is the interval old (Bangkok days)', () => {
    // Prepare: checked at 08:30 on 1 April in Bangkok.
    const alive = { state: 'alive', checkedAt: '2024-04-01T01:30:00.000Z' };

    // Act and Assess
    expect(linkDue({ state: 'unchecked' }, '2024-04-01', 3)).toBe(true);
    expect(linkDue({ ...alive, state: 'failing' }, '2024-04-02', 3)).toBe(true);
    expect(linkDue(alive, '2024-04-01', 1)).toBe(false);
    expect(linkDue(alive, '2024-04-02', 1)).toBe(true);
    expect(linkDue(alive, '2024-04-03', 3)).toBe(false);
    expect(linkDue(alive, '2024-04-04', 3)).toBe(true);
    // 23:30 UTC on 31 March is already 1 April in Bangkok.
    expect(linkDue({ state: 'dead', checkedAt: '2024-03-31T23:30:00.000Z' }, '2024-04-01', 1)).toBe(false);
  });
});

describe("the agency's message when a link turns dead", () => {
  const URL = 'https://pt-land.example.org/ita/o14';
  const deadAfter = (result: Parameters<typeof nextLinkHealth>[1]): LinkHealth =>
    nextLinkHealth(
      nextLinkHealth(uncheckedLink(URL), result, '2024-04-01T01:30:00.000Z').health,
      result,
      '2024-04-02T01:30:00.000Z',
    ).health;
  const notFound = deadAfter({
    outcome: 'failed',
    error: 'http_status',
    status: 404,
    finalUrl: URL,
    redirects: 0,
  });
  const request = deadLinkRequest({
    assessmentId: AID,
    unitName: 'จังหวัดพัทลุง',
    agency: { id: 'pt-land', nameTh: 'สำนักงานที่ดินจังหวัดพัทลุง', coordinatorEmail: 'ita.land@example.org' },
    item: { id: 'o14', nameTh: 'แผนการจัดซื้อจัดจ้างหรือแผนการจัดหาพัสดุ' },
    health: notFound,
  });

  it('says the cause in plain Thai words', () => {
    expect(deadLinkReasonTh(notFound)).toBe('ไม่พบหน้า (404)');
    expect(deadLinkReasonTh({ error: 'timeout' })).toBe('เว็บไซต์ไม่ตอบภายใน 10 วินาที');
    expect(deadLinkReasonTh({ error: 'dns' })).toContain('ไม่พบชื่อเว็บไซต์');
    expect(deadLinkReasonTh({ error: 'http_status', status: 503 })).toBe('เว็บไซต์ขัดข้อง (503)');
    expect(deadLinkReasonTh({ error: 'soft_404', status: 200, detail: 'ไม่พบหน้า' })).toContain(
      'แสดงข้อความว่าไม่พบหน้า ("ไม่พบหน้า")',
    );
    expect(deadLinkReasonTh({ error: 'connection_refused' })).toContain('ปฏิเสธการเชื่อมต่อ');
  });

  it('is one notification per link per transition: the agency, the link, the Bangkok day it died', () => {
    // Act: the same link dying again after a recovery, a week later.
    const again = deadLinkRequest({
      assessmentId: AID,
      unitName: 'จังหวัดพัทลุง',
      agency: { id: 'pt-land', nameTh: 'ที่ดิน', coordinatorEmail: 'ita.land@example.org' },
      item: { id: 'o14', nameTh: 'แผน' },
      health: { ...notFound, deadSince: '2024-04-09T01:30:00.000Z' },
    });

    // Assess
    expect(request).toMatchObject({
      subject: 'pt-land',
      kind: linkDeadKind('o14', URL),
      localDate: '2024-04-02',
      to: ['ita.land@example.org'],
    });
    expect(request.kind).toMatch(/^link-dead-o14-[0-9a-f]{12}$/);
    expect(linkDeadKind('o14', `${URL}?v=2`)).not.toBe(request.kind);
    expect(notificationId(again)).not.toBe(notificationId(request));
  });

  it('names the item, the URL, the cause and what to do, with the link to the agency page, by email and LINE', () => {
    // Act
    const email = renderEmail(request, { publicBaseUrl: 'https://ita.example.org' });
    const deliveries = planDeliveries(request, {
      settings: { agencyDigest: 'weekly', channels: {} },
      links: [{ owner: 'pt-land', groupId: 'C-land', linkedAt: '2024-01-01T00:00:00.000Z' }],
    });
    const line = lineText(request, deliveries.find((d) => d.channel === 'line')!, {
      publicBaseUrl: 'https://ita.example.org',
    });

    // Assess
    expect(email.subject).toBe('[ITA] ลิงก์หลักฐาน OIT ข้อ o14 ของ สำนักงานที่ดินจังหวัดพัทลุง เปิดไม่ได้');
    for (const text of [email.text, line]) {
      expect(text).toContain('แผนการจัดซื้อจัดจ้างหรือแผนการจัดหาพัสดุ');
      expect(text).toContain(URL);
      expect(text).toContain('ไม่พบหน้า (404)');
      expect(text).toContain('ส่งลิงก์ใหม่');
      expect(text).toContain('https://ita.example.org/#/phatthalung-2567/agency/pt-land');
    }
    expect(email.text).toContain('แก้ไขหน้าเว็บให้เปิดได้ที่ลิงก์เดิม');
    // Pushed even to an agency on the weekly LINE digest: a dead link does not wait for Monday.
    expect(deliveries.map((d) => d.channel)).toEqual(['email', 'line']);
  });
});
