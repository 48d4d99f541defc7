import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "../../lib/audit/index.ts";
import type { ScopeViewer } from "../../lib/auth/scope.ts";
import { getConversationDetail } from "../../lib/conversations/detail.ts";
import { highlightTexts } from "../../lib/conversations/highlight.ts";
import { type ListConversationsOptions, listConversations } from "../../lib/conversations/list.ts";
import { ingestEvents } from "../../lib/ingest/index.ts";
import type { IngestEvent } from "../../lib/ingest/schemas.ts";
import { HINT_ONLY_COMMON_WORDS, HINT_ONLY_EXCLUSIONS, parseSearch } from "../../lib/search/index.ts";
import { updateSettings } from "../../lib/settings/index.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { seedAgents } from "../helpers/ingest.ts";

// Keyword search through the path the page uses (parseSearch → listConversations), on conversations
// written through ingest, so the search documents are the ones ingest maintains.

let t: TestDatabase;
let agents: string[];
const viewers = {} as Record<"admin" | "agent0" | "agent1", ScopeViewer>;
const ids = new Map<string, string>();

type Said = {
  messages?: (string | { body: string; piiSpans?: { start: number; end: number; type: string }[] })[];
  notes?: string[];
  disposition?: string;
  agent?: number;
  minute: number;
  customer?: { phone?: string; email?: string };
  subject?: string;
};

let counter = 0;
function conversation(session: string, said: Said): IngestEvent[] {
  const at = (s: number) => new Date(Date.UTC(2026, 10, 1, 9, said.minute, s)).toISOString();
  const id = () => `${session}-e${counter++}`;
  const events: unknown[] = [
    {
      id: id(),
      type: "conversation.started",
      sessionId: session,
      occurredAt: at(0),
      channel: said.subject ? "email" : "chat",
      direction: "inbound",
      language: "en-US",
      customer: { userRef: `user-${session}`, name: "Casey", ...said.customer },
    },
    ...(said.agent === undefined
      ? []
      : [
          {
            id: id(),
            type: "participant.joined",
            sessionId: session,
            occurredAt: at(1),
            agentEmail: agents[said.agent],
          },
        ]),
    ...(said.messages ?? []).map((m, i) => ({
      id: id(),
      type: "message",
      sessionId: session,
      occurredAt: at(2 + i),
      seq: i + 1,
      speaker: i % 2 ? "agent" : "customer",
      ...(typeof m === "string" ? { body: m } : m),
      ...(said.subject && i === 0 ? { kind: "email", email: { subject: said.subject } } : {}),
    })),
    ...(said.notes ?? []).map((body) => ({
      id: id(),
      type: "note.added",
      sessionId: session,
      occurredAt: at(40),
      body,
    })),
    ...(said.disposition
      ? [
          {
            id: id(),
            type: "disposition.set",
            sessionId: session,
            occurredAt: at(50),
            code: "resolved",
            note: said.disposition,
          },
        ]
      : []),
  ];
  return events as IngestEvent[];
}

const CONVERSATIONS: Record<string, Said> = {
  once: { minute: 1, messages: ["I would like a refund for my order", "Sure, let me check"] },
  thrice: {
    minute: 2,
    messages: ["Refund please", "Which refund?", "The refund for the blender", "OK"],
  },
  noted: {
    minute: 3,
    messages: ["I want a refund", "Done"],
    notes: ["Customer asked for a refund twice"],
  },
  policy: { minute: 4, messages: ["What is your refund policy for shoes?", "Thirty days"] },
  cancel: { minute: 5, messages: ["Please cancel my refund", "Cancelled"] },
  billing: { minute: 6, messages: ["My billing address changed", "Updated"] },
  noteOnly: { minute: 7, messages: ["Hello", "Hi"], notes: ["Escalated to the warehouse team"] },
  dispositionOnly: { minute: 8, messages: ["Hello again", "Hi"], disposition: "Replacement courier booked" },
  agent0: { minute: 9, agent: 0, messages: ["My parcel tracking is broken", "Looking"] },
  agent1: { minute: 10, agent: 1, messages: ["Parcel tracking again", "Sure"] },
  pii: {
    minute: 11,
    customer: { phone: "+1 555 010 9999", email: "casey.private@example.com" },
    messages: [
      {
        body: "Call me on +1 555 010 9999 about the voucher",
        piiSpans: [{ start: 11, end: 26, type: "phone" }],
      },
      "Or mail casey.private@example.com, unmarked 555-010-9999, name Zebulon",
      { body: "My name is Quintessa", piiSpans: [{ start: 11, end: 20, type: "person" }] },
    ],
    notes: ["Customer phone 555 010 9999 and casey.private@example.com"],
  },
  email: { minute: 12, subject: "Warranty claim for kettle", messages: ["Please see attached"] },
  markup: { minute: 13, messages: ['<img src=x onerror="alert(1)"> my toaster is <b>broken</b>', "Noted"] },
};

