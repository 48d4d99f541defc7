import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import type { Database } from "../../db/client.ts";
import { listQuerySchema } from "../../lib/api/conversations.ts";
import { listExamples } from "../../lib/api/examples.ts";
import { openApiDocument, operations } from "../../lib/api/openapi.ts";
import { createApiKey, revokeApiKey } from "../../lib/api-keys/index.ts";
import { systemActor } from "../../lib/audit/index.ts";
import { listConversations } from "../../lib/conversations/list.ts";
import { conversationStream, rngFrom } from "../../lib/ingest/generate.ts";
import { ingestEvents } from "../../lib/ingest/index.ts";
import { type Cursor, encodeCursor, listFilterFields } from "../../lib/list-params.ts";
import { updateSettings } from "../../lib/settings/index.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { countDomainRows, seedAgents } from "../helpers/ingest.ts";

// The route files themselves are called (their getDb() points at this file's database), with
// Request objects, exactly as Next.js calls them.
type Routes = {
  events: typeof import("../../app/api/v1/events/route.ts");
  list: typeof import("../../app/api/v1/conversations/route.ts");
  detail: typeof import("../../app/api/v1/conversations/[id]/route.ts");
  openapi: typeof import("../../app/api/v1/openapi.json/route.ts");
  uploads: Record<
    string,
    { POST: (r: Request, c: { params: Promise<{ id: string }> }) => Promise<Response> }
  >;
};

let t: TestDatabase;
let routes: Routes;
const keys = { rw: "", read: "", write: "", revoked: "" };

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  routes = {
    events: await import("../../app/api/v1/events/route.ts"),
    list: await import("../../app/api/v1/conversations/route.ts"),
    detail: await import("../../app/api/v1/conversations/[id]/route.ts"),
    openapi: await import("../../app/api/v1/openapi.json/route.ts"),
    uploads: {
      "recording-legs": await import("../../app/api/v1/conversations/[id]/recording-legs/route.ts"),
      "screen-recordings": await import("../../app/api/v1/conversations/[id]/screen-recordings/route.ts"),
      captures: await import("../../app/api/v1/conversations/[id]/captures/route.ts"),
    },
  };
  await t.db
    .insertInto("users")
    .values({ email: "agent@parley.demo", name: "Alex Agent", role: "agent" })
    .execute();
  await seedAgents(t.db);
  const make = async (name: string, scopes: string[]) =>
    (await createApiKey(t.db, systemActor, { name, scopes })).token;
  keys.rw = await make("rw", ["read", "write"]);
  keys.read = await make("read", ["read"]);
  keys.write = await make("write", ["write"]);
  const revoked = await createApiKey(t.db, systemActor, { name: "old", scopes: ["read", "write"] });
  await revokeApiKey(t.db, systemActor, revoked.id);
  keys.revoked = revoked.token;
});
afterAll(async () => {
  await (globalThis as { parleyDb?: Database }).parleyDb?.destroy();
  await t.drop();
});

const BASE = "http://parley.test";

function request(
  path: string,
  opts: { key?: string; body?: unknown; raw?: string; query?: Record<string, string> } = {},
): Request {
  const url = new URL(path, BASE);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  const body = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  return new Request(url, { method: body === undefined ? "GET" : "POST", headers, body });
}

const post = (body: unknown, opts: { key?: string; raw?: string; query?: Record<string, string> } = {}) =>
  routes.events.POST(request("/api/v1/events", { key: keys.write, body, ...opts }));
const list = (query: Record<string, string> = {}, key = keys.read) =>
  routes.list.GET(request("/api/v1/conversations", { key, query }));
const detail = (id: string, key = keys.read) =>
  routes.detail.GET(request(`/api/v1/conversations/${encodeURIComponent(id)}`, { key }), {
    params: Promise.resolve({ id }),
  });

