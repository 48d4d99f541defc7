import { sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database } from "../../db/client.ts";
import { createApiKey } from "../../lib/api-keys/index.ts";
import { systemActor } from "../../lib/audit/index.ts";
import { FIRST_PAGE, getTranscriptPage } from "../../lib/conversations/detail.ts";
import { latenciesOfRow } from "../../lib/conversations/latency.ts";
import { transcriptText } from "../../lib/conversations/transcript-text.ts";
import { conversationStream, type Rng, rngFrom } from "../../lib/ingest/generate.ts";
import type { IngestEvent } from "../../lib/ingest/schemas.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { seedAgents } from "../helpers/ingest.ts";

// ≥ 5,000 malformed payloads, each a mutation of valid events, through the real route handler.
// Expected: never a 5xx, and exactly the events the response did not reject are stored — none at
// all from an atomic request that had a rejection.

const PAYLOADS = 5000;

let t: TestDatabase;
let POST: (request: Request) => Promise<Response>;
let key: string;
let templates: IngestEvent[];

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  POST = (await import("../../app/api/v1/events/route.ts")).POST;
  const agents = await seedAgents(t.db);
  key = (await createApiKey(t.db, systemActor, { name: "fuzz", scopes: ["write"] })).token;
  templates = conversationStream({
    sessionId: "tpl",
    start: new Date(),
    agents,
    rng: rngFrom(1),
    messages: 4,
  });
});
afterAll(async () => {
  await (globalThis as { parleyDb?: Database }).parleyDb?.destroy();
  await t.drop();
});

const junk: unknown[] = [
  null,
  0,
  -1,
  1.5,
  1e308,
  "",
  "x",
  true,
  false,
  [],
  {},
  [1, 2],
  { a: 1 },
  "\u0000",
  "💥",
  "\ud800", // lone surrogates
  "x\udfff",
  1e21,
  Number.MAX_SAFE_INTEGER,
];
/** A non-atomic batch through the route handler. */
const postBatch = (events: unknown[]) =>
  POST(
    new Request("http://parley.test/api/v1/events", {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ events }),
    }),
  );
const pick = <T>(rng: Rng, xs: readonly T[]) => xs[Math.floor(rng() * xs.length)] as T;

/** One mutation of an event: the kinds of mistakes integrations make. */
function mutate(event: Record<string, unknown>, rng: Rng): unknown {
  const e: Record<string, unknown> = structuredClone(event);
  const fields = Object.keys(e);
  const field = pick(rng, fields);
  switch (Math.floor(rng() * 10)) {
    case 0: // wrong type
      e[field] = pick(rng, junk);
      break;
    case 1: // missing field
      delete e[field];
      break;
    case 2: // extra field
      e[`extra_${Math.floor(rng() * 100)}`] = pick(rng, junk);
      break;
    case 3: // huge string
      e[field] = "y".repeat(100_001 + Math.floor(rng() * 100_000));
      break;
    case 4: // bad enum / unknown type
      e[pick(rng, ["type", "channel", "speaker", "status", "level", "event", "kind"])] = "bogus";
      break;
    case 5: // bad date
      e[pick(rng, ["occurredAt", "userStoppedSpeakingAt"])] = pick(rng, [
        "2026-13-45T00:00:00Z",
        "yesterday",
        "2026-11-20",
        "2026-11-20T10:00:00",
        1732000000,
        "0000-01-01T00:00:00Z",
        "10000-01-01T00:00:00Z",
        "2026-11-20T10:00:00+23:59",
        "2026-11-20T10:00:00-23:59",
      ]);
      break;
    case 6: // NUL byte or bad id
      e[pick(rng, ["id", "sessionId", "body", "queue", "name"])] = pick(rng, [
        "a\u0000b",
        "has space",
        "",
        "a\udc00",
      ]);
      break;
    case 7: // not an event at all
      return pick(rng, junk);
    case 8: // nested garbage
      e[field] = { deep: [[[{ x: pick(rng, junk) }]]] };
      break;
    default: // out-of-range numbers
      e[pick(rng, ["seq", "score", "turnIndex", "snoozeCount"])] = pick(rng, [
        -1,
        2 ** 31,
        0.5,
        11,
        Number.NaN,
      ]);
  }
  return e;
}

