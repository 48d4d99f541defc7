import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conversationStream, rngFrom, shuffled } from "../../lib/ingest/generate.ts";
import { ingestEvents } from "../../lib/ingest/index.ts";
import type { IngestEvent } from "../../lib/ingest/schemas.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { countDomainRows, seedAgents } from "../helpers/ingest.ts";

let t: TestDatabase;
let agents: string[];
beforeAll(async () => {
  t = await createTestDatabase();
  agents = await seedAgents(t.db);
});
afterAll(() => t.drop());

const streams = (prefix: string, count: number, seed: number) =>
  Array.from({ length: count }, (_, i) =>
    conversationStream({
      sessionId: `${prefix}-${i}`,
      start: new Date(Date.UTC(2026, 10, 20, 9, i)),
      agents,
      rng: rngFrom(seed + i),
    }),
  );

/** Renames a stream's session (and the ids derived from it) so two copies can live side by side. */
const renamed = (events: IngestEvent[], from: string, to: string): IngestEvent[] =>
  JSON.parse(JSON.stringify(events).replaceAll(from, to));

/** Every row a session owns, without generated ids, in a stable order; the session id normalised. */
async function dump(sessionId: string): Promise<unknown> {
  const tables = [
    "conversation_participants",
    "conversation_queues",
    "conversation_skills",
    "messages",
    "notes",
    "disposition_changes",
    "conversation_tags",
    "conversation_events",
    "call_control_parameters",
  ];
  const out: Record<string, unknown> = {};
  const conv = await sql<{ row: Record<string, unknown> }>`
    select to_jsonb(c) - 'id' - 'created_at' - 'updated_at' as row from conversations c where session_id = ${sessionId}`.execute(
    t.db,
  );
  out.conversation = conv.rows[0]?.row;
  for (const table of tables) {
    const rows = await sql<{ row: unknown }>`
      select to_jsonb(x) - 'id' - 'conversation_id' as row from ${sql.table(table)} x
      join conversations c on c.id = x.conversation_id where c.session_id = ${sessionId}`.execute(t.db);
    out[table] = rows.rows.map((r) => JSON.stringify(r.row)).sort();
  }
  const turns = await sql<{ row: unknown }>`
    select to_jsonb(lt) - 'id' - 'conversation_id' - 'message_id' || jsonb_build_object('message', m.seq) as row
    from latency_turns lt join conversations c on c.id = lt.conversation_id
    left join messages m on m.id = lt.message_id where c.session_id = ${sessionId}`.execute(t.db);
  out.latency_turns = turns.rows.map((r) => JSON.stringify(r.row)).sort();
  return JSON.parse(JSON.stringify(out).replaceAll(sessionId, "SESSION"));
}

