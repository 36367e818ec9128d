import type { DateWindow, IsoDate } from './model.ts';

/**
 * The Thai calendar as the plan documents use it: Buddhist-era (BE) years, Thai month names,
 * and fiscal years running 1 October to 30 September. Dates are ISO `YYYY-MM-DD` strings in
 * the CE calendar, local to the assessment's time zone; all arithmetic is done on UTC
 * midnights so no host time zone or DST can shift a day.
 */

/** BE = CE + 543 for the whole modern calendar (Thailand moved New Year to 1 January in 1941). */
const BE_OFFSET = 543;

export function beToCe(beYear: number): number {
  return beYear - BE_OFFSET;
}

export function ceToBe(ceYear: number): number {
  return ceYear + BE_OFFSET;
}

/** Thai fiscal year `fiscalYearBE`: 1 October of the previous CE year to 30 September. */
export function fiscalYearWindow(fiscalYearBE: number): DateWindow {
  const ceYear = beToCe(fiscalYearBE);
  return { start: isoFromParts(ceYear - 1, 10, 1), end: isoFromParts(ceYear, 9, 30) };
}

/** The BE fiscal year a date falls in: October onwards belongs to the next year's budget. */
export function fiscalYearOf(isoDate: IsoDate): number {
  const { year, month } = isoParts(isoDate);
  return ceToBe(month >= 10 ? year + 1 : year);
}

// ---------------------------------------------------------------- months

export const THAI_MONTHS = [
  { full: 'มกราคม', abbr: 'ม.ค.' },
  { full: 'กุมภาพันธ์', abbr: 'ก.พ.' },
  { full: 'มีนาคม', abbr: 'มี.ค.' },
  { full: 'เมษายน', abbr: 'เม.ย.' },
  { full: 'พฤษภาคม', abbr: 'พ.ค.' },
  { full: 'มิถุนายน', abbr: 'มิ.ย.' },
  { full: 'กรกฎาคม', abbr: 'ก.ค.' },
  { full: 'สิงหาคม', abbr: 'ส.ค.' },
  { full: 'กันยายน', abbr: 'ก.ย.' },
  { full: 'ตุลาคม', abbr: 'ต.ค.' },
  { full: 'พฤศจิกายน', abbr: 'พ.ย.' },
  { full: 'ธันวาคม', abbr: 'ธ.ค.' },
] as const;

export type MonthStyle = 'full' | 'abbr';

/** Thai name of month 1–12. */
export function thaiMonthName(month: number, style: MonthStyle = 'full'): string {
  const entry = THAI_MONTHS[month - 1];
  if (entry === undefined) throw new RangeError(`month must be 1–12, got ${month}`);
  return entry[style];
}

/**
 * Month number 1–12 for a full or abbreviated Thai name, or `undefined`. Spaces are ignored and
 * the abbreviation's final dot is optional, because typed documents write `ต.ค.`, `ต. ค.` and `ต.ค`.
 */
export function parseThaiMonth(name: string): number | undefined {
  const key = name.normalize('NFC').replace(/\s+/g, '');
  const index = THAI_MONTHS.findIndex((m) => m.full === key || m.abbr === key || m.abbr === `${key}.`);
  return index === -1 ? undefined : index + 1;
}

// ---------------------------------------------------------------- calendar arithmetic

export function isLeapYear(ceYear: number): boolean {
  return (ceYear % 4 === 0 && ceYear % 100 !== 0) || ceYear % 400 === 0;
}

