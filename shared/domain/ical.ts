import type { IsoDate } from './model.ts';
import { addDays } from './thai-date.ts';

/**
 * iCalendar (RFC 5545) feeds of the plan, for calendar apps to subscribe to. Every event is an
 * all-day window (DTSTART;VALUE=DATE, DTEND the day after the last day: DTEND is exclusive), so
 * a window shows on the same dates in any time zone; the calendar still names Asia/Bangkok.
 */

export type CalendarEvent = {
  /** Stable across fetches, so a subscribed calendar updates the event instead of duplicating it. */
  uid: string;
  summary: string;
  description: string;
  /** Inclusive first and last day, local dates. */
  start: IsoDate;
  end: IsoDate;
  categories?: string[];
};

export type CalendarFeed = {
  name: string;
  description: string;
  /** When the data last changed (DTSTAMP); fixed per version of the data so fetches are identical. */
  stamp: Date;
  events: CalendarEvent[];
};

const TIME_ZONE = 'Asia/Bangkok';
const MAX_OCTETS = 75;
const encoder = new TextEncoder();

/** TEXT value escaping (RFC 5545 §3.3.11): backslash, semicolon, comma, newline. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * Folds a content line at 75 octets (RFC 5545 §3.1). Thai takes 3 octets a character in UTF-8,
 * so the cut is made between characters, never inside one; continuation lines start with a space
 * that counts towards their 75.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    const limit = parts.length === 0 ? MAX_OCTETS : MAX_OCTETS - 1;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

const basicDate = (iso: IsoDate) => iso.replace(/-/g, '');
const utcStamp = (at: Date) =>
  at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** The feed as text: CRLF line endings, folded lines, ending with a CRLF. */
export function renderCalendar(feed: CalendarFeed): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//ita-campaign//ITA plan calendar//TH',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(feed.name)}`,
    `X-WR-CALDESC:${escapeText(feed.description)}`,
    `X-WR-TIMEZONE:${TIME_ZONE}`,
    // Hints for how often subscribers re-fetch; Outlook and Google pick their own interval anyway.
    'REFRESH-INTERVAL;VALUE=DURATION:PT12H',
    'X-PUBLISHED-TTL:PT12H',
    'BEGIN:VTIMEZONE',
    `TZID:${TIME_ZONE}`,
    'BEGIN:STANDARD',
    'DTSTART:19700101T000000',
    'TZOFFSETFROM:+0700',
    'TZOFFSETTO:+0700',
    'TZNAME:+07',
    'END:STANDARD',
    'END:VTIMEZONE',
    ...feed.events.flatMap((event) => [
      'BEGIN:VEVENT',
      `UID:${event.uid}`,
      `DTSTAMP:${utcStamp(feed.stamp)}`,
      `DTSTART;VALUE=DATE:${basicDate(event.start)}`,
      `DTEND;VALUE=DATE:${basicDate(addDays(event.end, 1))}`,
      `SUMMARY:${escapeText(event.summary)}`,
      `DESCRIPTION:${escapeText(event.description)}`,
      ...(event.categories?.length ? [`CATEGORIES:${event.categories.map(escapeText).join(',')}`] : []),
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    ]),
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}

// ---------------------------------------------------------------- the plan as events

type PlanMilestone = {
  number: number;
  title: string;
  periodText: string;
  window: { start: IsoDate; end: IsoDate };
  responsible: { text: string };
};

type PlanTask = {
  id: string;
  theme: { title: string };
  questions: { code: string; text: string }[];
  guideline: string;
  method: string;
  periodText: string;
  window: { start: IsoDate; end: IsoDate };
  responsibleText: string;
};

/** One event per milestone window: `ITA ขั้นตอนที่ 7: …`, the plan's own wording of the period. */
export const milestoneEvents = (
  assessmentId: string,
  milestones: readonly PlanMilestone[],
): CalendarEvent[] =>
  [...milestones]
    .sort((a, b) => a.number - b.number)
    .map((m) => ({
      uid: `milestone-${String(m.number).padStart(2, '0')}@${assessmentId}.ita-campaign`,
      summary: `ITA ขั้นตอนที่ ${m.number}: ${m.title}`,
      description: `ระยะเวลา: ${m.periodText}\nผู้รับผิดชอบ: ${m.responsible.text}`,
      start: m.window.start,
      end: m.window.end,
      categories: ['ITA'],
    }));

/** One event per improvement task window, for the agencies responsible for it. */
export const taskEvents = (assessmentId: string, tasks: readonly PlanTask[]): CalendarEvent[] =>
  tasks.map((t) => ({
    uid: `task-${t.id}@${assessmentId}.ita-campaign`,
    summary: `ITA ปรับปรุง: ${t.theme.title} (${t.questions.map((q) => q.code).join(', ')})`,
    description: [
      ...t.questions.map((q) => `${q.code} ${q.text}`),
      `แนวทางการปฏิบัติ: ${t.guideline}`,
      `วิธีการปฏิบัติ: ${t.method}`,
      `ระยะเวลา: ${t.periodText}`,
      `ผู้รับผิดชอบ: ${t.responsibleText}`,
    ].join('\n'),
    start: t.window.start,
    end: t.window.end,
    categories: ['ITA', 'ปรับปรุง'],
  }));
