import { createHash, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { z } from "zod";
import type { DB } from "../../db/types.ts";
import { type Actor, type RequestContext, recordAudit } from "../audit/index.ts";

// API keys for machine access. The secret is shown once at creation; only its SHA-256 is stored
// (a random 256-bit secret needs no slow hash). The prefix identifies a key in lists and logs.
export const apiKeyScopes = ["read", "write"] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

export const createApiKeySchema = z.object({
  name: z.string().trim().min(1, "Name is required").max(100),
  scopes: z.array(z.enum(apiKeyScopes)).min(1, "Choose at least one scope"),
});

const TOKEN = /^prly_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$/;

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function createApiKey(
  db: Kysely<DB>,
  actor: Actor,
  input: unknown,
  context: RequestContext = {},
): Promise<{ id: string; prefix: string; token: string }> {
  const { name, scopes } = createApiKeySchema.parse(input);
  const prefix = `prly_${randomBytes(4).toString("hex")}`;
  const token = `${prefix}_${randomBytes(32).toString("base64url")}`;
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("api_keys")
      .values({
        name,
        prefix,
        key_hash: hashToken(token),
        scopes: [...new Set(scopes)].sort(),
        created_by: actor.kind === "user" ? actor.id : null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor,
      action: "api-key.create",
      target: { type: "api_key", id: row.id },
      detail: { name, prefix, scopes },
      context,
    });
    return { id: row.id, prefix, token };
  });
}

export type VerifiedKey = { id: string; name: string; scopes: ApiKeyScope[] };

/**
 * The key behind an `Authorization: Bearer …` token, or null when it is malformed, unknown or
 * revoked. Scope checks are the caller's (401 for no key, 403 for a key without the scope).
 */
export async function verifyApiKey(
  db: Kysely<DB>,
  token: string,
  now = new Date(),
): Promise<VerifiedKey | null> {
  if (!TOKEN.test(token)) return null;
  const key = await db
    .selectFrom("api_keys")
    .select(["id", "name", "scopes", "last_used_at"])
    .where("key_hash", "=", hashToken(token))
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  if (!key) return null;
  // Record use at most once a minute per key: ingest can call many times a second.
  if (!key.last_used_at || now.getTime() - key.last_used_at.getTime() > 60_000) {
    await db.updateTable("api_keys").set({ last_used_at: now }).where("id", "=", key.id).execute();
  }
  return {
    id: key.id,
    name: key.name,
    scopes: key.scopes.filter((s): s is ApiKeyScope => s === "read" || s === "write"),
  };
}

export async function revokeApiKey(
  db: Kysely<DB>,
  actor: Actor,
  id: string,
  context: RequestContext = {},
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("api_keys")
      .set({ revoked_at: new Date() })
      .where("id", "=", id)
      .where("revoked_at", "is", null)
      .returning(["id", "prefix", "name"])
      .executeTakeFirst();
    if (!row) return false;
    await recordAudit(trx, {
      actor,
      action: "api-key.revoke",
      target: { type: "api_key", id: row.id },
      detail: { name: row.name, prefix: row.prefix },
      context,
    });
    return true;
  });
}

export async function listApiKeys(db: Kysely<DB>) {
  return db
    .selectFrom("api_keys")
    .leftJoin("users", "users.id", "api_keys.created_by")
    .select([
      "api_keys.id",
      "api_keys.name",
      "api_keys.prefix",
      "api_keys.scopes",
      "api_keys.created_at",
      "api_keys.last_used_at",
      "api_keys.revoked_at",
      "users.name as created_by_name",
    ])
    .orderBy("api_keys.created_at", "desc")
    .execute();
}
