import * as z from 'zod/mini';
import { LINK_STATE_TH } from './labels.ts';
import type { BlockReason } from './link-guard.ts';
import { IsoDateTime } from './primitives.ts';

/**
 * The health of one evidence URL.
 * - `unchecked`: submitted, not checked yet.
 * - `alive`: the last check ended in a 2xx within 5 redirects (and not a soft 404).
 * - `failing`: the last check failed, but not yet on two checks 24 hours apart.
 * - `dead`: failed on checks at least 24 hours apart with no success between (no flapping).
 * - `blocked`: the guard refused the URL or an address it leads to (it will never be fetched).
 */
export const LinkState = z.enum(['unchecked', 'alive', 'failing', 'dead', 'blocked']);
export type LinkState = z.infer<typeof LinkState>;

/** Why one check failed (`BlockReason` for a blocked link). */
export const LinkError = z.enum([
  'http_status',
  'soft_404',
  'timeout',
  'dns',
  'connection_refused',
  'connection_reset',
  'tls',
  'too_many_redirects',
  'redirect_without_location',
  'network',
  'scheme',
  'port',
  'credentials',
  'invalid_url',
  'no_address',
  'address_not_public',
  'outside_loopback',
]);
export type LinkError = z.infer<typeof LinkError>;

export const LinkHealth = z.strictObject({
  url: z.string(),
  state: LinkState,
  /** The last final status code, when the check got one. */
  status: z.optional(z.number().check(z.int())),
  error: z.optional(LinkError),
  /** The technical detail (an address, a matched soft-404 phrase), for the secretariat. */
  detail: z.optional(z.string()),
  /** Where the redirects ended (the URL itself when there were none). */
  finalUrl: z.optional(z.string()),
  checkedAt: z.optional(IsoDateTime),
  consecutiveFailures: z.number().check(z.int(), z.gte(0)),
  /** The first failed check of the current run of failures; dead 24 hours after it (on a further failure). */
  failingSince: z.optional(IsoDateTime),
  /** When the link turned dead (the transition's identity: one message per link per transition). */
  deadSince: z.optional(IsoDateTime),
});
export type LinkHealth = z.infer<typeof LinkHealth>;

/** What one check found, before the state rules. */
export type LinkCheckResult =
  | { outcome: 'alive'; status: number; finalUrl: string; redirects: number }
  | {
      outcome: 'failed';
      error: Exclude<LinkError, BlockReason>;
      status?: number;
      detail?: string;
      finalUrl: string;
      redirects: number;
    }
  | { outcome: 'blocked'; error: BlockReason; detail: string; finalUrl: string; redirects: number };

export const DEAD_AFTER_MS = 24 * 60 * 60 * 1000;

export const uncheckedLink = (url: string): LinkHealth => ({
  url,
  state: 'unchecked',
  consecutiveFailures: 0,
});

/**
 * The next health of a link after one check, and how the dead count moves (+1 when it turns dead,
 * −1 when a dead link comes back or is blocked). Dead needs two failed checks at least 24 hours
 * apart with no success between; the first success makes it alive again.
 */
export const nextLinkHealth = (
  previous: LinkHealth,
  result: LinkCheckResult,
  at: string,
): { health: LinkHealth; deadDelta: -1 | 0 | 1 } => {
  const wasDead = previous.state === 'dead';
  const common = { url: previous.url, finalUrl: result.finalUrl, checkedAt: at };
  if (result.outcome === 'alive') {
    return {
      health: { ...common, state: 'alive', status: result.status, consecutiveFailures: 0 },
      deadDelta: wasDead ? -1 : 0,
    };
  }
  if (result.outcome === 'blocked') {
    return {
      health: {
        ...common,
        state: 'blocked',
        error: result.error,
        detail: result.detail,
        consecutiveFailures: 0,
      },
      deadDelta: wasDead ? -1 : 0,
    };
  }
  const continuing = previous.state === 'failing' || wasDead;
  const failingSince = continuing && previous.failingSince ? previous.failingSince : at;
  const consecutiveFailures = continuing ? previous.consecutiveFailures + 1 : 1;
  const dead =
    wasDead || (consecutiveFailures >= 2 && Date.parse(at) - Date.parse(failingSince) >= DEAD_AFTER_MS);
  const failure = {
    ...common,
    status: result.status,
    error: result.error,
    detail: result.detail,
    consecutiveFailures,
    failingSince,
  };
  if (!dead) return { health: { ...failure, state: 'failing' }, deadDelta: 0 };
  return {
    health: { ...failure, state: 'dead', deadSince: wasDead ? previous.deadSince : at },
    deadDelta: wasDead ? 0 : 1,
  };
};

/**
 * Titles and first headings that mark a `200` page as a soft 404, compared in lower case after
 * collapsing white space. Kept to phrases that say the page is missing, not that a search found
 * nothing on a live page.
 */
export const SOFT_404_PHRASES = [
  'page not found',
  'not found',
  'cannot be found',
  "can't be found",
  'could not be found',
  'does not exist',
  'no longer available',
  'error 404',
  '404 error',
  '404 -',
  '- 404',
  'ไม่พบหน้า',
  'ไม่พบเพจ',
  'ไม่พบไฟล์',
  'ไม่พบเนื้อหา',
  'ไม่พบลิงก์',
  'หน้านี้ไม่มีอยู่',
  'ไม่มีหน้านี้',
  'ไม่มีหน้าที่คุณต้องการ',
  'ไม่สามารถเข้าถึงหน้านี้',
] as const;

