import { sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database } from "../../db/client.ts";
import { createApiKey } from "../../lib/api-keys/index.ts";
import { systemActor } from "../../lib/audit/index.ts";
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
];
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
      ]);
      break;
    case 6: // NUL byte or bad id
      e[pick(rng, ["id", "sessionId", "body", "queue", "name"])] = pick(rng, ["a\u0000b", "has space", ""]);
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
