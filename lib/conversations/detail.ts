import type { Kysely } from "kysely";
import type { Database } from "../../db/client.ts";
import type {
  Channel,
  ConversationStatus,
  DB,
  Direction,
  MessageKind,
  Sentiment,
  SmartStatus,
  Speaker,
} from "../../db/types.ts";
import { conversationScope, type ScopeViewer } from "../auth/scope.ts";
import { isUuid } from "../db-ranges.ts";
import { readSettings } from "../settings/index.ts";
import { type Highlighted, highlightTexts } from "./highlight.ts";
import { heardMessage } from "./hold.ts";
import { type Latencies, latenciesOfRow } from "./latency.ts";
import { contactScrubber, maskCustomer, type PiiSpan, textMasking } from "./mask.ts";
import { SMART_STATUS_LABELS, STATUS_LABELS } from "./status.ts";
import { MESSAGE_KIND_LABELS, PAUSE_LABELS, SPEAKER_LABELS } from "./transcript-labels.ts";

// The Insights to Logs panel's data for one conversation: scoped to the viewer, masked on the
// server, loaded in one round of parallel queries (no per-message queries).
//
// Inside message bodies every span the platform marked for de-identification (phone, e-mail, card
// number, date of birth, name…) is always replaced by a "[redacted phone]"-style placeholder
// (mask.ts deidentify). Masking ("Obscure customer info" on) adds: the customer's phone and e-mail
// are dropped (maskCustomer) and the internal User ID stands in for them in identifiers, e-mail
// headers and Copy All; literal copies of the phone or e-mail anywhere else in free text (notes,
// CSAT feedback, unmarked messages) are replaced as a backstop.

/** Shown for an unknown id and for one outside the viewer's scope alike, so existence is not leaked. */
export const CONVERSATION_NOT_AVAILABLE = "This conversation is not available";

/** Messages per transcript page: the panel renders this many, then "Show more" loads the next page. */
export const TRANSCRIPT_PAGE_SIZE = 200;
/** `afterSeq` of the first page: seq starts at 0 (ingest accepts it, the API's example sends it). */
export const FIRST_PAGE = -1;

export type EmailHeaders = {
  subject: string | null;
  from: string | null;
  to: string[];
  cc: string[];
  bcc: string[];
};

export type TranscriptMessage = {
  type: "message";
  seq: number;
  speaker: Speaker;
  /** The person's name where known (agent, supervisor, customer), else the speaker's label. */
  speakerName: string;
  kind: MessageKind;
  /** The stage label for transfers, no-input and LLM errors; null for speech and e-mail. */
  label: string | null;
  body: string;
  at: Date;
  email: EmailHeaders | null;
  /** ASR / Bot / TTS / End-to-End for the voice turn this message answers; null when none was measured. */
  latency: Latencies | null;
  /** Opened from a search: the (masked) body with the search's matches marked. */
  highlights?: Highlighted;
};

export type TranscriptPause = {
  type: "pause";
  reason: keyof typeof PAUSE_LABELS;
  label: string;
  at: Date;
  endedAt: Date;
};

export type TranscriptEntry = TranscriptMessage | TranscriptPause;

export type TranscriptPage = {
  entries: TranscriptEntry[];
  /** Pass as `afterSeq` for the next page; null on the last one. */
  nextAfterSeq: number | null;
};

export type Tag = { name: string; value: string };

export type ConversationDetail = {
  id: string;
  channel: Channel;
  direction: Direction;
  language: string;
  sentiment: Sentiment | null;
  startedAt: Date;
  endedAt: Date | null;
  /** The first e-mail's subject, shown at the start of an e-mail transcript. */
  subject: string | null;
  transcript: TranscriptPage;
  details: {
    start: Date;
    end: Date | null;
    agents: string[];
    consultingAgents: string[];
    /** Supervisors who joined to listen, whisper or barge in. */
    joinedUsers: string[];
    /** In the order entered. */
    queues: string[];
    status: ConversationStatus;
    statusLabel: string;
    smartStatus: SmartStatus | null;
    smartStatusLabel: string | null;
    mode: string | null;
    csat: { triggered: boolean; score: number | null; feedback: string | null };
    disposition: { code: string; label: string; note: string | null } | null;
    /** Every disposition change, newest first (spec: "Edit Dispositions", View Logs). */
    dispositionLog: DispositionLogEntry[];
    notes: { body: string; author: string | null; createdAt: Date }[];
    snoozeCount: number;
    snoozeDurationSeconds: number;
    campaignName: string | null;
    sessionTags: Tag[];
  };
  user: {
    /** Null when obscured (see `obscured`) or unknown. */
    phone: string | null;
    name: string | null;
    email: string | null;
    channelUserId: string | null;
    /** The internal User ID (customers.user_ref). */
    userId: string | null;
    userTags: Tag[];
    obscured: boolean;
  };
  identifiers: {
    callId: string | null;
    sessionId: string;
    channelUserId: string | null;
    callConversationId: string | null;
    agentConversationId: string | null;
    userId: string | null;
    campaignInstanceId: string | null;
  };
  /** What "Copy All" puts on the clipboard: one "Label: value" line each. */
  copyAllText: string;
};

