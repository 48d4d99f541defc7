import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../lib/audit/index.ts";
import {
  getConversationDetail,
  getTranscriptPage,
  TRANSCRIPT_PAGE_SIZE,
  type TranscriptMessage,
} from "../../lib/conversations/detail.ts";
import { computeLatencies } from "../../lib/conversations/latency.ts";
import { updateSettings } from "../../lib/settings/index.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

// The Insights to Logs panel's loader on a seeded database: scope, masking, transcript labels,
// latency, pauses, paging and the Copy All text.
const PHONE = "+14155550123";
const EMAIL = "jane.doe@example.test";
const START = new Date("2026-11-20T10:00:00Z");
const at = (ms: number) => new Date(START.getTime() + ms);

let t: TestDatabase;
let admin: Actor & { id: string };
const users = { admin: "", alex: "", blair: "", sam: "", casey: "" };
const ids = { voice: "", email: "", long: "", other: "" };

beforeAll(async () => {
  t = await createTestDatabase();
  const user = async (name: string, role: "admin" | "agent" | "supervisor") =>
    (
      await t.db
        .insertInto("users")
        .values({ email: `${name.split(" ")[0]?.toLowerCase()}@example.test`, name, role })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  users.admin = await user("Ada Admin", "admin");
  users.alex = await user("Alex Agent", "agent");
  users.blair = await user("Blair Agent", "agent");
  users.casey = await user("Casey Consultant", "agent");
  users.sam = await user("Sam Supervisor", "supervisor");
  admin = { kind: "user", id: users.admin };

  const customer = await t.db
    .insertInto("customers")
    .values({
      user_ref: "usr_jane01",
      name: "Jane Doe",
      phone: PHONE,
      email: EMAIL,
      channel_user_id: "cuid-jane",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const [billing, vip] = await t.db
    .insertInto("queues")
    .values([{ name: "Billing" }, { name: "VIP Care" }])
    .returning("id")
    .execute();
  const disposition = await t.db
    .insertInto("dispositions")
    .values({ code: "resolved", label: "Resolved" })
    .returning("id")
    .executeTakeFirstOrThrow();

  const conversation = async (values: Record<string, unknown>) =>
    (
      await t.db
        .insertInto("conversations")
        .values({
          customer_id: customer.id,
          direction: "inbound",
          language: "en-US",
          started_at: START,
          channel: "voice",
          session_id: `s-${Math.random()}`,
          ...values,
        })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;

  ids.voice = await conversation({
    session_id: "sess-voice",
    ended_at: at(300_000),
    sentiment: "positive",
    status: "completed_user_hangup",
    smart_status: "resolved",
    mode: "hybrid",
    call_id: "call-1",
    call_conversation_id: "cc-1",
    agent_conversation_id: "ac-1",
    campaign_name: null,
    csat_triggered: true,
    csat_score: 4,
    csat_comment: `Call me back on ${PHONE}`,
    disposition_id: disposition.id,
    disposition_note: "All sorted",
    snooze_count: 2,
    snooze_duration_seconds: 245,
    support_agent_id: users.alex,
  });
  await t.db
    .insertInto("conversation_participants")
    .values([
      { conversation_id: ids.voice, user_id: users.alex, role: "agent", joined_at: at(60_000) },
      { conversation_id: ids.voice, user_id: users.casey, role: "consultant", joined_at: at(120_000) },
      { conversation_id: ids.voice, user_id: users.sam, role: "supervisor", joined_at: at(130_000) },
    ])
    .execute();
  await t.db
    .insertInto("conversation_queues")
    .values([
      { conversation_id: ids.voice, queue_id: vip?.id as string, entered_at: at(40_000) },
      { conversation_id: ids.voice, queue_id: billing?.id as string, entered_at: at(50_000) },
    ])
    .execute();
  const body = `My number is ${PHONE} and mail ${EMAIL}`;
  const msgs = [
    { speaker: "ai_agent", body: "Hi, how can I help?", at: 1_000 },
    {
      speaker: "customer",
      body,
      at: 5_000,
      spans: [
        { start: 13, end: 13 + PHONE.length, type: "phone" },
        { start: body.indexOf(EMAIL), end: body.indexOf(EMAIL) + EMAIL.length, type: "email" },
      ],
    },
    { speaker: "ai_agent", body: "Thanks, one moment.", at: 8_000 },
    { speaker: "system", kind: "transfer_to_agent", body: "", at: 50_000 },
    { speaker: "agent", body: "Hello, Alex here.", at: 61_000, user: users.alex },
    { speaker: "supervisor_whisper", body: "Offer the discount", at: 135_000, user: users.sam },
    { speaker: "agent", body: "Welcome back.", at: 200_000, user: users.alex },
    { speaker: "system", kind: "transfer_to_automation", body: "", at: 210_000 },
    { speaker: "system", kind: "max_no_input", body: "", at: 250_000 },
    { speaker: "system", kind: "llm_error", body: "Realtime API disconnected", at: 260_000 },
  ] as const;
  await t.db
    .insertInto("messages")
    .values(
      msgs.map((m, i) => ({
        conversation_id: ids.voice,
        seq: i + 1,
        speaker: m.speaker,
        kind: "kind" in m ? m.kind : "text",
        body: m.body,
        sent_at: at(m.at),
        user_id: "user" in m ? m.user : null,
        pii_spans: JSON.stringify("spans" in m ? m.spans : []),
      })),
    )
    .execute();
  // Turn 1 links by seq (as ingest leaves it before the message arrives), turn 2 by message id.
  const third = await t.db
    .selectFrom("messages")
    .select("id")
    .where("conversation_id", "=", ids.voice)
    .where("seq", "=", 3)
    .executeTakeFirstOrThrow();
  await t.db
    .insertInto("latency_turns")
    .values([
      {
        conversation_id: ids.voice,
        turn_index: 1,
        message_seq: 1,
        user_stopped_speaking_at: at(0),
        asr_transcript_at: at(450),
        transcript_sent_at: at(450),
        bot_response_at: at(1300),
        tts_request_at: at(1300),
        tts_first_byte_at: at(1700),
        first_audio_heard_at: at(1700),
      },
      {
        conversation_id: ids.voice,
        turn_index: 2,
        message_id: third.id,
        user_stopped_speaking_at: at(6_000),
        asr_transcript_at: at(6_300),
        transcript_sent_at: at(6_310),
        bot_response_at: null,
        tts_request_at: at(7_000),
        tts_first_byte_at: at(7_250),
        first_audio_heard_at: at(7_400),
      },
    ])
    .execute();
  await t.db
    .insertInto("recordings")
    .values({
      conversation_id: ids.voice,
      paused_spans: JSON.stringify([{ startMs: 140_000, endMs: 180_000, reason: "hold" }]),
    })
    .execute();
  await t.db
    .insertInto("notes")
    .values([
      { conversation_id: ids.voice, author_id: users.sam, body: "Good call", created_at: at(400_000) },
      {
        conversation_id: ids.voice,
        author_id: users.alex,
        body: `Mail her at ${EMAIL}`,
        created_at: at(500_000),
      },
    ])
    .execute();
  await t.db
    .insertInto("conversation_tags")
    .values([
      { conversation_id: ids.voice, level: "session", name: "intent", value: "billing" },
      { conversation_id: ids.voice, level: "session", name: "priority", value: "high" },
      { conversation_id: ids.voice, level: "user", name: "tier", value: "gold" },
    ])
    .execute();

  ids.email = await conversation({
    session_id: "sess-email",
    channel: "email",
    direction: "outbound",
    campaign_name: "Renewal",
    campaign_instance_id: "camp-7",
  });
  await t.db
    .insertInto("conversation_participants")
    .values({ conversation_id: ids.email, user_id: users.blair, role: "agent", joined_at: at(0) })
    .execute();
  await t.db
    .insertInto("messages")
    .values([
      {
        conversation_id: ids.email,
        seq: 1,
        speaker: "agent",
        user_id: users.blair,
        kind: "email",
        body: "Your renewal is due.",
        sent_at: at(0),
        email_subject: "Your renewal",
        email_from: "care@brightline.test",
        email_to: [EMAIL],
        email_cc: ["team@brightline.test"],
        email_bcc: ["audit@brightline.test"],
      },
      {
        conversation_id: ids.email,
        seq: 2,
        speaker: "customer",
        kind: "email",
        body: "Thanks!",
        sent_at: at(3_600_000),
        email_subject: "Re: Your renewal",
        email_from: `Jane Doe <${EMAIL.toUpperCase()}>`,
        email_to: ["care@brightline.test"],
      },
    ])
    .execute();

  // Long enough for three pages, with a hold on the second.
  ids.long = await conversation({ session_id: "sess-long", channel: "chat" });
  const total = TRANSCRIPT_PAGE_SIZE * 2 + 5;
  await t.db
    .insertInto("messages")
    .values(
      Array.from({ length: total }, (_, i) => ({
        conversation_id: ids.long,
        seq: i + 1,
        speaker: i % 2 ? ("customer" as const) : ("ai_agent" as const),
        body: `message ${i + 1}`,
        sent_at: at(i * 1000),
      })),
    )
    .execute();
  await t.db
    .insertInto("recordings")
    .values({
      conversation_id: ids.long,
      paused_spans: JSON.stringify([{ startMs: 250_500, endMs: 260_000, reason: "pause" }]),
    })
    .execute();

  ids.other = await conversation({ session_id: "sess-other" });
  await t.db
    .insertInto("conversation_participants")
    .values({ conversation_id: ids.other, user_id: users.blair, role: "agent", joined_at: at(0) })
    .execute();
});
afterAll(() => t.drop());

const asAdmin = () => ({ id: users.admin, role: "admin" as const });
const asAlex = () => ({ id: users.alex, role: "agent" as const });
const messagesOf = (entries: { type: string }[]) =>
  entries.filter((e): e is TranscriptMessage => e.type === "message");

describe("scope", () => {
  it("an agent gets null for a conversation they did not join, as for one that does not exist", async () => {
    expect(await getConversationDetail(t.db, asAlex(), ids.other)).toBeNull();
    expect(await getConversationDetail(t.db, asAlex(), "00000000-0000-4000-8000-000000000000")).toBeNull();
    expect(await getConversationDetail(t.db, asAlex(), "not-a-uuid")).toBeNull();
    expect(await getTranscriptPage(t.db, asAlex(), ids.other, 0)).toBeNull();
  });

  it("an agent sees one they joined; a supervisor and an admin see any", async () => {
    expect((await getConversationDetail(t.db, asAlex(), ids.voice))?.id).toBe(ids.voice);
    expect((await getConversationDetail(t.db, { id: users.sam, role: "supervisor" }, ids.other))?.id).toBe(
      ids.other,
    );
    expect((await getConversationDetail(t.db, asAdmin(), ids.other))?.id).toBe(ids.other);
  });
});

describe("a voice call", () => {
  it("has the header, Details and User fields", async () => {
    const d = await getConversationDetail(t.db, asAdmin(), ids.voice);
    expect(d).toMatchObject({
      channel: "voice",
      direction: "inbound",
      language: "en-US",
      sentiment: "positive",
      subject: null,
    });
    expect(d?.details).toEqual({
      start: START,
      end: at(300_000),
      agents: ["Alex Agent"],
      consultingAgents: ["Casey Consultant"],
      joinedUsers: ["Sam Supervisor"],
      queues: ["VIP Care", "Billing"],
      status: "completed_user_hangup",
      statusLabel: "Completed (User Hangup)",
      smartStatus: "resolved",
      smartStatusLabel: "Resolved",
      mode: "hybrid",
      csat: { triggered: true, score: 4, feedback: `Call me back on ${PHONE}` },
      disposition: { code: "resolved", label: "Resolved", note: "All sorted" },
      dispositionLog: [], // set directly on the row here, not through ingest or an edit
      notes: [
        { body: "Good call", author: "Sam Supervisor", createdAt: at(400_000) },
        { body: `Mail her at ${EMAIL}`, author: "Alex Agent", createdAt: at(500_000) },
      ],
      snoozeCount: 2,
      snoozeDurationSeconds: 245,
      campaignName: null,
      sessionTags: [
        { name: "intent", value: "billing" },
        { name: "priority", value: "high" },
      ],
    });
    expect(d?.user).toEqual({
      phone: PHONE,
      name: "Jane Doe",
      email: EMAIL,
      channelUserId: "cuid-jane",
      userId: "usr_jane01",
      userTags: [{ name: "tier", value: "gold" }],
      obscured: false,
    });
    expect(d?.identifiers).toEqual({
      callId: "call-1",
      sessionId: "sess-voice",
      channelUserId: "cuid-jane",
      callConversationId: "cc-1",
      agentConversationId: "ac-1",
      userId: "usr_jane01",
      campaignInstanceId: null,
    });
  });

  it("labels transfer stages, no-input and LLM errors, names speakers, notes the hold in place", async () => {
    const d = await getConversationDetail(t.db, asAdmin(), ids.voice);
    const entries = d?.transcript.entries ?? [];
    expect(d?.transcript.nextAfterSeq).toBeNull();
    expect(
      entries.map((e) => (e.type === "pause" ? `pause:${e.label}` : `${e.seq}:${e.speakerName}:${e.label}`)),
    ).toEqual([
      "1:AI Agent:null",
      "2:Jane Doe:null",
      "3:AI Agent:null",
      "4:System:User transferred to Agent",
      "5:Alex Agent:null",
      "6:Sam Supervisor:null",
      "pause:Call on hold — customer speech not recorded",
      "7:Alex Agent:null",
      "8:System:User transferred to Automation",
      "9:System:Max no-input attempts reached",
      "10:System:LLM Error Detected",
    ]);
    const whisper = messagesOf(entries).find((m) => m.seq === 6);
    expect(whisper?.speaker).toBe("supervisor_whisper");
    expect(whisper?.body).toBe("Offer the discount");
    const hold = entries.find((e) => e.type === "pause");
    expect(hold).toMatchObject({ reason: "hold", at: at(140_000), endedAt: at(180_000) });
    expect(messagesOf(entries).find((m) => m.seq === 10)?.body).toBe("Realtime API disconnected");
  });

  it("carries each turn's latencies exactly as the four formulas give them", async () => {
    const d = await getConversationDetail(t.db, asAdmin(), ids.voice);
    const bySeq = new Map(messagesOf(d?.transcript.entries ?? []).map((m) => [m.seq, m.latency]));
    expect(bySeq.get(1)).toEqual({ asrMs: 450, botMs: 850, ttsMs: 400, e2eMs: 1700 });
    expect(bySeq.get(1)).toEqual(
      computeLatencies({
        userStoppedSpeakingAt: at(0),
        asrTranscriptAt: at(450),
        transcriptSentAt: at(450),
        botResponseAt: at(1300),
        ttsRequestAt: at(1300),
        ttsFirstByteAt: at(1700),
        firstAudioHeardAt: at(1700),
      }),
    );
    // Linked by message id; the bot response was not measured: null, not 0.
    expect(bySeq.get(3)).toEqual({ asrMs: 300, botMs: null, ttsMs: 250, e2eMs: 1400 });
    expect(bySeq.get(2)).toBeNull();
  });

  it("writes Copy All as one Label: value line each, caller = customer on an inbound call", async () => {
    const d = await getConversationDetail(t.db, asAdmin(), ids.voice);
    expect(d?.copyAllText.split("\n")).toEqual([
      "Start Time: 2026-11-20T10:00:00Z",
      "End Time: 2026-11-20T10:05:00Z",
      `Caller ID: ${PHONE}`,
      "Session ID: sess-voice",
      "Channel User ID: cuid-jane",
      "Call Conversation ID: cc-1",
      "Agent Conversation ID: ac-1",
      "User ID: usr_jane01",
      "Caller: Jane Doe",
      "Callee: VIP Care",
    ]);
  });
});

describe("an e-mail thread", () => {
  it("starts with the subject and gives every e-mail its From, To, CC and BCC", async () => {
    const d = await getConversationDetail(t.db, asAdmin(), ids.email);
    expect(d?.subject).toBe("Your renewal");
    const [first, second] = messagesOf(d?.transcript.entries ?? []);
    expect(first?.email).toEqual({
      subject: "Your renewal",
      from: "care@brightline.test",
      to: [EMAIL],
      cc: ["team@brightline.test"],
      bcc: ["audit@brightline.test"],
    });
    expect(second?.email).toEqual({
      subject: "Re: Your renewal",
      from: `Jane Doe <${EMAIL.toUpperCase()}>`,
      to: ["care@brightline.test"],
      cc: [],
      bcc: [],
    });
    expect(first?.speakerName).toBe("Blair Agent");
  });

  it("on an outbound campaign the line calls the customer", async () => {
    const d = await getConversationDetail(t.db, asAdmin(), ids.email);
    const lines = d?.copyAllText.split("\n") ?? [];
    expect(lines).toContain("End Time: —");
    expect(lines).toContain("Caller ID: Renewal");
    expect(lines).toContain("Caller: Renewal");
    expect(lines).toContain("Callee: Jane Doe");
    expect(d?.identifiers.campaignInstanceId).toBe("camp-7");
    expect(d?.details.campaignName).toBe("Renewal");
  });
});

describe("long transcripts", () => {
  it("come in pages of TRANSCRIPT_PAGE_SIZE, each pause on exactly one page", async () => {
    const d = await getConversationDetail(t.db, asAdmin(), ids.long);
    const first = d?.transcript;
    expect(messagesOf(first?.entries ?? [])).toHaveLength(TRANSCRIPT_PAGE_SIZE);
    expect(first?.nextAfterSeq).toBe(TRANSCRIPT_PAGE_SIZE);
    expect(first?.entries.some((e) => e.type === "pause")).toBe(false);

    const second = await getTranscriptPage(t.db, asAdmin(), ids.long, first?.nextAfterSeq ?? 0);
    const secondMessages = messagesOf(second?.entries ?? []);
    expect(secondMessages[0]?.seq).toBe(TRANSCRIPT_PAGE_SIZE + 1);
    expect(secondMessages).toHaveLength(TRANSCRIPT_PAGE_SIZE);
    // The pause began 250.5 s in: after message 251 (250 s), before message 252 (251 s).
    const pauseAt = second?.entries.findIndex((e) => e.type === "pause") ?? -1;
    expect(second?.entries[pauseAt - 1]).toMatchObject({ seq: 251 });
    expect(second?.entries[pauseAt]).toMatchObject({ label: "Recording paused — speech not recorded" });

    const third = await getTranscriptPage(t.db, asAdmin(), ids.long, second?.nextAfterSeq ?? 0);
    expect(messagesOf(third?.entries ?? []).map((m) => m.seq)).toEqual([401, 402, 403, 404, 405]);
    expect(third?.nextAfterSeq).toBeNull();
    expect(third?.entries.some((e) => e.type === "pause")).toBe(false);
  });
});

describe("with Obscure customer info on", () => {
  beforeAll(() => updateSettings(t.db, admin, { obscure_customer_info: true }));
  afterAll(() => updateSettings(t.db, admin, { obscure_customer_info: false }));

  it("neither the phone number nor the e-mail address appears anywhere in the data", async () => {
    for (const id of [ids.voice, ids.email]) {
      const json = JSON.stringify(await getConversationDetail(t.db, asAdmin(), id));
      expect(json).not.toContain(PHONE);
      expect(json.toLowerCase()).not.toContain(EMAIL);
      expect(json).not.toContain("jane.doe");
    }
  });

  it("shows the User ID instead, and marks redacted spans in the transcript", async () => {
    const d = await getConversationDetail(t.db, asAdmin(), ids.voice);
    expect(d?.user).toMatchObject({ phone: null, email: null, userId: "usr_jane01", obscured: true });
    const said = messagesOf(d?.transcript.entries ?? []).find((m) => m.seq === 2);
    expect(said?.body).toBe("My number is [redacted phone] and mail [redacted email]");
    expect(d?.details.csat.feedback).toBe("Call me back on [redacted phone]");
    expect(d?.details.notes[1]?.body).toBe("Mail her at [redacted email]");
    expect(d?.copyAllText).toContain("Caller ID: usr_jane01");

    const email = await getConversationDetail(t.db, asAdmin(), ids.email);
    const [first, second] = messagesOf(email?.transcript.entries ?? []);
    expect(first?.email?.to).toEqual(["usr_jane01"]);
    expect(second?.email?.from).toBe("Jane Doe <usr_jane01>");
  });
});
