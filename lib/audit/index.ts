import { isIP } from "node:net";
import type { Kysely, Transaction } from "kysely";
import type { ActorKind, DB, Json } from "../../db/types.ts";
import { isUuid } from "../db-ranges.ts";

export type Actor = { kind: ActorKind; id: string | null };
export type RequestContext = { ip?: string | null; userAgent?: string | null };

export const systemActor: Actor = { kind: "system", id: null };

export type AuditEntry = {
  actor: Actor;
  action: string; // dotted verb, e.g. "settings.update", "auth.sign-in", "api-key.revoke"
  target?: { type: string; id: string };
  /** The conversation the entry concerns; by default the target when it is one, else detail.conversationId. */
  conversationId?: string | null;
  detail?: Record<string, Json>;
  context?: RequestContext;
};

/** Appends one row to the audit log (the table refuses updates and deletes). */
export async function recordAudit(db: Kysely<DB> | Transaction<DB>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      actor_kind: entry.actor.kind,
      actor_id: entry.actor.id,
      action: entry.action,
      target_type: entry.target?.type ?? null,
      target_id: entry.target?.id ?? null,
      conversation_id: conversationOf(entry),
      detail: JSON.stringify(entry.detail ?? {}),
      ip: validIp(entry.context?.ip),
      user_agent: entry.context?.userAgent?.slice(0, 500) ?? null,
    })
    .execute();
}

/** Read per conversation (the panel's Access section, the audit log's conversation filter). */
export function conversationOf(entry: AuditEntry): string | null {
  if (entry.conversationId !== undefined) return entry.conversationId;
  const id = entry.target?.type === "conversation" ? entry.target.id : entry.detail?.conversationId;
  return typeof id === "string" && isUuid(id) ? id : null;
}

// The column is inet: keep the address only when it parses as one (proxies send lists and junk).
function validIp(ip: string | null | undefined): string | null {
  const first = ip?.split(",")[0]?.trim();
  return first && isIP(first) ? first : null;
}
