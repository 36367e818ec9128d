import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { LINK_ERROR_TH, LinkError, type LinkHealth } from './link-watch.ts';
import type { NotificationRequest } from './notifications.ts';
import { IsoDateTime, Slug } from './primitives.ts';
import { todayIn } from './thai-date.ts';

/**
 * What the agency is told when one of its evidence links turns dead: one notification (email, and
 * LINE where its group is linked) per link per transition, decided here and stored in the same
 * transaction as the transition (see `recordCheck`).
 */

/** The facts of the message; the email template and the LINE text only format them. */
export const LinkDeadFacts = z.strictObject({
  template: z.literal('link-dead'),
  unitName: z.string(),
  agencyId: Slug,
  agencyName: z.string(),
  itemId: z.string(),
  itemNameTh: z.string(),
  url: z.string(),
  /** The cause in plain Thai ({@link deadLinkReasonTh}). */
  reasonTh: z.string(),
  status: z.optional(z.number().check(z.int())),
  error: z.optional(LinkError),
  /** Where the redirects ended, when not the URL itself. */
  finalUrl: z.optional(z.string()),
  failingSince: IsoDateTime,
  deadSince: IsoDateTime,
});
export type LinkDeadFacts = z.infer<typeof LinkDeadFacts>;

const THAI_STATE_DEAD = 'ลิงก์เสีย';

/**
 * The cause of a dead link in the plain Thai words of the agency's message: the status code where
 * there is one (404 → "ไม่พบหน้า (404)"), the rest from `LINK_ERROR_TH`.
 */
export const deadLinkReasonTh = (health: Pick<LinkHealth, 'error' | 'status' | 'detail'>): string => {
  const { error, status } = health;
  if (error === 'http_status' && status !== undefined) {
    if (status === 404 || status === 410) return `ไม่พบหน้า (${status})`;
    if (status === 401 || status === 403) return `เว็บไซต์ไม่อนุญาตให้เปิดหน้านี้ (${status})`;
    if (status >= 500) return `เว็บไซต์ขัดข้อง (${status})`;
    return `เว็บไซต์ตอบกลับว่าเปิดหน้านี้ไม่ได้ (${status})`;
  }
  if (error === 'timeout') return 'เว็บไซต์ไม่ตอบภายใน 10 วินาที';
  if (error === 'dns') return 'ไม่พบชื่อเว็บไซต์ (โดเมนอาจหมดอายุหรือพิมพ์ผิด)';
  if (error === 'soft_404')
    return `หน้าเว็บเปิดได้ แต่แสดงข้อความว่าไม่พบหน้า${health.detail ? ` ("${health.detail}")` : ''}`;
  return error ? LINK_ERROR_TH[error] : THAI_STATE_DEAD;
};

/**
 * The notification kind of one link's dead message: the item and a hash of the URL. With the
 * agency as subject and the Bangkok date it turned dead, the notifier's claim sends it once; a
 * link that recovers and dies again turns dead on a later date (two failures 24 hours apart), so
 * that transition is a new notification.
 */
export const linkDeadKind = (itemId: string, url: string): string =>
  `link-dead-${itemId}-${createHash('sha256').update(url).digest('hex').slice(0, 12)}`;

/** The notification of one link that turned dead, to the agency's coordinator. */
export const deadLinkRequest = (input: {
  assessmentId: string;
  unitName: string;
  agency: { id: string; nameTh: string; coordinatorEmail: string };
  item: { id: string; nameTh: string };
  health: LinkHealth;
  timeZone?: string;
}): NotificationRequest => {
  const { health, agency, item } = input;
  const deadSince = health.deadSince ?? health.checkedAt ?? new Date(0).toISOString();
  return {
    assessmentId: input.assessmentId,
    subject: agency.id,
    kind: linkDeadKind(item.id, health.url),
    localDate: todayIn(input.timeZone ?? 'Asia/Bangkok', new Date(deadSince)),
    to: [agency.coordinatorEmail],
    cc: [],
    email: {
      template: 'link-dead',
      unitName: input.unitName,
      agencyId: agency.id,
      agencyName: agency.nameTh,
      itemId: item.id,
      itemNameTh: item.nameTh,
      url: health.url,
      reasonTh: deadLinkReasonTh(health),
      ...(health.status !== undefined ? { status: health.status } : {}),
      ...(health.error ? { error: health.error } : {}),
      ...(health.finalUrl && health.finalUrl !== health.url ? { finalUrl: health.finalUrl } : {}),
      failingSince: health.failingSince ?? deadSince,
      deadSince,
    },
  };
};