const TAG_TEXT = /<(title|h1)\b[^>]*>([\s\S]*?)<\/\1\s*>/gi;

const visibleText = (inner: string): string =>
  inner
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;|&#160;/gi, ' ')
    .replace(/&amp;/gi, '&')
    .replace(/&#39;|&apos;|&rsquo;/gi, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();

/** The phrase that makes a page a soft 404 (in its `<title>` or an `<h1>`), if any. */
export const softNotFound = (html: string): string | undefined => {
  for (const match of html.matchAll(TAG_TEXT)) {
    const text = visibleText(match[2] ?? '');
    const phrase = SOFT_404_PHRASES.find((p) => text.includes(p));
    if (phrase) return phrase;
  }
  return undefined;
};

/** The error in plain Thai, for the agency's message, the pages and the weekly list. */
export const LINK_ERROR_TH: Record<LinkError, string> = {
  http_status: 'เว็บไซต์ตอบกลับว่าไม่พบหน้าหรือเกิดข้อผิดพลาด',
  soft_404: 'หน้าเว็บเปิดได้ แต่แสดงข้อความว่าไม่พบหน้าที่ต้องการ',
  timeout: 'เว็บไซต์ไม่ตอบกลับภายใน 10 วินาที',
  dns: 'ไม่พบชื่อเว็บไซต์นี้ (โดเมนอาจหมดอายุหรือพิมพ์ผิด)',
  connection_refused: 'เว็บไซต์ปฏิเสธการเชื่อมต่อ (เครื่องแม่ข่ายอาจปิดอยู่)',
  connection_reset: 'การเชื่อมต่อกับเว็บไซต์ถูกตัดกลางคัน',
  tls: 'ใบรับรองความปลอดภัย (HTTPS) ของเว็บไซต์ไม่ถูกต้องหรือหมดอายุ',
  too_many_redirects: 'ลิงก์ส่งต่อไปยังหน้าอื่นเกิน 5 ครั้ง',
  redirect_without_location: 'เว็บไซต์ส่งต่อไปยังหน้าอื่นโดยไม่ระบุปลายทาง',
  network: 'เชื่อมต่อเว็บไซต์ไม่ได้',
  scheme: 'ลิงก์ต้องขึ้นต้นด้วย http หรือ https',
  port: 'ลิงก์ใช้พอร์ตที่ไม่ใช่ 80 หรือ 443 ซึ่งผู้ประเมินอาจเปิดไม่ได้',
  credentials: 'ลิงก์มีชื่อผู้ใช้หรือรหัสผ่านอยู่ในตัว',
  invalid_url: 'ลิงก์ไม่ถูกต้อง',
  no_address: 'ไม่พบที่อยู่ของเว็บไซต์นี้',
  address_not_public: 'ลิงก์ชี้ไปยังเครือข่ายภายในที่บุคคลภายนอกเปิดไม่ได้',
  outside_loopback: 'ระบบทดสอบในเครื่องไม่ตรวจลิงก์ภายนอก',
};

/** The state words live with the other Thai labels; re-exported for the link watch's callers. */
export { LINK_STATE_TH };

/** Whether a result is worth another attempt within the same check (a transient failure). */
export const isTransient = (result: LinkCheckResult): boolean =>
  result.outcome === 'failed' &&
  (result.error === 'timeout' ||
    result.error === 'connection_reset' ||
    (result.error === 'http_status' &&
      result.status !== undefined &&
      (result.status >= 500 || result.status === 408 || result.status === 429)));

/** One evidence URL's health as the API shows it (the agency's page, the approver's queue). */
export const LinkView = z.strictObject({
  url: z.string(),
  state: LinkState,
  stateTh: z.string(),
  status: z.optional(z.number().check(z.int())),
  error: z.optional(LinkError),
  errorTh: z.optional(z.string()),
  finalUrl: z.optional(z.string()),
  checkedAt: z.optional(IsoDateTime),
  consecutiveFailures: z.number().check(z.int(), z.gte(0)),
  deadSince: z.optional(IsoDateTime),
});
export type LinkView = z.infer<typeof LinkView>;

export const linkView = (health: LinkHealth): LinkView => ({
  url: health.url,
  state: health.state,
  stateTh: LINK_STATE_TH[health.state],
  ...(health.status !== undefined ? { status: health.status } : {}),
  ...(health.error ? { error: health.error, errorTh: LINK_ERROR_TH[health.error] } : {}),
  ...(health.finalUrl ? { finalUrl: health.finalUrl } : {}),
  ...(health.checkedAt ? { checkedAt: health.checkedAt } : {}),
  consecutiveFailures: health.consecutiveFailures,
  ...(health.deadSince && health.state === 'dead' ? { deadSince: health.deadSince } : {}),
});

/** Each URL of one item's evidence with its health, `unchecked` until a check is stored. */
export const evidenceLinks = (urls: readonly string[], known: ReadonlyMap<string, LinkHealth> | undefined) =>
  urls.map((url) => linkView(known?.get(url) ?? uncheckedLink(url)));
