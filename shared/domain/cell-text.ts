/**
 * A text cell a spreadsheet would run as a formula, made inert. Excel and LibreOffice skip leading
 * blanks before they look for `=`, `+`, `-` or `@`, so the check is on the first non-blank
 * character (after spaces, tabs, line breaks and other Unicode white space); a cell opening with
 * a tab or CR is neutralised too, as OWASP's CSV-injection advice lists them. The cure is a
 * leading `'`, which both programs show as text and do not print. Names and notes come from
 * callers, so every CSV (and any workbook export) passes its text through here.
 */
export const neutralizeFormula = (value: string): string =>
  /^[\t\r]/.test(value) || /^\s*[=+\-@]/.test(value) ? `'${value}` : value;
