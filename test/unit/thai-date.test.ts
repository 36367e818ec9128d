import { describe, expect, it } from 'vitest';
import {
  addDays,
  addYears,
  beToCe,
  ceToBe,
  daysBetween,
  daysInMonth,
  fiscalYearOf,
  fiscalYearWindow,
  formatThaiDate,
  formatThaiDateTime,
  formatThaiWindow,
  monthRange,
  parseThaiMonth,
  parseThaiPeriod,
  THAI_MONTHS,
  thaiMonthName,
  todayIn,
} from '#domain/thai-date';

describe('years and fiscal years', () => {
  it('converts between B.E. and C.E.', () => {
    // Prepare
    const be = 2567;

    // Act
    const ce = beToCe(be);

    // Assess
    expect(ce).toBe(2024);
    expect(ceToBe(ce)).toBe(2567);
  });

  it('runs FY2567 from 1 October 2023 to 30 September 2024', () => {
    // Prepare
    const fiscalYear = 2567;

    // Act
    const window = fiscalYearWindow(fiscalYear);

    // Assess
    expect(window).toEqual({ start: '2023-10-01', end: '2024-09-30' });
  });

  it('puts October in the next fiscal year and September in the current one', () => {
    // Prepare
    const dates = ['2023-09-30', '2023-10-01', '2024-09-30'];

    // Act
    const years = dates.map(fiscalYearOf);

    // Assess
    expect(years).toEqual([2566, 2567, 2567]);
  });
});

describe('month names', () => {
  it('names all twelve months, full and abbreviated, and reads both back', () => {
    // Prepare
    const months = Array.from({ length: 12 }, (_, i) => i + 1);

    // Act
    const full = months.map((m) => thaiMonthName(m));
    const abbr = months.map((m) => thaiMonthName(m, 'abbr'));

    // Assess
    expect(full[0]).toBe('มกราคม');
    expect(full[11]).toBe('ธันวาคม');
    expect(abbr).toEqual([
      'ม.ค.',
      'ก.พ.',
      'มี.ค.',
      'เม.ย.',
      'พ.ค.',
      'มิ.ย.',
      'ก.ค.',
      'ส.ค.',
      'ก.ย.',
      'ต.ค.',
      'พ.ย.',
      'ธ.ค.',
    ]);
    expect(full.map(parseThaiMonth)).toEqual(months);
    expect(abbr.map(parseThaiMonth)).toEqual(months);
    expect(THAI_MONTHS).toHaveLength(12);
  });

  it('reads an abbreviation with spaces or without its final dot, and rejects other words', () => {
    // Prepare
    const names = ['ต. ค.', 'ต.ค', 'ตุลา'];

    // Act
    const months = names.map(parseThaiMonth);

    // Assess
    expect(months).toEqual([10, 10, undefined]);
  });
});

