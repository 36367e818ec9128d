/**
 * A sheet as the import reads it, whichever file it came from: rows of cells (row 1 first, column
 * A first) and the cells that held a formula. `.xlsx` files are read by the adapter
 * (shared/adapters/xlsx-reader.ts); CSV text is parsed here.
 */

export type Cell = string | number | boolean | Date | null;

/** A file as it was sent: an Excel workbook or CSV text, its bytes. */
export type Upload = { format: 'xlsx' | 'csv'; bytes: Buffer };

export type SheetGrid = {
  rows: Cell[][];
  /** Cell references (`B7`) of formula cells: the import takes values, never formulas. */
  formulas: string[];
};

/** `0` → `A`, `25` → `Z`, `26` → `AA`: the column letters Excel shows. */
export const columnLetter = (index: number): string => {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  }
  return name;
};

/** `B7` for column index 1 of row 7. */
export const cellRef = (columnIndex: number, row: number): string => `${columnLetter(columnIndex)}${row}`;

export class CsvSyntaxError extends Error {
  constructor(readonly line: number) {
    super(`unterminated quoted field starting on line ${line}`);
    this.name = 'CsvSyntaxError';
  }
}

/**
 * RFC 4180 records: fields separated by commas, quoted fields may hold commas, doubled quotes and
 * line breaks; CRLF or LF ends a record; a final line break adds no record. A leading byte order
 * mark is dropped (Excel writes one in "CSV UTF-8").
 */
export const parseCsv = (text: string): string[][] => {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let quoteLine = 1;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (quoted) {
      if (ch === '"' && source[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"' && field === '') {
      quoted = true;
      quoteLine = line;
    } else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && source[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      line++;
    } else field += ch;
  }
  if (quoted) throw new CsvSyntaxError(quoteLine);
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
};

/**
 * A CSV document as a sheet: every field trimmed (as the `.xlsx` reader trims text), an empty one
 * `null`. A field that starts with `=` is what a spreadsheet would run as a formula: listed, as a
 * formula cell of a workbook is.
 */
export const csvGrid = (text: string): SheetGrid => {
  const formulas: string[] = [];
  const rows = parseCsv(text).map((record, r) =>
    record.map((raw, c) => {
      const value = raw.trim();
      if (value.startsWith('=')) formulas.push(cellRef(c, r + 1));
      return value === '' ? null : value;
    }),
  );
  return { rows, formulas };
};