it(`survives ${PAYLOADS} malformed payloads: no 5xx, no partial writes`, { timeout: 300_000 }, async () => {
  const rng = rngFrom(20261126);
  const expected = new Set<string>();
  const statuses = new Map<number, number>();
  for (let i = 0; i < PAYLOADS; i++) {
    const atomic = rng() < 0.5;
    const size = 1 + Math.floor(rng() * 4);
    const events: unknown[] = [];
    for (let j = 0; j < size; j++) {
      const template = { ...pick(rng, templates), id: `fz-${i}-${j}`, sessionId: `fz-${i % 50}` };
      events.push(j === 0 || rng() < 0.5 ? mutate(template, rng) : template);
    }
    // Some payloads break the envelope instead of an event.
    const body =
      rng() < 0.05
        ? pick(rng, [events, { events: {} }, { events, extra: 1 }, "[", { events: [events] }])
        : { events };
    const raw = typeof body === "string" ? body : JSON.stringify(body);
    const res = await POST(
      new Request(`http://parley.test/api/v1/events${atomic ? "?atomic=true" : ""}`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: raw,
      }),
    );
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    expect(res.status, raw.slice(0, 300)).toBeLessThan(500);
    const result = (await res.json()) as { accepted?: number; rejected?: { index: number }[] };
    if (!result.rejected || typeof body !== "object" || Array.isArray(body)) {
      expect(res.status).toBeGreaterThanOrEqual(400); // envelope refused: nothing stored
      continue;
    }
    const rejected = new Set(result.rejected.map((r) => r.index));
    if (atomic && rejected.size > 0) {
      expect(result.accepted).toBe(0);
      continue;
    }
    const sent = (body as { events: unknown[] }).events;
    sent.forEach((e, j) => {
      const id = (e as { id?: unknown } | null)?.id;
      if (!rejected.has(j) && typeof id === "string") expected.add(id);
    });
  }
  const stored = await sql<{ event_id: string }>`select event_id from ingested_events`.execute(t.db);
  expect(new Set(stored.rows.map((r) => r.event_id))).toEqual(expected);
  // Rows hang off stored events only: no conversation exists without an event that created it.
  const orphans = await sql<{ n: string }>`
    select count(*) as n from conversations c
    where c.session_id like 'fz-%' and not exists (select 1 from ingested_events e where e.session_id = c.session_id)`.execute(
    t.db,
  );
  expect(Number(orphans.rows[0]?.n)).toBe(0);
  console.log(
    `fuzz statuses: ${JSON.stringify(Object.fromEntries(statuses))}, stored ${expected.size} valid events`,
  );
});

// Values that reach PostgreSQL's limits rather than the schema's: each sent next to a valid event
// in a non-atomic batch. The hostile event is refused on its own (207 naming it) and the valid one
// is stored — a 5xx would make a retrying platform resend the whole batch for ever.
it("refuses hostile values per event: lone surrogates, extreme years and offsets, huge numbers, reversed latency", async () => {
  const turn = {
    id: "turn",
    type: "latency.turn",
    sessionId: "turn",
    occurredAt: "2026-11-20T10:00:02Z",
    turnIndex: 0,
  };
  const of = (type: string) => {
    if (type === "latency.turn") return turn as Record<string, unknown>;
    const template = templates.find((e) => e.type === type);
    if (!template) throw new Error(`no ${type} template`);
    return template as unknown as Record<string, unknown>;
  };
  const stop = "2026-11-20T10:00:00.000Z";
  const later = "2026-11-20T10:00:01.500Z";
  const cases: [string, Record<string, unknown>][] = [
    ["lone high surrogate in a body", { ...of("message"), body: "hello \ud800" }],
    ["lone low surrogate in a name", { ...of("tag.added"), value: "\udc00x" }],
    ["lone surrogate in a queue", { ...of("queue.entered"), queue: "q\udfff" }],
    [
      "lone surrogate in a nested customer name",
      { ...of("conversation.started"), customer: { userRef: "u\ud83d" } },
    ],
    ["year 0000", { ...of("message"), occurredAt: "0000-01-01T00:00:00Z" }],
    ["year 10000", { ...of("message"), occurredAt: "10000-01-01T00:00:00Z" }],
    ["expanded year +010000", { ...of("message"), occurredAt: "+010000-01-01T00:00:00Z" }],
    ["offset +23:59", { ...of("message"), occurredAt: "2026-11-20T10:00:00+23:59" }],
    ["offset -23:59", { ...of("message"), occurredAt: "2026-11-20T10:00:00-23:59" }],
    ["year 9999 pushed past it by -23:59", { ...of("message"), occurredAt: "9999-12-31T23:00:00-23:59" }],
    ["year 0001 pulled before it by +23:59", { ...of("message"), occurredAt: "0001-01-01T00:00:00+23:59" }],
    ["huge seq", { ...of("message"), seq: 1e308 }],
    ["seq beyond 2^53", { ...of("message"), seq: 2 ** 53 + 2 }],
    ["huge turn index", { ...of("latency.turn"), turnIndex: 1e21 }],
    ["huge CSAT score", { ...of("csat.answered"), score: Number.MAX_SAFE_INTEGER }],
    [
      "reversed latency timestamps",
      { ...of("latency.turn"), turnIndex: 7, userStoppedSpeakingAt: later, firstAudioHeardAt: stop },
    ],
    [
      "latency spanning years",
      {
        ...of("latency.turn"),
        turnIndex: 8,
        userStoppedSpeakingAt: "2016-11-20T10:00:00Z",
        firstAudioHeardAt: "2026-11-20T10:00:00Z",
      },
    ],
  ];
  let n = 0;
  for (const [label, hostile] of cases) {
    n++;
    const sessionId = `hostile-${n}`;
    const valid = { ...of("message"), id: `hv-${n}`, sessionId, seq: 1 };
    const events = [valid, { ...hostile, id: `hx-${n}`, sessionId }];
    const res = await postBatch(events);
    expect(res.status, label).toBe(207);
    const result = (await res.json()) as { accepted: number; rejected: { index: number; path: string }[] };
    expect(
      result.rejected.map((r) => r.index),
      label,
    ).toContain(1);
    const stored = await t.db
      .selectFrom("ingested_events")
      .select("event_id")
      .where("session_id", "=", sessionId)
      .execute();
    expect(
      stored.map((r) => r.event_id),
      label,
    ).toEqual([`hv-${n}`]);
  }
});