export type DispositionLogEntry = {
  id: string;
  changedAt: Date;
  /** Who changed it; null when the platform set it without naming a user. */
  changedBy: string | null;
  from: string | null;
  to: string | null;
  note: string | null;
};

/**
 * The conversation as the panel shows it, or null when it does not exist or the viewer may not see
 * it — the two are deliberately indistinguishable.
 */
export async function getConversationDetail(
  db: Database,
  viewer: ScopeViewer,
  id: string,
  opts: DetailOptions = {},
): Promise<ConversationDetail | null> {
  if (!isUuid(id)) return null;
  // Everything in parallel; the child queries' rows are dropped unread when the scoped head is null.
  const [head, settings, messages, participants, queues, notes, tags, dispositionLog] = await Promise.all([
    headQuery(db, viewer, id).executeTakeFirst(),
    readSettings(db),
    messagesQuery(db, id, FIRST_PAGE).execute(),
    db
      .selectFrom("conversation_participants as p")
      .innerJoin("users as u", "u.id", "p.user_id")
      .select(["p.role", "u.name"])
      .where("p.conversation_id", "=", id)
      .orderBy("p.joined_at")
      .orderBy("p.id")
      .execute(),
    db
      .selectFrom("conversation_queues as cq")
      .innerJoin("queues as q", "q.id", "cq.queue_id")
      .select("q.name")
      .where("cq.conversation_id", "=", id)
      .orderBy("cq.entered_at")
      .orderBy("cq.id")
      .execute(),
    db
      .selectFrom("notes as n")
      .leftJoin("users as u", "u.id", "n.author_id")
      .select(["n.body", "u.name as author", "n.created_at as createdAt"])
      .where("n.conversation_id", "=", id)
      .orderBy("n.created_at")
      .orderBy("n.id")
      .execute(),
    db
      .selectFrom("conversation_tags")
      .select(["level", "name", "value"])
      .where("conversation_id", "=", id)
      .orderBy("name")
      .orderBy("value")
      .execute(),
    db
      .selectFrom("disposition_changes as dc")
      .leftJoin("users as u", "u.id", "dc.changed_by")
      .leftJoin("dispositions as df", "df.id", "dc.from_disposition_id")
      .leftJoin("dispositions as dt", "dt.id", "dc.to_disposition_id")
      .select([
        "dc.id",
        "dc.changed_at as changedAt",
        "u.name as changedBy",
        "df.label as from",
        "dt.label as to",
        "dc.note",
      ])
      .where("dc.conversation_id", "=", id)
      .orderBy("dc.changed_at", "desc")
      .orderBy("dc.id", "desc")
      .execute(),
  ]);
  if (!head) return null;

  const mask = maskingFor(head, settings.obscure_customer_info);
  const transcript = await highlighted(db, toTranscriptPage(head, mask, messages, FIRST_PAGE), opts.search);
  const names = (role: string) => [
    ...new Set(participants.filter((p) => p.role === role).map((p) => p.name)),
  ];
  const queueNames = queues.map((q) => q.name);
  const tagsAt = (level: string) =>
    tags.filter((t) => t.level === level).map((t) => ({ name: t.name, value: mask.text(t.value) }));

  const customer = mask.customer;
  const channelUserId = head.cuChannelUserId === null ? null : mask.identifier(head.cuChannelUserId);
  const identifiers = {
    callId: head.call_id,
    sessionId: head.session_id,
    channelUserId,
    callConversationId: head.call_conversation_id,
    agentConversationId: head.agent_conversation_id,
    userId: customer?.userRef ?? null,
    campaignInstanceId: head.campaign_instance_id,
  };

  return {
    id: head.id,
    channel: head.channel,
    direction: head.direction,
    language: head.language,
    sentiment: head.sentiment,
    startedAt: head.started_at,
    endedAt: head.ended_at,
    subject: mask.textOrNull(head.firstSubject),
    transcript,
    details: {
      start: head.started_at,
      end: head.ended_at,
      agents: names("agent"),
      consultingAgents: names("consultant"),
      joinedUsers: names("supervisor"),
      queues: queueNames,
      status: head.status,
      statusLabel: STATUS_LABELS[head.status],
      smartStatus: head.smart_status,
      smartStatusLabel: head.smart_status ? SMART_STATUS_LABELS[head.smart_status] : null,
      mode: head.mode,
      csat: {
        triggered: head.csat_triggered,
        score: head.csat_score,
        feedback: mask.textOrNull(head.csat_comment),
      },
      disposition: head.dCode
        ? { code: head.dCode, label: head.dLabel ?? head.dCode, note: mask.textOrNull(head.disposition_note) }
        : null,
      dispositionLog: dispositionLog.map((d) => ({ ...d, id: String(d.id), note: mask.textOrNull(d.note) })),
      notes: notes.map((n) => ({ body: mask.text(n.body), author: n.author, createdAt: n.createdAt })),
      snoozeCount: head.snooze_count,
      snoozeDurationSeconds: head.snooze_duration_seconds,
      campaignName: head.campaign_name,
      sessionTags: tagsAt("session"),
    },
    user: {
      phone: customer?.phone ?? null,
      name: customer?.name ?? null,
      email: customer?.email ?? null,
      channelUserId,
      userId: customer?.userRef ?? null,
      userTags: tagsAt("user"),
      obscured: mask.obscured,
    },
    identifiers,
    copyAllText: copyAllText(head, mask, queueNames[0] ?? null, identifiers),
  };
}