describe("contract: every example in the OpenAPI document against the live handlers", () => {
  it("serves the document generated from the schemas", async () => {
    const doc = (await routes.openapi.GET().json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/api/v1/conversations",
      "/api/v1/conversations/{id}",
      "/api/v1/conversations/{id}/captures",
      "/api/v1/conversations/{id}/recording-legs",
      "/api/v1/conversations/{id}/screen-recordings",
      "/api/v1/events",
      "/api/v1/openapi.json",
    ]);
  });

  for (const op of operations) {
    for (const [name, example] of Object.entries(op.examples)) {
      it(`${op.method.toUpperCase()} ${op.path} — ${name}`, async () => {
        const documented = op.responses[example.status];
        expect(documented, `status ${example.status} is documented`).toBeDefined();
        const schemas = documented?.schemas ?? [];
        const conforms = (body: unknown) => schemas.some((s: z.ZodType) => s.safeParse(body).success);
        expect(conforms(example.response), "the example response matches its schema").toBe(true);

        let res: Response;
        if (op.path === "/api/v1/events") {
          res = await post(example.body, {
            key: keys.rw,
            query: example.atomic ? { atomic: example.atomic } : {},
          });
        } else if (op.path.startsWith("/api/v1/conversations/{id}/")) {
          // Upload endpoints: only JSON examples (file bodies are exercised in uploads.test.ts).
          const id = example.id ?? "";
          const route = routes.uploads[op.path.split("/").at(-1) ?? ""];
          const url = new URL(
            `/api/v1/conversations/${encodeURIComponent(id)}/${op.path.split("/").at(-1)}`,
            BASE,
          );
          res = await (route as NonNullable<typeof route>).POST(
            new Request(url, {
              method: "POST",
              headers: {
                authorization: `Bearer ${keys.rw}`,
                "content-type": example.body === undefined ? "application/octet-stream" : "application/json",
              },
              body: example.body === undefined ? new Uint8Array([0]) : JSON.stringify(example.body),
            }),
            { params: Promise.resolve({ id }) },
          );
        } else if (op.path === "/api/v1/conversations") {
          res = await list(example.query ?? {}, keys.rw);
        } else {
          res = await detail(example.id ?? "", keys.rw);
        }
        const body = await res.json();
        expect(res.status).toBe(example.status);
        expect(conforms(body), JSON.stringify(body)).toBe(true);
        if (res.status !== 200 || op.method === "post") {
          expect(body).toEqual(example.response); // deterministic responses match exactly
        } else if (op.pathParam) {
          const live = body as { sessionId: string; status: string; latency: unknown };
          const documentedDetail = example.response as typeof live;
          expect(live.sessionId).toBe(documentedDetail.sessionId);
          expect(live.status).toBe(documentedDetail.status);
          expect(live.latency).toEqual(documentedDetail.latency);
        } else if ((example.response as { data: unknown[] }).data.length === 0) {
          expect(body).toEqual(example.response); // an empty page (a search with nothing to look for)
        } else {
          expect((body as { data: unknown[] }).data.length).toBeGreaterThan(0);
        }
      });
    }
  }
});

describe("authentication", () => {
  it("401 without a key, with a malformed key and with a revoked key", async () => {
    for (const key of [
      undefined,
      "nonsense",
      "prly_00000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      keys.revoked,
    ]) {
      const before = await countDomainRows(t.db);
      const res = await post({ events: [] }, { key });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/Bearer/);
      expect((await routes.list.GET(request("/api/v1/conversations", { key }))).status).toBe(401);
      expect(await countDomainRows(t.db)).toEqual(before);
    }
  });

  it("a read key cannot write, a write key cannot read (403)", async () => {
    const before = await countDomainRows(t.db);
    const events = conversationStream({ sessionId: "scope", start: new Date(), agents: [], rng: rngFrom(3) });
    const res = await post({ events }, { key: keys.read });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: "forbidden" });
    expect(await countDomainRows(t.db)).toEqual(before);
    expect((await list({}, keys.write)).status).toBe(403);
    // Other methods authenticate first: 401 anonymous, then 405 with the allowed method.
    expect((await routes.events.GET(request("/api/v1/events"))).status).toBe(401);
    const wrongMethod = await routes.events.GET(request("/api/v1/events", { key: keys.write }));
    expect([wrongMethod.status, wrongMethod.headers.get("allow")]).toEqual([405, "POST"]);
  });
});

