import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAccess } from "../../lib/audit/access.ts";
import { recordAudit } from "../../lib/audit/index.ts";
import { listAuditLog } from "../../lib/audit/query.ts";
import { listAccessSection } from "../../lib/exports/holding.ts";
import { ingestEvents } from "../../lib/ingest/index.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

// The per-conversation access log: entries de-duplicated per user, conversation and kind of access
// (also when requests race), listed for the Access section with the exports that hold the
// conversation, and found by the Admin audit log's conversation filter with the other entries
// about it (a recording's, which name the conversation in their detail).

let t: TestDatabase;
let sam: string;
let alex: string;
let conversationId: string;
let otherId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  const users = await t.db
    .insertInto("users")
    .values([
      { email: "sam@access.test", name: "Sam Supervisor", role: "supervisor" },
      { email: "alex@access.test", name: "Alex Agent", role: "agent" },
    ])
    .returning("id")
    .execute();
  [sam, alex] = users.map((u) => u.id) as [string, string];
  const at = new Date().toISOString();
  const started = (sessionId: string) => ({
    id: `${sessionId}-s`,
    type: "conversation.started",
    sessionId,
    occurredAt: at,
    channel: "voice",
    direction: "inbound",
    language: "en-US",
  });
  const result = await ingestEvents(t.db, [started("access-1"), started("access-2")]);
  expect(result.rejected).toEqual([]);
  const rows = await t.db.selectFrom("conversations").select(["id", "session_id"]).execute();
  conversationId = rows.find((r) => r.session_id === "access-1")?.id as string;
  otherId = rows.find((r) => r.session_id === "access-2")?.id as string;
});
afterAll(() => t?.drop());

const accessRows = (id: string) =>
  t.db.selectFrom("audit_log").selectAll().where("conversation_id", "=", id).orderBy("id").execute();

describe("recordAccess", () => {
  it("writes one entry per user, conversation and kind of access within the window, even when requests race", async () => {
    const view = { userId: alex, conversationId, action: "conversation.view" as const };
    const written = await Promise.all(Array.from({ length: 8 }, () => recordAccess(t.db, view)));
    expect(written.filter(Boolean)).toHaveLength(1);
    expect(await recordAccess(t.db, view)).toBe(false);
    // Another kind of access, another user, another conversation: each its own entry.
    expect(await recordAccess(t.db, { ...view, action: "recording.play" })).toBe(true);
    expect(await recordAccess(t.db, { ...view, userId: sam })).toBe(true);
    expect(await recordAccess(t.db, { ...view, conversationId: otherId })).toBe(true);
    const rows = await accessRows(conversationId);
    expect(rows.map((r) => [r.action, r.actor_id, r.target_type, r.target_id])).toEqual([
      ["conversation.view", alex, "conversation", conversationId],
      ["recording.play", alex, "conversation", conversationId],
      ["conversation.view", sam, "conversation", conversationId],
    ]);
  });

  it("writes again once the window has passed", async () => {
    const view = { userId: sam, conversationId: otherId, action: "diagnostics.view" as const };
    expect(await recordAccess(t.db, view)).toBe(true);
    // The audit log is append-only: age the entry by inserting an older twin instead.
    await t.db
      .insertInto("audit_log")
      .values({
        actor_kind: "user",
        actor_id: sam,
        action: "transcript.download",
        target_type: "conversation",
        target_id: otherId,
        conversation_id: otherId,
        created_at: new Date(Date.now() - 6 * 60_000),
      })
      .execute();
    expect(
      await recordAccess(t.db, { userId: sam, conversationId: otherId, action: "transcript.download" }),
    ).toBe(true);
    expect(await recordAccess(t.db, view)).toBe(false);
  });
});

describe("the Access section and the audit log's conversation filter", () => {
  it("lists who did what, newest first, with the exports that hold the conversation", async () => {
    const [exp] = await t.db
      .insertInto("exports")
      .values({ requested_by: sam, kind: "conversation_data", selection: JSON.stringify({}) })
      .returning("id")
      .execute();
    await t.db
      .insertInto("export_items")
      .values({ export_id: exp?.id as string, conversation_id: conversationId })
      .execute();
    const rows = await listAccessSection(t.db, conversationId);
    expect(rows.map((r) => `${r.userName}: ${r.what}`)).toEqual([
      "Sam Supervisor: Exported (Export Conversation Data)",
      "Sam Supervisor: Viewed the conversation",
      "Alex Agent: Played the recording",
      "Alex Agent: Viewed the conversation",
    ]);
  });

  it("filters the audit log by conversation: access entries and entries about its recording", async () => {
    await recordAudit(t.db, {
      actor: { kind: "user", id: sam },
      action: "recording.legal-hold.place",
      target: { type: "recording", id: "1" },
      detail: { conversationId },
    });
    const { rows } = await listAuditLog(t.db, { conversation: conversationId });
    expect(rows.map((r) => r.action)).toEqual([
      "recording.legal-hold.place",
      "conversation.view",
      "recording.play",
      "conversation.view",
    ]);
    const other = await listAuditLog(t.db, { conversation: otherId });
    expect(other.rows.every((r) => r.targetId === otherId)).toBe(true);
  });
});
