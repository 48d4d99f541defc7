import { sql } from "kysely";
import type { Database } from "../../db/client.ts";

// Signed-out sessions: a JWT stays valid until it expires, so signing out records its session id
// until then, and every request refuses a recorded one (lib/auth/viewer.ts).

export async function revokeSession(db: Database, sessionId: string, expiresAt: Date): Promise<void> {
  await sql`
    with purged as (delete from revoked_sessions where expires_at < now())
    insert into revoked_sessions (id, expires_at) values (${sessionId}, ${expiresAt})
    on conflict (id) do nothing`.execute(db);
}

export async function sessionRevoked(db: Database, sessionId: string): Promise<boolean> {
  const row = await db
    .selectFrom("revoked_sessions")
    .select("id")
    .where("id", "=", sessionId)
    .executeTakeFirst();
  return row !== undefined;
}