describe("bad requests get 4xx naming the problem, and change nothing", () => {
  const valid = { id: "bad-1", type: "csat.triggered", sessionId: "bad", occurredAt: "2026-11-20T10:00:00Z" };
  const cases: [string, () => Promise<Response>, number, RegExp][] = [
    ["invalid JSON", () => post(undefined, { raw: '{"events": [' }), 400, /not valid JSON/],
    [
      "oversized body",
      () => post(undefined, { raw: `{"events":[],"pad":"${"x".repeat(1_100_000)}"}` }),
      413,
      /exceeds/,
    ],
    ["too many events", () => post({ events: Array(1001).fill(valid) }), 422, /at most 1000/],
    ["no events array", () => post({ evnts: [valid] }), 422, /evnts|events/],
    [
      "wrong-typed field",
      () => post({ events: [{ ...valid, type: "csat.answered", score: "5" }] }),
      422,
      /events\[0\]\.score/,
    ],
    ["unknown field", () => post({ events: [{ ...valid, colour: "red" }] }), 422, /events\[0\]\.colour/],
    [
      "bad enum",
      () => post({ events: [{ ...valid, type: "conversation.ended", status: "done" }] }),
      422,
      /events\[0\]\.status/,
    ],
    [
      "bad date",
      () => post({ events: [{ ...valid, occurredAt: "yesterday" }] }),
      422,
      /events\[0\]\.occurredAt/,
    ],
    [
      "unknown type",
      () => post({ events: [{ ...valid, type: "call.teleported" }] }),
      422,
      /events\[0\]\.type/,
    ],
    ["bad atomic flag", () => post({ events: [valid] }, { query: { atomic: "maybe" } }), 400, /atomic/],
    ["unknown list filter", () => list({ colour: "red" }), 400, /colour/],
    ["limit above 200", () => list({ limit: "500" }), 400, /limit/],
    ["forged cursor", () => list({ cursor: "bm90LWEtY3Vyc29y" }), 400, /cursor/],
    [
      "cursor of another order",
      () =>
        list({
          sort: "oldest",
          cursor: encodeCursor({ at: "2026-11-01T09:00:00.000000Z", id: randomUUID(), rank: "0.1" }),
        }),
      400,
      /cursor.*another order/,
    ],
    // Well formed but out of PostgreSQL's range: refused as the request's fault, not a 500.
    ...(
      [
        ["cursor on 30 February", {}, { at: "2026-02-30T09:00:00.000000Z" }],
        ["cursor at hour 25", {}, { at: "2026-11-01T25:00:00.000000Z" }],
        ["cursor beyond float8", { sort: "e2e_p90_desc" }, { at: "1e400" }],
        ["cursor below float8", { sort: "e2e_p90_asc" }, { at: "1e-400" }],
        ["rank beyond real", { q: "refund" }, { at: "2026-11-01T09:00:00.000000Z", rank: "1e50" }],
      ] as const
    ).map(
      ([name, query, c]) =>
        [name, () => list({ ...query, cursor: encodeCursor({ id: randomUUID(), ...c }) }), 400, /cursor/] as [
          string,
          () => Promise<Response>,
          number,
          RegExp,
        ],
    ),
  ];
  for (const [name, send, status, message] of cases) {
    it(name, async () => {
      const before = await countDomainRows(t.db);
      const res = await send();
      expect(res.status).toBe(status);
      expect(JSON.stringify(await res.json())).toMatch(message);
      expect(await countDomainRows(t.db)).toEqual(before);
    });
  }
});

describe("read API", () => {
  it("pages through conversations newest first with the cursor, and filters", async () => {
    const agents = await seedAgents(t.db);
    for (let i = 0; i < 7; i++) {
      await ingestEvents(
        t.db,
        conversationStream({
          sessionId: `page-${i}`,
          start: new Date(Date.UTC(2026, 9, 1, 8, i)),
          agents,
          rng: rngFrom(i),
          open: i % 2 === 0,
        }),
      );
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await list({
        limit: "3",
        from: "2026-10-01T00:00:00Z",
        to: "2026-10-02T00:00:00Z",
        ...(cursor ? { cursor } : {}),
      });
      const page = (await res.json()) as { data: { sessionId: string }[]; nextCursor: string | null };
      seen.push(...page.data.map((c) => c.sessionId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => `page-${i}`));
    const live = (await (await list({ status: "in_progress", from: "2026-10-01T00:00:00Z" })).json()) as {
      data: { sessionId: string }[];
    };
    expect(live.data.map((c) => c.sessionId).sort()).toEqual(["page-0", "page-2", "page-4", "page-6"]);
  });

  it("withholds customer phone and e-mail when customer info is obscured", async () => {
    const open = (await (await detail("page-1")).json()) as { customer: { email: string | null } };
    expect(open.customer.email).toMatch(/@example\.com$/);
    await updateSettings(t.db, systemActor, { obscure_customer_info: true });
    try {
      const res = (await (await detail("page-1")).json()) as {
        customer: { email: string | null; phone: string | null; userRef: string; obscured: boolean };
        transcript: { body: string }[];
      };
      expect(res.customer).toMatchObject({ email: null, phone: null, obscured: true });
      expect(res.customer.userRef).toMatch(/^U-/);
      expect(JSON.stringify(res)).not.toMatch(/@example\.com|\+1 415 555/);
      const page = (await (await list({ limit: "200" })).json()) as {
        data: { customer: { email: unknown } }[];
      };
      expect(page.data.every((c) => c.customer === null || c.customer.email === null)).toBe(true);
    } finally {
      await updateSettings(t.db, systemActor, { obscure_customer_info: false });
    }
  });

  it("lists exactly what the UI list shows for the same filters and sort, page by page", async () => {
    const supervisor = await t.db
      .insertInto("users")
      .values({ email: "parity@ingest.test", name: "Pat Parity", role: "supervisor" })
      .returning(["id", "role"])
      .executeTakeFirstOrThrow();
    const cases: Record<string, string>[] = [
      {},
      { sort: "oldest" },
      { status: "in_progress", from: "2026-10-01T00:00:00Z" },
      { channel: "voice", direction: "inbound", to: "2026-10-01T08:04:00Z" },
    ];
    for (const filters of cases) {
      const ui: string[] = [];
      let after: Cursor | undefined;
      do {
        const page = await listConversations(t.db, supervisor, {
          ...listQuerySchema.parse(filters),
          limit: 2,
          after,
        });
        ui.push(...page.items.map((c) => c.sessionId));
        after = page.next ?? undefined;
      } while (after);
      const api: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await list({ ...filters, limit: "2", ...(cursor ? { cursor } : {}) });
        const page = (await res.json()) as { data: { sessionId: string }[]; nextCursor: string | null };
        api.push(...page.data.map((c) => c.sessionId));
        cursor = page.nextCursor;
      } while (cursor);
      expect(api, JSON.stringify(filters)).toEqual(ui);
      expect(api.length, JSON.stringify(filters)).toBeGreaterThan(0);
    }
  });
});

