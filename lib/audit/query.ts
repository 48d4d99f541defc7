import type { ExpressionBuilder } from "kysely";
import { z } from "zod";
import type { Database } from "../../db/client.ts";
import type { ActorKind, DB, Json } from "../../db/types.ts";

// Reading the audit log: one URL schema for the admin page and the CSV download, newest first,
// paged by id (keyset: stable while rows keep arriving, no offset scans).

const dropInvalid = <S extends z.ZodType>(schema: S) => schema.optional().catch(undefined);

/** The audit log's URL state. A value that does not parse is dropped, never an error. */
export const auditSearchSchema = z.object({
  action: dropInvalid(z.string().trim().min(1).max(100)),
  actor: dropInvalid(z.uuid()),
  target: dropInvalid(z.string().trim().min(1).max(50)),
  from: dropInvalid(z.iso.date()), // inclusive, UTC day
  to: dropInvalid(z.iso.date()), // inclusive, UTC day
  before: dropInvalid(z.string().regex(/^[1-9]\d{0,17}$/)), // cursor: rows with a smaller id
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
 * One page of matching rows, newest first, and the cursor of the next (older) page. Ordered by the
 * primary key, which serves the keyset; the filters are applied to the rows it walks.
 */
export async function listAuditLog(
  db: Database,
  search: AuditSearch,
  limit = AUDIT_PAGE_SIZE,
): Promise<{ rows: AuditRow[]; nextCursor: string | null }> {
  const rows = await db
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
    .limit(limit + 1) // one more tells whether an older page exists
    .execute();
  const page = rows.slice(0, limit);
  return { rows: page, nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}

/** The actions and target types that occur, for the filter menus. */
export async function listAuditFacets(db: Database): Promise<{ actions: string[]; targetTypes: string[] }> {
  const [actions, targets] = await Promise.all([
    db.selectFrom("audit_log").select("action").distinct().orderBy("action").execute(),
    db
      .selectFrom("audit_log")
      .select("target_type")
      .distinct()
      .where("target_type", "is not", null)
      .orderBy("target_type")
      .execute(),
  ]);
  return {
    actions: actions.map((r) => r.action),
    targetTypes: targets.flatMap((r) => (r.target_type ? [r.target_type] : [])),
  };
}
