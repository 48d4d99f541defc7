import { type ExpressionBuilder, sql } from "kysely";
import { z } from "zod";
import type { Database } from "../../db/client.ts";
import type { ActorKind, DB, Json } from "../../db/types.ts";
import { bigintIdText } from "../db-ranges.ts";

// Reading the audit log: one URL schema for the admin page and the CSV download, newest first,
// paged by id (keyset: stable while rows keep arriving, no offset scans).

const dropInvalid = <S extends z.ZodType>(schema: S) => schema.optional().catch(undefined);

/** The audit log's URL state. A value that does not parse is dropped, never an error. */
export const auditSearchSchema = z.object({
  action: dropInvalid(z.string().trim().min(1).max(100)),
  actor: dropInvalid(z.uuid()),
  target: dropInvalid(z.string().trim().min(1).max(50)),
  conversation: dropInvalid(z.uuid()), // entries about this conversation (its access log too)
  from: dropInvalid(z.iso.date()), // inclusive, UTC day
  to: dropInvalid(z.iso.date()), // inclusive, UTC day
  before: dropInvalid(bigintIdText), // cursor: rows with a smaller id
});

export type AuditSearch = z.output<typeof auditSearchSchema>;
export type AuditFilters = Omit<AuditSearch, "before">;

export function parseAuditSearch(
  params: URLSearchParams | Record<string, string | string[] | undefined>,
): AuditSearch {
  return auditSearchSchema.parse(params instanceof URLSearchParams ? Object.fromEntries(params) : params);
}

/** The URL query for a search (the inverse of parseAuditSearch). */
export function auditSearchParams(search: AuditSearch): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) if (value) params.set(key, value);
  return params;
}

export type AuditRow = {
  id: string;
  createdAt: Date;
  actorKind: ActorKind;
  actorId: string | null;
  /** The user's or API key's name; null for the system or a deleted actor. */
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  /** The user's name when the target is a user. */
  targetName: string | null;
  detail: Json;
  ip: string | null;
  userAgent: string | null;
};

export const AUDIT_PAGE_SIZE = 50;

const DAY_MS = 86_400_000;

function matches(search: AuditSearch) {
  return (eb: ExpressionBuilder<DB, "audit_log">) => {
    const conditions = [];
    if (search.action) conditions.push(eb("audit_log.action", "=", search.action));
    if (search.actor) conditions.push(eb("audit_log.actor_id", "=", search.actor));
    if (search.target) conditions.push(eb("audit_log.target_type", "=", search.target));
    if (search.conversation) conditions.push(eb("audit_log.conversation_id", "=", search.conversation));
    if (search.from) conditions.push(eb("audit_log.created_at", ">=", new Date(`${search.from}T00:00:00Z`)));
    if (search.to) {
      conditions.push(
        eb("audit_log.created_at", "<", new Date(Date.parse(`${search.to}T00:00:00Z`) + DAY_MS)),
      );
    }
    if (search.before) conditions.push(eb("audit_log.id", "<", search.before));
    return eb.and(conditions);
  };
}

/**
 * One page of matching rows, newest first, and the cursor of the next (older) page. Ordered by id,
 * which serves the keyset: the primary key without a filter, audit_log_{action,actor,target_type}_idx
 * (…, id desc) with one (db/migrations/20261210T090000_audit_filter_indexes.ts), a conversation's
 * entries audit_log_conversation_idx (db/migrations/20261218T161900_conversation_access_log.ts).
 */
export async function listAuditLog(
  db: Database,
  search: AuditSearch,
  limit = AUDIT_PAGE_SIZE,
): Promise<{ rows: AuditRow[]; nextCursor: string | null }> {
  const rows = await auditLogQuery(db, search, limit).execute();
  const page = rows.slice(0, limit);
  return { rows: page, nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}

/** listAuditLog's statement: limit + 1 rows, the one more telling whether an older page exists. */
export function auditLogQuery(db: Database, search: AuditSearch, limit: number) {
  return db
    .selectFrom("audit_log")
    .leftJoin("users as u", (join) =>
      join.onRef("u.id", "=", "audit_log.actor_id").on("audit_log.actor_kind", "=", "user"),
    )
    .leftJoin("api_keys as k", (join) =>
      join.onRef("k.id", "=", "audit_log.actor_id").on("audit_log.actor_kind", "=", "api_key"),
    )
    .leftJoin("users as t", (join) =>
      join
        .on("audit_log.target_type", "=", "user")
        .on((eb) => eb(eb.cast("t.id", "text"), "=", eb.ref("audit_log.target_id"))),
    )
    .where(matches(search))
    .select((eb) => [
      "audit_log.id",
      "audit_log.created_at as createdAt",
      "audit_log.actor_kind as actorKind",
      "audit_log.actor_id as actorId",
      eb.fn.coalesce("u.name", "k.name").as("actorName"),
      "audit_log.action",
      "audit_log.target_type as targetType",
      "audit_log.target_id as targetId",
      "t.name as targetName",
      "audit_log.detail",
      "audit_log.ip",
      "audit_log.user_agent as userAgent",
    ])
    .orderBy("audit_log.id", "desc")
    .limit(limit + 1);
}

/** The actions and target types that occur, for the filter menus. */
export async function listAuditFacets(db: Database): Promise<{ actions: string[]; targetTypes: string[] }> {
  const [actions, targets] = await Promise.all([
    distinctAuditValues("action").execute(db),
    distinctAuditValues("target_type").execute(db),
  ]);
  return { actions: actions.rows.map((r) => r.value), targetTypes: targets.rows.map((r) => r.value) };
}

/**
 * The distinct non-null values of a column, in order, by skipping through its index from each value
 * to the next (a "loose index scan"): as many index descents as there are values, however long the
 * log. PostgreSQL's DISTINCT would read every row.
 */
export function distinctAuditValues(column: "action" | "target_type") {
  const c = sql.ref(column);
  return sql<{ value: string }>`
    with recursive found(value) as (
      (select ${c} from audit_log where ${c} is not null order by ${c} limit 1)
      union all
      select (select ${c} from audit_log where ${c} > found.value order by ${c} limit 1)
      from found where found.value is not null
    )
    select value from found where value is not null`;
}
