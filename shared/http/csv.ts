import { neutralizeFormula } from '#domain/cell-text';
import type { HttpResult } from './types.ts';

/** Excel reads a CSV as the local code page unless it starts with a byte order mark. */
const BOM = '\uFEFF';

/**
 * One field, RFC 4180: quoted when it holds a comma, quote, CR or LF, quotes doubled. A field a
 * spreadsheet would run as a formula is made inert first (`neutralizeFormula`), since names come
 * from callers.
 */
export const csvField = (value: string | number | null | undefined): string => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const safe = neutralizeFormula(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** A whole document: BOM, CRLF line ends, a final CRLF. */
export const csvDocument = (rows: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>): string =>
  BOM + rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';

/** The download response; the file name goes both as ASCII and, RFC 6266, as UTF-8. */
export const csvResponse = (filename: string, body: string): HttpResult => {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
    },
    body,
  };
};
