import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listApiConversations } from "../../lib/api/conversations.ts";
import { systemActor } from "../../lib/audit/index.ts";
import type { ScopeViewer } from "../../lib/auth/scope.ts";
import { type ListConversationsOptions, listConversations } from "../../lib/conversations/list.ts";
import { ingestEvents } from "../../lib/ingest/index.ts";
import type { IngestEvent } from "../../lib/ingest/schemas.ts";
import type { ConversationFilter } from "../../lib/list-params.ts";
import { HINT_MASKED_IDENTIFIER } from "../../lib/search/identifiers.ts";
import { HINT_NO_IDENTIFIER, parseSearch, searchListOptions } from "../../lib/search/index.ts";
import { parsePhrase } from "../../lib/search/query.ts";
import { readSettings, updateSettings } from "../../lib/settings/index.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { seedAgents } from "../helpers/ingest.ts";

// Identifier search and field prefixes through the path the page and the read API use
// (parseSearch → listConversations / listApiConversations), on conversations written through ingest.

let t: TestDatabase;
let agents: string[];
const viewers = {} as Record<"admin" | "agent0" | "agent1", ScopeViewer>;
const idOf = new Map<string, string>();

type Spec = {
  minute: number;
  agent?: number;
  customer: Record<string, string>;
  ids?: Record<string, string>;
  says?: string;
  queue?: string;
  tag?: [string, string];
  status?: "error" | "completed";
  channel?: "voice" | "chat" | "email";
};

// The customer María López is the one searched for; the others share a word, a digit run or a
// prefix with her, so that only exact matching finds the right one.
const SPECS: Record<string, Spec> = {
  maria: {
    minute: 1,
    agent: 0,
    channel: "voice",
    customer: {
      userRef: "U-MARIA-1",
      name: "María López",
      phone: "+1 (555) 010-0138",
      email: "Maria.Lopez@Example.com",
      channelUserId: "whatsapp:maria-77",
    },
    ids: { callId: "call-88121", externalCallId: "ext-4242", callConversationId: "cc-991" },
    says: "Where is my parcel",
    queue: "Billing",
    tag: ["tier", "gold"],
    status: "error",
  },
  // Newer, and mentions her surname in the text: a keyword match, ranked below her own conversation.
  mention: {
    minute: 2,
    agent: 1,
    channel: "chat",
    customer: { userRef: "U-OTHER-2", name: "Pat Quinn", phone: "+44 20 7946 0958" },
    says: "Lopez told me to call about the parcel",
    queue: "Sales",
    status: "completed",
  },
  // A number with the same last four digits, and a name starting like hers.
  near: {
    minute: 3,
    agent: 1,
    channel: "email",
    customer: {
      userRef: "U-NEAR-3",
      name: "Marek Nowak",
      phone: "+1 555 020 0138",
      email: "marek@example.org",
    },
    says: "Hello there",
    status: "completed",
  },
};

function events(session: string, s: Spec): IngestEvent[] {
  const at = (sec: number) => new Date(Date.UTC(2026, 10, 2, 9, s.minute, sec)).toISOString();
  let n = 0;
  const id = () => `${session}-e${n++}`;
  const list: unknown[] = [
    {
      id: id(),
      type: "conversation.started",
      sessionId: session,
      occurredAt: at(0),
      channel: s.channel ?? "chat",
      direction: "inbound",
      language: "en-US",
      customer: s.customer,
      ...s.ids,
    },
    ...(s.agent === undefined
      ? []
      : [
          {
            id: id(),
            type: "participant.joined",
            sessionId: session,
            occurredAt: at(1),
            agentEmail: agents[s.agent],
          },
        ]),
    ...(s.queue
      ? [{ id: id(), type: "queue.entered", sessionId: session, occurredAt: at(2), queue: s.queue }]
      : []),
    ...(s.tag
      ? [
          {
            id: id(),
            type: "tag.added",
            sessionId: session,
            occurredAt: at(3),
            level: "session",
            name: s.tag[0],
            value: s.tag[1],
          },
        ]
      : []),
    ...(s.says
      ? [
          {
            id: id(),
            type: "message",
            sessionId: session,
            occurredAt: at(4),
            seq: 1,
            speaker: "customer",
            body: s.says,
          },
        ]
      : []),
    ...(s.status
      ? [{ id: id(), type: "conversation.ended", sessionId: session, occurredAt: at(50), status: s.status }]
      : []),
  ];
  return list as IngestEvent[];
}

beforeAll(async () => {
  t = await createTestDatabase();
  agents = await seedAgents(t.db, 2);
  const outcome = await ingestEvents(
    t.db,
    Object.entries(SPECS).flatMap(([session, s]) => events(session, s)),
    { atomic: true },
  );
  expect(outcome.rejected).toEqual([]);
  const rows = await t.db.selectFrom("conversations").select(["id", "session_id"]).execute();
  for (const r of rows) idOf.set(r.session_id, r.id);
  await t.db.insertInto("users").values({ email: "admin@ids.test", name: "Admin", role: "admin" }).execute();
  const user = (email: string) =>
    t.db.selectFrom("users").select(["id", "role"]).where("email", "=", email).executeTakeFirstOrThrow();
  viewers.admin = await user("admin@ids.test");
  viewers.agent0 = await user(agents[0] as string);
  viewers.agent1 = await user(agents[1] as string);
}, 120_000);

