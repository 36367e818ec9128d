import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNotificationRepository } from '#adapters/dynamo/notification-repository';
import type { OutgoingMail } from '#domain/mail';
import { DEFAULT_NOTIFICATION_SETTINGS, DEFAULT_SCHEDULE_SETTINGS } from '#domain/notification-settings';
import { type Principal, systemPrincipal } from '#domain/principal';
import { seedAssessment } from '#test/fixtures';
import { freshTable } from '#test/table';
import { designateApprover } from '#use-cases/approver';
import { getNotificationSettings, putNotificationSettings } from '#use-cases/notification-settings';

const ID = 'approver-2567';
const admin: Principal = { tokenId: 'tok-admin', role: 'admin', assessmentId: ID };
const operator: Principal = { ...systemPrincipal, tokenId: 'operator-cli' };

let table: Awaited<ReturnType<typeof freshTable>>;
let notifications: ReturnType<typeof createNotificationRepository>;
const sent: OutgoingMail[] = [];

const settingsDeps = () => ({
  assessments: table.assessments,
  notifications,
  publisher: { publish: async () => undefined },
  defaults: { secretariatEmails: [], approverEmails: [] },
  schedules: DEFAULT_SCHEDULE_SETTINGS,
  now: () => new Date(),
});
const approverDeps = () => ({
  notifications,
  mailer: {
    send: async (mail: OutgoingMail) => {
      sent.push(mail);
      return { messageId: `m-${sent.length}` };
    },
  },
  now: () => new Date(),
});
const approvers = async () =>
  (await getNotificationSettings(settingsDeps(), admin, ID)).settings.approverEmails;

beforeAll(async () => {
  table = await freshTable('approver');
  notifications = createNotificationRepository({ client: table.client, tableName: table.tableName });
  await seedAssessment(table, { id: ID });
});

describe('who approves is the operator’s to set', () => {
  it('lets the operator designate the approver, audited, and tells the old and the new one', async () => {
    // Prepare
    await designateApprover(approverDeps(), operator, {
      assessmentId: ID,
      emails: ['gov@phatthalung.example.org'],
    });
    sent.length = 0;

    // Act
    const changed = await designateApprover(approverDeps(), operator, {
      assessmentId: ID,
      emails: ['Deputy@Phatthalung.example.org'],
    });
    const again = await designateApprover(approverDeps(), operator, {
      assessmentId: ID,
      emails: ['deputy@phatthalung.example.org'],
    });

    // Assess
    expect(changed).toMatchObject({
      from: ['gov@phatthalung.example.org'],
      to: ['deputy@phatthalung.example.org'],
    });
    expect(again.notified).toEqual([]);
    expect(await approvers()).toEqual(['deputy@phatthalung.example.org']);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to.sort()).toEqual(['deputy@phatthalung.example.org', 'gov@phatthalung.example.org']);
    expect(sent[0]!.text).toContain('ผู้อนุมัติ');
    const audit = await table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': `AUDIT#${ID}` },
      }),
    );
    const designations = (audit.Items ?? []).filter((i) => i.action === 'approver.designate');
    expect(designations).toHaveLength(2);
    expect(designations.map((d) => d.changes.to)).toContainEqual(['deputy@phatthalung.example.org']);
  });

  it('refuses the secretariat naming an approver through the settings route, and changes nothing', async () => {
    // Prepare
    const before = await getNotificationSettings(settingsDeps(), admin, ID);

    // Act
    const attempt = putNotificationSettings(
      settingsDeps(),
      admin,
      ID,
      { ...DEFAULT_NOTIFICATION_SETTINGS, approverEmails: ['secretariat@phatthalung.example.org'] },
      undefined,
    );

    // Assess
    await expect(attempt).rejects.toMatchObject({ code: 'forbidden' });
    const after = await getNotificationSettings(settingsDeps(), admin, ID);
    expect(after.version).toBe(before.version);
    expect(after.settings.approverEmails).toEqual(before.settings.approverEmails);
  });

  it('keeps the approvers when the secretariat replaces the other settings without naming them', async () => {
    // Prepare
    const before = await approvers();

    // Act
    const view = await putNotificationSettings(
      settingsDeps(),
      admin,
      ID,
      { ...DEFAULT_NOTIFICATION_SETTINGS, secretariatEmails: ['ita@phatthalung.example.org'] },
      undefined,
    );

    // Assess
    expect(before).toEqual(['deputy@phatthalung.example.org']);
    expect(view.settings).toMatchObject({
      secretariatEmails: ['ita@phatthalung.example.org'],
      approverEmails: before,
    });
  });
});
