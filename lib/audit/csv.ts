import type { Database } from "../../db/client.ts";
import { CSV_BOM, csvLine } from "../files/csv.ts";
import { type AuditFilters, type AuditRow, listAuditLog } from "./query.ts";

// The audit log as CSV (lib/files/csv.ts: RFC 4180, formula injection defused).

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
  yield `${CSV_BOM}${csvLine(HEADER)}`;
  let before: string | undefined;
  do {
    const page = await listAuditLog(db, { ...filters, before }, batchSize);
    yield page.rows.map((row) => csvLine(auditCells(row))).join("");
    before = page.nextCursor ?? undefined;
  } while (before);
}