describe('parseThaiPeriod', () => {
  it.each([
    ['ธันวาคม 2566', '2023-12-01', '2023-12-31', 'month'],
    ['มกราคม 2567', '2024-01-01', '2024-01-31', 'month'],
    ['มกราคม 2567 ถึง 1 กรกฎาคม 2567', '2024-01-01', '2024-07-01', 'range'],
    ['มกราคม 2567 ถึง 31 มีนาคม 2567', '2024-01-01', '2024-03-31', 'range'],
    ['มกราคม 2567 ถึง 1 เมษายน 2567', '2024-01-01', '2024-04-01', 'range'],
    ['มกราคม 2566 ถึง 1 เมษายน 2567', '2023-01-01', '2024-04-01', 'range'],
    ['ภายในวันที่ 30 เมษายน 2567', '2024-04-01', '2024-04-30', 'deadline-date'],
    ['ภายในเดือน พฤษภาคม 2567', '2024-05-01', '2024-05-31', 'deadline-month'],
    ['วันที่ 1 - 15 มิถุนายน 2567', '2024-06-01', '2024-06-15', 'range'],
    ['วันที่ 16 - 30 มิถุนายน 2567', '2024-06-16', '2024-06-30', 'range'],
    ['วันที่ 1 - 31 กรกฎาคม 2567', '2024-07-01', '2024-07-31', 'range'],
    ['วันที่ 1 - 31 สิงหาคม 2567', '2024-08-01', '2024-08-31', 'range'],
    ['ต.ค. 2566 – มี.ค. 2567', '2023-10-01', '2024-03-31', 'range'],
    ['ต.ค. 2566 - มี.ค. 2567', '2023-10-01', '2024-03-31', 'range'],
  ])('reads the seed phrase %s', (text, start, end, form) => {
    // Prepare
    const phrase = text;

    // Act
    const result = parseThaiPeriod(phrase);

    // Assess
    expect(result).toEqual({ ok: true, window: { start, end }, form });
  });

  it.each([
    ['ต.ค.2566–มี.ค.2567'],
    ['  ต.ค.   2566   —   มี.ค.  2567 '],
    ['ต.ค. พ.ศ. 2566 - มี.ค. พ.ศ.2567'],
    ['ตั้งแต่ ต.ค. 2566 จนถึง มี.ค. 2567'],
    ['ต.ค. – มี.ค. 2567'],
    ['ต.ค. ๒๕๖๖ – มี.ค. ๒๕๖๗'],
    ['ต.ค. 66 – มี.ค. 67'],
  ])('is flexible about spacing, dashes, พ.ศ., Thai digits and a missing start year: %s', (text) => {
    // Prepare
    const phrase = text;

    // Act
    const result = parseThaiPeriod(phrase);

    // Assess
    expect(result).toMatchObject({ ok: true, window: { start: '2023-10-01', end: '2024-03-31' } });
  });

  it('ends February 2567 (2024, a leap year) on the 29th and February 2566 on the 28th', () => {
    // Prepare
    const leap = 'กุมภาพันธ์ 2567';
    const common = 'ก.พ. 2566';

    // Act
    const leapResult = parseThaiPeriod(leap);
    const commonResult = parseThaiPeriod(common);

    // Assess
    expect(leapResult).toMatchObject({ ok: true, window: { start: '2024-02-01', end: '2024-02-29' } });
    expect(commonResult).toMatchObject({ ok: true, window: { start: '2023-02-01', end: '2023-02-28' } });
    expect(parseThaiPeriod('วันที่ 29 กุมภาพันธ์ 2567')).toMatchObject({ ok: true, form: 'date' });
  });

  it('refuses 29 February in a common year with a message', () => {
    // Prepare
    const phrase = 'วันที่ 29 กุมภาพันธ์ 2566';

    // Act
    const result = parseThaiPeriod(phrase);

    // Assess
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/has no day 29 \(it has 28 days\)/) });
  });

  it('opens a deadline on a given default start instead of the 1st of its month', () => {
    // Prepare
    const phrase = 'ภายในวันที่ 30 เมษายน 2567';

    // Act
    const early = parseThaiPeriod(phrase, { defaultStart: '2024-01-01' });
    const late = parseThaiPeriod(phrase, { defaultStart: '2024-05-01' });

    // Assess
    expect(early).toEqual({
      ok: true,
      window: { start: '2024-01-01', end: '2024-04-30' },
      form: 'deadline-date',
    });
    expect(late).toEqual({ ok: false, error: expect.stringMatching(/after the deadline/) });
  });

  it.each([
    ['เร็ว ๆ นี้'],
    [''],
    ['32 มกราคม 2567'],
    ['มีนาคม 2567 ถึง มกราคม 2567'],
    ['มกราคม'],
    ['1 - 2 - 3 มกราคม 2567'],
    ['January 2024'],
  ])('gives a typed failure, not an exception, for %j', (text) => {
    // Prepare
    const phrase = text;

    // Act
    const result = parseThaiPeriod(phrase);

    // Assess
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^cannot read the period/);
  });
});