export function daysInMonth(ceYear: number, month: number): number {
  if (month === 2) return isLeapYear(ceYear) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The whole of one month (CE year, month 1–12) as an inclusive window. */
export function monthRange(ceYear: number, month: number): DateWindow {
  if (!Number.isInteger(month) || month < 1 || month > 12)
    throw new RangeError(`month must be 1–12, got ${month}`);
  return {
    start: isoFromParts(ceYear, month, 1),
    end: isoFromParts(ceYear, month, daysInMonth(ceYear, month)),
  };
}

export function isoFromParts(ceYear: number, month: number, day: number): IsoDate {
  return `${String(ceYear).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/** Year, month and day of a valid ISO date; throws a RangeError for anything else. */
export function isoParts(isoDate: IsoDate): { year: number; month: number; day: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  const year = Number(match?.[1]);
  const month = Number(match?.[2]);
  const day = Number(match?.[3]);
  if (!match || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(`not a valid ISO date: ${JSON.stringify(isoDate)}`);
  }
  return { year, month, day };
}

export function isIsoDate(value: string): boolean {
  try {
    isoParts(value);
    return true;
  } catch {
    return false;
  }
}

const DAY_MS = 86_400_000;

function toEpochDay(isoDate: IsoDate): number {
  const { year, month, day } = isoParts(isoDate);
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

function fromEpochDay(epochDay: number): IsoDate {
  return new Date(epochDay * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(isoDate: IsoDate, days: number): IsoDate {
  return fromEpochDay(toEpochDay(isoDate) + days);
}

/** Whole days from `a` to `b`: positive when `b` is later, 0 for the same day. */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return toEpochDay(b) - toEpochDay(a);
}

/** The same day `years` later; 29 February lands on 28 February in a common year. */
export function addYears(isoDate: IsoDate, years: number): IsoDate {
  const { year, month, day } = isoParts(isoDate);
  const target = year + years;
  return isoFromParts(target, month, Math.min(day, daysInMonth(target, month)));
}

/**
 * Today's date in `timeZone` at instant `now`. Uses Intl so it is right for any zone; deadlines
 * are local dates, and near midnight the UTC date is a day behind Bangkok's.
 */
export function todayIn(timeZone: string, now: Date = new Date()): IsoDate {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

// ---------------------------------------------------------------- formatting

/** `15 กุมภาพันธ์ 2567` (full) or `15 ก.พ. 2567` (abbr). */
export function formatThaiDate(isoDate: IsoDate, style: MonthStyle = 'full'): string {
  const { year, month, day } = isoParts(isoDate);
  return `${day} ${thaiMonthName(month, style)} ${ceToBe(year)}`;
}

/**
 * A window in one phrase, leaving out what the end repeats: `15 ก.พ. 2567` for one day,
 * `1 – 15 มิ.ย. 2567` within a month, `1 ม.ค. – 31 มี.ค. 2567` within a year and
 * `1 ต.ค. 2566 – 31 มี.ค. 2567` across years. The en dash is spaced throughout so the shapes
 * read alike in one list.
 */
export function formatThaiWindow(window: DateWindow, style: MonthStyle = 'abbr'): string {
  const start = isoParts(window.start);
  const end = isoParts(window.end);
  const endText = formatThaiDate(window.end, style);
  if (window.start === window.end) return endText;
  if (start.year === end.year && start.month === end.month) return `${start.day} – ${endText}`;
  if (start.year === end.year) return `${start.day} ${thaiMonthName(start.month, style)} – ${endText}`;
  return `${formatThaiDate(window.start, style)} – ${endText}`;
}

/**
 * Bangkok is UTC+7 all year with no daylight saving, so a fixed offset gives the local wall time
 * without depending on the host's ICU data.
 */
const BANGKOK_OFFSET_MS = 7 * 60 * 60 * 1000;

/** An instant as Bangkok wall time: `2024-02-15T01:30:00Z` -> `15 ก.พ. 2567 08:30 น.` */
export function formatThaiDateTime(instant: string | Date, style: MonthStyle = 'abbr'): string {
  const ms = instant instanceof Date ? instant.getTime() : Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`not a valid instant: ${JSON.stringify(String(instant))}`);
  const local = new Date(ms + BANGKOK_OFFSET_MS);
  const date = local.toISOString().slice(0, 10);
  return `${formatThaiDate(date, style)} ${pad2(local.getUTCHours())}:${pad2(local.getUTCMinutes())} น.`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

// ---------------------------------------------------------------- parsing periods

export type ThaiPeriodForm = 'date' | 'month' | 'range' | 'deadline-date' | 'deadline-month';

export type ThaiPeriodResult =
  | { ok: true; window: DateWindow; form: ThaiPeriodForm }
  | { ok: false; error: string };

export type ParseThaiPeriodOptions = {
  /**
   * Where a bare deadline (`ภายในวันที่ 30 เมษายน 2567`) starts. The plan gives only the last
   * day, and the ITAS calendar shows such steps as occupying the deadline's month, so by default
   * the window opens on the 1st of that month. Pass a date (e.g. the end of the previous step or
   * the fiscal year's start) to open it earlier; it must not be after the deadline.
   */
  defaultStart?: IsoDate;
};

type Endpoint = { day?: number; month?: number; year?: number };

const THAI_DIGITS = /[๐-๙]/g;
const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D-]/g;

const MONTH_PATTERN = [...THAI_MONTHS.flatMap((m) => [m.full, m.abbr])]
  .sort((a, b) => b.length - a.length)
  .map((name) => name.replace(/\./g, '\\.\\s*').replace(/\\s\*$/, '?'))
  .join('|');

const ENDPOINT = new RegExp(
  `^(?:วันที่\\s*)?(?:(\\d{1,2})(?!\\d)\\s*)?(?:(?:เดือน\\s*)?(${MONTH_PATTERN})\\s*)?(\\d{4}|\\d{2})?$`,
);

const failure = (text: string, reason: string): ThaiPeriodResult => ({
  ok: false,
  error: `cannot read the period ${JSON.stringify(text)}: ${reason}`,
});

/**
 * Reads a period as Thai plans write it into an inclusive window of CE dates:
 * `ธันวาคม 2566` and `ภายในเดือน พฤษภาคม 2567` (the whole month), `วันที่ 1 มกราคม 2567`
 * (one day), `มกราคม 2567 ถึง 1 กรกฎาคม 2567`, `ต.ค. 2566 – มี.ค. 2567` and
 * `วันที่ 1 - 15 มิถุนายน 2567` (ranges: a month at the start means its 1st, at the end its last
 * day; parts missing from the start are taken from the end), and `ภายในวันที่ 30 เมษายน 2567`
 * (a deadline, see {@link ParseThaiPeriodOptions.defaultStart}). `พ.ศ.` is optional, whitespace
 * is free, any dash works, Thai digits are read, and a two-digit year means 25xx (`ม.ค. 67`).
 * Never throws: text it cannot read gives `{ ok: false, error }`.
 */
export function parseThaiPeriod(text: string, opts: ParseThaiPeriodOptions = {}): ThaiPeriodResult {
  const normalised = text
    .normalize('NFC')
    .replace(THAI_DIGITS, (d) => String(d.charCodeAt(0) - 0x0e50))
    .replace(/พ\.\s*ศ\.?/g, ' ')
    .replace(DASHES, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^ตั้งแต่\s*/, '');
  if (normalised === '') return failure(text, 'the text is empty');

  const deadline = /^ภายใน\s*(.*)$/.exec(normalised);
  if (deadline) return parseDeadline(text, deadline[1] ?? '', opts);

  const parts = normalised.split(/\s*(?:จนถึง|ถึง|-)\s*/);
  if (parts.length > 2) return failure(text, 'expected at most one "ถึง" or dash');
  if (parts.length === 1) {
    const single = readEndpoint(normalised);
    if (!single) return failure(text, 'expected a Thai date, a month and year, or a range of them');
    if (single.month === undefined || single.year === undefined)
      return failure(text, 'the year or month is missing');
    return toWindow(text, single, single, single.day === undefined ? 'month' : 'date');
  }

  const [startText = '', endText = ''] = parts;
  const start = readEndpoint(startText);
  const end = readEndpoint(endText);
  if (!start || !end) return failure(text, `cannot read ${JSON.stringify(!start ? startText : endText)}`);
  if (end.month === undefined || end.year === undefined) return failure(text, 'the end has no month or year');
  if (start.day === undefined && start.month === undefined)
    return failure(text, 'the start has no day or month');

  const filled: Endpoint = { day: start.day, month: start.month ?? end.month, year: start.year ?? end.year };
  // `ต.ค. - มี.ค. 2567`: a start month later than the end month with no year of its own
  // belongs to the previous year.
  if (start.year === undefined && (filled.month ?? 0) > end.month) filled.year = end.year - 1;
  return toWindow(text, filled, end, 'range');
}

function parseDeadline(text: string, rest: string, opts: ParseThaiPeriodOptions): ThaiPeriodResult {
  const endpoint = readEndpoint(rest);
  if (!endpoint || endpoint.month === undefined || endpoint.year === undefined) {
    return failure(text, 'expected a date or a month and year after "ภายใน"');
  }
  if (endpoint.day === undefined) return toWindow(text, endpoint, endpoint, 'deadline-month');
  const end = toWindow(text, endpoint, endpoint, 'deadline-date');
  if (!end.ok) return end;
  const start = opts.defaultStart ?? `${end.window.end.slice(0, 8)}01`;
  if (!isIsoDate(start))
    return failure(text, `the default start ${JSON.stringify(start)} is not an ISO date`);
  if (start > end.window.end) return failure(text, `the default start ${start} is after the deadline`);
  return { ok: true, window: { start, end: end.window.end }, form: 'deadline-date' };
}

function readEndpoint(text: string): Endpoint | undefined {
  const match = ENDPOINT.exec(text.trim());
  if (!match || (match[1] === undefined && match[2] === undefined && match[3] === undefined))
    return undefined;
  const [, day, monthName, year] = match;
  return {
    day: day === undefined ? undefined : Number(day),
    month: monthName === undefined ? undefined : parseThaiMonth(monthName),
    year: year === undefined ? undefined : beToCe(year.length === 2 ? 2500 + Number(year) : Number(year)),
  };
}

function toWindow(text: string, from: Endpoint, to: Endpoint, form: ThaiPeriodForm): ThaiPeriodResult {
  const start = resolve(from, 'start');
  const end = resolve(to, 'end');
  if (typeof start !== 'string') return failure(text, start.error);
  if (typeof end !== 'string') return failure(text, end.error);
  if (start > end) return failure(text, `the start ${start} is after the end ${end}`);
  return { ok: true, window: { start, end }, form };
}

function resolve(endpoint: Endpoint, side: 'start' | 'end'): IsoDate | { error: string } {
  const { day, month, year } = endpoint;
  if (month === undefined || year === undefined) return { error: `the ${side} has no month or year` };
  // Four-digit years in these documents are BE; a CE year here means the text was misread.
  if (year < 1900 || year > 2200) return { error: `the year ${ceToBe(year)} is not a plausible B.E. year` };
  const last = daysInMonth(year, month);
  if (day === undefined) return isoFromParts(year, month, side === 'start' ? 1 : last);
  if (day < 1 || day > last) {
    return { error: `${thaiMonthName(month)} ${ceToBe(year)} has no day ${day} (it has ${last} days)` };
  }
  return isoFromParts(year, month, day);
}
