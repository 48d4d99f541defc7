import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getApiConversation } from "../../lib/api/conversations.ts";
import type { UserViewer } from "../../lib/auth/scope.ts";
import {
  getConversationDetail,
  getTranscriptPage,
  TRANSCRIPT_PAGE_SIZE,
  type TranscriptEntry,
  type TranscriptMessage,
} from "../../lib/conversations/detail.ts";
import { listConversations } from "../../lib/conversations/list.ts";
import { transcriptEntries, transcriptText } from "../../lib/conversations/transcript-text.ts";
import type { ConversationExportKind } from "../../lib/exports/kinds.ts";
import { ingestEvents } from "../../lib/ingest/index.ts";
import { createBoss, startBoss } from "../../lib/jobs/boss.ts";
import { parseSearch, refreshSearchDocuments } from "../../lib/search/index.ts";
import type { BlobStore } from "../../lib/storage/index.ts";
import { type TempBlobStore, tempBlobStore } from "../helpers/blobs.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { exportFile as exportFileAs, insertUser, readCsv, readZip } from "../helpers/exports.ts";
import { seedAgents } from "../helpers/ingest.ts";

// "Customer speech during hold periods is not recorded or displayed" (spec, Call Recording): what
// the customer said inside a hold span is in no transcript page, download, export, API read or
// search, also when the span arrives after the messages. The agent's words on hold stay, and so
// does the customer's first word after the hold ends.

const START = Date.UTC(2026, 10, 20, 10, 0, 0);
const at = (s: number) => new Date(START + s * 1000).toISOString();
const HOLD_LABEL = "Call on hold — customer speech not recorded";

let t: TestDatabase;
let boss: PgBoss;
let store: TempBlobStore | undefined;
let blobs: BlobStore;
let admin: UserViewer;
let agentEmail: string;
const ids = { late: "", early: "", ongoing: "", paused: "", long: "" };

/** A voice call: start, agent, messages [second, speaker, body], optionally an end at 120 s. */
function call(session: string, messages: [number, "customer" | "agent", string][], ended = true): unknown[] {
  return [
    {
      id: `${session}-start`,
      type: "conversation.started",
      sessionId: session,
      occurredAt: at(0),
      channel: "voice",
      direction: "inbound",
      language: "en-US",
      recordingEnabled: true,
      customer: { userRef: `usr-${session}`, name: "Casey Caller" },
    },
    { id: `${session}-join`, type: "participant.joined", sessionId: session, occurredAt: at(1), agentEmail },
    ...messages.map(([s, speaker, body], i) => ({
      id: `${session}-m${i + 1}`,
      type: "message",
      sessionId: session,
      occurredAt: at(s),
      seq: i + 1,
      speaker,
      body,
      ...(speaker === "agent" ? { agentEmail } : {}),
    })),
    ...(ended
      ? [{ id: `${session}-end`, type: "conversation.ended", sessionId: session, occurredAt: at(120) }]
      : []),
  ];
}

/** recording.paused at `from` s, resumed at `until` s (none: never resumed). */
function hold(session: string, from: number, until?: number, reason: "hold" | "pause" = "hold"): unknown[] {
  return [
    { id: `${session}-pause`, type: "recording.paused", sessionId: session, occurredAt: at(from), reason },
    ...(until === undefined
      ? []
      : [{ id: `${session}-resume`, type: "recording.resumed", sessionId: session, occurredAt: at(until) }]),
  ];
}

async function ingest(events: unknown[]): Promise<string> {
  const outcome = await ingestEvents(t.db, events, { atomic: true });
  expect(outcome.rejected).toEqual([]);
  return outcome.conversationIds[0] as string;
}

// Before the hold (10 s), the agent announcing it (20 s), the customer on hold (30 s, 59.9 s), the
// agent on hold (40 s), the customer the moment it ends (60 s). Hold: 25 s – 60 s.
const SAID: [number, "customer" | "agent", string][] = [
  [10, "customer", "Reroute my parcel please"],
  [20, "agent", "Placing you on hold now"],
  [30, "customer", "zanzibar hold music, hold, hold again"],
  [40, "agent", "quokka checking the warehouse"],
  [59.9, "customer", "still waiting xylophone"],
  [60, "customer", "marmalade I am back"],
];
const HIDDEN = ["zanzibar", "xylophone"];
const SHOWN = ["Reroute", "Placing you on hold", "quokka", "marmalade"];

const messagesOf = (entries: TranscriptEntry[]) =>
  entries.filter((e): e is TranscriptMessage => e.type === "message");

