import { createHash, randomInt } from 'node:crypto';
import * as z from 'zod/mini';
import { type EmailContext, findingLine, progressUrl } from './emails/templates.ts';
import { PACE_STATE_TH } from './labels.ts';
import { deadLinkLine } from './link-list.ts';
import {
  type NotificationRequest,
  notificationId,
  PROVINCE_SUBJECT,
  type WeeklyDeadLinks,
  type WeeklyRow,
} from './notifications.ts';
import { type IsoDate, Slug } from './primitives.ts';
import { formatThaiDate, formatThaiWindow } from './thai-date.ts';

/**
 * LINE as a second channel. A notification is decided once (the rules in `notifications.ts`) and
 * then delivered per channel: the email to its addresses, and a LINE push to each group linked to
 * whoever it concerns. Pure: what to deliver, the text, the ids; the notifier does the I/O.
 */

// ---------------------------------------------------------------- channels and settings

export const Channel = z.enum(['email', 'line']);
export type Channel = z.infer<typeof Channel>;

/** Which channels a group's owner wants: an agency, or `province` for the secretariat. */
export const ChannelChoice = z.enum(['email', 'line', 'both']);
export type ChannelChoice = z.infer<typeof ChannelChoice>;

/** Who a LINE group belongs to: an agency id, or `province` (the secretariat's group). */
export const GroupOwner = Slug;

/**
 * An assessment's LINE settings (item `A#<aid>/LINE#SETTINGS`). `channels` names an owner's
 * choice; an owner not named gets both once a group is linked (email only until then).
 * `agencyDigest: weekly` sends agencies one LINE digest on Monday instead of each reminder.
 */
export const LineSettings = z.strictObject({
  agencyDigest: z._default(z.enum(['daily', 'weekly']), 'daily'),
  channels: z._default(z.record(GroupOwner, ChannelChoice), {}),
});
export type LineSettings = z.infer<typeof LineSettings>;
export const DEFAULT_LINE_SETTINGS: LineSettings = LineSettings.parse({});

/** A LINE group linked to an owner of one assessment. */
export const LineGroupLink = z.strictObject({
  owner: GroupOwner,
  groupId: z.string().check(z.minLength(1), z.maxLength(100)),
  linkedAt: z.iso.datetime({ offset: true }),
});
export type LineGroupLink = z.infer<typeof LineGroupLink>;

/** What the notifier knows of an assessment's LINE side: one Query of its `LINE#` items. */
export type LineState = { settings: LineSettings; links: LineGroupLink[] };

/** One delivery of a notification: the email, or a push to one owner's group. */
export type Delivery =
  | { channel: 'email'; id: string }
  | {
      channel: 'line';
      id: string;
      owner: string;
      groupId: string;
      /** `notice`: the notification itself; `digest`: an agency's line of the weekly summary. */
      form: 'notice' | 'digest';
    };

/**
 * The id of a delivery, the key of its exactly-once record. The email keeps the notification's id
 * (`<date>_<subject>_<kind>`), so records written before LINE existed and their resend URLs stay
 * valid; a LINE delivery adds `_line` (the subject's own group) or `_line-<owner>` (another group:
 * the secretariat's copy of an escalation, an agency's weekly digest).
 */
export const deliveryId = (
  request: Pick<NotificationRequest, 'subject' | 'kind' | 'localDate'>,
  channel: Channel,
  owner: string = request.subject,
): string => {
  const id = notificationId(request);
  if (channel === 'email') return id;
  return owner === request.subject ? `${id}_line` : `${id}_line-${owner}`;
};

/** A delivery id's channel: anything with a `_line` suffix is a LINE push. */
export const channelOfDelivery = (id: string): Channel =>
  /_line(-[a-z0-9-]+)?$/.test(id) ? 'line' : 'email';

const choiceOf = (settings: LineSettings, owner: string): ChannelChoice => settings.channels[owner] ?? 'both';

/**
 * Every delivery of a notification. The email goes out unless the owner chose LINE only and has a
 * group; a push goes to the subject's group (agencies on a weekly digest get none of the daily
 * ones), to the secretariat's group for the weekly summary and the top rung of the ladder, and on
 * the weekly summary a digest to every agency on the weekly rhythm. The approver's notifications
 * stay email: the governor's office has no group here.
 */
