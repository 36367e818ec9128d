import { beforeAll, describe, expect, it } from 'vitest';
import { createLinkRepository, type LinkRepository } from '#adapters/dynamo/link-repository';
import { createNotificationRepository } from '#adapters/dynamo/notification-repository';
import { renderEmail } from '#domain/emails/templates';
import type { DomainEvent } from '#domain/events';
import type { LineState } from '#domain/line';
import type { OutgoingMail } from '#domain/mail';
import { NO_RECIPIENT, type NotificationRequest } from '#domain/notifications';
import { seedAssessment } from '#test/fixtures';
import { freshTable } from '#test/table';
import { deliverNotification } from '#use-cases/deliver-notification';
import { runMilestone } from '#use-cases/run-milestone';

/**
 * The secretariat's weekly list of dead evidence links (issue 14 item 5), folded into Monday's
 * summary: on DynamoDB Local, through the real pace check and the real notifier's claims, with the
 * mail and LINE at the edge captured. Once a week, Thai, to the secretariat's LINE group when one
 * is linked, and to that group even when no secretariat address is configured.
 */

const AID = 'weekly-links-2567';
const URL_DEAD = 'http://127.0.0.1:9/ita/o2';
const CTX = { publicBaseUrl: 'http://127.0.0.1:3000' };
const SECRETARIAT = 'ita.secretariat@example.org';

let table: Awaited<ReturnType<typeof freshTable>>;
let links: LinkRepository;
let notifications: ReturnType<typeof createNotificationRepository>;

beforeAll(async () => {
  table = await freshTable('weekly-links');
  await seedAssessment(table, { id: AID, agencyIds: ['pt-land', 'pt-water'], items: ['o1', 'o2'] });
  const deps = { client: table.client, tableName: table.tableName };
  links = createLinkRepository(deps);
  notifications = createNotificationRepository(deps);
  const [link] = await links.syncItemLinks(AID, 'pt-land', 'o2', [URL_DEAD]);
  await links.recordCheck(
    link!,
    {
      url: URL_DEAD,
      state: 'dead',
      status: 404,
      error: 'http_status',
      finalUrl: URL_DEAD,
      checkedAt: '2024-03-01T01:30:00.000Z',
      consecutiveFailures: 2,
      failingSince: '2024-02-29T01:30:00.000Z',
      deadSince: '2024-03-01T01:30:00.000Z',
    },
    1,
  );
  await links.syncItemLinks(AID, 'pt-water', 'o1', ['http://127.0.0.1:9/ita/alive']);
});

/** One firing of the weekday pace check at 08:30 Bangkok on `date`; the events it published. */
const paceCheckOn = async (date: string, secretariatEmails: string[]) => {
  const published: DomainEvent[] = [];
  const result = await runMilestone(
    {
      assessments: table.assessments,
      notifications,
      publisher: { publish: async (events) => void published.push(...events) },
      defaults: { secretariatEmails, approverEmails: [] },
      schedules: { time: '08:30', dueSoonDays: [14, 7, 1], followUpDays: 14 },
      now: () => new Date(`${date}T01:30:00Z`),
      links,
    },
    { assessmentId: AID, trigger: 'pace-check' },
  );
  const weekly = published.flatMap((e) =>
    e.type === 'NotificationRequested' && e.request.kind === 'weekly-summary' ? [e.request] : [],
  );
  return { result, weekly };
};

/** The notifier at the edge: mail and LINE captured, the secretariat's group linked. */
const notifier = () => {
  const mails: OutgoingMail[] = [];
  const pushes: { to: string; text: string }[] = [];
  const line: LineState = {
    settings: { agencyDigest: 'daily', channels: {} },
    links: [{ owner: 'province', groupId: 'C-secretariat', linkedAt: '2024-01-02T01:30:00.000Z' }],
  };
  const deliver = (request: NotificationRequest) =>
    deliverNotification(
      {
        notifications,
        line: { getState: async () => line, unlinkGroup: async () => false },
        mailer: {
          send: async (mail) => {
            mails.push(mail);
            return { messageId: `m-${mails.length}` };
          },
        },
        lineMessenger: async () => ({
          push: async (to, text) => {
            pushes.push({ to, text });
            return { messageId: `l-${pushes.length}` };
          },
          reply: async () => undefined,
          quota: async () => ({ limit: null, used: 0 }),
          memberCount: async () => null,
        }),
        secretariat: async () => ({
          emails: [SECRETARIAT],
          unitName: 'จังหวัดทดสอบ',
          ownerName: 'ฝ่ายเลขานุการ',
        }),
        email: CTX,
        now: () => new Date(),
      },
      request,
    );
  return { mails, pushes, deliver };
};