beforeAll(async () => {
  t = await createTestDatabase();
  agents = await seedAgents(t.db, 2);
  const events = Object.entries(CONVERSATIONS).flatMap(([session, said]) => conversation(session, said));
  const outcome = await ingestEvents(t.db, events, { atomic: true });
  expect(outcome.rejected).toEqual([]);
  await rememberSessions();
  await t.db
    .insertInto("users")
    .values({ email: "admin@search.test", name: "Admin", role: "admin" })
    .execute();
  const user = (email: string) =>
    t.db.selectFrom("users").select(["id", "role"]).where("email", "=", email).executeTakeFirstOrThrow();
  viewers.admin = await user("admin@search.test");
  viewers.agent0 = await user(agents[0] as string);
  viewers.agent1 = await user(agents[1] as string);
});
afterAll(() => t.drop());

async function rememberSessions() {
  for (const row of await t.db.selectFrom("conversations").select(["id", "session_id"]).execute())
    ids.set(row.id, row.session_id);
}

/** The sessions a search finds, in result order. */
async function search(
  phrase: string,
  opts: ListConversationsOptions = {},
  viewer: ScopeViewer = viewers.admin,
): Promise<string[]> {
  const parsed = await parseSearch(t.db, phrase);
  if (!parsed.ok) throw new Error(parsed.hint);
  const page = await listConversations(t.db, viewer, {
    sort: "relevance",
    ...opts,
    search: parsed.tsquery,
    searchFewMatches: parsed.fewMatches,
  });
  return page.items.map((c) => ids.get(c.id) as string);
}