export const planDeliveries = (request: NotificationRequest, line: LineState): Delivery[] => {
  const linkOf = new Map(line.links.map((l) => [l.owner, l]));
  const deliveries: Delivery[] = [];
  const push = (owner: string, form: 'notice' | 'digest') => {
    const link = linkOf.get(owner);
    if (!link || choiceOf(line.settings, owner) === 'email') return;
    deliveries.push({
      channel: 'line',
      id: deliveryId(request, 'line', owner),
      owner,
      groupId: link.groupId,
      form,
    });
  };
  const subject = request.subject;
  const isProvince = subject === PROVINCE_SUBJECT;
  if (request.audience !== 'approver') {
    if (isProvince) push(PROVINCE_SUBJECT, 'notice');
    // A dead evidence link cannot wait for Monday's digest: it is pushed whatever the rhythm.
    else if (line.settings.agencyDigest === 'daily' || request.email.template === 'link-dead')
      push(subject, 'notice');
  }
  if (request.email.template === 'behind' && request.email.escalation >= 2) push(PROVINCE_SUBJECT, 'notice');
  if (request.email.template === 'weekly' && line.settings.agencyDigest === 'weekly') {
    for (const row of request.email.rows) push(row.agencyId, 'digest');
  }
  const ownGroup = deliveries.some((d) => d.channel === 'line' && d.owner === subject);
  const lineOnly = ownGroup && choiceOf(line.settings, subject) === 'line';
  return lineOnly ? deliveries : [{ channel: 'email', id: deliveryId(request, 'email') }, ...deliveries];
};

// ---------------------------------------------------------------- the text

const d = (date: IsoDate) => formatThaiDate(date, 'abbr');
const n = (value: number) => value.toLocaleString('en-US');
const STAGE = {
  'due-soon': (days: number) => `อีก ${n(days)} วันครบกำหนด`,
  due: () => 'ครบกำหนดวันนี้',
  overdue: (days: number) => `เลยกำหนดมาแล้ว ${n(-days)} วัน`,
} as const;

/** LINE's limit per text message is 5,000 characters; a province's summary stays well under it. */
export const LINE_TEXT_LIMIT = 5000;
const MAX_LISTED = 25;

const bullets = (lines: string[]) => {
  const shown = lines.slice(0, MAX_LISTED).map((l) => `• ${l}`);
  if (lines.length > MAX_LISTED) shown.push(`… และอีก ${n(lines.length - MAX_LISTED)} รายการ`);
  return shown;
};

/** Dead links a weekly push lists (the rest are counted): ten lines keep it a phone screen or two. */
const DEAD_LINKS_ON_LINE = 10;

const deadLinkLines = (dead: WeeklyDeadLinks): string[] => {
  if (dead.total === 0) return ['ลิงก์หลักฐาน OIT: สัปดาห์นี้ไม่มีลิงก์เสีย'];
  const shown = dead.rows.slice(0, DEAD_LINKS_ON_LINE);
  return [
    `ลิงก์หลักฐาน OIT ที่เสีย ${n(dead.total)} ลิงก์:`,
    ...shown.map((row) => `• ${deadLinkLine(row)}`),
    ...(dead.total > shown.length ? [`… และอีก ${n(dead.total - shown.length)} ลิงก์ ดูในแดชบอร์ด`] : []),
  ];
};

/** An agency's weekly digest: its line of the weekly summary. */
export const digestText = (row: WeeklyRow, asOf: IsoDate, url: string): string =>
  [
    `[ITA] ${row.agencyName} สรุปรายสัปดาห์ ณ ${d(asOf)}`,
    `• OIT ส่งแล้ว ${n(row.oit.done)}/${n(row.oit.assigned)} ข้อ`,
    `• IIT ตอบแล้ว ${n(row.iit.responses)}/${n(row.iit.required)} คน`,
    `• EIT ตอบแล้ว ${n(row.eit.responses)}/${n(row.eit.required)} คน`,
    `• งานพัฒนาค้าง ${n(row.tasks.open)} เลยกำหนด ${n(row.tasks.overdue)}`,
    `สถานะ: ${PACE_STATE_TH[row.state]}`,
    `ดูรายละเอียด: ${url}`,
  ].join('\n');

/**
 * The Thai text of a push: the email's facts and numbers, short, plain text (LINE shows no HTML),
 * and the link to the agency's page (or the province's) so a tap opens it.
 */
