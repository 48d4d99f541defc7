import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { editDispositionAction } from "../../app/(app)/conversations/_components/insights/actions.ts";
import { ACCESS_RESTRICTED, runAction } from "../../lib/auth/action.ts";
import type { Viewer } from "../../lib/auth/viewer.ts";
import { getConversationDetail } from "../../lib/conversations/detail.ts";
import { NOTHING_CHANGED, STILL_IN_PROGRESS } from "../../lib/conversations/disposition.ts";
import { ingestEvents } from "../../lib/ingest/index.ts";
import { getInbox, markRead, setDispositionEmails } from "../../lib/notifications/index.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { insertViewer } from "../helpers/users.ts";

// Spec "Edit Dispositions from the Conversations Tab", through the server action as the panel
// calls it: the log, the audit entry, and the agent's one notification per edit.

let t: TestDatabase;
const users = {} as Record<"supervisor" | "agent", Viewer>;
const dispositions = {} as Record<"resolved" | "callback", string>;

const deps = (viewer: Viewer) => ({
  getViewer: async () => viewer,
  getDb: () => t.db,
  requestContext: async () => ({ ip: "127.0.0.1" }),
});

let n = 0;
async function conversation(opts: { ended: boolean }) {
  const sessionId = `disp-${++n}`;
  const at = (s: number) => new Date(Date.UTC(2026, 10, 20, 10, 0, s)).toISOString();
  const events: unknown[] = [
    {
      id: `${sessionId}-s`,
      type: "conversation.started",
      sessionId,
      occurredAt: at(0),
      channel: "voice",
      direction: "inbound",
      language: "en-US",
    },
    {
      id: `${sessionId}-j`,
      type: "participant.joined",
      sessionId,
      occurredAt: at(1),
      agentEmail: users.agent.email,
    },
    {
      id: `${sessionId}-u`,
      type: "conversation.updated",
      sessionId,
      occurredAt: at(1),
      supportAgentEmail: users.agent.email,
    },
    {
      id: `${sessionId}-d`,
      type: "disposition.set",
      sessionId,
      occurredAt: at(30),
      code: "resolved",
      agentEmail: users.agent.email,
    },
  ];
  if (opts.ended)
    events.push({ id: `${sessionId}-e`, type: "conversation.ended", sessionId, occurredAt: at(40) });
  const result = await ingestEvents(t.db, events);
  expect(result.rejected).toEqual([]);
  return { id: result.conversationIds[0] as string, sessionId };
}

const notificationsOf = (userId: string) =>
  t.db.selectFrom("notifications").selectAll().where("user_id", "=", userId).orderBy("id").execute();

beforeAll(async () => {
  t = await createTestDatabase();
  for (const role of ["supervisor", "agent"] as const) {
    users[role] = await insertViewer(t.db, { email: `${role}@disp.test`, name: `The ${role}`, role });
  }
  for (const [code, label] of [
    ["resolved", "Resolved"],
    ["callback", "Callback scheduled"],
  ] as const) {
    const row = await t.db
      .insertInto("dispositions")
      .values({ code, label })
      .returning("id")
      .executeTakeFirstOrThrow();
    dispositions[code] = row.id;
  }
});
afterAll(() => t?.drop());