describe("ingestEvents", () => {
  it("stores a conversation's events once; replaying the batch changes nothing", async () => {
    const events = streams("replay", 3, 1).flat();
    const first = await ingestEvents(t.db, events);
    expect(first).toMatchObject({ accepted: events.length, duplicates: 0, rejected: [] });
    const before = await countDomainRows(t.db);
    const dumps = await Promise.all([0, 1, 2].map((i) => dump(`replay-${i}`)));

    const again = await ingestEvents(t.db, events);
    expect(again).toMatchObject({ accepted: 0, duplicates: events.length, rejected: [] });
    // Replays mixed into a new batch, and repeats inside one batch, are duplicates too.
    const mixed = await ingestEvents(t.db, [...events.slice(0, 5), ...events.slice(0, 5)]);
    expect(mixed).toMatchObject({ accepted: 0, duplicates: 10 });
    expect(await countDomainRows(t.db)).toEqual(before);
    expect(await Promise.all([0, 1, 2].map((i) => dump(`replay-${i}`)))).toEqual(dumps);

    const conversation = await t.db
      .selectFrom("conversations")
      .selectAll()
      .where("session_id", "=", "replay-0")
      .executeTakeFirstOrThrow();
    expect(conversation.status).not.toBe("in_progress");
    expect(conversation.ended_at).not.toBeNull();
  });

  it("a shuffled stream, delivered in random batches, ends in the same state as the ordered one", async () => {
    const ordered = streams("ord", 6, 100);
    for (const stream of ordered) {
      const res = await ingestEvents(t.db, stream);
      expect(res.rejected).toEqual([]);
    }
    const rng = rngFrom(7);
    const copy = shuffled(
      ordered.flatMap((s, i) => renamed(s, `ord-${i}`, `shuf-${i}`)),
      rng,
    );
    for (let i = 0; i < copy.length; ) {
      const size = 1 + Math.floor(rng() * 7);
      const res = await ingestEvents(t.db, copy.slice(i, i + size));
      expect(res.rejected).toEqual([]);
      i += size;
    }
    for (let i = 0; i < ordered.length; i++) {
      const a = (await dump(`ord-${i}`)) as Record<string, unknown[]>;
      for (const table of ["messages", "conversation_queues", "conversation_skills", "conversation_events"]) {
        expect(a[table]?.length, table).toBeGreaterThan(0);
      }
      expect(a).toEqual(await dump(`shuf-${i}`));
    }
    // The placeholder an early event created was completed by conversation.started.
    const first = ordered[0]?.[0];
    const conv = await t.db
      .selectFrom("conversations")
      .select(["channel", "language", "started_at"])
      .where("session_id", "=", "shuf-0")
      .executeTakeFirstOrThrow();
    expect(first?.type).toBe("conversation.started");
    if (first?.type === "conversation.started") {
      expect(conv).toEqual({
        channel: first.channel,
        language: first.language,
        started_at: new Date(first.occurredAt),
      });
    }
  });

  it("last writer by occurredAt wins for status, whatever the arrival order", async () => {
    const base = { sessionId: "lww", type: "status.changed" as const };
    await ingestEvents(t.db, [
      { ...base, id: "lww-2", occurredAt: "2026-11-20T10:00:02Z", smartStatus: "resolved" },
      { ...base, id: "lww-1", occurredAt: "2026-11-20T10:00:01Z", smartStatus: "handling" },
    ]);
    await ingestEvents(t.db, [
      { ...base, id: "lww-0", occurredAt: "2026-11-20T10:00:00Z", smartStatus: "queued" },
    ]);
    const row = await t.db
      .selectFrom("conversations")
      .select("smart_status")
      .where("session_id", "=", "lww")
      .executeTakeFirstOrThrow();
    expect(row.smart_status).toBe("resolved");
  });

  it("a participant's leave that arrives before the join closes it", async () => {
    const base = { sessionId: "pl", agentEmail: agents[0] as string };
    await ingestEvents(t.db, [
      {
        ...base,
        id: "pl-left",
        type: "participant.left",
        occurredAt: "2026-11-20T10:05:00Z",
        exitReason: "transfer",
      },
    ]);
    await ingestEvents(t.db, [
      { ...base, id: "pl-join", type: "participant.joined", occurredAt: "2026-11-20T10:01:00Z" },
    ]);
    const rows = await t.db
      .selectFrom("conversation_participants as p")
      .innerJoin("conversations as c", "c.id", "p.conversation_id")
      .select(["p.joined_at", "p.left_at", "p.exit_reason"])
      .where("c.session_id", "=", "pl")
      .execute();
    expect(rows).toEqual([
      {
        joined_at: new Date("2026-11-20T10:01:00Z"),
        left_at: new Date("2026-11-20T10:05:00Z"),
        exit_reason: "transfer",
      },
    ]);
  });

  it("a queue is left when it says so (even before the visit arrives), at the next queue, or at the end", async () => {
    const ev = (n: number, minute: number, rest: Record<string, unknown>) =>
      ({
        id: `ql-${n}`,
        sessionId: "ql",
        occurredAt: `2026-11-20T10:0${minute}:00Z`,
        ...rest,
      }) as IngestEvent;
    const visits = async () =>
      (
        await sql<{ name: string; entered: Date; left: Date | null }>`
          select q.name, cq.entered_at as entered, cq.left_at as left from conversation_queues cq
          join queues q on q.id = cq.queue_id join conversations c on c.id = cq.conversation_id
          where c.session_id = 'ql' order by cq.entered_at`.execute(t.db)
      ).rows.map((r) => [
        r.name,
        r.entered.toISOString().slice(14, 16),
        r.left?.toISOString().slice(14, 16) ?? null,
      ]);
    await ingestEvents(t.db, [ev(2, 2, { type: "queue.left", queue: "Billing" })]);
    await ingestEvents(t.db, [ev(1, 1, { type: "queue.entered", queue: "Billing" })]);
    expect(await visits()).toEqual([["Billing", "01", "02"]]);
    // Transferred: the next queue, waiting until the conversation ends.
    await ingestEvents(t.db, [
      ev(3, 4, { type: "queue.entered", queue: "Retention" }),
      ev(4, 3, { type: "queue.entered", queue: "Sales" }),
    ]);
    expect(await visits()).toEqual([
      ["Billing", "01", "02"],
      ["Sales", "03", "04"],
      ["Retention", "04", null],
    ]);
    await ingestEvents(t.db, [ev(5, 6, { type: "conversation.ended" })]);
    expect((await visits()).at(-1)).toEqual(["Retention", "04", "06"]);
  });

  it("turns recording pauses into the recording's paused spans, whatever order they come in", async () => {
    const ev = (n: number, second: number, rest: Record<string, unknown>) =>
      ({ id: `rp-${n}`, sessionId: "rp", occurredAt: `2026-11-20T10:00:${second}Z`, ...rest }) as IngestEvent;
    const spans = async () =>
      (
        await sql<{ spans: unknown }>`
          select r.paused_spans as spans from recordings r join conversations c on c.id = r.conversation_id
          where c.session_id = 'rp'`.execute(t.db)
      ).rows[0]?.spans;
    // The resume and a second, unresumed pause first; the call itself after them.
    await ingestEvents(t.db, [
      ev(2, 30, { type: "recording.resumed" }),
      ev(3, 40, { type: "recording.paused", reason: "pause" }),
    ]);
    await ingestEvents(t.db, [
      ev(0, 10, { type: "conversation.started", channel: "voice", direction: "inbound", language: "en-US" }),
      ev(1, 20, { type: "recording.paused" }),
    ]);
    expect(await spans()).toEqual([
      { startMs: 10_000, endMs: 20_000, reason: "hold" },
      { startMs: 30_000, endMs: null, reason: "pause" },
    ]);
    await ingestEvents(t.db, [ev(4, 50, { type: "conversation.ended" })]);
    expect(await spans()).toEqual([
      { startMs: 10_000, endMs: 20_000, reason: "hold" },
      { startMs: 30_000, endMs: 40_000, reason: "pause" },
    ]);
  });

  it("reports a bad event by index and field, stores the valid ones; atomic stores nothing", async () => {
    const good = {
      id: "bad-batch-1",
      type: "csat.triggered",
      sessionId: "bad-batch",
      occurredAt: "2026-11-20T10:00:00Z",
    };
    const bad = { ...good, id: "bad-batch-2", type: "csat.answered", score: 9 };
    const unknownUser = {
      ...good,
      id: "bad-batch-3",
      type: "note.added",
      body: "x",
      authorEmail: "nobody@example.test",
    };

    const before = await countDomainRows(t.db);
    const atomic = await ingestEvents(t.db, [good, bad, unknownUser], { atomic: true });
    expect(atomic.accepted).toBe(0);
    expect(atomic.rejected.map((r) => [r.index, r.path])).toEqual([
      [1, "events[1].score"],
      [2, "events[2].authorEmail"],
    ]);
    expect(await countDomainRows(t.db)).toEqual(before);

    const partial = await ingestEvents(t.db, [good, bad, unknownUser]);
    expect(partial.accepted).toBe(1);
    expect(partial.rejected).toHaveLength(2);
    expect(partial.rejected[0]?.message).toMatch(/5/);
  });
});