describe("search through the read API", () => {
  it("ranks by relevance and pages with the rank in the cursor, no row skipped or repeated", async () => {
    // Three conversations mentioning "zanzibar" 3, 2 and 1 times: relevance orders them so.
    const at = (i: number, s: number) => `2026-09-0${i + 1}T10:00:${String(s).padStart(2, "0")}Z`;
    const events = [3, 2, 1].flatMap((mentions, i) => [
      {
        id: `rank-${i}-start`,
        type: "conversation.started" as const,
        sessionId: `api-rank-${i}`,
        occurredAt: at(i, 0),
        channel: "chat" as const,
        direction: "inbound" as const,
        language: "en-US",
      },
      ...Array.from({ length: mentions }, (_, m) => ({
        id: `rank-${i}-m${m}`,
        type: "message" as const,
        sessionId: `api-rank-${i}`,
        occurredAt: at(i, m + 1),
        seq: m,
        speaker: "customer" as const,
        body: `My parcel to Zanzibar is late (${m})`,
      })),
    ]);
    expect((await ingestEvents(t.db, events)).rejected).toEqual([]);
    const sessions: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await list({ q: "zanzibar", limit: "1", ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      const page = (await res.json()) as { data: { sessionId: string }[]; nextCursor: string | null };
      sessions.push(...page.data.map((c) => c.sessionId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(sessions).toEqual(["api-rank-0", "api-rank-1", "api-rank-2"]);
    // By start time on request, newest first.
    const byDate = (await (await list({ q: "zanzibar", sort: "newest" })).json()) as {
      data: { sessionId: string }[];
    };
    expect(byDate.data.map((c) => c.sessionId)).toEqual(["api-rank-2", "api-rank-1", "api-rank-0"]);
  });
});

describe("the list's parameters come from the UI list's schema", () => {
  const parameters = (
    openApiDocument() as {
      paths: Record<string, { get: { parameters: { name: string; description?: string }[] } }>;
    }
  ).paths["/api/v1/conversations"]?.get.parameters;

  it("accepts every filter of the UI list", () => {
    expect(Object.keys(listQuerySchema.shape)).toEqual(expect.arrayContaining(Object.keys(listFilterFields)));
  });

  // A filter added to lib/list-params.ts reaches the API and its document by itself;
  // it needs a `.describe()` there and an example in lib/api/examples.ts (which the contract test runs).
  for (const name of Object.keys(listQuerySchema.shape)) {
    it(`documents "${name}" and runs it in a contract example`, () => {
      const parameter = parameters?.find((p) => p.name === name);
      expect(parameter?.description, `describe ${name} in its schema`).toBeTruthy();
      const used = Object.values(listExamples).some((e) => "query" in e && name in (e.query ?? {}));
      expect(used, `add an example with ${name} to listExamples`).toBe(true);
    });
  }
});

describe("U+0000 in a parameter or an id", () => {
  it("is a 400 naming the parameter, or a 404 for the id — never a 500", async () => {
    for (const param of ["q", "ids", "queue", "tags"]) {
      const res = await list({ [param]: "a\u0000b" });
      expect(res.status, param).toBe(400);
      expect((await res.json()).path, param).toBe(param);
    }
    expect((await detail("a\u0000b")).status).toBe(404);
  });
});
