import type { ReportValue } from '#domain/progress-report';
import type { WorkbookSheet } from '#domain/progress-workbook';

/**
 * Writes workbook sheets to `.xlsx` with write-excel-file: bold Thai headers, the header row
 * frozen, column widths set. Dates are real Excel dates shown with Buddhist-era years by the
 * number format `[$-107041E]`: locale 041E (Thai) with calendar 07 (Thai Buddhist), Western digits
 * (01); Excel and LibreOffice both read it ("15 ม.ค. 2567"). Instants are shown as their wall
 * time in Asia/Bangkok, Excel having no time zones. Text is written as typed string cells, which
 * Excel never evaluates: unlike CSV it needs no `'` before a leading `=` (`neutralizeFormula`),
 * which here would become part of the value and break the template's round trip.
 */

export const BE_DATE_FORMAT = '[$-107041E]d mmm yyyy;@';
export const BE_DATE_TIME_FORMAT = '[$-107041E]d mmm yyyy hh:mm;@';

/** Bangkok is UTC+7 all year (no daylight saving): the wall time is the instant moved by 7 hours. */
const BANGKOK_OFFSET_MS = 7 * 60 * 60 * 1000;

const cellOf = (value: ReportValue) => {
  switch (value.kind) {
    case 'text':
      return value.value === ''
        ? null
        : { value: value.value, type: String, ...(value.value.includes('\n') ? { wrap: true } : {}) };
    case 'number':
      return { value: value.value, type: Number };
    case 'date':
      return value.value
        ? { value: new Date(`${value.value}T00:00:00Z`), type: Date, format: BE_DATE_FORMAT }
        : null;
    case 'instant':
      return value.value
        ? {
            value: new Date(Date.parse(value.value) + BANGKOK_OFFSET_MS),
            type: Date,
            format: BE_DATE_TIME_FORMAT,
          }
        : null;
  }
};

/**
 * Loaded at the first workbook, not at import: esbuild keeps a dynamically imported module in the
 * one bundle file but runs its body only when `import()` is reached, which keeps the library out
 * of the function's init (`npm run bench:bundle`); the first request pays for it instead.
 */
export const writeWorkbook = async (sheets: readonly WorkbookSheet[]): Promise<Buffer> => {
  const { default: writeExcelFile } = await import('write-excel-file/node');
  return writeExcelFile(
    sheets.map((sheet) => ({
      sheet: sheet.name,
      data: [
        sheet.headers.map((header) => ({ value: header, fontWeight: 'bold' as const, wrap: true })),
        ...sheet.rows.map((row) => row.map(cellOf)),
      ],
      columns: sheet.widths.map((width) => ({ width })),
      stickyRowsCount: 1,
    })),
  ).toBuffer();
};