describe('formatting', () => {
  it('formats a date in Thai B.E., full and abbreviated', () => {
    // Prepare
    const date = '2024-02-15';

    // Act
    const full = formatThaiDate(date);
    const abbr = formatThaiDate(date, 'abbr');

    // Assess
    expect(full).toBe('15 กุมภาพันธ์ 2567');
    expect(abbr).toBe('15 ก.พ. 2567');
  });

  it('formats windows leaving out what the end repeats', () => {
    // Prepare
    const windows = [
      { start: '2024-04-30', end: '2024-04-30' },
      { start: '2024-06-01', end: '2024-06-15' },
      { start: '2024-01-01', end: '2024-03-31' },
      { start: '2023-10-01', end: '2024-03-31' },
    ];

    // Act
    const texts = windows.map((w) => formatThaiWindow(w));

    // Assess
    expect(texts).toEqual([
      '30 เม.ย. 2567',
      '1 – 15 มิ.ย. 2567',
      '1 ม.ค. – 31 มี.ค. 2567',
      '1 ต.ค. 2566 – 31 มี.ค. 2567',
    ]);
    expect(formatThaiWindow(windows[2]!, 'full')).toBe('1 มกราคม – 31 มีนาคม 2567');
  });

  it('formats an instant as Bangkok wall time, across the date line at midnight', () => {
    // Prepare
    const morning = '2024-02-15T01:30:00Z';
    const lateUtc = new Date('2024-02-29T17:05:00Z');

    // Act
    const morningText = formatThaiDateTime(morning);
    const lateText = formatThaiDateTime(lateUtc);

    // Assess
    expect(morningText).toBe('15 ก.พ. 2567 08:30 น.');
    expect(lateText).toBe('1 มี.ค. 2567 00:05 น.');
    expect(formatThaiDateTime('2024-02-15T08:30:00+07:00', 'full')).toBe('15 กุมภาพันธ์ 2567 08:30 น.');
  });

  it('refuses an invalid date or instant', () => {
    // Prepare
    const badDate = '2024-02-30';

    // Act
    const formatBadDate = () => formatThaiDate(badDate);
    const formatBadInstant = () => formatThaiDateTime('not a time');

    // Assess
    expect(formatBadDate).toThrow(RangeError);
    expect(formatBadInstant).toThrow(RangeError);
  });
});

describe('date arithmetic', () => {
  it('gives the Bangkok date, which is a day ahead of UTC from 17:00 UTC', () => {
    // Prepare
    const beforeMidnight = new Date('2024-03-31T16:59:59Z');
    const atMidnight = new Date('2024-03-31T17:00:00Z');

    // Act
    const before = todayIn('Asia/Bangkok', beforeMidnight);
    const after = todayIn('Asia/Bangkok', atMidnight);

    // Assess
    expect(before).toBe('2024-03-31');
    expect(after).toBe('2024-04-01');
    expect(todayIn('UTC', atMidnight)).toBe('2024-03-31');
  });

  it('adds days across month, year and leap-day boundaries', () => {
    // Prepare
    const date = '2024-02-28';

    // Act
    const next = addDays(date, 1);
    const afterNext = addDays(date, 2);

    // Assess
    expect(next).toBe('2024-02-29');
    expect(afterNext).toBe('2024-03-01');
    expect(addDays('2023-12-31', 1)).toBe('2024-01-01');
    expect(addDays('2024-01-01', -1)).toBe('2023-12-31');
  });

  it('counts days between dates, signed', () => {
    // Prepare
    const fiscalYear = fiscalYearWindow(2567);

    // Act
    const days = daysBetween(fiscalYear.start, fiscalYear.end);

    // Assess
    expect(days).toBe(365);
    expect(daysBetween('2024-03-01', '2024-02-28')).toBe(-2);
    expect(daysBetween('2024-03-01', '2024-03-01')).toBe(0);
  });

  it('adds years, landing 29 February on 28 February in a common year', () => {
    // Prepare
    const leapDay = '2024-02-29';

    // Act
    const nextYear = addYears(leapDay, 1);
    const fourYears = addYears(leapDay, 4);

    // Assess
    expect(nextYear).toBe('2025-02-28');
    expect(fourYears).toBe('2028-02-29');
    expect(addYears('2024-10-01', -1)).toBe('2023-10-01');
  });

  it('gives whole months, with the leap February', () => {
    // Prepare
    const year = 2024;

    // Act
    const february = monthRange(year, 2);
    const december = monthRange(year, 12);

    // Assess
    expect(february).toEqual({ start: '2024-02-01', end: '2024-02-29' });
    expect(december).toEqual({ start: '2024-12-01', end: '2024-12-31' });
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(() => monthRange(year, 13)).toThrow(RangeError);
  });
});