afterAll(async () => {
  await t?.drop();
});

const sessionOf = (id: string) => [...idOf].find(([, v]) => v === id)?.[0];

/** The sessions a phrase lists, in the list's order, as the page runs it. */
async function search(phrase: string, viewer = viewers.admin, extra: ListConversationsOptions = {}) {
  const obscure = (await readSettings(t.db)).obscure_customer_info;
  const parsed = await parseSearch(t.db, phrase, { viewer, obscure });
  if (!parsed.ok) return { sessions: [] as string[], hint: parsed.hint };
  const page = await listConversations(t.db, viewer, {
    ...searchListOptions(parsed),
    sort: "relevance",
    ...extra,
  });
  return { sessions: page.items.map((c) => sessionOf(c.id)), hint: parsed.hints[0] ?? null };
}

describe("identifier search", () => {
  it.each([
    ["phone, as stored", "+1 (555) 010-0138"],
    ["phone, digits only", "15550100138"],
    ["phone, without the country code", "555-010-0138"],
    ["phone, dotted", "555.010.0138"],
    ["phone, the last 6 digits", "100138"],
    ["phone, international with spaces", "+1 555 010 0138"],
    ["e-mail, whole, other case", "maria.lopez@example.com"],
    ["e-mail, the part before the @", "MARIA.LOPEZ"],
    ["name, a prefix without the accent", "mari"],
    ["name, surname in capitals with an accent", "LÓPEZ"],
    ["name, two prefixes", "maria lo"],
    ["conversation id", () => idOf.get("maria") as string],
    ["session id", "maria"],
    ["call id", "call-88121"],
    ["call conversation id", "cc-991"],
    ["external call id", "ext-4242"],
    ["channel user id", "whatsapp:maria-77"],
    ["User ID", "U-MARIA-1"],
  ] as const)("finds the conversation by its %s, ranked first", async (_, typed) => {
    const phrase = typeof typed === "function" ? typed() : typed;
    const { sessions } = await search(phrase);
    expect(sessions[0]).toBe("maria");
  });

  it("ranks the exact match above a newer conversation that only mentions it", async () => {
    const { sessions } = await search("lopez");
    expect(sessions).toEqual(["maria", "mention"]);
    // Sorted by start time, both are still there, newest first.
    const parsed = await parseSearch(t.db, "lopez", { viewer: viewers.admin, obscure: false });
    if (!parsed.ok) throw new Error(parsed.hint);
    const byDate = await listConversations(t.db, viewers.admin, {
      ...searchListOptions(parsed),
      sort: "newest",
    });
    expect(byDate.items.map((c) => sessionOf(c.id))).toEqual(["mention", "maria"]);
  });

  it("matches a phone number on its digits, not on a shorter suffix shared by others", async () => {
    expect((await search("0138")).sessions).toEqual([]); // fewer than 6 digits: not a phone search
    expect((await search("020 0138")).sessions).toEqual(["near"]);
    expect(await parseSearch(t.db, "555 000 0000", { viewer: viewers.admin, obscure: false })).toMatchObject({
      ok: false,
      hint: HINT_NO_IDENTIFIER,
    });
  });

  it("never finds another agent's conversation by an identifier", async () => {
    for (const phrase of [
      "+1 (555) 010-0138",
      "maria.lopez@example.com",
      "maria",
      "call-88121",
      "U-MARIA-1",
    ]) {
      expect((await search(phrase, viewers.agent1)).sessions, phrase).not.toContain("maria");
      expect((await search(phrase, viewers.agent0)).sessions[0], phrase).toBe("maria");
    }
  });

  it("with customer info obscured, a phone or e-mail finds nothing, exactly like an unknown one, and says why", async () => {
    await updateSettings(t.db, systemActor, { obscure_customer_info: true });
    try {
      for (const phrase of [
        "+1 (555) 010-0138",
        "555.010.0138",
        "maria.lopez@example.com",
        "whatsapp:maria-77x",
      ]) {
        const known = await parseSearch(t.db, phrase, { viewer: viewers.admin, obscure: true });
        expect((await search(phrase)).sessions, phrase).toEqual([]);
        if (phrase.startsWith("whatsapp")) continue;
        const unknown = await parseSearch(t.db, phrase.replace(/\d/g, "7").replace("maria", "nobody"), {
          viewer: viewers.admin,
          obscure: true,
        });
        expect(known).toEqual({ ok: false, text: phrase, hint: HINT_MASKED_IDENTIFIER });
        expect(unknown).toMatchObject({ ok: false, hint: HINT_MASKED_IDENTIFIER });
      }
      // The filters (and so phone:/email:) match nothing either, on the page and in the read API.
      for (const filter of [
        { phone: "5550100138" },
        { email: "maria.lopez@example.com" },
        { email: "maria.lopez" },
      ]) {
        expect((await listConversations(t.db, viewers.admin, filter)).items).toEqual([]);
        const api = await listApiConversations(t.db, { apiKeyId: "k" }, filter);
        expect(api.data, JSON.stringify(filter)).toEqual([]);
      }
      const api = await listApiConversations(t.db, { apiKeyId: "k" }, { q: "+1 (555) 010-0138" });
      expect(api).toEqual({ data: [], nextCursor: null, hint: HINT_MASKED_IDENTIFIER });
      // The name, the User ID and the ids are shown while masked, so they still find her.
      expect((await search("maria lo")).sessions[0]).toBe("maria");
      expect((await search("U-MARIA-1")).sessions[0]).toBe("maria");
      expect((await search("call-88121")).sessions[0]).toBe("maria");
    } finally {
      await updateSettings(t.db, systemActor, { obscure_customer_info: false });
    }
    // Off again: the same read API request finds her.
    const api = await listApiConversations(t.db, { apiKeyId: "k" }, { phone: "5550100138" });
    expect(api.data.map((c) => c.sessionId)).toEqual(["maria"]);
  });
});

