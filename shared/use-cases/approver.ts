import type { NotificationRepository } from '#adapters/dynamo/notification-repository';
import { auditEntry } from '#domain/audit';
import { renderBlocks } from '#domain/emails/blocks';
import type { Mailer } from '#domain/mail';
import { DEFAULT_NOTIFICATION_SETTINGS } from '#domain/notification-settings';
import type { Principal } from '#domain/principal';
import { formatThaiDateTime } from '#domain/thai-date';

export type DesignateApproverDeps = {
  notifications: Pick<NotificationRepository, 'getSettings' | 'putSettings'>;
  mailer: Mailer;
  now: () => Date;
};

export type ApproverDesignation = { from: string[]; to: string[]; version: number; notified: string[] };

const sameAddresses = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/**
 * Who approves OIT evidence (plan step 10: the governor or a delegate) is the operator's to set,
 * never the admin API's: were the secretariat able to name itself approver, one office could
 * submit-by-proxy and approve. Called by `npm run approver`, which writes to the table with the
 * operator's AWS credentials. The change is one conditional write with its audit entry; then the
 * old and the new approvers are told by email, so a change nobody asked for is seen at once.
 */
export const designateApprover = async (
  deps: DesignateApproverDeps,
  operator: Principal,
  input: { assessmentId: string; emails: string[] },
): Promise<ApproverDesignation> => {
  const stored = await deps.notifications.getSettings(input.assessmentId);
  const settings = stored?.settings ?? DEFAULT_NOTIFICATION_SETTINGS;
  const from = settings.approverEmails;
  const to = [...new Set(input.emails.map((e) => e.trim().toLowerCase()))];
  if (sameAddresses(from, to)) return { from, to, version: stored?.version ?? 0, notified: [] };
  const now = deps.now();
  const version = await deps.notifications.putSettings(
    input.assessmentId,
    { ...settings, approverEmails: to },
    stored?.version ?? 0,
    now,
    auditEntry(
      operator,
      {
        assessmentId: input.assessmentId,
        action: 'approver.designate',
        target: `assessment/${input.assessmentId}/approver`,
        changes: { from, to },
      },
      now.toISOString(),
    ),
  );
  const notified = [...new Set([...from, ...to])];
  const when = formatThaiDateTime(now);
  const mail = renderBlocks(`[ITA] เปลี่ยนผู้อนุมัติข้อมูล OIT ของ ${input.assessmentId}`, [
    {
      kind: 'p',
      text: `ผู้ดูแลระบบได้กำหนดผู้อนุมัติข้อมูล OIT (ผู้ว่าราชการจังหวัดหรือผู้ที่ได้รับมอบหมาย) ของการประเมิน ${input.assessmentId} ใหม่ เมื่อ ${when}`,
    },
    { kind: 'p', text: `เดิม: ${from.length ? from.join(', ') : 'ยังไม่ได้กำหนด'}` },
    { kind: 'p', text: `ใหม่: ${to.length ? to.join(', ') : 'ไม่มีผู้อนุมัติ'}` },
    {
      kind: 'p',
      text: 'หากท่านไม่ได้ร้องขอการเปลี่ยนแปลงนี้ โปรดแจ้งฝ่ายเลขานุการและผู้ดูแลระบบทันที',
    },
  ]);
  if (notified.length) await deps.mailer.send({ to: notified, cc: [], ...mail });
  return { from, to, version, notified };
};

/** The admin API keeps the approvers as they are: sending others is refused, sending none keeps them. */
export const approversUnchanged = (requested: readonly string[], stored: readonly string[]): boolean =>
  requested.length === 0 || sameAddresses(requested, stored);