/** The transcript page after message `afterSeq` (scoped and masked like the panel), or null. */
export async function getTranscriptPage(
  db: Database,
  viewer: ScopeViewer,
  id: string,
  afterSeq: number,
  opts: DetailOptions = {},
): Promise<TranscriptPage | null> {
  if (!isUuid(id)) return null;
  const [head, settings, messages] = await Promise.all([
    headQuery(db, viewer, id).executeTakeFirst(),
    readSettings(db),
    messagesQuery(db, id, afterSeq).execute(),
  ]);
  if (!head) return null;
  const page = toTranscriptPage(head, maskingFor(head, settings.obscure_customer_info), messages, afterSeq);
  return highlighted(db, page, opts.search);
}

export type DetailOptions = {
  /** Opened from a search (a tsquery from lib/search parseSearch): mark its matches in the transcript. */
  search?: string;
};

/** The page with each message body's matches marked; the bodies are masked already. */
async function highlighted(db: Database, page: TranscriptPage, search: string | undefined) {
  if (!search) return page;
  const messages = page.entries.filter((e): e is TranscriptMessage => e.type === "message" && e.body !== "");
  const marked = await highlightTexts(
    db,
    search,
    messages.map((m) => m.body),
    "whole",
  );
  messages.forEach((m, i) => {
    if (marked[i]?.some((s) => s.match)) m.highlights = marked[i];
  });
  return page;
}

/** The conversation row, its customer, disposition, recording pauses and first subject — scoped. */
function headQuery(db: Kysely<DB>, viewer: ScopeViewer, id: string) {
  return db
    .selectFrom("conversations")
    .leftJoin("customers as cu", "cu.id", "conversations.customer_id")
    .leftJoin("dispositions as d", "d.id", "conversations.disposition_id")
    .leftJoin("recordings as r", "r.conversation_id", "conversations.id")
    .where("conversations.id", "=", id)
    .where(conversationScope(viewer))
    .selectAll("conversations")
    .select((eb) => [
      "cu.id as cuId",
      "cu.user_ref as cuUserRef",
      "cu.name as cuName",
      "cu.phone as cuPhone",
      "cu.email as cuEmail",
      "cu.channel_user_id as cuChannelUserId",
      "d.code as dCode",
      "d.label as dLabel",
      "r.paused_spans as pausedSpans",
      eb
        .selectFrom("messages as fm")
        .select("fm.email_subject")
        .whereRef("fm.conversation_id", "=", "conversations.id")
        .where("fm.email_subject", "is not", null)
        .orderBy("fm.seq")
        .limit(1)
        .as("firstSubject"),
    ]);
}

