import {
  PayloadTooLargeError,
  UnprocessableError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '#domain/errors';
import type { Upload } from '#domain/spreadsheet';
import { requestHeader } from './request.ts';
import type { HttpEvent, HttpResult } from './types.ts';

/** The media types of a file upload: an Excel workbook, or CSV text. */
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_MEDIA_TYPE = 'text/csv';
const XLSM_MEDIA_TYPE = 'application/vnd.ms-excel.sheet.macroenabled.12';

/**
 * A file sent as the request body, with a cap of its own (JSON routes keep theirs, 64 KB).
 * API Gateway passes a binary body base64-encoded (`isBase64Encoded`), the local server does the
 * same. The order follows `parseBody`: size (413), media type (415; a macro-enabled workbook is a
 * 422 that says why), then an empty body (400). CSV must be UTF-8: another declared charset is a 415.
 */
export const readUpload = (event: HttpEvent, maxBytes: number): Upload => {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.byteLength > maxBytes) throw new PayloadTooLargeError(maxBytes);
  const [type, ...params] = (requestHeader(event, 'content-type') ?? '').split(';');
  const mediaType = type?.trim().toLowerCase() ?? '';
  const charset = params
    .map((p) => p.trim().toLowerCase())
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/^"(.*)"$/, '$1');
  if (mediaType === XLSM_MEDIA_TYPE)
    throw new UnprocessableError('ไฟล์มีมาโคร (.xlsm) ซึ่งไม่รับ: บันทึกเป็น Excel Workbook (.xlsx) แล้วนำเข้าใหม่', [
      { path: 'headers.content-type', message: 'a macro-enabled workbook' },
    ]);
  const format =
    mediaType === XLSX_MEDIA_TYPE
      ? 'xlsx'
      : mediaType === CSV_MEDIA_TYPE && (charset === undefined || charset === 'utf-8' || charset === 'utf8')
        ? 'csv'
        : null;
  if (!format)
    throw new UnsupportedMediaTypeError(
      `send the file as ${XLSX_MEDIA_TYPE} or as ${CSV_MEDIA_TYPE} in UTF-8`,
    );
  if (bytes.byteLength === 0)
    throw new ValidationError('a file is required', [{ path: '(body)', message: 'empty' }]);
  return { format, bytes };
};

/** A workbook download: the bytes base64-encoded, as API Gateway expects a binary body from Lambda. */
export const xlsxResponse = (filename: string, bytes: Buffer): HttpResult => {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return {
    statusCode: 200,
    headers: {
      'content-type': XLSX_MEDIA_TYPE,
      'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
    },
    body: bytes.toString('base64'),
    isBase64Encoded: true,
  };
};