export const lineText = (request: NotificationRequest, delivery: Delivery, ctx: EmailContext): string => {
  const f = request.email;
  const base = ctx.publicBaseUrl.replace(/\/$/, '');
  const agencyUrl = (agencyId: string) => progressUrl(ctx, request.assessmentId, agencyId);
  if (delivery.channel === 'line' && delivery.form === 'digest' && f.template === 'weekly') {
    const row = f.rows.find((r) => r.agencyId === delivery.owner);
    if (row) return digestText(row, f.asOf, agencyUrl(row.agencyId));
  }
  let lines: string[];
  switch (f.template) {
    case 'kickoff':
      lines = [
        `[ITA ${f.unitName}] เริ่มขั้นตอนที่ ${f.milestone.number}: ${f.milestone.title}`,
        `ช่วงเวลา ${formatThaiWindow(f.milestone.window)}`,
        `ถึง ${f.audienceName}`,
        `ดูรายละเอียด: ${f.agencyId ? agencyUrl(f.agencyId) : `${base}/`}`,
      ];
      break;
    case 'deadline':
      lines = [
        `[ITA] ${f.agencyName}: ขั้นตอนที่ ${f.milestone.number} ${STAGE[f.stage](f.daysLeft)} (กำหนด ${d(f.milestone.window.end)})`,
        ...bullets(f.lines.map((l) => findingLine(l, f.asOf))),
        `ดูและส่งข้อมูล: ${agencyUrl(f.agencyId)}`,
      ];
      break;
    case 'behind': {
      const overdue = f.lines.some(
        (l) => l.what === 'oit-incomplete' || l.what === 'survey-incomplete' || l.what === 'task-overdue',
      );
      const since = overdue
        ? `เลยกำหนดมาแล้ว ${n(f.daysOverdue + 1)} วัน`
        : f.daysBehind > 0
          ? `ล่าช้ากว่าแผนต่อเนื่องมา ${n(f.daysBehind)} วัน`
          : 'ล่าช้ากว่าแผน';
      lines = [
        `[ITA] ${f.agencyName} ${since} ณ ${d(f.asOf)}`,
        ...bullets(f.lines.map((l) => findingLine(l, f.asOf))),
        `ดูและส่งข้อมูล: ${agencyUrl(f.agencyId)}`,
      ];
      break;
    }
    case 'approval':
      lines = [
        `[ITA] รออนุมัติ OIT ${n(f.pending)} ข้อ ${STAGE[f.stage](f.daysLeft)} (กำหนด ${d(f.milestone.window.end)})`,
        ...bullets(f.agencies.map((a) => `${a.agencyName} ${n(a.pending)} ข้อ`)),
      ];
      break;
    case 'weekly': {
      const late = f.rows.filter((r) => r.state === 'behind' || r.state === 'overdue');
      lines = [
        `[ITA ${f.unitName}] สรุปรายสัปดาห์ ณ ${d(f.asOf)}`,
        `ส่วนราชการ ${n(f.rows.length)} แห่ง ล่าช้าหรือเลยกำหนด ${n(late.length)} แห่ง`,
        ...bullets(
          late.map(
            (r) =>
              `${r.agencyName}: ${PACE_STATE_TH[r.state]} OIT ${n(r.oit.done)}/${n(r.oit.assigned)} IIT ${n(r.iit.responses)}/${n(r.iit.required)} EIT ${n(r.eit.responses)}/${n(r.eit.required)}`,
          ),
        ),
        ...(f.deadLinks ? deadLinkLines(f.deadLinks) : []),
        `ดูภาพรวม: ${base}/`,
      ];
      break;
    }
    case 'link-dead':
      lines = [
        `[ITA] ${f.agencyName}: ลิงก์หลักฐาน OIT ข้อ ${f.itemId} ${f.itemNameTh} เปิดไม่ได้เกิน 24 ชั่วโมง`,
        `ลิงก์: ${f.url}`,
        `สาเหตุ: ${f.reasonTh}`,
        'โปรดแก้ไขหน้าเว็บให้เปิดได้ หรือส่งลิงก์ใหม่ของข้อนี้ในระบบ',
        `ส่งลิงก์ใหม่: ${agencyUrl(f.agencyId)}`,
      ];
      break;
  }
  return lines.join('\n').slice(0, LINE_TEXT_LIMIT);
};

/**
 * `X-Line-Retry-Key` of a delivery: a UUID derived from the delivery's id, so every retry of the
 * same delivery (the notifier's own, the bus's redelivery, a double fire) is one message at LINE,
 * which answers a repeated key with 409. A resend after a failure is the same message too.
 */