type Head = NonNullable<Awaited<ReturnType<ReturnType<typeof headQuery>["executeTakeFirst"]>>>;

/**
 * One transcript page: TRANSCRIPT_PAGE_SIZE messages after `afterSeq`, plus one to know whether
 * more follow, each with its speaker's name and the latency turn it answers (lateral join served
 * by latency_turns' (conversation_id, turn_index) key). What the customer said on hold is left out
 * before the limit (lib/conversations/hold.ts), so a page is never short while messages follow.
 */
function messagesQuery(db: Kysely<DB>, id: string, afterSeq: number) {
  return db
    .selectFrom("messages as m")
    .leftJoin("users as u", "u.id", "m.user_id")
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom("latency_turns as lt")
          .select([
            "lt.user_stopped_speaking_at",
            "lt.asr_transcript_at",
            "lt.transcript_sent_at",
            "lt.bot_response_at",
            "lt.tts_request_at",
            "lt.tts_first_byte_at",
            "lt.first_audio_heard_at",
          ])
          .whereRef("lt.conversation_id", "=", "m.conversation_id")
          // A turn links by message id once ingest resolved it, by seq until then.
          .where((w) =>
            w.or([
              w("lt.message_id", "=", w.ref("m.id")),
              w.and([w("lt.message_id", "is", null), w("lt.message_seq", "=", w.ref("m.seq"))]),
            ]),
          )
          .orderBy("lt.turn_index")
          .limit(1)
          .as("lt"),
      (join) => join.onTrue(),
    )
    .select([
      "m.seq",
      "m.speaker",
      "m.kind",
      "m.body",
      "m.sent_at",
      "m.pii_spans",
      "m.email_subject",
      "m.email_from",
      "m.email_to",
      "m.email_cc",
      "m.email_bcc",
      "u.name as userName",
      "lt.user_stopped_speaking_at",
      "lt.asr_transcript_at",
      "lt.transcript_sent_at",
      "lt.bot_response_at",
      "lt.tts_request_at",
      "lt.tts_first_byte_at",
      "lt.first_audio_heard_at",
    ])
    .where("m.conversation_id", "=", id)
    .where("m.seq", ">", afterSeq)
    .where(heardMessage("m", id))
    .orderBy("m.seq")
    .limit(TRANSCRIPT_PAGE_SIZE + 1);
}

type MessageRow = Awaited<ReturnType<ReturnType<typeof messagesQuery>["execute"]>>[number];

type Masking = {
  obscured: boolean;
  customer: ReturnType<typeof maskCustomer> | null;
  /** Free text as it may leave the server. */
  text: (text: string) => string;
  textOrNull: (text: string | null) => string | null;
  /** An identifier or address: a customer contact detail becomes the User ID. */
  identifier: (value: string) => string;
  body: (body: string, spans: PiiSpan[]) => string;
};

function maskingFor(head: Head, obscure: boolean): Masking {
  const contact = { phone: head.cuPhone, email: head.cuEmail };
  const customer = head.cuId
    ? maskCustomer(
        { userRef: head.cuUserRef, name: head.cuName, phone: head.cuPhone, email: head.cuEmail },
        obscure,
      )
    : null;
  if (!obscure) {
    const same = (text: string) => text;
    const { body } = textMasking(contact, false); // marked spans are de-identified all the same
    return { obscured: false, customer, text: same, textOrNull: (t) => t, identifier: same, body };
  }
  const { text, body } = textMasking(contact, true);
  const userRef = head.cuUserRef ?? "[redacted]";
  const identifier = contactScrubber(contact, { phone: userRef, email: userRef });
  return {
    obscured: true,
    customer,
    text,
    textOrNull: (t) => (t === null ? null : text(t)),
    identifier,
    body,
  };
}

function toTranscriptPage(head: Head, mask: Masking, rows: MessageRow[], afterSeq: number): TranscriptPage {
  const more = rows.length > TRANSCRIPT_PAGE_SIZE;
  const page = rows.slice(0, TRANSCRIPT_PAGE_SIZE);
  const messages = page.map((m) => toMessage(head, mask, m));
  // Each pause belongs to exactly one page: the one whose messages span its start (the first page
  // also takes those before any message, the last those after).
  const from = afterSeq === FIRST_PAGE ? null : (messages[0]?.at ?? null);
  const until = more ? (rows[TRANSCRIPT_PAGE_SIZE]?.sent_at ?? null) : null;
  const pauses = pausesOf(head).filter(
    (p) => (from === null || p.at >= from) && (until === null || p.at < until),
  );
  return { entries: interleave(messages, pauses), nextAfterSeq: more ? (page.at(-1)?.seq ?? null) : null };
}

