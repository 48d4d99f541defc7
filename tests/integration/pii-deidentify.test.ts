import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getApiConversation } from "../../lib/api/conversations.ts";
import { systemActor } from "../../lib/audit/index.ts";
import { getConversationDetail } from "../../lib/conversations/detail.ts";
import { listConversations } from "../../lib/conversations/list.ts";
import { transcriptText } from "../../lib/conversations/transcript-text.ts";
import { ingestEvents } from "../../lib/ingest/index.ts";
import type { IngestEvent } from "../../lib/ingest/schemas.ts";
import { parseSearch, searchListOptions } from "../../lib/search/index.ts";
import { updateSettings } from "../../lib/settings/index.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

// Spans the platform marks for de-identification are redacted in every presentation — transcript,
// search snippet, export text, read API — with "Obscure customer info" OFF, and never searchable.

let t: TestDatabase;
let id: string;
const admin = { apiKeyId: "key" } as const;
const BODY = "Thanks for the zeppelin. My card is 4111 1111 1111 1111, born 1990-04-01, ok?";
const SPANS = [
  { start: 36, end: 55, type: "credit_card" },
  { start: 62, end: 72, type: "date_of_birth" },
];
const SHOWN =
  "Thanks for the zeppelin. My card is [redacted card number], born [redacted date of birth], ok?";

beforeAll(async () => {
  t = await createTestDatabase();
  const at = (s: number) => new Date(Date.UTC(2026, 10, 3, 9, 0, s)).toISOString();
  const events = [
    {
      id: "p1",
      type: "conversation.started",
      sessionId: "pii-1",
      occurredAt: at(0),
      channel: "chat",
      direction: "inbound",
      language: "en-US",
      customer: { userRef: "U-P1", name: "Robin" },
    },
    {
      id: "p2",
      type: "message",
      sessionId: "pii-1",
      occurredAt: at(1),
      seq: 1,
      speaker: "customer",
      body: BODY,
      piiSpans: SPANS,
    },
  ] as IngestEvent[];
  expect((await ingestEvents(t.db, events, { atomic: true })).rejected).toEqual([]);
  id = (await t.db.selectFrom("conversations").select("id").executeTakeFirstOrThrow()).id;
  await updateSettings(t.db, systemActor, { obscure_customer_info: false });
}, 120_000);

afterAll(async () => {
  await t?.drop();
});

describe("PII de-identified by default (masking off)", () => {
  it("redacts marked spans with typed placeholders in the transcript", async () => {
    const detail = await getConversationDetail(t.db, admin, id);
    const first = detail?.transcript.entries[0];
    expect(first?.type === "message" && first.body).toBe(SHOWN);
  });

  it("in the export text (Copy All and the transcript files)", async () => {
    const text = await transcriptText(t.db, admin, id);
    expect(text).toContain(SHOWN);
    expect(text).not.toMatch(/4111|1990-04-01/);
  });

  it("in the read API, with the spans re-based onto the placeholders", async () => {
    const api = await getApiConversation(t.db, admin, id);
    const message = api?.transcript[0];
    expect(message?.body).toBe(SHOWN);
    expect(message?.piiSpans.map((s) => message.body.slice(s.start, s.end))).toEqual([
      "[redacted card number]",
      "[redacted date of birth]",
    ]);
  });

  it("in search snippets, and the marked values are not searchable", async () => {
    const parsed = await parseSearch(t.db, "zeppelin", { viewer: admin, obscure: false });
    if (!parsed.ok) throw new Error(parsed.hint);
    const page = await listConversations(t.db, admin, searchListOptions(parsed));
    expect(page.items[0]?.snippet?.map((s) => s.text).join("")).toBe(SHOWN);
    for (const phrase of ["4111", "1990-04-01", "1990"]) {
      const p = await parseSearch(t.db, phrase, { viewer: admin, obscure: false });
      const found = p.ok ? (await listConversations(t.db, admin, searchListOptions(p))).items : [];
      expect(found, phrase).toEqual([]);
    }
  });
});
