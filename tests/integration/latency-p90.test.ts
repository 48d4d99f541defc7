import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { latenciesOfRow, percentile } from "../../lib/conversations/latency.ts";
import { refreshE2eP90 } from "../../lib/conversations/latency-store.ts";
import { ingestEvents } from "../../lib/ingest/index.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

// conversations.e2e_p90_ms (the list's End-to-End p90 column) follows the latency turns ingest
// stores, and equals the p90 the latency report computes from the same turns (percentile in latency.ts).
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

const at = (base: number, ms: number) => new Date(base + ms).toISOString();
let n = 0;
const id = () => `p90-event-${++n}`;

function turn(sessionId: string, turnIndex: number, base: number, e2eMs: number | null, extra = {}) {
  return {
    id: id(),
    type: "latency.turn",
    sessionId,
    occurredAt: at(base, 0),
    turnIndex,
    userStoppedSpeakingAt: at(base, 0),
    ...(e2eMs === null ? {} : { firstAudioHeardAt: at(base, e2eMs) }),
    ...extra,
  };
}

async function stored(sessionId: string) {
  const c = await t.db
    .selectFrom("conversations")
    .select(["id", "e2e_p90_ms"])
    .where("session_id", "=", sessionId)
    .executeTakeFirstOrThrow();
  const turns = await t.db
    .selectFrom("latency_turns")
    .selectAll()
    .where("conversation_id", "=", c.id)
    .execute();
  return {
    p90: c.e2e_p90_ms,
    report: percentile(
      turns.map((r) => latenciesOfRow(r).e2eMs),
      0.9,
    ),
    id: c.id,
  };
}

describe("End-to-End p90 maintained by ingest", () => {
  it("is computed when turns arrive, follows later turns and completions, and matches the report's p90", async () => {
    const base = Date.UTC(2026, 10, 20, 9, 0);
    const s = "p90-session";
    await ingestEvents(
      t.db,
      [
        {
          id: id(),
          type: "conversation.started",
          sessionId: s,
          occurredAt: at(base, 0),
          channel: "voice",
          language: "en-US",
          direction: "inbound",
        },
        turn(s, 0, base + 1000, 1200),
        turn(s, 1, base + 5000, 1700),
      ],
      { atomic: true },
    );
    let r = await stored(s);
    expect(r.p90).toBe(1650);
    expect(r.p90).toBe(r.report);

    // A third turn, its first audio reported in a later event (a turn may come in pieces).
    await ingestEvents(t.db, [turn(s, 2, base + 9000, null)], { atomic: true });
    r = await stored(s);
    expect(r.p90).toBe(1650); // the third turn measures nothing end to end yet
    await ingestEvents(
      t.db,
      [
        {
          id: id(),
          type: "latency.turn",
          sessionId: s,
          occurredAt: at(base, 9000),
          turnIndex: 2,
          firstAudioHeardAt: at(base, 9000 + 3000),
        },
      ],
      { atomic: true },
    );
    r = await stored(s);
    expect(r.p90).toBeCloseTo(2740, 9); // 1200, 1700, 3000 → 1700 + 0.8 × 1300
    expect(r.p90).toBeCloseTo(r.report ?? Number.NaN, 9);

    // A negative latency (clocks disagree) is kept, sign and all.
    await ingestEvents(t.db, [turn(s, 3, base + 12_000, -50)], { atomic: true });
    r = await stored(s);
    expect(r.p90).toBeCloseTo(r.report ?? Number.NaN, 9);
  });

  it("stays null without end-to-end measurements; a refresh of everything changes nothing", async () => {
    const base = Date.UTC(2026, 10, 21, 9, 0);
    await ingestEvents(
      t.db,
      [
        {
          id: id(),
          type: "conversation.started",
          sessionId: "p90-none",
          occurredAt: at(base, 0),
          channel: "voice",
          language: "en-US",
          direction: "inbound",
        },
        {
          id: id(),
          type: "latency.turn",
          sessionId: "p90-none",
          occurredAt: at(base, 0),
          turnIndex: 0,
          asrTranscriptAt: at(base, 400),
        },
      ],
      { atomic: true },
    );
    expect((await stored("p90-none")).p90).toBeNull();
    const before = await t.db
      .selectFrom("conversations")
      .select(["id", "e2e_p90_ms"])
      .orderBy("id")
      .execute();
    await refreshE2eP90(t.db, "all");
    expect(
      await t.db.selectFrom("conversations").select(["id", "e2e_p90_ms"]).orderBy("id").execute(),
    ).toEqual(before);
  });
});