describe("field prefixes", () => {
  const all = async (opts: ListConversationsOptions) =>
    (await listConversations(t.db, viewers.admin, { ...opts, sort: "newest" })).items.map((c) =>
      sessionOf(c.id),
    );

  it.each([
    ["agent:agent0@ingest.test", { agent: ["agent0@ingest.test"] }],
    ["queue:Billing", { queue: ["Billing"] }],
    ['queue:"Sales"', { queue: ["Sales"] }],
    ["status:error", { status: ["error"] }],
    ["status:completed", { status: ["completed"] }],
    ["channel:EMAIL", { channel: ["email"] }],
    ["tag:tier=gold", { tags: [{ name: "tier", op: "contains", value: "gold" }] }],
    ["phone:(555)010-0138", { phone: "5550100138" }],
    ["email:marek@example.org", { email: "marek@example.org" }],
    ["customer:mare", { customer: "mare" }],
    ["id:call-88121", { ids: ["call-88121"] }],
    ["after:2026-11-02", { from: "2026-11-02" }],
    ["before:2026-11-03", { to: "2026-11-02" }],
  ] as [string, ConversationFilter][])("%s gives the same results as its filter", async (phrase, filter) => {
    const parsed = parsePhrase(phrase);
    expect(parsed).toMatchObject({ text: "", hints: [], prefixed: true, filters: filter });
    const viaSearch = await parseSearch(t.db, phrase, { viewer: viewers.admin, obscure: false });
    if (!viaSearch.ok) throw new Error(viaSearch.hint);
    const found = await all(searchListOptions(viaSearch));
    expect(found.length).toBeGreaterThan(0);
    expect(found).toEqual(await all(filter));
  });

  it("combines prefixes with words, phrases, -word and OR", async () => {
    expect(parsePhrase('status:completed "the parcel" -hello OR call agent:agent1@ingest.test')).toEqual({
      text: '"the parcel" -hello OR call',
      filters: { status: ["completed"], agent: ["agent1@ingest.test"] },
      hints: [],
      notices: [],
      prefixed: true,
    });
    expect((await search("status:completed parcel")).sessions).toEqual(["mention"]);
    expect((await search("channel:chat parcel -lopez")).sessions).toEqual([]);
    expect((await search("status:completed hello OR parcel")).sessions.sort()).toEqual(["mention", "near"]);
    // Text that only looks like a prefix: a time, a URL.
    expect(parsePhrase("at 10:30 see https://x.test/a").prefixed).toBe(false);
  });

  it("searches an unknown prefix as text, and says so beside the results", async () => {
    const { sessions, hint } = await search("whatsapp:maria-77");
    expect(sessions).toEqual(["maria"]);
    expect(hint).toMatch(/“whatsapp:” is not a field, so “whatsapp:maria-77” was searched as text/);
    expect(await search("note:refund")).toEqual({
      sessions: [],
      hint: expect.stringMatching(/“note:” is not a field/),
    });
  });

  it("gives a bad value an inline hint, never an error", async () => {
    for (const [phrase, hint] of [
      ["status:lost", /“status:” takes one of in_progress, error/],
      ["channel:fax", /“channel:” takes one of voice, chat, email/],
      ["agent:bob", /“agent:” takes an agent's e-mail address/],
      ["phone:12-34", /at least 6 digits/],
      ["before:yesterday", /“before:” takes a day/],
      ["tag:=x", /“tag:” takes a tag name/],
      ["queue:", /Give “queue:” a value/],
    ] as const) {
      const parsed = await parseSearch(t.db, phrase, { viewer: viewers.admin, obscure: false });
      expect(parsed.ok, phrase).toBe(false);
      if (!parsed.ok) expect(parsed.hint, phrase).toMatch(hint);
      // The read API says the same in its hint, with an empty page (a 200, like any search hint).
      const api = await listApiConversations(t.db, { apiKeyId: "k" }, { q: phrase });
      expect(api.hint, phrase).toMatch(hint);
    }
  });
});