// Each latency.turn event is checked on its own; a turn assembled from several can still come out
// reversed. What is read back (the list's End-to-End p90, the panel and API latencies) is then
// "not measured", never a negative or centuries-long latency.
it("never shows an impossible latency for a turn whose timestamps arrive reversed across events", async () => {
  const sessionId = "reversed-across";
  const base = { type: "latency.turn", sessionId, occurredAt: "2026-11-20T10:00:05Z", turnIndex: 0 };
  const started = {
    ...(templates.find((e) => e.type === "conversation.started") as object),
    id: "ra-0",
    sessionId,
  };
  for (const events of [
    [started, { ...base, id: "ra-1", firstAudioHeardAt: "2016-11-20T10:00:00Z" }],
    [{ ...base, id: "ra-2", userStoppedSpeakingAt: "2026-11-20T10:00:00Z" }],
  ]) {
    const res = await postBatch(events);
    expect(res.status).toBe(200);
  }
  const row = await t.db
    .selectFrom("conversations as c")
    .innerJoin("latency_turns as lt", "lt.conversation_id", "c.id")
    .selectAll("lt")
    .select("c.e2e_p90_ms")
    .where("c.session_id", "=", sessionId)
    .executeTakeFirstOrThrow();
  expect(row.first_audio_heard_at?.getTime()).toBeLessThan(row.user_stopped_speaking_at?.getTime() ?? 0);
  expect(row.e2e_p90_ms).toBeNull();
  expect(latenciesOfRow(row).e2eMs).toBeNull();
});

// One rule for seq 0 everywhere: ingest accepts it (the OpenAPI example starts there), so the panel's
// transcript and its text download show it too.
it("shows and exports a message with seq 0", async () => {
  const sessionId = "seq-zero";
  const started = {
    ...(templates.find((e) => e.type === "conversation.started") as object),
    id: "sz-0",
    sessionId,
  };
  const message = templates.find((e) => e.type === "message") as object;
  const events = [
    started,
    { ...message, id: "sz-1", sessionId, seq: 0, body: "first words" },
    { ...message, id: "sz-2", sessionId, seq: 1, body: "second words" },
  ];
  const res = await postBatch(events);
  expect(res.status).toBe(200);
  const { id } = await t.db
    .selectFrom("conversations")
    .select("id")
    .where("session_id", "=", sessionId)
    .executeTakeFirstOrThrow();
  const admin = { id: "00000000-0000-4000-8000-000000000001", role: "admin" as const };
  const page = await getTranscriptPage(t.db, admin, id, FIRST_PAGE);
  expect(page?.entries.flatMap((e) => ("seq" in e ? [e.seq] : []))).toEqual([0, 1]);
  expect(await transcriptText(t.db, admin, id)).toContain("first words");
});