describe("editing a disposition", () => {
  it("writes the log, the audit entry and the conversation, and notifies the agent exactly once", async () => {
    const c = await conversation({ ended: true });
    const edit = {
      conversationId: c.id,
      dispositionId: dispositions.callback,
      note: "Customer asked for a call back",
    };
    const result = await runAction(editDispositionAction.definition, edit, deps(users.supervisor));
    expect(result).toMatchObject({ ok: true, data: { notified: true } });

    const detail = await getConversationDetail(t.db, users.supervisor, c.id);
    expect(detail?.details.disposition).toEqual({
      code: "callback",
      label: "Callback scheduled",
      note: edit.note,
    });
    expect(detail?.details.dispositionLog).toEqual([
      expect.objectContaining({
        changedBy: "The supervisor",
        from: "Resolved",
        to: "Callback scheduled",
        note: edit.note,
      }),
      expect.objectContaining({ changedBy: "The agent", from: null, to: "Resolved", note: null }),
    ]);
    const audit = await t.db
      .selectFrom("audit_log")
      .select(["action", "actor_id", "detail"])
      .where("target_id", "=", c.id)
      .execute();
    expect(audit).toEqual([
      {
        action: "disposition.edit",
        actor_id: users.supervisor.id,
        detail: expect.objectContaining({ from: "resolved", to: "callback", note: edit.note }),
      },
    ]);
    // The new note is searchable at once (the conversation's search document follows the edit).
    const found = await sql<{ n: number }>`
      select count(*)::int as n from conversation_search
      where conversation_id = ${c.id} and document @@ websearch_to_tsquery('english', 'call back')`.execute(
      t.db,
    );
    expect(found.rows[0]?.n).toBe(1);
    const notes = await notificationsOf(users.agent.id);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({
      kind: "disposition.changed",
      title: "Disposition updated",
      body: "The supervisor changed the disposition of your conversation from Resolved to Callback scheduled.",
      link: `/conversations?open=${c.id}`,
      read_at: null,
    });
    expect((await getInbox(t.db, users.agent.id)).unread).toBe(1);
    // Only the recipient can mark it read: the user id scopes the update.
    await markRead(t.db, users.supervisor.id, [String(notes[0]?.id)]);
    expect((await getInbox(t.db, users.agent.id)).unread).toBe(1);
    await markRead(t.db, users.agent.id, [String(notes[0]?.id)]);
    expect(await getInbox(t.db, users.agent.id)).toMatchObject({ unread: 0, items: [{ read: true }] });

    // Saving the same again changes nothing and notifies nobody.
    expect(await runAction(editDispositionAction.definition, edit, deps(users.supervisor))).toEqual({
      ok: false,
      error: NOTHING_CHANGED,
    });
    expect(await notificationsOf(users.agent.id)).toHaveLength(1);
  });

  it("also queues one e-mail when the agent asked for them", async () => {
    const mails = () =>
      t.db.selectFrom("outgoing_emails").selectAll().where("kind", "=", "disposition.changed").execute();
    expect(await mails()).toEqual([]); // the first test's agent had e-mails off
    await setDispositionEmails(t.db, users.agent.id, true);
    try {
      const c = await conversation({ ended: true });
      const edit = { conversationId: c.id, dispositionId: dispositions.callback };
      expect(await runAction(editDispositionAction.definition, edit, deps(users.supervisor))).toMatchObject({
        ok: true,
      });
      const queued = await mails();
      expect(queued).toHaveLength(1);
      expect(queued[0]).toMatchObject({
        recipients: [users.agent.email],
        subject: "Disposition updated",
        status: "pending",
        text_body: expect.stringContaining(`/conversations?open=${c.id}`),
      });
    } finally {
      await setDispositionEmails(t.db, users.agent.id, false);
    }
  });

  it("keeps the edit when an older platform event arrives late", async () => {
    const c = await conversation({ ended: true });
    await runAction(
      editDispositionAction.definition,
      { conversationId: c.id, dispositionId: dispositions.callback },
      deps(users.supervisor),
    );
    await ingestEvents(t.db, [
      {
        id: `${c.sessionId}-late`,
        type: "disposition.set",
        sessionId: c.sessionId,
        occurredAt: new Date(Date.UTC(2026, 10, 20, 10, 0, 35)).toISOString(),
        code: "resolved",
      },
    ]);
    const detail = await getConversationDetail(t.db, users.supervisor, c.id);
    expect(detail?.details.disposition?.code).toBe("callback");
  });

  it("refuses a conversation still in progress, and agents altogether", async () => {
    const live = await conversation({ ended: false });
    expect(
      await runAction(
        editDispositionAction.definition,
        { conversationId: live.id, dispositionId: dispositions.callback },
        deps(users.supervisor),
      ),
    ).toEqual({ ok: false, error: STILL_IN_PROGRESS });

    const done = await conversation({ ended: true });
    const before = await notificationsOf(users.agent.id);
    expect(
      await runAction(
        editDispositionAction.definition,
        { conversationId: done.id, dispositionId: dispositions.callback },
        deps(users.agent),
      ),
    ).toEqual({ ok: false, error: ACCESS_RESTRICTED });
    const changes = await t.db
      .selectFrom("disposition_changes")
      .select("id")
      .where("conversation_id", "in", [live.id, done.id])
      .where("changed_by", "=", users.supervisor.id)
      .execute();
    expect(changes).toEqual([]);
    expect(await notificationsOf(users.agent.id)).toEqual(before);
  });
});

describe("concurrent edits", () => {
  it("date each edit when its row lock is granted, so View Logs' latest entry is the current disposition", async () => {
    const c = await conversation({ ended: true });
    // Another edit holds the row; ours is requested meanwhile and has to wait for it.
    const holder = await t.db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      await sql`select 1 from conversations where id = ${c.id} for update`.execute(conn);
      const waiting = runAction(
        editDispositionAction.definition,
        { conversationId: c.id, dispositionId: dispositions.callback },
        deps(users.supervisor),
      );
      // Positive signal: our edit is blocked on the lock.
      for (;;) {
        const blocked = await sql<{ n: number }>`
          select count(*)::int as n from pg_stat_activity
          where wait_event_type = 'Lock' and datname = current_database()`.execute(t.db);
        if ((blocked.rows[0]?.n ?? 0) > 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const released = await sql<{ now: Date }>`select clock_timestamp() as now`.execute(conn);
      await sql`commit`.execute(conn);
      return { waiting, releasedAt: released.rows[0]?.now as Date };
    });
    expect(await holder.waiting).toMatchObject({ ok: true });
    const change = await t.db
      .selectFrom("disposition_changes")
      .select("changed_at")
      .where("conversation_id", "=", c.id)
      .where("changed_by", "=", users.supervisor.id)
      .executeTakeFirstOrThrow();
    expect(change.changed_at.getTime()).toBeGreaterThanOrEqual(holder.releasedAt.getTime());
  });
});
