import type { unzipSync } from 'fflate';
import { UnprocessableError, ValidationError } from '#domain/errors';
import { type Cell, cellRef, csvGrid, type SheetGrid, type Upload } from '#domain/spreadsheet';

/**
 * Reads an uploaded sheet into a {@link SheetGrid}: the first sheet of an `.xlsx` workbook
 * (read-excel-file, values only), or a UTF-8 CSV. Everything a file can do wrong is a 400 or a
 * 422 here, never an exception of the parser's: the bytes come from outside.
 */

/**
 * The parts of a workbook may inflate to far more than the upload; past this (declared sizes,
 * summed) the file is refused before anything is inflated. A 2,000-row sheet is about 1 MB of XML.
 */
const MAX_INFLATED_BYTES = 64 * 1024 * 1024;

/** A zip part's bytes as text (the parts read here are XML, UTF-8). */
const utf8 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');

const corrupt = (why: string) =>
  new ValidationError('อ่านไฟล์ไม่ได้: ไม่ใช่ไฟล์ .xlsx ที่สมบูรณ์ (ลองเปิดแล้วบันทึกใหม่เป็น Excel Workbook .xlsx)', [
    { path: '(body)', message: why },
  ]);

const macroEnabled = (part: string) =>
  new UnprocessableError('ไฟล์มีมาโคร (.xlsm) ซึ่งไม่รับ: บันทึกเป็น Excel Workbook (.xlsx) แล้วนำเข้าใหม่', [
    { path: '(body)', message: `the workbook carries macros (${part})` },
  ]);

/** The path of the workbook's first sheet part, from workbook.xml and its relationships. */
const firstSheetPath = (parts: Record<string, Uint8Array>): string | null => {
  const workbook = parts['xl/workbook.xml'];
  const rels = parts['xl/_rels/workbook.xml.rels'];
  if (!workbook || !rels) return null;
  const sheet = /<(?:\w+:)?sheet\b[^>]*>/.exec(utf8(workbook))?.[0];
  const relId = sheet && /\br:id="([^"]+)"/.exec(sheet)?.[1];
  if (!relId) return null;
  for (const rel of utf8(rels).match(/<(?:\w+:)?Relationship\b[^>]*>/g) ?? []) {
    if (/\bId="([^"]+)"/.exec(rel)?.[1] !== relId) continue;
    const target = /\bTarget="([^"]+)"/.exec(rel)?.[1];
    if (!target) return null;
    return target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
  }
  return null;
};

/** Cell references of the formula cells of one sheet part (`<c r="B7"><f>…</f>`). */
const formulaCells = (sheetXml: string): string[] => {
  const refs: string[] = [];
  for (const cell of sheetXml.matchAll(/<(?:\w+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?c>)/g)) {
    if (!cell[2] || !/<(?:\w+:)?f[\s>/]/.test(cell[2])) continue;
    refs.push(/\br="([A-Z]+\d+)"/.exec(cell[1] ?? '')?.[1] ?? '(unknown cell)');
  }
  return refs;
};

/**
 * Looks into the zip before the parser does: refuses a macro-enabled workbook (a VBA project, or
 * the macro-enabled main part) and a file that would inflate past {@link MAX_INFLATED_BYTES}, and
 * lists the first sheet's formula cells (the parser reads their cached values, which the import
 * must not take for typed ones).
 */
const inspectWorkbook = (unzip: typeof unzipSync, bytes: Uint8Array): string[] => {
  let declared = 0;
  let parts: Record<string, Uint8Array>;
  try {
    const names: string[] = [];
    unzip(bytes, {
      filter: (file) => {
        names.push(file.name);
        declared += file.originalSize;
        return false;
      },
    });
    const vba = names.find((n) => /(^|\/)vbaProject\.bin$/i.test(n));
    if (vba) throw macroEnabled(vba);
    if (declared > MAX_INFLATED_BYTES) throw corrupt(`its parts inflate to ${declared} bytes`);
    parts = unzip(bytes, {
      filter: (file) =>
        file.name === '[Content_Types].xml' ||
        file.name === 'xl/workbook.xml' ||
        file.name === 'xl/_rels/workbook.xml.rels' ||
        file.name.startsWith('xl/worksheets/'),
    });
  } catch (error) {
    if (error instanceof UnprocessableError || error instanceof ValidationError) throw error;
    throw corrupt('not a zip archive');
  }
  const contentTypes = parts['[Content_Types].xml'];
  if (!contentTypes) throw corrupt('no [Content_Types].xml');
  if (/macroEnabled/i.test(utf8(contentTypes))) throw macroEnabled('macro-enabled content type');
  const sheetPath = firstSheetPath(parts);
  const sheet = sheetPath ? parts[sheetPath] : undefined;
  if (!sheet) throw corrupt('no first worksheet');
  return formulaCells(utf8(sheet));
};

const readXlsx = async (bytes: Buffer): Promise<SheetGrid> => {
  if (bytes.length >= 8 && bytes.readUInt32BE(0) === 0xd0cf11e0)
    throw new ValidationError('ไฟล์เป็น Excel รุ่นเก่า (.xls): บันทึกเป็น Excel Workbook (.xlsx) แล้วนำเข้าใหม่', [
      { path: '(body)', message: 'a legacy .xls (OLE2) file' },
    ]);
  // fflate and read-excel-file load at the first .xlsx upload, not at import (see `writeWorkbook`): a
  // CSV import never runs them, and fflate's module builds its Huffman tables when it runs, about a
  // tenth of the `agency-import` function's import (`scripts/bench/bundle-instructions.ts`).
  const [{ unzipSync: unzip }, { readSheet }] = await Promise.all([
    import('fflate'),
    import('read-excel-file/node'),
  ]);
  const formulas = inspectWorkbook(unzip, bytes);
  let rows: Cell[][];
  try {
    rows = (await readSheet(bytes)) as Cell[][];
  } catch (error) {
    throw corrupt(error instanceof Error ? error.name : 'unreadable');
  }
  return { rows, formulas };
};

const readCsv = (bytes: Buffer): SheetGrid => {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ValidationError('ไฟล์ CSV ไม่ใช่ UTF-8: ใน Excel เลือกบันทึกเป็น "CSV UTF-8 (Comma delimited)"', [
      { path: '(body)', message: 'not valid UTF-8' },
    ]);
  }
  try {
    return csvGrid(text);
  } catch (error) {
    const line = (error as { line?: number }).line ?? 0;
    throw new ValidationError('ไฟล์ CSV มีเครื่องหมายคำพูด (") ที่ไม่ได้ปิด', [
      { path: cellRef(0, line), message: `a quoted field opened on line ${line} never closes` },
    ]);
  }
};

/** The first sheet of the upload, as cells. */
export const readUploadedSheet = async (upload: Upload): Promise<SheetGrid> =>
  upload.format === 'csv' ? readCsv(upload.bytes) : readXlsx(upload.bytes);
