// A supervisor's overrides of the demo agent's dispositions, made the way the app makes them
// (editDisposition: the log View Logs shows, the audit entry, the agent's notification), so a fresh
// demo has something in the agent's bell and in a conversation's disposition log. The oldest
// notification is already read. Dated in the demo's past, so the data set stays deterministic.
import { editDisposition } from "../../lib/conversations/disposition.ts";
import { markRead } from "../../lib/notifications/index.ts";
import type { Database } from "../client.ts";
import { DEMO_AGENT_EMAIL, DEMO_SUPERVISOR_EMAIL } from "./catalog.ts";
import { HOUR } from "./schedule.ts";

const NOTES = [
  "Customer called back: the replacement arrived, closing as resolved.",
  "Promised a call back once the courier confirms the new delivery date.",
  "Escalated to billing: the refund needs a second approval.",
];

export async function seedDispositionEdits(db: Database, now: number): Promise<number> {
  const user = (email: string) =>
    db
      .selectFrom("users")
      .select(["id", "role", "name"])
      .where("email", "=", email)
      .executeTakeFirstOrThrow();
  const [supervisor, agent] = [await user(DEMO_SUPERVISOR_EMAIL), await user(DEMO_AGENT_EMAIL)];
  const conversations = await db
    .selectFrom("conversations")
    .select(["id", "disposition_id"])
    .where("support_agent_id", "=", agent.id)
    .where("status", "!=", "in_progress")
    .where("disposition_id", "is not", null)
    .where("ended_at", "<", new Date(now - NOTES.length * HOUR))
    .orderBy("started_at", "desc")
    .orderBy("id")
    .limit(NOTES.length)
    .execute();
  const options = await db
    .selectFrom("dispositions")
    .select("id")
    .where("active", "=", true)
    .orderBy("code")
    .execute();
  const changes: string[] = [];
  for (const [i, c] of conversations.entries()) {
    const to = options[(options.findIndex((o) => o.id === c.disposition_id) + 1 + i) % options.length];
    if (!to || to.id === c.disposition_id) continue;
    const { changeId } = await editDisposition(
      db,
      { viewer: supervisor, actor: { kind: "user", id: supervisor.id } },
      { conversationId: c.id, dispositionId: to.id, note: NOTES[i] ?? null },
      new Date(now - (i + 1) * HOUR),
    );
    changes.push(changeId);
  }
  const oldest = changes.at(-1);
  if (oldest) {
    const read = await db
      .selectFrom("notifications")
      .select("id")
      .where("dedupe_key", "=", `disposition-change:${oldest}`)
      .execute();
    await markRead(
      db,
      agent.id,
      read.map((r) => String(r.id)),
    );
  }
  return changes.length;
}