function toMessage(head: Head, mask: Masking, m: MessageRow): TranscriptMessage {
  const latency = latenciesOfRow(m);
  const measured = Object.values(latency).some((v) => v !== null);
  const isEmail = m.kind === "email" || m.email_subject !== null || m.email_from !== null;
  const addresses = (list: string[] | null) => (list ?? []).map(mask.identifier);
  return {
    type: "message",
    seq: m.seq,
    speaker: m.speaker,
    speakerName:
      (m.speaker === "customer" ? head.cuName : m.speaker === "system" ? null : m.userName) ??
      SPEAKER_LABELS[m.speaker],
    kind: m.kind,
    label: MESSAGE_KIND_LABELS[m.kind] ?? null,
    body: mask.body(m.body, (m.pii_spans ?? []) as PiiSpan[]),
    at: m.sent_at,
    email: isEmail
      ? {
          subject: mask.textOrNull(m.email_subject),
          from: m.email_from === null ? null : mask.identifier(m.email_from),
          to: addresses(m.email_to),
          cc: addresses(m.email_cc),
          bcc: addresses(m.email_bcc),
        }
      : null,
    latency: measured ? latency : null,
  };
}

/** recordings.paused_spans are offsets (ms) from the conversation's start. */
function pausesOf(head: Head): TranscriptPause[] {
  const spans = Array.isArray(head.pausedSpans) ? head.pausedSpans : [];
  const start = head.started_at.getTime();
  return spans
    .flatMap((s) => {
      const span = s as { startMs?: unknown; endMs?: unknown; reason?: unknown };
      if (typeof span.startMs !== "number" || typeof span.endMs !== "number") return [];
      const reason: TranscriptPause["reason"] = span.reason === "pause" ? "pause" : "hold";
      return [
        {
          type: "pause" as const,
          reason,
          label: PAUSE_LABELS[reason],
          at: new Date(start + span.startMs),
          endedAt: new Date(start + span.endMs),
        },
      ];
    })
    .sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** Messages in order, each pause placed before the first message sent after it began. */
function interleave(messages: TranscriptMessage[], pauses: TranscriptPause[]): TranscriptEntry[] {
  const out: TranscriptEntry[] = [];
  const waiting = [...pauses];
  for (const message of messages) {
    while (waiting[0] && waiting[0].at < message.at) out.push(waiting.shift() as TranscriptPause);
    out.push(message);
  }
  out.push(...waiting);
  return out;
}

/**
 * Copy All: Start Time and End Time in ISO 8601 UTC (the clipboard has no time zone of its own),
 * then the identifiers; Caller and Callee follow the direction — inbound the customer called the
 * line (the first queue the conversation entered, else its campaign), outbound the reverse.
 */
function copyAllText(
  head: Head,
  mask: Masking,
  line: string | null,
  ids: ConversationDetail["identifiers"],
): string {
  const iso = (d: Date | null) => (d ? d.toISOString().replace(/\.\d{3}Z$/, "Z") : null);
  const customer = mask.customer;
  const contact =
    head.channel === "voice"
      ? customer?.phone
      : head.channel === "email"
        ? customer?.email
        : ids.channelUserId;
  const customerId = contact ?? customer?.userRef ?? null;
  const customerName = customer?.name ?? customer?.userRef ?? null;
  const lineName = line ?? head.campaign_name;
  const inbound = head.direction === "inbound";
  const lines: [string, string | null][] = [
    ["Start Time", iso(head.started_at)],
    ["End Time", iso(head.ended_at)],
    ["Caller ID", inbound ? customerId : lineName],
    ["Session ID", ids.sessionId],
    ["Channel User ID", ids.channelUserId],
    ["Call Conversation ID", ids.callConversationId],
    ["Agent Conversation ID", ids.agentConversationId],
    ["User ID", ids.userId],
    ["Caller", inbound ? customerName : lineName],
    ["Callee", inbound ? lineName : customerName],
  ];
  return lines.map(([label, value]) => `${label}: ${value ?? "—"}`).join("\n");
}