describe("keyword search", () => {
  it("ranks a conversation that mentions the term more often, or in more places, higher", async () => {
    const found = await search("refund");
    expect(found.slice(0, 2).sort()).toEqual(["noted", "thrice"]);
    expect(found.indexOf("thrice")).toBeLessThan(found.indexOf("once"));
    // Same single mention in the transcript; "noted" also has it in an agent note.
    expect(found.indexOf("noted")).toBeLessThan(found.indexOf("once"));
    expect(new Set(found)).toEqual(new Set(["once", "thrice", "noted", "policy", "cancel"]));
  });

  it("matches word forms (stemming) and sorts by start time when asked", async () => {
    expect(await search("refunds", { sort: "newest" })).toEqual([
      "cancel",
      "policy",
      "noted",
      "thrice",
      "once",
    ]);
    expect(await search("refunded", { sort: "oldest" })).toEqual([
      "once",
      "thrice",
      "noted",
      "policy",
      "cancel",
    ]);
  });

  it("ignores common words", async () => {
    expect(await search("the refund for a blender")).toEqual(["thrice"]);
    for (const phrase of ["the and of", "  ", "!!! ... ???", '"" - OR']) {
      const parsed = await parseSearch(t.db, phrase);
      expect(parsed).toMatchObject({ ok: false, hint: HINT_ONLY_COMMON_WORDS });
    }
  });

  it('supports "quoted phrases", -exclusions and OR', async () => {
    expect(await search('"refund policy"')).toEqual(["policy"]);
    // Both words, not as a phrase: "refund … policy" vs. "policy … refund" order does not matter.
    expect(await search("policy refund")).toEqual(["policy"]);
    expect(new Set(await search("refund -cancel -policy"))).toEqual(new Set(["once", "thrice", "noted"]));
    expect(new Set(await search("blender OR billing"))).toEqual(new Set(["thrice", "billing"]));
    const onlyExcluded = await parseSearch(t.db, "-refund");
    expect(onlyExcluded).toMatchObject({ ok: false, hint: HINT_ONLY_EXCLUSIONS });
  });

  it("searches agent notes, disposition notes and e-mail subjects", async () => {
    expect(await search("warehouse")).toEqual(["noteOnly"]);
    expect(await search("courier")).toEqual(["dispositionOnly"]);
    expect(await search("warranty kettle")).toEqual(["email"]);
  });

  it("keeps the results in the viewer's scope", async () => {
    expect(new Set(await search("parcel tracking"))).toEqual(new Set(["agent0", "agent1"]));
    expect(await search("parcel tracking", {}, viewers.agent0)).toEqual(["agent0"]);
    expect(await search("parcel tracking", { sort: "newest" }, viewers.agent1)).toEqual(["agent1"]);
    expect(await search("refund", {}, viewers.agent0)).toEqual([]);
  });

  it("never finds a masked value: marked spans, e-mail addresses and phone numbers are not indexed", async () => {
    expect(await search("voucher")).toEqual(["pii"]);
    expect(await search("Zebulon")).toEqual(["pii"]);
    for (const obscure of [true, false]) {
      await updateSettings(t.db, systemActor, { obscure_customer_info: obscure });
      for (const phrase of [
        "555 010 9999",
        '"+1 555 010 9999"',
        "0109999",
        "9999",
        "casey.private@example.com",
        "Quintessa",
      ]) {
        const parsed = await parseSearch(t.db, phrase);
        if (!parsed.ok) continue; // nothing left to search for is also "not found"
        const page = await listConversations(t.db, viewers.admin, { search: parsed.tsquery });
        expect(page.items, phrase).toEqual([]);
      }
    }
  });

  it("shows a snippet of the best matching text with the matches marked, masked like the panel", async () => {
    const snippet = async (phrase: string) => {
      const parsed = await parseSearch(t.db, phrase);
      if (!parsed.ok) throw new Error(parsed.hint);
      const page = await listConversations(t.db, viewers.admin, { search: parsed.tsquery });
      return page.items.map((c) => c.snippet ?? []);
    };
    const [refund] = await snippet('"refund policy"');
    expect(refund?.filter((s) => s.match).map((s) => s.text)).toEqual(["refund", "policy"]);
    expect(refund?.map((s) => s.text).join("")).toContain("What is your refund policy for shoes");
    // The best source may be a note.
    const [note] = await snippet("warehouse");
    expect(note?.map((s) => s.text).join("")).toContain("Escalated to the warehouse team");
    // Markup in a message is text in a segment, never interpreted.
    const [markup] = await snippet("toaster");
    expect(markup?.map((s) => s.text).join("")).toContain('<img src=x onerror="alert(1)">');
    // The span the platform marked is de-identified whether masking is on or off: the snippet shows
    // the placeholder, never the phone number.
    for (const obscure of [true, false]) {
      await updateSettings(t.db, systemActor, { obscure_customer_info: obscure });
      const [voucher] = await snippet("voucher");
      const text = voucher?.map((s) => s.text).join("") ?? "";
      expect(text).toContain("voucher");
      expect(text).toContain("[redacted phone]");
      expect(text).not.toMatch(/555|010|9999/);
    }
  });

  it("finds the snippet of a word whose stem its start does not give away (dying → die)", async () => {
    const outcome = await ingestEvents(
      t.db,
      conversation("dying", { minute: 30, messages: ["Hi", "My phone battery is dying fast"] }),
      {
        atomic: true,
      },
    );
    expect(outcome.rejected).toEqual([]);
    const parsed = await parseSearch(t.db, "dying");
    if (!parsed.ok) throw new Error(parsed.hint);
    const page = await listConversations(t.db, viewers.admin, { search: parsed.tsquery });
    expect(page.items.map((c) => c.snippet?.filter((s) => s.match).map((s) => s.text))).toEqual([["dying"]]);
  });

  it("highlights a text with hyphenated words and addresses without changing a character", async () => {
    const parsed = await parseSearch(t.db, "mail discussing");
    if (!parsed.ok) throw new Error(parsed.hint);
    const text = "Re-sent the e-mail (see https://help.example.org/a-b?x=1) — we discussed it.\n\nThanks!";
    const [marked] = await highlightTexts(t.db, parsed.tsquery ?? "", [text], "whole");
    expect(marked?.map((s) => s.text).join("")).toBe(text);
    expect(marked?.filter((s) => s.match).map((s) => s.text)).toEqual(["e-mail", "discussed"]);
  });

  it("marks the matches in the transcript of a conversation opened from a search, in masked text", async () => {
    const idOf = (session: string) => [...ids].find(([, s]) => s === session)?.[0] as string;
    const parsed = await parseSearch(t.db, "refund blender");
    if (!parsed.ok) throw new Error(parsed.hint);
    const detail = await getConversationDetail(t.db, viewers.admin, idOf("thrice"), {
      search: parsed.tsquery,
    });
    const marked = detail?.transcript.entries.flatMap((e) =>
      e.type === "message" ? (e.highlights ?? []).filter((s) => s.match).map((s) => s.text) : [],
    );
    expect(marked).toEqual(["Refund", "refund", "refund", "blender"]);
    // Whole bodies: the segments put together are the body as shown.
    for (const e of detail?.transcript.entries ?? [])
      if (e.type === "message" && e.highlights) expect(e.highlights.map((s) => s.text).join("")).toBe(e.body);
    // Not opened from a search: nothing marked. Out of scope: nothing at all.
    const plain = await getConversationDetail(t.db, viewers.admin, idOf("thrice"));
    expect(plain?.transcript.entries.some((e) => e.type === "message" && e.highlights)).toBe(false);
    expect(
      await getConversationDetail(t.db, viewers.agent0, idOf("thrice"), { search: parsed.tsquery }),
    ).toBeNull();

    await updateSettings(t.db, systemActor, { obscure_customer_info: true });
    const voucher = await parseSearch(t.db, "voucher");
    if (!voucher.ok) throw new Error(voucher.hint);
    const pii = await getConversationDetail(t.db, viewers.admin, idOf("pii"), { search: voucher.tsquery });
    const first = pii?.transcript.entries[0];
    expect(first?.type === "message" && first.highlights?.map((s) => s.text).join("")).toBe(
      "Call me on [redacted phone] about the voucher",
    );
    await updateSettings(t.db, systemActor, { obscure_customer_info: false });
  });

  // Both ways to the matches: from the GIN index first (few matches), or in the list's order.
  it.each([
    ["relevance", true],
    ["relevance", false],
    ["newest", true],
    ["newest", false],
    ["oldest", true],
  ] as const)("pages through results sorted by %s (GIN first: %s), forwards and back", async (sort, few) => {
    const parsed = await parseSearch(t.db, "refund");
    if (!parsed.ok) throw new Error("parse");
    const opts = { search: parsed.tsquery, searchFewMatches: few, sort, limit: 2 };
    const all = (await listConversations(t.db, viewers.admin, { ...opts, limit: 50 })).items.map((c) => c.id);
    expect(all).toHaveLength(5);
    const pages = [await listConversations(t.db, viewers.admin, opts)];
    for (let next = pages[0]?.next; next; next = pages.at(-1)?.next)
      pages.push(await listConversations(t.db, viewers.admin, { ...opts, after: next }));
    expect(pages.flatMap((p) => p.items.map((c) => c.id))).toEqual(all);
    if (sort === "relevance") expect(pages.at(-1)?.items[0]?.cursor.rank).toMatch(/^\d/);
    // Back from the last page gives the page before it.
    const back = await listConversations(t.db, viewers.admin, {
      ...opts,
      before: pages.at(-1)?.prev ?? undefined,
    });
    expect(back.items.map((c) => c.id)).toEqual(pages.at(-2)?.items.map((c) => c.id));
  });

  it("follows a participation and a start that change after the words were indexed", async () => {
    // Said first, joined later: the agent's search finds it from then on, by either path.
    const late = conversation("lateJoin", {
      minute: 20,
      messages: ["My snowboard binding snapped", "Oh no"],
    });
    expect((await ingestEvents(t.db, late, { atomic: true })).rejected).toEqual([]);
    await rememberSessions();
    expect(await search("snowboard", {}, viewers.agent1)).toEqual([]);
    const join = {
      id: "lateJoin-join",
      type: "participant.joined",
      sessionId: "lateJoin",
      occurredAt: "2026-11-01T09:20:30.000Z",
      agentEmail: agents[1],
    } as IngestEvent;
    expect((await ingestEvents(t.db, [join], { atomic: true })).rejected).toEqual([]);
    for (const sort of ["relevance", "newest"] as const)
      expect(await search("snowboard", { sort }, viewers.agent1)).toEqual(["lateJoin"]);
    expect(await search("snowboard", {}, viewers.agent0)).toEqual([]);
    // A message that arrives before a conversation.started event starts the conversation at its
    // own time; the start event, later, moves it back, and the by-date order follows.
    const early = conversation("movedStart", { minute: 30, messages: ["Snowboard wax question"] });
    const [started, ...rest] = early;
    expect((await ingestEvents(t.db, rest, { atomic: true })).rejected).toEqual([]);
    await rememberSessions();
    const moved = { ...started, occurredAt: "2026-11-01T09:19:00.000Z" } as IngestEvent;
    expect(await search("snowboard", { sort: "newest" })).toEqual(["movedStart", "lateJoin"]);
    expect((await ingestEvents(t.db, [moved], { atomic: true })).rejected).toEqual([]);
    expect(await search("snowboard", { sort: "newest" })).toEqual(["lateJoin", "movedStart"]);
    expect(await search("snowboard", { sort: "newest", searchFewMatches: false })).toEqual([
      "lateJoin",
      "movedStart",
    ]);
  });
});