describe("the weekly list of dead links in Monday's summary to the secretariat", () => {
  it('lists each dead link by agency with its item, URL, since when and why, in Thai, by email and LINE, once however often Monday runs', async () => {
    // Prepare
    const { mails, pushes, deliver } = notifier();

    // Act
    const first = await paceCheckOn('2024-03-04', [SECRETARIAT]);
    const again = await paceCheckOn('2024-03-04', [SECRETARIAT]);
    const outcomes = [...(await deliver(first.weekly[0]!)), ...(await deliver(again.weekly[0]!))];
    const tuesday = await paceCheckOn('2024-03-05', [SECRETARIAT]);

    // Assess
    expect(first.weekly).toHaveLength(1);
    const request = first.weekly[0]!;
    expect(request.email.template === 'weekly' && request.email.deadLinks).toEqual({
      total: 1,
      rows: [
        {
          agencyId: 'pt-land',
          agencyName: 'หน่วยงานทดสอบ pt-land',
          itemId: 'o2',
          itemNameTh: expect.any(String),
          url: URL_DEAD,
          deadSince: '2024-03-01T01:30:00.000Z',
          reasonTh: 'เว็บไซต์ตอบกลับว่าไม่พบหน้าหรือเกิดข้อผิดพลาด (รหัสตอบกลับ 404)',
        },
      ],
    });
    const rendered = renderEmail(request, CTX);
    expect(rendered.subject).toContain('ลิงก์หลักฐานเสีย 1 ลิงก์');
    expect(rendered.text).toContain('ลิงก์หลักฐาน OIT ที่เสีย 1 ลิงก์');
    expect(rendered.text).toContain(`หน่วยงานทดสอบ pt-land ข้อ o2`);
    expect(rendered.text).toContain(`${URL_DEAD} เสียตั้งแต่ 1 มี.ค. 2567`);
    expect(again.weekly.map((r) => r.localDate)).toEqual(['2024-03-04']);
    expect(outcomes.map((o) => `${o.channel}:${o.outcome}`).sort()).toEqual([
      'email:duplicate',
      'email:sent',
      'line:duplicate',
      'line:sent',
    ]);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual([SECRETARIAT]);
    expect(pushes).toHaveLength(1);
    expect(pushes[0]!.to).toBe('C-secretariat');
    expect(pushes[0]!.text).toContain('ลิงก์หลักฐาน OIT ที่เสีย 1 ลิงก์:');
    expect(pushes[0]!.text).toContain(URL_DEAD);
    expect(tuesday.weekly).toEqual([]);
  });

  it("reaches the secretariat's LINE group when no secretariat address is configured, the email recorded failed for a person to fix", async () => {
    // Prepare
    const { mails, pushes, deliver } = notifier();

    // Act
    const monday = await paceCheckOn('2024-03-11', []);
    const outcomes = await deliver(monday.weekly[0]!);

    // Assess
    expect(monday.result.undeliverable).toEqual([]);
    expect(monday.weekly).toHaveLength(1);
    expect(outcomes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: 'email', outcome: 'failed', error: NO_RECIPIENT }),
        expect.objectContaining({ channel: 'line', outcome: 'sent' }),
      ]),
    );
    expect(mails).toEqual([]);
    expect(pushes.map((p) => p.to)).toEqual(['C-secretariat']);
    expect(pushes[0]!.text).toContain(URL_DEAD);
  });

  it('still sends the list on a Monday with nothing else to watch (after the tracked windows, up to step 13), and nothing when no link is dead', async () => {
    // Act
    const withDead = await paceCheckOn('2024-08-12', [SECRETARIAT]);
    const [link] = await links.listLinks(AID, 'pt-land');
    await links.recordCheck(
      link!,
      {
        url: URL_DEAD,
        state: 'alive',
        status: 200,
        finalUrl: URL_DEAD,
        checkedAt: '2024-08-13T01:30:00.000Z',
        consecutiveFailures: 0,
      },
      -1,
    );
    const withoutDead = await paceCheckOn('2024-08-19', [SECRETARIAT]);

    // Assess
    expect(withDead.result.published.map((r) => r.kind)).toEqual(['weekly-summary']);
    const facts = withDead.weekly[0]!.email;
    expect(facts.template === 'weekly' && facts.deadLinks?.rows.map((r) => r.url)).toEqual([URL_DEAD]);
    expect(withoutDead.result.published).toEqual([]);
    expect(withoutDead.weekly).toEqual([]);
  });
});
