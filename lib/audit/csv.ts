import type { Database } from "../../db/client.ts";
import { type AuditFilters, type AuditRow, listAuditLog } from "./query.ts";

// RFC 4180 CSV of the audit log. Actor names, targets and details can hold text from outside
// (SSO profiles, API key names), so cells a spreadsheet would run as a formula are defused.

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: prefixed with ' when a spreadsheet would read it as a formula, quoted when needed. */
export function csvCell(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(cells: Parameters<typeof csvCell>[0][]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

const HEADER = [
  "id",
  "time_utc",
  "actor_kind",
  "actor_id",
  "actor_name",
  "action",
  "target_type",
  "target_id",
  "target_name",
  "detail",
  "ip",
  "user_agent",
];

function auditCells(row: AuditRow) {
  return [
    row.id,
    row.createdAt,
    row.actorKind,
    row.actorId,
    row.actorName,
    row.action,
    row.targetType,
    row.targetId,
    row.targetName,
    JSON.stringify(row.detail),
    row.ip,
    row.userAgent,
  ];
}

/**
 * Every row matching the filters as CSV, newest first: one chunk per keyset batch, so memory stays
 * flat however long the log is. Starts with a byte-order mark so spreadsheets read UTF-8 names right.
 */
export async function* auditCsv(
  db: Database,
  filters: AuditFilters,
  batchSize = 1000,
): AsyncGenerator<string> {
  yield `\uFEFF${csvLine(HEADER)}`;
  let before: string | undefined;
  do {
    const page = await listAuditLog(db, { ...filters, before }, batchSize);
    yield page.rows.map((row) => csvLine(auditCells(row))).join("");
    before = page.nextCursor ?? undefined;
  } while (before);
}