export const retryKeyOf = (assessmentId: string, id: string): string => {
  const bytes = createHash('sha256').update(`line-retry-key:${assessmentId}/${id}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50; // version 5 (name-based, SHA)
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

// ---------------------------------------------------------------- link codes

/** No 0/O, 1/I/L: a code is read off a screen and typed on a phone. */
export const LINK_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const LINK_CODE_LENGTH = 8;
export const LINK_CODE_TTL_HOURS = 24;

export const newLinkCode = (): string =>
  Array.from(
    { length: LINK_CODE_LENGTH },
    () => LINK_CODE_ALPHABET[randomInt(LINK_CODE_ALPHABET.length)],
  ).join('');

/** Codes are stored by hash: the table never holds a live code. */
export const hashLinkCode = (code: string): string => createHash('sha256').update(code).digest('hex');

const CODE_IN_TEXT = new RegExp(
  `(?:^|[^A-Z0-9])([${LINK_CODE_ALPHABET}]{4})[ -]?([${LINK_CODE_ALPHABET}]{4})(?:$|[^A-Z0-9])`,
);

/**
 * The link code in a group message, if the message is one: short, and carrying 8 characters of the
 * alphabet (spaces or a dash in the middle and lower case allowed). Ordinary chatter is not.
 */
export const codeInMessage = (text: string): string | null => {
  const trimmed = text.trim();
  if (trimmed.length > 60) return null;
  const match = CODE_IN_TEXT.exec(trimmed.toUpperCase());
  return match ? `${match[1]}${match[2]}` : null;
};

// ---------------------------------------------------------------- replies in the group

export const LINE_REPLIES = {
  linked: (ownerName: string, unitName: string) =>
    `เชื่อมกลุ่มนี้กับ "${ownerName}" (${unitName}) แล้ว ระบบติดตาม ITA จะแจ้งเตือนความก้าวหน้าในกลุ่มนี้`,
  relinked: (ownerName: string) => `เชื่อมกลุ่มนี้กับ "${ownerName}" แล้ว แทนกลุ่มเดิม การแจ้งเตือนจะส่งมาที่กลุ่มนี้เท่านั้น`,
  joinHelp:
    'สวัสดีครับ ระบบติดตามการขับเคลื่อนการประเมิน ITA\nเพื่อรับการแจ้งเตือนในกลุ่มนี้ ให้ผู้ประสานงานขอรหัสเชื่อมกลุ่ม 8 ตัวจากระบบ (หรือจากฝ่ายเลขานุการ) แล้วพิมพ์รหัสนั้นในกลุ่มนี้ รหัสใช้ได้ 24 ชั่วโมง ครั้งเดียว',
  used: 'รหัสนี้ถูกใช้เชื่อมกลุ่มไปแล้ว ใช้ได้ครั้งเดียว กรุณาขอรหัสใหม่จากระบบ',
  expired: 'รหัสนี้หมดอายุแล้ว (ใช้ได้ 24 ชั่วโมง) กรุณาขอรหัสใหม่จากระบบ',
  unknown: 'ไม่พบรหัสนี้ กรุณาตรวจสอบรหัส 8 ตัวอีกครั้ง หรือขอรหัสใหม่จากระบบ',
} as const;

/** The secretariat's email when a group stops receiving (the bot was removed or LINE refuses it). */
export const unlinkedEmail = (ownerName: string, unitName: string, reason: string) => ({
  subject: `[ITA ${unitName}] กลุ่ม LINE ของ ${ownerName} ไม่ได้รับการแจ้งเตือนแล้ว`,
  text: [
    'เรียน ฝ่ายเลขานุการคณะกรรมการขับเคลื่อนการประเมิน ITA',
    `ระบบส่งการแจ้งเตือนทาง LINE ไปยังกลุ่มของ ${ownerName} ไม่ได้ (${reason}) จึงยกเลิกการเชื่อมกลุ่มนี้แล้ว การแจ้งเตือนทางอีเมลยังส่งตามปกติ`,
    'หากต้องการรับทาง LINE อีก ให้เชิญบัญชี LINE Official Account ของจังหวัดเข้ากลุ่ม แล้วขอรหัสเชื่อมกลุ่มใหม่',
    'อีเมลฉบับนี้ส่งอัตโนมัติจากระบบติดตามการขับเคลื่อนการประเมิน ITA กรุณาอย่าตอบกลับ',
  ].join('\n\n'),
});

// ---------------------------------------------------------------- quota

/**
 * The month's LINE use at the current pace: what was counted so far, spread over the days
 * elapsed (today included), times the days in the month. LINE counts a push to a group once per
 * member, so this is messages, not pushes.
 */
export const projectMonth = (
  usedSoFar: number,
  today: IsoDate,
): { projected: number; daysInMonth: number } => {
  const [year, month, day] = today.split('-').map(Number) as [number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { projected: Math.round((usedSoFar / day) * daysInMonth), daysInMonth };
};

// ---------------------------------------------------------------- the port

/** Why a push did not go out: `quota` (429), `unlinked` (the group is gone for the bot), `transient`, `rejected`. */
export type LineFailure = 'quota' | 'unlinked' | 'transient' | 'rejected';

export class LineError extends Error {
  readonly failure: LineFailure;
  readonly status: number | undefined;
  constructor(message: string, failure: LineFailure, status?: number) {
    super(message);
    this.name = 'LineError';
    this.failure = failure;
    this.status = status;
  }
  get retryable(): boolean {
    return this.failure === 'transient';
  }
}

/** The port the notifier and the webhook speak LINE through (the adapter: `line-messenger.ts`). */
export type LineMessenger = {
  push: (to: string, text: string, retryKey: string) => Promise<{ messageId: string }>;
  reply: (replyToken: string, text: string) => Promise<void>;
  quota: () => Promise<{ limit: number | null; used: number }>;
  memberCount: (groupId: string) => Promise<number | null>;
};