beforeAll(async () => {
  t = await createTestDatabase();
  boss = await startBoss(createBoss(t.url));
  store = tempBlobStore("hold");
  blobs = store.blobs;
  admin = { id: await insertUser(t.db, "Ada Admin", "admin"), role: "admin" };
  [agentEmail = ""] = await seedAgents(t.db, 1);

  // The hold's events come in a later batch than the words (ingest order).
  ids.late = await ingest(call("late", SAID));
  // The hold's events come first, before the call is known to be a recorded voice call.
  await ingest(hold("early", 25, 60));
  ids.early = await ingest(call("early", SAID));
  // Still on hold: the hold lasts until the call ends.
  ids.ongoing = await ingest([
    ...call(
      "ongoing",
      [
        [20, "agent", "One moment"],
        [30, "customer", "ongoing kumquat"],
      ],
      false,
    ),
    ...hold("ongoing", 25),
  ]);
  // A recording pause is not a hold: the customer's words stay.
  ids.paused = await ingest([
    ...call("paused", [[30, "customer", "paused pomegranate card details"]]),
    ...hold("paused", 25, 60, "pause"),
  ]);
});

afterAll(async () => {
  await boss?.stop({ graceful: false });
  await t?.drop();
  store?.remove();
});

async function sessionsFound(phrase: string): Promise<string[]> {
  const parsed = await parseSearch(t.db, phrase);
  if (!parsed.ok) throw new Error(parsed.hint);
  const page = await listConversations(t.db, admin, {
    search: parsed.tsquery,
    searchFewMatches: parsed.fewMatches,
  });
  return page.items.map((c) => c.sessionId).sort();
}

async function exportFile(kind: ConversationExportKind, id: string): Promise<Buffer> {
  return (await exportFileAs({ db: t.db, boss, blobs }, admin, kind, { ids: [id] })).file;
}

describe("a hold that arrives after the customer's words", () => {
  it("shows and finds them until the hold is known", async () => {
    const d = await getConversationDetail(t.db, admin, ids.late);
    expect(messagesOf(d?.transcript.entries ?? []).map((m) => m.body)).toContain(
      "zanzibar hold music, hold, hold again",
    );
    expect(await sessionsFound("zanzibar")).toEqual(["late"]);
    await ingest(hold("late", 25, 60));
  });

  for (const session of ["late", "early"] as const) {
    describe(`(${session === "late" ? "hold after the words" : "hold before the words"})`, () => {
      it("the Insights transcript leaves them out, keeps the agent's words and the marker", async () => {
        const d = await getConversationDetail(t.db, admin, ids[session]);
        const entries = d?.transcript.entries ?? [];
        expect(entries.map((e) => (e.type === "pause" ? e.label : e.body))).toEqual([
          "Reroute my parcel please",
          "Placing you on hold now",
          HOLD_LABEL,
          "quokka checking the warehouse",
          "marmalade I am back",
        ]);
        expect(d?.transcript.nextAfterSeq).toBeNull();
        const page = await getTranscriptPage(t.db, admin, ids[session], 0);
        expect(messagesOf(page?.entries ?? []).map((m) => m.seq)).toEqual([1, 2, 4, 6]);
      });

      it("the transcript download, the transcripts zip and the chat transcript CSV leave them out", async () => {
        const text = (await transcriptText(t.db, admin, ids[session])) ?? "";
        const zip =
          (await readZip(await exportFile("transcripts", ids[session]))).get(`${ids[session]}.txt`) ?? "";
        const csv = await exportFile("chat_transcript", ids[session]);
        const bodies = readCsv(csv)
          .slice(1)
          .map((r) => r[5]);
        expect(zip).toBe(text);
        for (const file of [text, csv.toString("utf8")]) {
          for (const word of HIDDEN) expect(file).not.toContain(word);
          for (const word of SHOWN) expect(file).toContain(word);
        }
        expect(bodies).toEqual([
          "Reroute my parcel please",
          "Placing you on hold now",
          expect.stringMatching(/^until /),
          "quokka checking the warehouse",
          "marmalade I am back",
        ]);
      });

      it("the read API's transcript leaves them out", async () => {
        const c = await getApiConversation(t.db, admin, session);
        expect(c?.transcript.map((m) => m.seq)).toEqual([1, 2, 4, 6]);
      });
    });
  }

  it("search does not find the conversations by them, and still by the words around them", async () => {
    expect(await sessionsFound("zanzibar")).toEqual([]);
    expect(await sessionsFound("xylophone")).toEqual([]);
    expect(await sessionsFound("quokka")).toEqual(["early", "late"]);
    expect(await sessionsFound("marmalade")).toEqual(["early", "late"]);
    // The list's snippet is the best match among the words shown, not the customer's "hold, hold".
    const parsed = await parseSearch(t.db, "hold");
    if (!parsed.ok) throw new Error(parsed.hint);
    const page = await listConversations(t.db, admin, { search: parsed.tsquery, searchFewMatches: true });
    const late = page.items.find((c) => c.sessionId === "late");
    expect(late?.snippet?.map((s) => s.text).join("")).toBe("Placing you on hold now");
  });
});

