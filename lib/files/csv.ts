// The one CSV writer (RFC 4180, UTF-8): the audit log and every export use it. Cells can hold text
// from outside (customer messages, SSO profiles, API key names), so text a spreadsheet would run as
// a formula is defused. Numbers are written as numbers: a negative latency keeps its sign.

const FORMULA_START = /^[=+\-@\t\r]/;
// A phone number or a signed number written as text ("+1 (312) 555-0100", "-5"): digits, spaces,
// parentheses, dots and dashes, a sign only first. Without letters or other operators a spreadsheet
// can at most do arithmetic with it, never call a function or another program: left as it is.
const PLAIN_NUMBER = /^[+-]?[\d ().-]*\d[\d ().-]*$/;

export type CsvValue = string | number | Date | boolean | null | undefined;

/** UTF-8 byte-order mark: without it spreadsheets read accented names as mojibake. */
export const CSV_BOM = "\uFEFF";

/**
 * One cell: text prefixed with ' when a spreadsheet would run it as a formula (but not a plain phone
 * number), quoted when needed.
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, CRLF-terminated as RFC 4180 asks. */
export function csvLine(cells: CsvValue[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}
