import type { Database } from "../../../db/client.ts";
import { DIAGNOSTICS_SESSIONS } from "../../../db/seed/diagnostics.ts";

/** The demo calls with a parsed capture (the demo agent's, another agent's) and the newest chat. */
export async function diagnosticsConversations(db: Database) {
  const session = async (s: string) =>
    (await db.selectFrom("conversations").select("id").where("session_id", "=", s).executeTakeFirstOrThrow())
      .id;
  const chat = await db
    .selectFrom("conversations")
    .select("id")
    .where("channel", "=", "chat")
    .orderBy("started_at", "desc")
    .executeTakeFirstOrThrow();
  return {
    agentCall: await session(DIAGNOSTICS_SESSIONS.withRtcp),
    otherCall: await session(DIAGNOSTICS_SESSIONS.withoutRtcp),
    chat: chat.id,
  };
}