describe("other pauses", () => {
  it("a call still on hold hides the customer from the hold's start on", async () => {
    const d = await getConversationDetail(t.db, admin, ids.ongoing);
    expect(messagesOf(d?.transcript.entries ?? []).map((m) => m.body)).toEqual(["One moment"]);
    expect((await getApiConversation(t.db, admin, "ongoing"))?.transcript.map((m) => m.seq)).toEqual([1]);
    expect(await sessionsFound("kumquat")).toEqual([]);
  });

  it("a recording pause (not a hold) keeps what the customer said", async () => {
    const d = await getConversationDetail(t.db, admin, ids.paused);
    expect(messagesOf(d?.transcript.entries ?? []).map((m) => m.body)).toEqual([
      "paused pomegranate card details",
    ]);
    expect(await sessionsFound("pomegranate")).toEqual(["paused"]);
  });
});

describe("paging", () => {
  const LONG = TRANSCRIPT_PAGE_SIZE * 2 + 150;
  beforeAll(async () => {
    // Customer (odd seq) and agent (even) alternate a second apart; a hold covers messages
    // 150–350, across the first page boundary, so 100 customer messages drop out: 2.25 pages left.
    const row = await t.db
      .insertInto("conversations")
      .values({
        session_id: "long",
        direction: "inbound",
        language: "en-US",
        channel: "voice",
        started_at: new Date(START),
        ended_at: new Date(START + 3_600_000),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    ids.long = row.id;
    await t.db
      .insertInto("messages")
      .values(
        Array.from({ length: LONG }, (_, i) => ({
          conversation_id: ids.long,
          seq: i + 1,
          speaker: (i + 1) % 2 ? ("customer" as const) : ("agent" as const),
          body: `message ${i + 1}`,
          sent_at: new Date(START + (i + 1) * 1000),
        })),
      )
      .execute();
    await t.db
      .insertInto("recordings")
      .values({
        conversation_id: ids.long,
        paused_spans: JSON.stringify([{ startMs: 149_500, endMs: 350_500, reason: "hold" }]),
      })
      .execute();
    await refreshSearchDocuments(t.db, [ids.long]);
  });

  it("every page but the last is full; no message is skipped or repeated; the marker is on one page", async () => {
    const expected = Array.from({ length: LONG }, (_, i) => i + 1).filter(
      (seq) => seq % 2 === 0 || seq < 150 || seq > 350,
    );
    const pages: TranscriptEntry[][] = [];
    const first = await getConversationDetail(t.db, admin, ids.long);
    let page = first?.transcript ?? null;
    pages.push(page?.entries ?? []);
    while (page?.nextAfterSeq) {
      page = await getTranscriptPage(t.db, admin, ids.long, page.nextAfterSeq);
      pages.push(page?.entries ?? []);
    }
    const sizes = pages.map((entries) => messagesOf(entries).length);
    expect(sizes).toEqual([
      TRANSCRIPT_PAGE_SIZE,
      TRANSCRIPT_PAGE_SIZE,
      expected.length - 2 * TRANSCRIPT_PAGE_SIZE,
    ]);
    expect(pages.flatMap((entries) => messagesOf(entries).map((m) => m.seq))).toEqual(expected);
    expect(pages.map((entries) => entries.filter((e) => e.type === "pause").length)).toEqual([1, 0, 0]);
    // The marker sits where the hold began: after message 149, before 150 (the agent's).
    const entries = pages[0] ?? [];
    const marker = entries.findIndex((e) => e.type === "pause");
    expect(entries[marker - 1]).toMatchObject({ seq: 149 });
    expect(entries[marker + 1]).toMatchObject({ seq: 150 });
    // The whole-transcript reader (downloads, exports) pages the same way.
    expect(messagesOf((await transcriptEntries(t.db, admin, ids.long)) ?? []).map((m) => m.seq)).toEqual(
      expected,
    );
  });
});
